//! What a CSV import did.

use crate::domain::bsn::Bsn;
use crate::domain::provision::{AgbCode, Unit};
use crate::i18n::{Lang, Localize};
use chrono::NaiveDate;

/// What a provider import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderImport {
    /// Providers created.
    pub providers_created: usize,
    /// Contracts created.
    pub contracts_created: usize,
    /// Rows already in the database as they are (nothing changed).
    pub unchanged: usize,
    /// Rows refused by what is in the database (only when skipping bad rows).
    pub rejected: Vec<RowError>,
}

/// What a flag import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagImport {
    /// Rows whose BSN belongs to a person here.
    pub matched: usize,
    /// Lines of rows whose BSN is not known here.
    pub unmatched: Vec<usize>,
    /// Flags set.
    pub set: usize,
    /// Flags ended.
    pub ended: usize,
    /// Flags (per household and type) that were already as the file says.
    pub unchanged: usize,
}

/// A rejected row: its line in the file, the column and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: usize,
    /// The column name as in the header.
    pub column: &'static str,
    /// Why, in Dutch.
    pub nl: String,
    /// Why, in English.
    pub en: String,
}

impl Localize for RowError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => format!("regel {}, kolom {}: {}", self.line, self.column, self.nl),
            Lang::En => format!("line {}, column {}: {}", self.line, self.column, self.en),
        }
    }
}

/// A file read: the good rows and the rejected ones, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// Rows that passed every check.
    pub rows: Vec<T>,
    /// Rows that did not.
    pub rejected: Vec<RowError>,
}

/// One provider row: a provider (created once per AGB code) and one contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRow {
    /// The line in the file.
    pub line: usize,
    /// Provider name.
    pub name: String,
    /// AGB code.
    pub agb: AgbCode,
    /// Contact, optional.
    pub contact: Option<String>,
    /// Product code (from the catalogue).
    pub product: String,
    /// Tariff in cents per unit.
    pub tariff_cents: i64,
    /// Unit of the tariff.
    pub unit: Unit,
    /// First day of the contract.
    pub valid_from: NaiveDate,
    /// Last day, if any.
    pub valid_to: Option<NaiveDate>,
}

/// One flag row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagRow {
    /// The line in the file.
    pub line: usize,
    /// The person's BSN.
    pub bsn: Bsn,
    /// The catalogue key of the flag.
    pub kind: String,
    /// Since when.
    pub since: NaiveDate,
    /// The system it comes from.
    pub source: String,
    /// When it ended, if it did.
    pub end: Option<NaiveDate>,
}
