//! Backup and restore of the whole database file.
//!
//! A backup is made with SQLite's online backup API from a read snapshot, so others keep
//! reading and saving meanwhile (WAL). It is written to a private temporary file next to the
//! target, checked like `keukentafel check` does, and only then renamed into place.
//!
//! A restore copies the file to a temporary file next to the database, verifies that copy
//! (ours, schema not newer, integrity, audit chain) and only then moves it into place, so the
//! bytes that were checked are the bytes that are installed, and a refused file leaves the
//! existing database untouched.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::anchor::{self, AnchorInput, Key};
use crate::store::audit::{AnchorBreak, AnchorState};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::file_lock::ExclusiveLock;
use super::{
    APPLICATION_ID, CheckReport, Result, Store, StoreError, authorize, check_connection,
    create_private_file, remove_database_files,
};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::clock::Clock;
use crate::i18n::{Lang, Localize};
use crate::model::admin::*;

impl Store {
    /// Writes a consistent copy of the database to `target` (a beheerder only), while other
    /// processes keep working. Refuses an existing `target`. The backup is checked before it is
    /// renamed into place (mode 0600) and the backup is recorded in the audit log.
    pub fn backup_to(&mut self, session: &Session, target: &Path) -> Result<BackupReport> {
        authorize(session, Operation::ManageDatabase, None)?;
        let failed = |nl: String, en: String| StoreError::BackupFailed {
            path: target.to_path_buf(),
            nl,
            en,
        };
        // Only a new path: never an existing file, a device node or a symbolic link (also
        // not one that points nowhere yet).
        match fs::symlink_metadata(target) {
            Ok(meta) if meta.file_type().is_file() => {
                return Err(failed(
                    "dat bestand bestaat al; kies een nieuwe naam".into(),
                    "that file already exists; choose a new name".into(),
                ));
            }
            Ok(_) => {
                return Err(failed(
                    "dat is geen gewoon bestand (een map, koppeling of apparaat); kies een nieuwe bestandsnaam".into(),
                    "that is not a regular file (a folder, link or device); choose a new file name".into(),
                ));
            }
            Err(_) => {}
        }
        if same_file(target, &self.path) {
            return Err(failed(
                "dat is de database zelf".into(),
                "that is the database itself".into(),
            ));
        }
        let mut temp_file = match TempFile::new(target, "backup") {
            Ok(t) => t,
            Err(e) => {
                let why = match &e {
                    StoreError::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                return Err(failed(
                    format!("de map is er niet of is niet schrijfbaar ({why})"),
                    format!("the folder is missing or not writable ({why})"),
                ));
            }
        };
        let temp = temp_file.path.clone();
        let key = self.chain_key();
        let made = self.copy_into(&temp).and_then(|()| {
            let (check, head) = self.verify_copy(&temp, key.clone())?;
            sync_file(&temp)?;
            // An encrypted backup takes its key file along: the same passwords open it.
            self.copy_key_file(target)?;
            Ok((check, head))
        });
        let (check, head) = match made {
            Ok(made) => made,
            Err(e) => {
                remove_database_files(&temp);
                return Err(match e {
                    StoreError::Busy => StoreError::Busy,
                    e => failed(e.to_string(), e.to_string()),
                });
            }
        };
        // The key goes with the backup: without it a restore cannot verify the chain.
        let key_copy = anchor::key_path(target);
        if let Some(key) = &key
            && let Err(source) = key.write_new(&key_copy)
        {
            remove_database_files(&temp);
            return Err(failed(
                format!(
                    "het sleutelbestand kon niet naast de back-up worden gezet ({}: {source})",
                    key_copy.display()
                ),
                format!(
                    "the key file could not be put beside the backup ({}: {source})",
                    key_copy.display()
                ),
            ));
        }
        // And a witness that starts at the copy's head, so `check` on the backup file knows
        // where its log ends.
        let witness_copy = anchor::witness_path(target);
        let witnessed = match (&key, &head) {
            (Some(_), Some(head)) => anchor::append_checkpoint(target, head, anchor::Mark::Copy),
            _ => Ok(()),
        };
        let moved = witnessed.and_then(|()| fs::rename(&temp, target));
        if let Err(source) = moved {
            remove_database_files(&temp);
            if key.is_some() {
                let _ = fs::remove_file(&key_copy);
                let _ = fs::remove_file(&witness_copy);
            }
            return Err(failed(
                format!("het bestand kon niet op zijn plaats worden gezet ({source})"),
                format!("the file could not be moved into place ({source})"),
            ));
        }
        temp_file.keep = true;
        drop(temp_file);
        sync_parent(target);
        let bytes = fs::metadata(target).map(|m| m.len()).unwrap_or(0);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let name = file_name(target);
        self.write(|tx| {
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Export,
                    object: "database",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("backup {name}")),
                },
            )
        })?;
        Ok(BackupReport {
            path: target.to_path_buf(),
            bytes,
            check,
            key: key.map(|_| key_copy),
        })
    }

    /// Copies the database into the empty file `temp` with the online backup API, in one step
    /// from one read snapshot (writers are not blocked in WAL mode), and leaves it a single
    /// file (rollback journal, no WAL).
    fn copy_into(&self, temp: &Path) -> Result<()> {
        // SQLCipher's backup API refuses an encrypted source into a plain file; `VACUUM INTO`
        // writes the copy encrypted with the same key.
        #[cfg(feature = "encryption")]
        if self.key().is_some() {
            let name = temp.to_string_lossy().into_owned();
            self.conn.execute("VACUUM INTO ?1", [name])?;
            return Ok(());
        }
        let mut dst = Connection::open_with_flags(
            temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let backup = Backup::new(&self.conn, &mut dst)?;
            let deadline = Instant::now() + self.busy_limit;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    _ if Instant::now() >= deadline => return Err(StoreError::Busy),
                    _ => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }
        let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        dst.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(())
    }

    /// Checks a finished copy on its own, with the key when the database is encrypted.
    fn verify_copy(
        &self,
        path: &Path,
        chain_key: Option<Key>,
    ) -> Result<(CheckReport, Option<anchor::Checkpoint>)> {
        #[cfg(feature = "encryption")]
        if let Some(key) = self.key() {
            return super::encrypt::verify_encrypted(path, key, chain_key);
        }
        verify_file(path, chain_key)
    }

    /// Copies the key file of an encrypted database next to the backup `target`.
    fn copy_key_file(&self, target: &Path) -> Result<()> {
        #[cfg(feature = "encryption")]
        if self.encrypted {
            let keys = super::cipher::KeyFile::load(&super::cipher::key_file_path(&self.path))?;
            keys.save(&super::cipher::key_file_path(target))?;
        }
        let _ = target;
        Ok(())
    }

    /// Before a restore replaces this database: moves everything from the WAL into the file,
    /// closes this store and takes the exclusive lock, which [`PreparedRestore::install`]
    /// holds until the copy is in place. Refused with [`StoreError::InUse`] while any other
    /// app or command has the database open, reading or writing.
    pub fn release_for_restore(self, session: &Session) -> Result<ExclusiveLock> {
        authorize(session, Operation::ManageDatabase, None)?;
        let (busy, _, _): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        if busy != 0 {
            return Err(StoreError::InUse(self.path.clone()));
        }
        let path = self.path.clone();
        self.conn.close().map_err(|(_, e)| StoreError::from(e))?;
        drop(self.lock);
        ExclusiveLock::try_take(&path)
    }
}

/// A verified copy of a backup, waiting next to the database it will replace. Dropping it
/// without [`PreparedRestore::install`] removes the copy.
#[derive(Debug)]
pub struct PreparedRestore {
    source: PathBuf,
    temp: TempFile,
    target: PathBuf,
    /// The key to put beside the restored database (it has none yet).
    install_key: Option<Key>,
    /// Whether the copy is anchored (its head goes to the witness as a restore).
    anchored: bool,
    /// The database key of an encrypted backup, unlocked with a user's password; its key file
    /// waits beside the temporary copy.
    #[cfg(feature = "encryption")]
    db_key: Option<super::cipher::DbKey>,
    /// The check of the copy.
    pub check: CheckReport,
}

/// The private directory beside a backup target or a database where backup and restore keep
/// their temporary full copies (mode 0700, the copies 0600).
pub const TEMP_DIR: &str = ".keukentafel-tmp";

/// A temporary database file in [`TEMP_DIR`], removed (with its WAL and shared-memory files)
/// when dropped unless it was kept, and the directory with it when that is empty. While it
/// lives its creator holds an exclusive `flock` on a slot file beside it (`….slot`; not on
/// the copy itself, which the store opens with its own shared lock): a copy whose slot nobody
/// holds was left by a killed backup or restore, and the next one removes it.
#[derive(Debug)]
struct TempFile {
    path: PathBuf,
    keep: bool,
    _held: Option<File>,
}

const SLOT: &str = ".slot";

impl TempFile {
    /// A new private temporary file for a copy of (or to) `beside`.
    fn new(beside: &Path, what: &str) -> Result<TempFile> {
        let dir = temp_dir(beside);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        let path = dir.join(format!(
            "{}.{what}-{}",
            file_name(beside),
            std::process::id()
        ));
        let slot = with_suffix(&path, SLOT);
        // The slot is held before the copy exists, so no other run ever sees the copy free.
        // Twice: another backup may remove the directory the moment it is empty.
        let mut held = None;
        for _ in 0..2 {
            make_private_dir(&dir).map_err(io(&dir))?;
            remove_stale(&dir);
            let slot_file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&slot)
                .and_then(|f| f.lock().map(|()| f));
            match slot_file {
                Ok(f) => {
                    held = Some(f);
                    break;
                }
                Err(source) if source.kind() == io::ErrorKind::NotFound => continue,
                Err(source) => return Err(io(&slot)(source)),
            }
        }
        let Some(held) = held else {
            return Err(StoreError::Missing(dir));
        };
        remove_database_files(&path);
        if let Err(e) = create_private_file(&path) {
            let _ = fs::remove_file(&slot);
            return Err(e);
        }
        Ok(TempFile {
            path,
            keep: false,
            _held: Some(held),
        })
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            remove_database_files(&self.path);
        }
        let _ = fs::remove_file(with_suffix(&self.path, SLOT));
        if let Some(dir) = self.path.parent() {
            // Only when empty: another backup or restore may be using it.
            let _ = fs::remove_dir(dir);
        }
    }
}

fn temp_dir(beside: &Path) -> PathBuf {
    match beside.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.join(TEMP_DIR),
        _ => PathBuf::from(TEMP_DIR),
    }
}

/// Creates `dir` with mode 0700 (never its parent: a backup into a folder that is not there
/// is refused), and makes an existing one 0700 again.
fn make_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::symlink_metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::other(format!("{} is geen map", dir.display())));
        }
        if meta.permissions().mode() & 0o777 != 0o700 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Removes the copies in `dir` that no living backup or restore holds (see [`TempFile`]).
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(main) = name.strip_suffix(SLOT) {
            // A slot whose copy is gone and that nobody holds.
            let free = fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .is_ok_and(|f| f.try_lock().is_ok());
            if free && !dir.join(main).exists() {
                let _ = fs::remove_file(&path);
            }
            continue;
        }
        if let Some(main) = ["-wal", "-shm", "-journal"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
        {
            // A sidecar whose copy is gone.
            if !dir.join(main).exists() {
                let _ = fs::remove_file(&path);
            }
            continue;
        }
        // A copy whose slot is missing or held by nobody.
        let slot = with_suffix(&path, SLOT);
        let free = match fs::OpenOptions::new().write(true).open(&slot) {
            Ok(f) => f.try_lock().is_ok(),
            Err(_) => true,
        };
        if free {
            remove_database_files(&path);
            let _ = fs::remove_file(&slot);
        }
    }
}

/// Copies `source` next to `target` and verifies the copy: a keukentafel database, not from a
/// newer version, `integrity_check` clean, audit chain unbroken. Touches nothing at `target`.
///
/// An encrypted backup (its key file `.sleutels` beside it) is unlocked with `login` (the name
/// and password of one of its users), and stays encrypted with its own key once restored.
pub fn prepare_restore(
    source: &Path,
    target: &Path,
    clock: Arc<dyn Clock>,
    login: Option<(&str, &str)>,
) -> Result<PreparedRestore> {
    let refused = |nl: String, en: String| StoreError::NotRestorable {
        path: source.to_path_buf(),
        nl,
        en,
    };
    if !source.is_file() {
        return Err(refused(
            "dat bestand bestaat niet".into(),
            "that file does not exist".into(),
        ));
    }
    if same_file(source, target) {
        return Err(refused(
            "dat is de database zelf".into(),
            "that is the database itself".into(),
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::private_file::create_private_dir(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let temp = TempFile::new(target, "restore")?;
    copy_contents(source, &temp.path).map_err(|e| refused(e.to_string(), e.to_string()))?;
    let io_key = |path: PathBuf| move |source| StoreError::Io { path, source };
    let source_key = Key::load(source).map_err(io_key(anchor::key_path(source)))?;
    let target_key = Key::load(target).map_err(io_key(anchor::key_path(target)))?;
    if let (Some(s), Some(t)) = (&source_key, &target_key)
        && s != t
    {
        return Err(refused(
            format!(
                "de sleutel naast de back-up ({}) is een andere dan die naast de database ({}): de back-up hoort bij een andere database. Verplaats het oude sleutelbestand en de getuige (.ketenkop) als u deze back-up echt wilt terugzetten",
                anchor::key_path(source).display(),
                anchor::key_path(target).display()
            ),
            format!(
                "the key beside the backup ({}) differs from the one beside the database ({}): the backup belongs to another database. Move the old key file and witness (.ketenkop) aside if you really want to restore it",
                anchor::key_path(source).display(),
                anchor::key_path(target).display()
            ),
        ));
    }
    let key = source_key.clone().or(target_key.clone());
    let encrypted = super::cipher::is_encrypted_file(source);
    if encrypted {
        copy_db_keys(source, &temp.path)?;
    }
    let opened = Store::open_with_clock(&temp.path, clock).and_then(|store| {
        let db_key = unlock_copy(&store, encrypted, login, &refused)?;
        let report = check_connection(&store.conn, AnchorInput::file(key.clone()))?;
        Ok((report, db_key))
    });
    let (report, db_key) = opened.map_err(|e| match e {
            StoreError::NotOurs(_) => refused(
                "het is geen keukentafel-database".into(),
                "it is not a keukentafel database".into(),
            ),
            StoreError::TooNew {
                found, supported, ..
            } => refused(
                format!(
                    "het is gemaakt door een nieuwere versie van keukentafel (schema {found}, deze versie kent t/m {supported})"
                ),
                format!(
                    "it was made by a newer keukentafel (schema {found}, this version knows up to {supported})"
                ),
            ),
            e @ StoreError::NotRestorable { .. } => e,
            e => refused(
                format!("het is onleesbaar of beschadigd ({e})"),
                format!("it is unreadable or damaged ({})", e.localize(Lang::En)),
            ),
        })?;
    #[cfg(not(feature = "encryption"))]
    let None = db_key;
    if let Some(first) = report.integrity_problems.first() {
        return Err(refused(
            format!("de controle vindt schade: {first}"),
            format!("the check finds damage: {first}"),
        ));
    }
    if let Some(broken) = &report.chain.broken {
        return Err(refused(
            format!(
                "de auditketen is verbroken bij auditregel {}: {}",
                broken.id,
                broken.describe(Lang::Nl)
            ),
            format!(
                "the audit chain is broken at audit row {}: {}",
                broken.id,
                broken.describe(Lang::En)
            ),
        ));
    }
    let anchored = match &report.anchor {
        Some(AnchorState::Broken(AnchorBreak::KeyMissing)) => {
            return Err(refused(
                format!(
                    "de auditregels zijn met een sleutel vastgelegd, maar het sleutelbestand ontbreekt: zet {} naast de back-up",
                    anchor::key_path(source).display()
                ),
                format!(
                    "the audit rows are keyed but the key file is missing: put {} beside the backup",
                    anchor::key_path(source).display()
                ),
            ));
        }
        Some(AnchorState::Broken(b)) => {
            return Err(refused(
                format!(
                    "de sleutel klopt niet met de back-up: {}",
                    b.describe(Lang::Nl)
                ),
                format!(
                    "the key does not match the backup: {}",
                    b.describe(Lang::En)
                ),
            ));
        }
        Some(AnchorState::Anchored { .. }) => true,
        _ => false,
    };
    if !anchored && target_key.is_some() {
        return Err(refused(
            format!(
                "de back-up heeft geen sleutel, maar naast de database staat er een ({}); de keten van de back-up is niet verankerd. Verplaats het sleutelbestand en de getuige (.ketenkop) als u deze back-up echt wilt terugzetten",
                anchor::key_path(target).display()
            ),
            format!(
                "the backup has no key, but there is one beside the database ({}); the backup's chain is not anchored. Move the key file and witness (.ketenkop) aside if you really want to restore it",
                anchor::key_path(target).display()
            ),
        ));
    }
    sync_file(&temp.path)?;
    Ok(PreparedRestore {
        source: source.to_path_buf(),
        temp,
        target: target.to_path_buf(),
        install_key: if anchored && target_key.is_none() {
            source_key
        } else {
            None
        },
        anchored,
        #[cfg(feature = "encryption")]
        db_key,
        check: report,
    })
}

/// The key file of the encrypted backup `source` beside the temporary copy `temp`.
fn copy_db_keys(source: &Path, temp: &Path) -> Result<()> {
    #[cfg(feature = "encryption")]
    {
        let keys = super::cipher::KeyFile::load(&super::cipher::key_file_path(source))?;
        keys.save(&super::cipher::key_file_path(temp))
    }
    #[cfg(not(feature = "encryption"))]
    {
        let _ = (source, temp);
        Ok(())
    }
}

/// The database key of the copy of an encrypted backup, from `login`; nothing for a plain one.
#[cfg(feature = "encryption")]
fn unlock_copy(
    store: &Store,
    encrypted: bool,
    login: Option<(&str, &str)>,
    refused: &dyn Fn(String, String) -> StoreError,
) -> Result<Option<super::cipher::DbKey>> {
    if !encrypted {
        return Ok(None);
    }
    let Some((username, password)) = login else {
        return Err(refused(
            "de back-up is versleuteld: geef --user NAAM op; het wachtwoord dat die medewerker in de back-up had, ontgrendelt hem".into(),
            "the backup is encrypted: give --user NAME; the password that user had in the backup unlocks it".into(),
        ));
    };
    store.unlock(username, password).map_err(|e| match e {
        StoreError::Invalid(i) if i.field == "password" => refused(
            format!("het wachtwoord van {username} ontgrendelt deze back-up niet (het wachtwoord dat gold toen de back-up gemaakt werd)"),
            format!("the password of {username} does not unlock this backup (the password that held when the backup was made)"),
        ),
        e => e,
    })?;
    Ok(store.key().cloned())
}

/// Without encryption built in an encrypted backup cannot be opened; opening it says so.
#[cfg(not(feature = "encryption"))]
fn unlock_copy(
    _store: &Store,
    _encrypted: bool,
    _login: Option<(&str, &str)>,
    _refused: &dyn Fn(String, String) -> StoreError,
) -> Result<Option<std::convert::Infallible>> {
    Ok(None)
}

impl PreparedRestore {
    /// Whether the backup being restored is encrypted.
    fn restores_encrypted(&self) -> bool {
        #[cfg(feature = "encryption")]
        {
            self.db_key.is_some()
        }
        #[cfg(not(feature = "encryption"))]
        false
    }

    /// Moves the verified copy into place. The database that was there must be released
    /// ([`Store::release_for_restore`]); its WAL and shared-memory files are removed first, so
    /// they can never be applied to the restored file. Records the restore in the restored
    /// database's audit log on behalf of `restored_by`.
    ///
    /// `lock` is the exclusive lock on the database being replaced (`None` when there is no
    /// database yet); it is held until the copy is in place and checked.
    pub fn install(
        mut self,
        lock: Option<ExclusiveLock>,
        clock: Arc<dyn Clock>,
        workstation: &str,
        restored_by: Option<&str>,
    ) -> Result<CheckReport> {
        if let Some(lock) = &lock
            && !same_file(lock.path(), &self.target)
        {
            return Err(StoreError::InUse(self.target.clone()));
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let stale = with_suffix(&self.target, suffix);
            match fs::remove_file(&stale) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(StoreError::Io {
                        path: stale,
                        source,
                    });
                }
            }
        }
        // The database key file goes first: the database that follows must find its own.
        let db_keys = super::cipher::key_file_path(&self.target);
        #[cfg(feature = "encryption")]
        if self.db_key.is_some() {
            let temp_keys = super::cipher::key_file_path(&self.temp.path);
            fs::rename(&temp_keys, &db_keys).map_err(|source| StoreError::Io {
                path: db_keys.clone(),
                source,
            })?;
        }
        fs::rename(&self.temp.path, &self.target).map_err(|source| StoreError::Io {
            path: self.target.clone(),
            source,
        })?;
        self.temp.keep = true;
        if !self.restores_encrypted() {
            // A plain backup over an encrypted database: its key file would be a stray.
            match fs::remove_file(&db_keys) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(StoreError::Io {
                        path: db_keys,
                        source,
                    });
                }
            }
        }
        sync_parent(&self.target);
        if let Some(key) = &self.install_key {
            key.write_new(&anchor::key_path(&self.target))
                .map_err(|source| StoreError::Io {
                    path: anchor::key_path(&self.target),
                    source,
                })?;
        }
        let mut store = Store::open_with_clock(&self.target, clock)?;
        #[cfg(feature = "encryption")]
        if let Some(key) = self.db_key.take() {
            store.unlock_with_key(key)?;
        }
        if self.anchored {
            // The witness starts again at the restored head: an older backup is not a
            // truncation.
            if let Some(head) = anchor::Anchor::head_of(&store.conn)? {
                anchor::append_checkpoint(&self.target, &head, anchor::Mark::Restore).map_err(
                    |source| StoreError::Io {
                        path: anchor::witness_path(&self.target),
                        source,
                    },
                )?;
            }
        }
        let now = store.clock().now();
        let actor = AuditActor {
            on_behalf_of: restored_by.map(str::to_string),
            ..AuditActor::system(workstation)
        };
        let detail = format!("restore {}", file_name(&self.source));
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
                    detail: Some(detail),
                },
            )
        })?;
        let report = store.check()?;
        // Closing the last connection checkpoints the WAL and removes it.
        store.conn.close().map_err(|(_, e)| StoreError::from(e))?;
        drop(lock);
        Ok(report)
    }
}

/// Opens a finished backup file on its own and checks it like `keukentafel check`.
/// Also returns the copy's chain head, for the witness beside it.
fn verify_file(path: &Path, key: Option<Key>) -> Result<(CheckReport, Option<anchor::Checkpoint>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    verify_connection(&conn, path, key)
}

/// Checks a finished copy, open on `conn`, like `keukentafel check` (with the chain's key when
/// it has one); its chain head, for the witness beside the copy.
pub(crate) fn verify_connection(
    conn: &Connection,
    path: &Path,
    key: Option<Key>,
) -> Result<(CheckReport, Option<anchor::Checkpoint>)> {
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id != APPLICATION_ID {
        return Err(StoreError::NotOurs(path.to_path_buf()));
    }
    let report = check_connection(conn, AnchorInput::file(key))?;
    if let Some(first) = report.integrity_problems.first() {
        return Err(StoreError::BackupFailed {
            path: path.to_path_buf(),
            nl: format!("de kopie is niet heel: {first}"),
            en: format!("the copy is not intact: {first}"),
        });
    }
    if report.chain.broken.is_some() || matches!(report.anchor, Some(AnchorState::Broken(_))) {
        return Err(StoreError::BackupFailed {
            path: path.to_path_buf(),
            nl: "de auditketen in de kopie is verbroken; draai `keukentafel check`".into(),
            en: "the audit chain in the copy is broken; run `keukentafel check`".into(),
        });
    }
    let head = anchor::Anchor::head_of(conn)?;
    Ok((report, head))
}

/// Copies the bytes of `source` into the existing (private) file `temp` and syncs them.
fn copy_contents(source: &Path, temp: &Path) -> io::Result<()> {
    let mut from = File::open(source)?;
    let mut to = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(temp)?;
    io::copy(&mut from, &mut to)?;
    to.sync_all()
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Makes a rename in `path`'s directory durable. Best effort: not every platform can sync a
/// directory.
fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
