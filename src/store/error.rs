//! Errors of the store as kinds: what went wrong, never worded here. The user-facing sentences
//! (Dutch, and English via `Localize`) are in [`crate::i18n::store_errors`].

use std::path::PathBuf;

use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::user::Role;

/// Something the store refused or could not do.
#[derive(Debug)]
pub enum StoreError {
    /// No database at the path.
    Missing(PathBuf),
    /// A database already exists where a new one was asked for.
    AlreadyExists(PathBuf),
    /// The file is not a keukentafel database.
    NotOurs(PathBuf),
    /// Written by a newer keukentafel.
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The database stayed locked by another process beyond the retry time.
    Busy,
    /// The user's role or team does not allow this.
    Denied {
        /// The role.
        role: Role,
        /// What was refused.
        refused: Refused,
    },
    /// Too many failed logins: the account waits before the next try.
    LoginDelayed {
        /// Seconds until the next try is accepted.
        wait_seconds: u64,
    },
    /// The account is disabled (only said after a correct password).
    AccountDisabled,
    /// The thing asked for does not exist (or is not visible to this user).
    NotFound(Missing),
    /// A value was rejected by the domain rules.
    Invalid(Invalid),
    /// A stored value could not be read back.
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// A file-system problem.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A backup could not be made.
    BackupFailed {
        /// The backup target.
        path: PathBuf,
        /// Why, in Dutch.
        nl: String,
        /// Why, in English.
        en: String,
    },
    /// A file was refused for a restore.
    NotRestorable {
        /// The file that was to be restored.
        path: PathBuf,
        /// Why, in Dutch.
        nl: String,
        /// Why, in English.
        en: String,
    },
    /// The database file is open in another app or command (a restore waits for none).
    InUse(PathBuf),
    /// The database file was replaced after this app opened it: its saves would be lost.
    Replaced(PathBuf),
    /// The database backend failed in a way the store does not name otherwise.
    Backend(BackendError),
    /// A colleague changed the record after it was shown: the edit is refused, nothing saved.
    Conflict {
        /// The record.
        record: Missing,
        /// Who changed it (display name).
        by: String,
        /// When (RFC 3339).
        at: String,
    },
    /// The database file is encrypted (the `encryption` build feature) and could not be
    /// opened or changed as asked.
    Encryption {
        /// The database file (or its key file).
        path: PathBuf,
        /// What is wrong.
        problem: EncryptionProblem,
    },
    /// A database server (PostgreSQL) could not be used as asked.
    Server {
        /// The server and database, without password.
        location: String,
        /// What is wrong.
        problem: ServerProblem,
    },
}

/// Why an encrypted database file could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncryptionProblem {
    /// The file is encrypted, but this build has no SQLCipher (built without `encryption`).
    NotBuiltIn,
    /// The file is encrypted, but its key file `<db>.sleutels` is not there.
    KeyFileMissing,
    /// The key file is not one keukentafel wrote.
    KeyFileBroken,
    /// The key from the key file does not open this database (the key file of another one).
    WrongKey,
    /// Nobody has logged in yet, so the database is still locked.
    Locked,
    /// A password hash that cannot seal the key (not argon2id).
    UnusableHash,
    /// `encrypt` on a database that is encrypted already.
    AlreadyEncrypted,
}

/// Why a database server could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerProblem {
    /// The server did not answer, or the address is not one.
    Unreachable(String),
    /// The server's TLS certificate is not trusted (the verifier's reason).
    UntrustedCertificate(String),
    /// The server has no database of that name.
    UnknownDatabase,
    /// The server refused the login (wrong password, unknown role, no access).
    LoginRefused,
    /// The database is empty: `keukentafel init` (or `demo`) has not been run on it.
    NotInitialised,
    /// The database holds tables that are not keukentafel's.
    NotOurs,
    /// `init` or `demo` on a database that already holds keukentafel.
    AlreadyInitialised,
    /// Made by a newer keukentafel.
    TooNew {
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// A `migrate` target that is not empty.
    NotEmpty,
    /// The server asks a password of the URL's user (the owner) and none was given.
    PasswordMissing,
    /// An act on a server that only the database's owner does (`check`).
    OwnerOnly(&'static str),
    /// The schema is older than this build, and only the database's owner may bring it up to
    /// date (a user's own role may not change tables).
    OwnerMustMigrate {
        /// Its schema version.
        found: i64,
        /// The version this build writes.
        latest: i64,
    },
    /// An act that only exists for a database file (backup, restore).
    FileOnly(&'static str),
    /// This build has no PostgreSQL backend (built without the `postgres` feature).
    NotBuiltIn,
}

impl From<Invalid> for StoreError {
    fn from(e: Invalid) -> Self {
        StoreError::Invalid(e)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What a refusal was about: an operation of the access policy, or a report of another team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// An operation the role (or the team) does not allow.
    Operation(Operation),
    /// The steering figures of a team that is not the user's own.
    OtherTeamReport,
}

/// What was not found (or is not visible to this user).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// A household by id.
    Household(i64),
    /// A household whose personal data was erased.
    ErasedHousehold(i64),
    /// A member by id.
    Person(i64),
    /// An agreement by id.
    Agreement(i64),
    /// A flag by id.
    Flag(i64),
    /// A plan goal by id.
    Goal(i64),
    /// A consent by id.
    Consent(i64),
    /// A provision by id.
    Provision(i64),
    /// A provider by id.
    Provider(i64),
    /// A provider by AGB code.
    ProviderAgb(String),
    /// A user by id.
    User(i64),
    /// A user by login name.
    Username(String),
    /// A team by name.
    TeamName(String),
    /// A team by id.
    Team(i64),
    /// A request of a provider by id.
    Request(i64),
    /// Something the demo data refers to (a team, a user, a member).
    DemoReference(String),
}

/// How a backend failure is classed, so that the message can say what the user can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendErrorKind {
    /// The disk is full.
    DiskFull,
    /// The database refuses writes (read-only file or server).
    ReadOnly,
    /// The file or server reports damage.
    Damaged,
    /// The connection to the database was lost or could not be made.
    Connection,
    /// A constraint of the schema refused a write.
    Constraint,
    /// Anything else.
    Other,
}

/// A backend failure: its class and the backend's own words (for the technical detail line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendError {
    /// The class.
    pub kind: BackendErrorKind,
    /// The backend's message, untranslated.
    pub detail: String,
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
