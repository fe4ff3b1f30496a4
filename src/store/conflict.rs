//! Two people on one household: an edit names the version of the record it was shown, and
//! is refused when a colleague changed the record since. Each backend reads the record's
//! version and last change; this decides, the same way for both.

use crate::store::{Missing, Result, StoreError};

/// What a backend read of a record's last change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastChange {
    /// The record's version now.
    pub version: i64,
    /// Who made the last change (display name), if any was made since it was created.
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: Option<String>,
}

/// Refuses an edit of `record` made on version `shown` when the record is at another version
/// now (`found`); a record that is gone is "not found".
pub fn check_version(record: Missing, shown: i64, found: Option<LastChange>) -> Result<()> {
    let Some(now) = found else {
        return Err(StoreError::NotFound(record));
    };
    if now.version == shown {
        return Ok(());
    }
    Err(StoreError::Conflict {
        record,
        by: now.by.unwrap_or_else(|| "een collega".to_string()),
        at: now.at.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_of_the_version_shown_passes_and_of_an_older_one_names_who_and_when() {
        let now = |version| {
            Some(LastChange {
                version,
                by: Some("Bram Visser".into()),
                at: Some("2026-11-23T14:32:00+00:00".into()),
            })
        };
        assert!(check_version(Missing::Agreement(7), 3, now(3)).is_ok());
        let err = check_version(Missing::Agreement(7), 2, now(3)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("Afspraak 7 is intussen gewijzigd door Bram Visser"),
            "{text}"
        );
        assert!(text.contains("Er is niets opgeslagen"), "{text}");
        assert!(matches!(
            check_version(Missing::Goal(1), 1, None),
            Err(StoreError::NotFound(Missing::Goal(1)))
        ));
    }
}
