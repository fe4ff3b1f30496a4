//! Encryption at rest for the database file (the `encryption` build feature, SQLCipher).
//!
//! The whole file (and its WAL) is encrypted with one random 32-byte database key. That key is
//! never stored as it is: the key file `<database>.sleutels` next to the database (mode 0600)
//! holds it once per user, sealed (ChaCha20-Poly1305) with a key derived from that user's
//! password with argon2id. SQLCipher encrypts every page, so the key file must live outside
//! the database: nothing inside can be read before the key is known.
//!
//! The per-user key is derived from the same argon2id computation as the login hash: the
//! entry keeps the hash's parameters and salt (not the hash itself, which is only inside the
//! encrypted file), and the sealing key is SHA-256 over a domain tag, the user name and the
//! argon2id output. So every place that writes a password hash can rewrap the database key
//! for that user without knowing the password, `encrypt` enrols every existing user at once,
//! and a password change rewraps one entry and never rekeys the database.
//!
//! Whether a file is encrypted is read from the file itself: a plain SQLite file starts with
//! `SQLite format 3\0`, an SQLCipher file with random bytes. A key file next to a plain file
//! (left by an `encrypt` that stopped before its last step) is ignored.

use std::path::{Path, PathBuf};

/// The first 16 bytes of every plain SQLite database file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The suffix of an encrypted database's key file.
pub const KEY_FILE_SUFFIX: &str = ".sleutels";

/// The key file of the database at `db`: `<db>.sleutels`.
pub fn key_file_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(KEY_FILE_SUFFIX);
    PathBuf::from(name)
}

/// Whether the file at `path` is an encrypted (SQLCipher) database: its key file is next to
/// it and its header is not that of a plain SQLite file.
pub fn is_encrypted_file(path: &Path) -> bool {
    key_file_path(path).exists() && !has_plain_header(path)
}

/// Whether the file at `path` looks like an encrypted database whose key file is missing: no
/// key file, no plain header, and a size of whole pages (SQLCipher pages are 512 bytes to
/// 64 KiB). Only chooses the message for a file that cannot be opened.
pub fn looks_encrypted_without_key_file(path: &Path) -> bool {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    !key_file_path(path).exists()
        && size >= 1024
        && size.is_multiple_of(512)
        && !has_plain_header(path)
}

/// Whether the file starts with the header of a plain SQLite file (an empty file counts as
/// plain: a new database has no header yet).
fn has_plain_header(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return true;
    };
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) => &header == PLAIN_HEADER,
        Err(_) => true,
    }
}

#[cfg(feature = "encryption")]
pub use enabled::*;

#[cfg(feature = "encryption")]
mod enabled {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
    use argon2::{Argon2, Params};
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
    use rusqlite::Connection;
    use sha2::{Digest, Sha256};
    use zeroize::{Zeroize, Zeroizing};

    use crate::store::sqlite::{Result, StoreError};
    use crate::store::{EncryptionProblem, StoreError as E};

    /// The first line of a key file.
    const MAGIC: &str = "keukentafel-sleutels 1";
    /// The domain tag of the sealing key.
    const KEK_TAG: &[u8] = b"keukentafel sleutelbestand v1\0";

    /// The random key of one encrypted database; wiped from memory when dropped.
    #[derive(Clone)]
    pub struct DbKey(Zeroizing<[u8; 32]>);

    impl std::fmt::Debug for DbKey {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("DbKey(…)")
        }
    }

    impl DbKey {
        /// A new random key from the operating system's generator.
        pub fn random() -> DbKey {
            let mut key = Zeroizing::new([0u8; 32]);
            OsRng.fill_bytes(key.as_mut());
            DbKey(key)
        }

        /// The key in SQLCipher's raw-key form `x'…'` (no key derivation by SQLCipher).
        pub(crate) fn pragma_text(&self) -> Zeroizing<String> {
            Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_ref())))
        }
    }

    /// One user's sealed copy of the database key.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct Entry {
        username: String,
        /// The argon2id parameters and salt of the user's password hash, as a PHC string
        /// without the hash.
        params: String,
        nonce: [u8; 12],
        sealed: Vec<u8>,
    }

    /// The key file: one entry per user.
    #[derive(Debug, Default)]
    pub struct KeyFile {
        entries: Vec<Entry>,
    }

    fn key_file_error(path: &Path, problem: EncryptionProblem) -> StoreError {
        E::Encryption {
            path: path.to_path_buf(),
            problem,
        }
    }

    impl KeyFile {
        /// Reads the key file at `path`.
        pub fn load(path: &Path) -> Result<KeyFile> {
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(key_file_error(path, EncryptionProblem::KeyFileMissing));
                }
                Err(source) => {
                    return Err(E::Io {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            };
            let broken = || key_file_error(path, EncryptionProblem::KeyFileBroken);
            let mut lines = text.lines();
            if lines.next() != Some(MAGIC) {
                return Err(broken());
            }
            let mut entries = Vec::new();
            for line in lines.filter(|l| !l.trim().is_empty()) {
                let fields: Vec<&str> = line.split('\t').collect();
                let [username, params, nonce, sealed] = fields[..] else {
                    return Err(broken());
                };
                let nonce: [u8; 12] = hex::decode(nonce)
                    .ok()
                    .and_then(|n| n.try_into().ok())
                    .ok_or_else(broken)?;
                let sealed = hex::decode(sealed).map_err(|_| broken())?;
                entries.push(Entry {
                    username: username.to_string(),
                    params: params.to_string(),
                    nonce,
                    sealed,
                });
            }
            Ok(KeyFile { entries })
        }

        /// Writes the key file at `path` (mode 0600) through a temporary file and a rename, so
        /// it is whole or as it was.
        pub fn save(&self, path: &Path) -> Result<()> {
            let mut text = String::from(MAGIC);
            text.push('\n');
            for e in &self.entries {
                text.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    e.username,
                    e.params,
                    hex::encode(e.nonce),
                    hex::encode(&e.sealed)
                ));
            }
            let io = |source| E::Io {
                path: path.to_path_buf(),
                source,
            };
            let mut temp_name = path.as_os_str().to_os_string();
            temp_name.push(format!(".tmp-{}", std::process::id()));
            let temp = PathBuf::from(temp_name);
            let written = (|| {
                let _ = std::fs::remove_file(&temp);
                let mut file = private_create(&temp)?;
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                std::fs::rename(&temp, path)
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&temp);
                return Err(io(e));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && let Ok(d) = std::fs::File::open(dir)
            {
                let _ = d.sync_all();
            }
            Ok(())
        }

        /// Seals `key` for `username`, whose password hash (a PHC string) is `phc`, replacing
        /// that user's earlier entry.
        pub fn wrap(&mut self, key: &DbKey, username: &str, phc: &str) -> Result<()> {
            let parsed = PasswordHash::new(phc).map_err(|_| {
                key_file_error(Path::new(username), EncryptionProblem::UnusableHash)
            })?;
            let output = parsed.hash.ok_or_else(|| {
                key_file_error(Path::new(username), EncryptionProblem::UnusableHash)
            })?;
            let params = phc_without_hash(phc);
            let kek = sealing_key(username, output.as_bytes());
            let mut nonce = [0u8; 12];
            OsRng.fill_bytes(&mut nonce);
            let sealed = ChaCha20Poly1305::new(Key::from_slice(kek.as_ref()))
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: key.0.as_ref(),
                        aad: username.as_bytes(),
                    },
                )
                .map_err(|_| {
                    key_file_error(Path::new(username), EncryptionProblem::UnusableHash)
                })?;
            self.entries.retain(|e| e.username != username);
            self.entries.push(Entry {
                username: username.to_string(),
                params,
                nonce,
                sealed,
            });
            Ok(())
        }

        /// The database key, when `password` is `username`'s. An unknown name costs the same
        /// argon2id computation as a known one, so the time does not tell which names exist.
        pub fn unwrap(&self, username: &str, password: &str) -> Option<DbKey> {
            let entry = self.entries.iter().find(|e| e.username == username);
            let params = entry.map_or(DUMMY_PARAMS, |e| e.params.as_str());
            let output = argon2_output(params, password);
            let (entry, output) = (entry?, output?);
            let kek = sealing_key(username, &output);
            let mut opened = ChaCha20Poly1305::new(Key::from_slice(kek.as_ref()))
                .decrypt(
                    Nonce::from_slice(&entry.nonce),
                    Payload {
                        msg: &entry.sealed,
                        aad: username.as_bytes(),
                    },
                )
                .ok()?;
            let key: Option<[u8; 32]> = opened.as_slice().try_into().ok();
            opened.zeroize();
            key.map(|k| DbKey(Zeroizing::new(k)))
        }

        /// The users with an entry.
        pub fn usernames(&self) -> Vec<&str> {
            self.entries.iter().map(|e| e.username.as_str()).collect()
        }
    }

    /// The parameters and salt of a password hash that matches no entry (the cost of the real
    /// ones).
    const DUMMY_PARAMS: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA";

    fn phc_without_hash(phc: &str) -> String {
        match phc.rfind('$') {
            Some(i) => phc[..i].to_string(),
            None => phc.to_string(),
        }
    }

    /// The argon2id output of `password` with the parameters and salt of `params`.
    fn argon2_output(params: &str, password: &str) -> Option<Zeroizing<Vec<u8>>> {
        let parsed = PasswordHash::new(params).ok()?;
        let salt = parsed.salt?;
        let salt = SaltString::from_b64(salt.as_str()).ok()?;
        let argon_params = Params::try_from(&parsed).ok()?;
        let hash = Argon2::default()
            .hash_password_customized(
                password.as_bytes(),
                Some(parsed.algorithm),
                parsed.version,
                argon_params,
                &salt,
            )
            .ok()?;
        Some(Zeroizing::new(hash.hash?.as_bytes().to_vec()))
    }

    fn sealing_key(username: &str, argon2_output: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut hasher = Sha256::new();
        hasher.update(KEK_TAG);
        hasher.update(username.as_bytes());
        hasher.update([0u8]);
        hasher.update(argon2_output);
        Zeroizing::new(hasher.finalize().into())
    }

    #[cfg(unix)]
    fn private_create(path: &Path) -> std::io::Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
    }

    #[cfg(not(unix))]
    fn private_create(path: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    }

    /// Turns SQLCipher's own logging off (it would write over the terminal app's screen).
    /// Before any other `PRAGMA`, on every connection of an encryption build.
    pub fn quiet(conn: &Connection) -> Result<()> {
        // The answer (if any) is the new level; a pragma without an answer is fine too.
        let mut stmt = conn.prepare("PRAGMA cipher_log_level = NONE")?;
        let mut rows = stmt.query([])?;
        while rows.next()?.is_some() {}
        Ok(())
    }

    /// Gives `conn` the database key and checks it at once with a read: a wrong key is refused
    /// here, never later in the middle of a save.
    pub fn apply_key(conn: &Connection, key: &DbKey, path: &Path) -> Result<()> {
        quiet(conn)?;
        conn.pragma_update(None, "key", key.pragma_text().as_str())?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                key_file_error(path, EncryptionProblem::WrongKey)
            }
            _ => StoreError::from(e),
        })?;
        Ok(())
    }
}
