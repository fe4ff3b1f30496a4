//! The two CSV imports, parsed and checked row by row before anything touches the database:
//! providers with their contracts (`naam;agb;contact;product;tarief;eenheid;ingang;einde`)
//! and "dat"-flags from municipal systems (`bsn;signaal;sinds;bron[;einde]`).
//!
//! A file with a wrong header or separator is refused as a whole; a bad row is named by its
//! line and field. Flags carry only THAT something is so (type, since, source), never content.

use chrono::NaiveDate;

use super::csv::{self, FileError, Record};
use crate::domain::bsn::Bsn;
use crate::domain::invalid::{optional_text, required_text};
use crate::domain::provision::{AgbCode, Unit};
use crate::domain::reference::{FlagCatalogue, ProductCatalogue};
use crate::i18n::{Lang, Localize};
use crate::model::imports::{FlagRow, Parsed, ProviderRow, RowError};

/// The provider file's columns.
pub const PROVIDER_COLUMNS: [&str; 8] = [
    "naam", "agb", "contact", "product", "tarief", "eenheid", "ingang", "einde",
];

/// The flag file's required columns; `einde` may follow.
pub const FLAG_COLUMNS: [&str; 4] = ["bsn", "signaal", "sinds", "bron"];

fn row_error(
    line: usize,
    column: &'static str,
    nl: impl Into<String>,
    en: impl Into<String>,
) -> RowError {
    RowError {
        line,
        column,
        nl: nl.into(),
        en: en.into(),
    }
}

fn from_invalid(line: usize, column: &'static str, e: &impl Localize) -> RowError {
    row_error(line, column, e.localize(Lang::Nl), e.localize(Lang::En))
}

/// Reads the table and hands every well-formed record with the right number of fields to `row`.
fn parse<T>(
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
    mut row: impl FnMut(&Record) -> Result<T, RowError>,
) -> Result<Parsed<T>, FileError> {
    let (table, columns) = csv::read(bytes, required, optional)?;
    let mut out = Parsed {
        rows: Vec::new(),
        rejected: Vec::new(),
    };
    for record in &table.records {
        let result = match record {
            Err(line) => Err(row_error(
                *line,
                "-",
                "een aanhalingsteken (\") wordt niet gesloten.",
                "a quote (\") is never closed.",
            )),
            Ok(r) if r.fields.len() != columns => Err(row_error(
                r.line,
                "-",
                format!(
                    "{} velden, verwacht {columns} (scheidingsteken '{}').",
                    r.fields.len(),
                    table.separator
                ),
                format!(
                    "{} fields, expected {columns} (separator '{}').",
                    r.fields.len(),
                    table.separator
                ),
            )),
            Ok(r) => row(r),
        };
        match result {
            Ok(t) => out.rows.push(t),
            Err(e) => out.rejected.push(e),
        }
    }
    Ok(out)
}

fn date_field(line: usize, column: &'static str, value: &str) -> Result<NaiveDate, RowError> {
    csv::parse_date(value).ok_or_else(|| {
        let shown: String = value.chars().take(20).collect();
        row_error(
            line,
            column,
            format!("'{shown}' is geen datum; schrijf dd-mm-jjjj."),
            format!("'{shown}' is not a date; write dd-mm-jjjj."),
        )
    })
}

fn optional_date(
    line: usize,
    column: &'static str,
    value: &str,
) -> Result<Option<NaiveDate>, RowError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date_field(line, column, value).map(Some)
    }
}

/// A tariff in euros (`12,50`, `12.50`, `€ 12`) as cents.
pub fn parse_tariff(value: &str) -> Option<i64> {
    let v: String = value
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (euros, cents) = match v.split_once([',', '.']) {
        Some((e, c)) => (e, c),
        None => (v.as_str(), ""),
    };
    if euros.is_empty() || euros.len() > 9 || !euros.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let euros: i64 = euros.parse().ok()?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    Some(euros * 100 + cents)
}

/// Parses a provider file; products must be in `products`.
pub fn parse_providers(
    bytes: &[u8],
    products: &ProductCatalogue,
) -> Result<Parsed<ProviderRow>, FileError> {
    parse(bytes, &PROVIDER_COLUMNS, &[], |r| {
        let line = r.line;
        let f = |i: usize| r.fields.get(i).map(String::as_str).unwrap_or_default();
        let name = required_text("name", "De naam", "The name", f(0), 120)
            .map_err(|e| from_invalid(line, "naam", &e))?;
        let agb = AgbCode::parse(f(1)).map_err(|e| from_invalid(line, "agb", &e))?;
        let contact = optional_text("contact", "Het contact", "The contact", Some(f(2)), 120)
            .map_err(|e| from_invalid(line, "contact", &e))?;
        let product = f(3).trim().to_uppercase();
        if products.product(&product).is_none() {
            let shown: String = f(3).chars().take(20).collect();
            return Err(row_error(
                line,
                "product",
                format!("onbekend product '{shown}' (niet in de productenlijst)."),
                format!("unknown product '{shown}' (not in the product list)."),
            ));
        }
        let tariff_cents = parse_tariff(f(4)).ok_or_else(|| {
            let shown: String = f(4).chars().take(20).collect();
            row_error(
                line,
                "tarief",
                format!("'{shown}' is geen bedrag; schrijf euro's met komma, bijvoorbeeld 54,20."),
                format!("'{shown}' is not an amount; write euros, for example 54,20."),
            )
        })?;
        let unit = Unit::parse(f(5)).map_err(|e| from_invalid(line, "eenheid", &e))?;
        let valid_from = date_field(line, "ingang", f(6))?;
        let valid_to = optional_date(line, "einde", f(7))?;
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(row_error(
                line,
                "einde",
                "het contract eindigt voor het ingaat.",
                "the contract ends before it starts.",
            ));
        }
        Ok(ProviderRow {
            line,
            name,
            agb,
            contact,
            product,
            tariff_cents,
            unit,
            valid_from,
            valid_to,
        })
    })
}

/// Parses a flag file; flag types must be in `flags`.
pub fn parse_flags(bytes: &[u8], flags: &FlagCatalogue) -> Result<Parsed<FlagRow>, FileError> {
    parse(bytes, &FLAG_COLUMNS, &["einde"], |r| {
        let line = r.line;
        let f = |i: usize| r.fields.get(i).map(String::as_str).unwrap_or_default();
        let bsn = Bsn::parse(f(0)).map_err(|e| from_invalid(line, "bsn", &e))?;
        let kind = f(1).trim().to_lowercase();
        if flags.by_key(&kind).is_none() {
            let shown: String = f(1).chars().take(30).collect();
            let known: Vec<&str> = flags.flags().iter().map(|k| k.key.as_str()).collect();
            return Err(row_error(
                line,
                "signaal",
                format!(
                    "onbekend signaal '{shown}'; bekend zijn: {}.",
                    known.join(", ")
                ),
                format!(
                    "unknown flag type '{shown}'; known are: {}.",
                    known.join(", ")
                ),
            ));
        }
        let since = date_field(line, "sinds", f(2))?;
        let source = required_text("source", "De bron", "The source", f(3), 60)
            .map_err(|e| from_invalid(line, "bron", &e))?;
        let end = optional_date(line, "einde", f(4))?;
        if end.is_some_and(|e| e < since) {
            return Err(row_error(
                line,
                "einde",
                "de einddatum ligt voor de datum 'sinds'.",
                "the end date is before 'since'.",
            ));
        }
        Ok(FlagRow {
            line,
            bsn,
            kind,
            since,
            source,
            end,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tariffs_in_dutch_and_english_notation() {
        assert_eq!(parse_tariff("54,20"), Some(5420));
        assert_eq!(parse_tariff("€ 12.5"), Some(1250));
        assert_eq!(parse_tariff("7"), Some(700));
        assert_eq!(parse_tariff("-3"), None);
        assert_eq!(parse_tariff("1.000,00"), None);
        assert_eq!(parse_tariff(""), None);
    }
}
