//! Conversions between domain values and their stored text, with `Corrupt` errors instead of
//! panics when the database holds something unexpected.

use chrono::{Datelike, NaiveDate};

use crate::store::StoreError;

/// Stored date text (`YYYY-MM-DD`).
pub fn date_text(d: NaiveDate) -> String {
    // Hand-formatted: chrono's strftime was a visible cost in bulk inserts.
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Parses a stored date.
pub fn parse_date(
    table: &'static str,
    column: &'static str,
    text: &str,
) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt(table, column, text))
}

/// Parses an optional stored date.
pub fn parse_opt_date(
    table: &'static str,
    column: &'static str,
    text: Option<String>,
) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| parse_date(table, column, &t)).transpose()
}

/// A `Corrupt` error for an unreadable value.
pub fn corrupt(table: &'static str, column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        value: value.into(),
    }
}
