//! Contacts (contactmomenten): a visit, a call, a meeting.

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::{Invalid, optional_text};

/// A contact as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// The date.
    pub contact_on: NaiveDate,
    /// The kind's key (`data/contact_kinds.toml`), e.g. `huisbezoek`.
    pub kind: String,
    /// Minutes spent.
    pub minutes: u32,
    /// Optional one-line note.
    pub note: Option<String>,
    /// Who recorded it (user id).
    pub recorded_by: i64,
}

/// The values of a contact to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactFields {
    /// The date.
    pub contact_on: NaiveDate,
    /// Kind key.
    pub kind: String,
    /// Minutes.
    pub minutes: u32,
    /// Note.
    pub note: Option<String>,
}

/// The longest contact accepted, in minutes (a whole working day and more).
pub const MAX_MINUTES: u32 = 12 * 60;

impl ContactFields {
    /// Validates minutes and note.
    pub fn new(
        contact_on: NaiveDate,
        kind: &str,
        minutes: u32,
        note: Option<&str>,
    ) -> Result<ContactFields, Invalid> {
        if minutes == 0 || minutes > MAX_MINUTES {
            return Err(Invalid::new(
                "minutes",
                format!("Minuten moet tussen 1 en {MAX_MINUTES} liggen, niet {minutes}."),
                format!("Minutes must be between 1 and {MAX_MINUTES}, not {minutes}."),
            ));
        }
        let note = optional_text("note", "De notitie", "The note", note, 200)?;
        if note.as_deref().is_some_and(|n| n.contains('\n')) {
            return Err(Invalid::new(
                "note",
                "De notitie is één regel.",
                "The note is one line.",
            ));
        }
        Ok(ContactFields {
            contact_on,
            kind: kind.to_string(),
            minutes,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_note_are_checked() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(ContactFields::new(d, "huisbezoek", 0, None).is_err());
        assert!(ContactFields::new(d, "huisbezoek", 721, None).is_err());
        assert!(ContactFields::new(d, "huisbezoek", 60, Some("twee\nregels")).is_err());
        let ok = ContactFields::new(d, "huisbezoek", 60, Some("  ")).unwrap();
        assert_eq!(ok.note, None);
    }
}
