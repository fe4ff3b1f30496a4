//! Errors of the store, worded for the user (Dutch by default, English via `Localize`).

use std::path::PathBuf;

use crate::domain::Invalid;
use crate::i18n::{Lang, Localize};

/// Something the store refused or could not do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No database at the path.
    #[error(
        "Er is geen database op {0}. Maak er een met `keukentafel init --admin NAAM` of `keukentafel demo`."
    )]
    Missing(PathBuf),
    /// A database already exists where a new one was asked for.
    #[error("Er staat al een database op {0}; die laat ik ongemoeid.")]
    AlreadyExists(PathBuf),
    /// The file is not a keukentafel database.
    #[error("{0} is geen keukentafel-database.")]
    NotOurs(PathBuf),
    /// Written by a newer keukentafel.
    #[error(
        "{path} is gemaakt door een nieuwere versie van keukentafel (schema {found}, deze versie kent t/m {supported}). Werk keukentafel bij."
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The database stayed locked by another process beyond the retry time.
    #[error(
        "De database is bezet door een andere gebruiker; probeer het zo nog eens. Er is niets opgeslagen."
    )]
    Busy,
    /// The user's role or team does not allow this.
    #[error("Dat mag je niet met jouw rol ({role}): {what}.")]
    Denied {
        /// The role's code.
        role: String,
        /// What was refused, in Dutch.
        what: String,
        /// What was refused, in English.
        what_en: String,
    },
    /// Too many failed logins: the account waits before the next try.
    #[error(
        "Te veel mislukte inlogpogingen voor dit account. Probeer het over {} opnieuw.",
        wait_nl(*wait_seconds)
    )]
    LoginDelayed {
        /// Seconds until the next try is accepted.
        wait_seconds: u64,
    },
    /// The account is disabled (only said after a correct password).
    #[error("Dit account is geblokkeerd. Vraag de beheerder om het weer vrij te geven.")]
    AccountDisabled,
    /// The thing asked for does not exist (or is not visible to this user).
    #[error("{0} niet gevonden.")]
    NotFound(String),
    /// A value was rejected by the domain rules.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A stored value could not be read back.
    #[error(
        "De database bevat een ongeldige waarde in {table}.{column}: {value}. Draai `keukentafel check`."
    )]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// A file-system problem.
    #[error("Bestand {path} kon niet worden gebruikt: {}.", io_reason_nl(source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A backup could not be made.
    #[error("De back-up naar {path} is niet gemaakt: {nl}. De database zelf is niet veranderd.")]
    BackupFailed {
        /// The backup target.
        path: PathBuf,
        /// Why, in Dutch.
        nl: String,
        /// Why, in English.
        en: String,
    },
    /// A file was refused for a restore.
    #[error("{path} is niet teruggezet: {nl}. De bestaande database is niet aangeraakt.")]
    NotRestorable {
        /// The file that was to be restored.
        path: PathBuf,
        /// Why, in Dutch.
        nl: String,
        /// Why, in English.
        en: String,
    },
    /// Any other SQLite error.
    #[error(
        "De database gaf een fout ({0}); er is niets half opgeslagen. Probeer het opnieuw, of draai `keukentafel check`."
    )]
    Sqlite(rusqlite::Error),
}

/// The operating system's reason in Dutch for the common cases, its own words otherwise.
pub fn io_reason_nl(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "het bestaat niet".into(),
        PermissionDenied => "geen toegang (rechten)".into(),
        AlreadyExists => "het bestaat al".into(),
        StorageFull => "de schijf is vol".into(),
        ReadOnlyFilesystem => "de schijf is alleen-lezen".into(),
        IsADirectory => "dat is een map".into(),
        NotADirectory => "een deel van het pad is geen map".into(),
        _ => format!("het besturingssysteem meldt: {e}"),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        if lang == Lang::Nl {
            return self.to_string();
        }
        match self {
            StoreError::Missing(p) => format!(
                "There is no database at {}. Create one with `keukentafel init --admin NAME` or `keukentafel demo`.",
                p.display()
            ),
            StoreError::AlreadyExists(p) => format!(
                "A database already exists at {}; left untouched.",
                p.display()
            ),
            StoreError::NotOurs(p) => format!("{} is not a keukentafel database.", p.display()),
            StoreError::TooNew {
                path,
                found,
                supported,
            } => format!(
                "{} was made by a newer keukentafel (schema {found}, this version knows up to {supported}). Update keukentafel.",
                path.display()
            ),
            StoreError::Busy => {
                "The database is busy with another user; try again shortly. Nothing was saved."
                    .into()
            }
            StoreError::Denied { role, what_en, .. } => {
                format!("Your role ({role}) does not allow this: {what_en}.")
            }
            StoreError::NotFound(what) => format!("{what} not found."),
            StoreError::LoginDelayed { wait_seconds } => format!(
                "Too many failed logins for this account. Try again in {}.",
                wait_en(*wait_seconds)
            ),
            StoreError::AccountDisabled => {
                "This account is disabled. Ask the administrator to enable it again.".into()
            }
            StoreError::Invalid(i) => i.localize(lang),
            StoreError::Corrupt {
                table,
                column,
                value,
            } => format!(
                "The database holds an invalid value in {table}.{column}: {value}. Run `keukentafel check`."
            ),
            StoreError::Io { path, source } => {
                format!("File {} could not be used: {source}.", path.display())
            }
            StoreError::BackupFailed { path, en, .. } => format!(
                "The backup to {} was not made: {en}. The database itself is unchanged.",
                path.display()
            ),
            StoreError::NotRestorable { path, en, .. } => format!(
                "{} was not restored: {en}. The existing database was not touched.",
                path.display()
            ),
            StoreError::Sqlite(e) => format!(
                "The database reported an error ({e}); nothing was half saved. Try again, or run `keukentafel check`."
            ),
        }
    }
}

/// A wait in Dutch: "45 seconden", "1 minuut", "3 minuten" (minutes rounded up).
pub fn wait_nl(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 seconde".to_string(),
        2..=59 => format!("{seconds} seconden"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minuut".to_string(),
            m => format!("{m} minuten"),
        },
    }
}

/// A wait in English: "45 seconds", "1 minute", "3 minutes" (minutes rounded up).
pub fn wait_en(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 second".to_string(),
        2..=59 => format!("{seconds} seconds"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minute".to_string(),
            m => format!("{m} minutes"),
        },
    }
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
