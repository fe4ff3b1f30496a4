//! Flags (signalen): "dat"-information. A flag records THAT something exists in another domain
//! (a WW-uitkering, a schuldhulptraject, a Veilig Thuis melding), never the dossier itself.
//! Flags are never deleted; they are ended with a reason.

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::{Invalid, required_text};

/// Where a flag came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagSource {
    /// Set by a user.
    Manual,
    /// Imported from another system.
    Import,
}

impl FlagSource {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            FlagSource::Manual => "manual",
            FlagSource::Import => "import",
        }
    }

    /// Parses a stored code.
    pub fn from_code(s: &str) -> Option<FlagSource> {
        match s {
            "manual" => Some(FlagSource::Manual),
            "import" => Some(FlagSource::Import),
            _ => None,
        }
    }
}

/// A flag as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// The catalogue key (`data/flags.toml`).
    pub kind: String,
    /// Since when it applies.
    pub since: NaiveDate,
    /// Manual or import.
    pub source: FlagSource,
    /// Who set it (user id), when set by hand.
    pub set_by: Option<i64>,
    /// When it ended, and why.
    pub ended: Option<(NaiveDate, String)>,
}

impl Flag {
    /// Still in force.
    pub fn is_active(&self) -> bool {
        self.ended.is_none()
    }
}

/// Validates the reason for ending a flag.
pub fn validate_end_reason(reason: &str) -> Result<String, Invalid> {
    required_text("end_reason", "De reden", "The reason", reason, 200)
}
