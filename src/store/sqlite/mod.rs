//! The SQLite backend: one file on local disk (WAL, synchronous=FULL, mode 0600).
//!
//! Every write runs in a `BEGIN IMMEDIATE` transaction; every write and every read of one
//! household's data appends an audit row in that same transaction. Queries use bound
//! parameters only.

pub mod access_log;
pub mod agreements;
pub mod anchor;
mod app;
pub mod audit;
pub mod avg;
pub mod backup;
pub mod changes;
pub mod cipher;
pub(crate) use crate::store::shared::codec;
pub mod consents;
pub mod contacts;
#[cfg(feature = "postgres")]
pub mod copy_out;
pub mod dashboard;
pub mod demo;
#[cfg(feature = "encryption")]
pub mod encrypt;
mod error;
pub mod exchange;
mod file_lock;
pub mod flags;
pub mod goals;
pub mod home;
pub mod households;
pub mod imports;
pub mod login;
pub mod messages;
pub mod migrations;
pub mod plan;
pub mod provisions;
pub mod records;
pub mod regisseur;
pub mod report;
pub mod search;
pub mod users;
pub mod worklists;
pub mod zrm;

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::clock::{Clock, SystemClock};

use crate::model::admin::{CheckReport, DatabaseKind};
pub(crate) use crate::store::authorize;
pub use crate::store::{Result, StoreError};
pub use file_lock::ExclusiveLock;

/// `PRAGMA application_id` of a keukentafel database ("KTAF").
pub const APPLICATION_ID: i32 = 0x4B54_4146;

/// How long a write waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The pause between two attempts to start a write while the database is busy, growing from
/// the first to the last value.
const RETRY_PAUSES_MS: [u64; 6] = [2, 5, 10, 20, 40, 80];

/// An open keukentafel database.
pub struct Store {
    conn: Connection,
    /// The shared lock on the file, held while the store lives (see [`file_lock`]).
    lock: file_lock::SharedLock,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    busy_limit: Duration,
    /// Days after the toewijzing before one without a start message is on the worklist
    /// "Zonder startbericht" (`zonder_startbericht_dagen` in config.toml).
    days_without_start: u32,
    /// Whether the file is encrypted (SQLCipher); then nothing can be read before
    /// [`Store::unlock`] has given the connection the key.
    encrypted: bool,
    /// The database key of an encrypted file, once a login unlocked it.
    #[cfg(feature = "encryption")]
    key: std::cell::OnceCell<cipher::DbKey>,
    /// The key beside the file and the head to write to the witness (`None`: not anchored).
    anchor: Option<Arc<anchor::Anchor>>,
    /// The last worklist's filter index (see [`crate::store::shared::worklist_filter`]).
    filter_index: Option<crate::store::shared::worklist_filter::FilterIndex>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens an existing database, migrating it forward when it is older than this build.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with_clock(path, Arc::new(SystemClock))
    }

    /// [`Store::open`] with an injected clock.
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let mut store = Store::connect(path, clock)?;
        if cipher::is_encrypted_file(path) {
            // Locked until the first login: the password opens the key file
            // (see [`Store::authenticate`]).
            store.encrypted = true;
            #[cfg(not(feature = "encryption"))]
            return Err(StoreError::Encryption {
                path: path.to_path_buf(),
                problem: crate::store::EncryptionProblem::NotBuiltIn,
            });
            #[cfg(feature = "encryption")]
            return Ok(store);
        }
        store.finish_open().map_err(|e| match e {
            StoreError::NotOurs(_) if cipher::looks_encrypted_without_key_file(path) => {
                StoreError::Encryption {
                    path: path.to_path_buf(),
                    problem: crate::store::EncryptionProblem::KeyFileMissing,
                }
            }
            e => e,
        })?;
        Ok(store)
    }

    /// What opening does once the file can be read: is it ours, not newer, configured and
    /// migrated.
    fn finish_open(&self) -> Result<()> {
        self.check_ours()?;
        migrations::check_not_newer(&self.conn, &self.path)?;
        self.configure()?;
        migrations::migrate(&self.conn, &self.path)?;
        Ok(())
    }

    /// Whether the file is encrypted and no login has unlocked it yet.
    pub fn is_locked(&self) -> bool {
        #[cfg(feature = "encryption")]
        {
            self.encrypted && self.key.get().is_none()
        }
        #[cfg(not(feature = "encryption"))]
        {
            self.encrypted
        }
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    fn locked_error(&self) -> StoreError {
        StoreError::Encryption {
            path: self.path.clone(),
            problem: crate::store::EncryptionProblem::Locked,
        }
    }

    /// Unlocks an encrypted store with `username`'s password from the key file. A wrong
    /// password or a name without an entry gets the login's own refusal; a key that does
    /// not open the file is refused at once by a read. Does nothing when already unlocked.
    #[cfg(feature = "encryption")]
    pub(crate) fn unlock(&self, username: &str, password: &str) -> Result<()> {
        if !self.is_locked() {
            return Ok(());
        }
        let keys = cipher::KeyFile::load(&cipher::key_file_path(&self.path))?;
        let key = keys.unwrap(username, password).ok_or_else(login::refused)?;
        self.unlock_with_key(key)
    }

    /// Gives the connection `key`, checks it and finishes opening.
    #[cfg(feature = "encryption")]
    pub(crate) fn unlock_with_key(&self, key: cipher::DbKey) -> Result<()> {
        cipher::apply_key(&self.conn, &key, &self.path)?;
        self.finish_open()?;
        let _ = self.key.set(key);
        Ok(())
    }

    /// The database key, when the store is encrypted and unlocked.
    #[cfg(feature = "encryption")]
    pub(crate) fn key(&self) -> Option<&cipher::DbKey> {
        self.key.get()
    }

    /// Where a new password hash of a user must also seal the database key: `None` for a
    /// plain file. Taken before a write, used inside it ([`KeyWrap::wrap`]).
    pub(crate) fn key_wrap(&self) -> Result<Option<KeyWrap>> {
        if !self.encrypted {
            return Ok(None);
        }
        #[cfg(feature = "encryption")]
        {
            let key = self.key.get().ok_or_else(|| self.locked_error())?;
            Ok(Some(KeyWrap {
                path: cipher::key_file_path(&self.path),
                key: key.clone(),
            }))
        }
        #[cfg(not(feature = "encryption"))]
        Err(self.locked_error())
    }

    /// Creates a new database (file mode 0600); refuses when one exists at `path`.
    pub fn create(path: &Path, kind: DatabaseKind, clock: Arc<dyn Clock>) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_file::create_private_dir(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let key = anchor::key_path(path);
        if key.exists() {
            return Err(StoreError::Io {
                path: key,
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "er staat al een sleutelbestand van een eerdere database; verplaats het (of zet die database terug) voordat u een nieuwe maakt",
                ),
            });
        }
        create_private_file(path)?;
        let result = anchor::Key::create(path)
            .map_err(|source| StoreError::Io {
                path: key.clone(),
                source,
            })
            .and_then(|_| Store::initialise(path, kind, clock));
        if result.is_err() {
            // Leave nothing half-made behind.
            remove_database_files(path);
        }
        result
    }

    fn initialise(path: &Path, kind: DatabaseKind, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut store = Store::connect(path, clock)?;
        // Before anything is written: 8 KiB pages suit rows of this size and halve B-tree
        // splits in bulk loads.
        store.conn.pragma_update(None, "page_size", 8192)?;
        store.configure()?;
        store
            .conn
            .pragma_update(None, "application_id", APPLICATION_ID)?;
        migrations::migrate(&store.conn, &store.path)?;
        let now = store.clock.now();
        let workstation = crate::auth::workstation_name();
        store.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('kind', ?1), ('created_at', ?2)",
                (kind.code(), now.to_rfc3339()),
            )?;
            // The first audit row: the database's creation. A sound log is never empty.
            audit::append(
                tx,
                now,
                &audit::AuditActor::system(&workstation),
                &audit::AuditEvent {
                    action: audit::Action::Create,
                    object: "database",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(kind.code().to_string()),
                },
            )?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Opens a connection to an existing file (one connection per store, never shared between
    /// threads, so SQLite's own mutexes are off).
    fn connect(path: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let lock = file_lock::SharedLock::take(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        #[cfg(feature = "encryption")]
        cipher::quiet(&conn)?;
        let anchor = anchor::Key::load(path)
            .map_err(|source| StoreError::Io {
                path: anchor::key_path(path),
                source,
            })?
            .map(anchor::Anchor::new);
        anchor::register(&conn, anchor.clone())?;
        worklists::register_fold(&conn)?;
        worklists::register_contains(&conn)?;
        Ok(Store {
            conn,
            lock,
            path: path.to_path_buf(),
            clock,
            busy_limit: BUSY_TIMEOUT,
            days_without_start: crate::config::DEFAULT_DAYS_WITHOUT_START,
            encrypted: false,
            #[cfg(feature = "encryption")]
            key: std::cell::OnceCell::new(),
            anchor,
            filter_index: None,
        })
    }

    /// Sets after how many days a toewijzing without a start message goes on the worklist
    /// "Zonder startbericht".
    pub fn set_days_without_start(&mut self, days: u32) {
        self.days_without_start = days;
    }

    /// The days of [`Store::set_days_without_start`].
    pub fn days_without_start(&self) -> u32 {
        self.days_without_start
    }

    fn check_ours(&self) -> Result<()> {
        let not_ours = || StoreError::NotOurs(self.path.clone());
        let id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => not_ours(),
                _ => StoreError::from(e),
            })?;
        if id != APPLICATION_ID {
            return Err(not_ours());
        }
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(self.busy_limit)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(crate::store::BackendError {
                kind: crate::store::BackendErrorKind::Other,
                detail: format!("journal_mode {mode}: WAL is not available here"),
            }));
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // A page cache of 32 MiB rather than SQLite's 2 MiB: a worklist's filter reads the
        // household, member and provider of every row on the list per keystroke, and at
        // municipal scale those pages did not stay cached between keystrokes.
        self.conn.pragma_update(None, "cache_size", -32_768)?;
        // Zero deleted and overwritten content inside a page when that costs no extra I/O, so
        // that an erased household's old values do not linger in free space of its pages.
        self.conn.pragma_update(None, "secure_delete", "FAST")?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The injected clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Whether this is a demo or a production database. In an anchored database the kind is
    /// the one it was made as (the detail of its first, keyed audit row): a `meta.kind` that
    /// says otherwise was edited, and is refused.
    pub fn kind(&self) -> Result<DatabaseKind> {
        if self.is_locked() {
            return Err(self.locked_error());
        }
        let kind = self.meta_kind()?;
        let parse = |code: Option<&str>| match code {
            Some("demo") => DatabaseKind::Demo,
            _ => DatabaseKind::Production,
        };
        let Some(anchor) = &self.anchor else {
            return Ok(parse(kind.as_deref()));
        };
        let first: Option<(String, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT hash, mac, detail FROM audit_log
                 WHERE id = 1 AND object = 'database' AND action = 'create'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let made = match first {
            Some((hash, Some(mac), detail)) if anchor.key.verifies(&hash, &mac) => detail,
            // Not the file the key was made for: never treated as a demo.
            _ => return Ok(DatabaseKind::Production),
        };
        if made != kind {
            let flipped = crate::store::audit::AnchorBreak::KindFlipped {
                made: made.unwrap_or_default(),
                meta: kind.unwrap_or_default(),
            };
            return Err(StoreError::Invalid(crate::domain::Invalid::new(
                "database",
                format!(
                    "{}: {}. Draai `keukentafel check`.",
                    self.path.display(),
                    flipped.describe(crate::i18n::Lang::Nl)
                ),
                format!(
                    "{}: {}. Run `keukentafel check`.",
                    self.path.display(),
                    flipped.describe(crate::i18n::Lang::En)
                ),
            )));
        }
        Ok(parse(made.as_deref()))
    }

    /// How long a save waits for other processes' saves before it gives up with
    /// [`StoreError::Busy`] ([`BUSY_TIMEOUT`] unless changed here).
    pub fn set_busy_limit(&mut self, limit: Duration) -> Result<()> {
        self.busy_limit = limit;
        self.conn.busy_timeout(limit)?;
        Ok(())
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction and commits when it returns `Ok`.
    ///
    /// When another process holds the write lock, SQLite's busy handler waits for it; when
    /// SQLite answers "busy" anyway (it does not wait while another connection recovers the WAL,
    /// for instance), starting the transaction is tried again with growing pauses. Only when
    /// the database stayed busy for the whole busy limit does the save fail, with
    /// [`StoreError::Busy`] and nothing written. `f` runs once, inside the lock.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_shared(f)
    }

    /// [`Store::write`] for methods that keep a shared borrow (login): the same immediate
    /// transaction with the same bounded retry, committed when `f` returns `Ok`.
    pub(crate) fn write_shared<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.is_locked() {
            return Err(self.locked_error());
        }
        let deadline = Instant::now() + self.busy_limit;
        let mut attempt = 0usize;
        loop {
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Ok(tx) => {
                    // A file replaced behind this store's back would take the save with it.
                    if file_lock::current_id(&self.path) != Some(self.lock.id()) {
                        return Err(StoreError::Replaced(self.path.clone()));
                    }
                    if let Some(a) = &self.anchor {
                        a.take_pending();
                    }
                    let value = f(&tx)?;
                    tx.commit()?;
                    self.witness_commit();
                    return Ok(value);
                }
                Err(e) if is_busy(&e) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(StoreError::Busy);
                    }
                    let pause = Duration::from_millis(
                        RETRY_PAUSES_MS[attempt.min(RETRY_PAUSES_MS.len() - 1)],
                    );
                    attempt += 1;
                    std::thread::sleep(pause.min(deadline - now));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// After a commit that appended to the audit log: its head goes to the witness. Written
    /// after the commit, so the witness never names a row that is not in the file; a crash in
    /// between leaves the witness one save behind, which `check` accepts.
    fn witness_commit(&self) {
        if let Some(cp) = self.anchor.as_ref().and_then(|a| a.take_pending()) {
            // Best effort: a witness that lags behind is never a false alarm.
            let _ = anchor::append_checkpoint(&self.path, &cp, anchor::Mark::Head);
        }
    }

    /// Runs `PRAGMA integrity_check` and verifies the whole audit chain, with its anchor (key
    /// and witness). Prints no client data.
    pub fn check(&self) -> Result<CheckReport> {
        if self.is_locked() {
            return Err(self.locked_error());
        }
        check_connection(&self.conn, self.anchor_input()?)
    }

    /// [`audit::read_log_baseline`] on this database: what `check` reads, without hashing.
    #[cfg(feature = "bench-baselines")]
    pub fn check_baseline(&self) -> Result<u64> {
        audit::read_log_baseline(&self.conn)
    }

    /// The key of the audit chain (`<db>.ketensleutel`), when the database is anchored.
    pub(crate) fn chain_key(&self) -> Option<anchor::Key> {
        self.anchor.as_ref().map(|a| a.key.clone())
    }

    /// The key and the witness for [`check_connection`]. The witness is read before the read
    /// transaction starts: it only names rows committed before it was written, so it never
    /// runs ahead of the snapshot checked.
    pub(crate) fn anchor_input(&self) -> Result<anchor::AnchorInput> {
        let io = |path: PathBuf| move |source| StoreError::Io { path, source };
        let witness = match &self.anchor {
            Some(_) => Some(
                anchor::read_witness(&self.path).map_err(io(anchor::witness_path(&self.path)))?,
            ),
            None => None,
        };
        Ok(anchor::AnchorInput {
            key: self.anchor.as_ref().map(|a| a.key.clone()),
            witness,
        })
    }

    fn meta_kind(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'kind'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Raw connection for read-only queries that touch no household content.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// A user's new password hash, to seal the database key with in the key file of an encrypted
/// database (see [`cipher`]).
pub(crate) struct KeyWrap {
    path: PathBuf,
    #[cfg(feature = "encryption")]
    key: cipher::DbKey,
}

impl KeyWrap {
    /// Rewrites `username`'s entry in the key file for the password hash `phc`. Called inside
    /// the transaction that stores the hash, so a key file that cannot be written leaves the
    /// password as it was.
    pub(crate) fn wrap(&self, username: &str, phc: &str) -> Result<()> {
        #[cfg(feature = "encryption")]
        {
            let mut keys = cipher::KeyFile::load(&self.path)?;
            keys.wrap(&self.key, username, phc)?;
            keys.save(&self.path)
        }
        #[cfg(not(feature = "encryption"))]
        {
            let _ = (username, phc);
            Err(StoreError::Encryption {
                path: self.path.clone(),
                problem: crate::store::EncryptionProblem::NotBuiltIn,
            })
        }
    }
}

/// [`Store::check`] on any connection to a keukentafel database. The rows, the chain head and
/// the schema version are read in one read transaction, so saves made meanwhile by others are
/// either wholly in what is checked or wholly not: a chain is never seen half-appended.
fn check_connection(conn: &Connection, anchor: anchor::AnchorInput) -> Result<CheckReport> {
    // `integrity_check` looks every index entry up in its table: with the everyday page cache
    // it rereads the same pages from the file over and over (at a million households that
    // took half an hour under load); a larger cache for the check alone halves it.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", CHECK_CACHE_KIB)?;
    let report = check_in_one_read(conn, anchor);
    conn.pragma_update(None, "cache_size", cache)?;
    report
}

/// The page cache of a check, in KiB (SQLite's negative `cache_size`): 256 MiB.
pub(crate) const CHECK_CACHE_KIB: i64 = -262_144;

/// [`check_connection`]'s reads, in one read transaction.
fn check_in_one_read(conn: &Connection, anchor: anchor::AnchorInput) -> Result<CheckReport> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let mut stmt = tx.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|line| line != "ok")
        .collect();
    drop(stmt);
    let (chain, anchor) = audit::verify(&tx, anchor)?;
    let report = CheckReport {
        integrity_problems: problems,
        chain,
        schema_version: migrations::version(&tx)?,
        anchor: Some(anchor),
    };
    tx.commit()?;
    Ok(report)
}

/// Whether SQLite refused because another connection holds a lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Removes a database file with its WAL, shared-memory and journal files, ignoring files that
/// are not there. For files this process made itself and gives up on.
pub fn remove_database_files(path: &Path) {
    for suffix in [
        "",
        "-wal",
        "-shm",
        "-journal",
        anchor::KEY_SUFFIX,
        anchor::WITNESS_SUFFIX,
        cipher::KEY_FILE_SUFFIX,
    ] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(|_| ())
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}
