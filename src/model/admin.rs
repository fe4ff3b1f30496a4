//! Maintenance results: backups, checks, the kind of a database.

use std::path::PathBuf;

/// What a finished backup holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The check of the backup.
    pub check: CheckReport,
    /// The copy of the key file beside the backup (`<backup>.ketensleutel`), when the database has
    /// a key: a restore needs it.
    pub key: Option<PathBuf>,
}

/// Whether a database holds real client data or generated demo data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatabaseKind {
    /// Real data.
    Production,
    /// Synthetic demo data (`keukentafel demo`).
    Demo,
}

impl DatabaseKind {
    /// The code stored in `meta`.
    pub fn code(self) -> &'static str {
        match self {
            DatabaseKind::Production => "production",
            DatabaseKind::Demo => "demo",
        }
    }
}

/// The outcome of [`Store::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// What `PRAGMA integrity_check` reported besides "ok".
    pub integrity_problems: Vec<String>,
    /// The audit chain verification.
    pub chain: crate::store::audit::ChainReport,
    /// The schema version.
    pub schema_version: i64,
    /// The anchor of the chain outside the file (SQLite: key and witness); `None` where the
    /// backend has none.
    pub anchor: Option<crate::store::audit::AnchorState>,
}

impl CheckReport {
    /// Both the file and the audit chain are sound.
    pub fn is_sound(&self) -> bool {
        self.integrity_problems.is_empty()
            && self.chain.broken.is_none()
            && !matches!(
                self.anchor,
                Some(crate::store::audit::AnchorState::Broken(_))
            )
    }
}
