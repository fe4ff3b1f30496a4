//! `keukentafel encrypt`: converts a plain database file into an encrypted one in place.
//!
//! The plain file is exported page by page into a new encrypted file next to it
//! (`sqlcipher_export`), the copy is checked like `keukentafel check` does, the key file is
//! written with an entry for every user, and only then does the encrypted copy replace the
//! plain file. While this runs no other app or command may have the database open (the same
//! exclusive lock a restore takes).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::cipher::{self, DbKey, KeyFile};
use super::{Result, Store, StoreError, authorize, remove_database_files};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::model::admin::CheckReport;
use crate::store::EncryptionProblem;

/// What `encrypt` did.
#[derive(Debug)]
pub struct EncryptReport {
    /// The database file, now encrypted.
    pub path: PathBuf,
    /// Its key file.
    pub key_file: PathBuf,
    /// How many users can open it with their own password.
    pub users: usize,
    /// The check of the encrypted file.
    pub check: CheckReport,
}

impl Store {
    /// Encrypts this plain database in place (a beheerder only): a new random key, sealed for
    /// every user in the key file. Refused while another app or command has the file open.
    pub fn encrypt(self, session: &Session, workstation: &str) -> Result<EncryptReport> {
        authorize(session, Operation::ManageDatabase, None)?;
        if self.encrypted {
            return Err(StoreError::Encryption {
                path: self.path.clone(),
                problem: EncryptionProblem::AlreadyEncrypted,
            });
        }
        let users: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT username, password_hash FROM user ORDER BY id")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let chain_key = self.chain_key();
        let key = DbKey::random();
        let mut keys = KeyFile::default();
        for (username, hash) in &users {
            keys.wrap(&key, username, hash)?;
        }
        let path = self.path.clone();
        let clock = self.clock.clone();
        let lock = self.release_for_restore(session)?;
        let temp = temp_name(&path);
        remove_database_files(&temp);
        super::create_private_file(&temp)?;
        let check = match export_encrypted(&path, &temp, &key, chain_key) {
            Ok(check) => check,
            Err(e) => {
                remove_database_files(&temp);
                return Err(e);
            }
        };
        let key_file = cipher::key_file_path(&path);
        // The key file first: a stop between the two steps leaves the plain file with a key
        // file next to it, which opens as the plain file it is.
        if let Err(e) = keys.save(&key_file) {
            remove_database_files(&temp);
            return Err(e);
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        std::fs::rename(&temp, &path).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        drop(lock);
        let mut store = Store::open_with_clock(&path, clock)?;
        store.unlock_with_key(key)?;
        let now = store.clock().now();
        let actor = AuditActor {
            on_behalf_of: Some(session.username.clone()),
            ..AuditActor::system(workstation)
        };
        store.write(|tx| {
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Update,
                    object: "database",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some("versleuteld".into()),
                },
            )
        })?;
        Ok(EncryptReport {
            path,
            key_file,
            users: users.len(),
            check,
        })
    }
}

/// Exports the plain database at `plain` into the empty file `temp`, encrypted with `key`,
/// and checks the copy.
fn export_encrypted(
    plain: &Path,
    temp: &Path,
    key: &DbKey,
    chain_key: Option<super::anchor::Key>,
) -> Result<CheckReport> {
    let conn = Connection::open_with_flags(
        plain,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    cipher::quiet(&conn)?;
    let temp_text = temp.to_string_lossy().into_owned();
    conn.execute(
        "ATTACH DATABASE ?1 AS versleuteld KEY ?2",
        params![temp_text, key.pragma_text().as_str()],
    )?;
    conn.query_row("SELECT sqlcipher_export('versleuteld')", [], |_| Ok(()))?;
    // The header fields that say what the file is and which schema it has.
    let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    conn.pragma_update(Some("versleuteld"), "user_version", version)?;
    conn.pragma_update(Some("versleuteld"), "application_id", super::APPLICATION_ID)?;
    conn.execute("DETACH DATABASE versleuteld", [])?;
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    verify_encrypted(temp, key, chain_key).map(|(check, _)| check)
}

/// Opens an encrypted file with `key` on its own and checks it like `keukentafel check`, with
/// the audit chain's key `chain_key` when it has one; the chain head for the witness.
pub(crate) fn verify_encrypted(
    path: &Path,
    key: &DbKey,
    chain_key: Option<super::anchor::Key>,
) -> Result<(CheckReport, Option<super::anchor::Checkpoint>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    cipher::apply_key(&conn, key, path)?;
    let verified = super::backup::verify_connection(&conn, path, chain_key)?;
    let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(verified)
}

/// A hidden temporary name next to the database, unique to this process.
fn temp_name(db: &Path) -> PathBuf {
    let name = format!(
        ".{}.encrypt-{}",
        db.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    );
    match db.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(name),
        _ => PathBuf::from(name),
    }
}
