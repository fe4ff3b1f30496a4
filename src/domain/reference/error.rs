//! Errors in reference data files, worded for the user.

use std::fmt;

use crate::config::{TomlIssue, located};
use crate::i18n::{Lang, Localize};

/// A reference data file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceError {
    /// The file (a path, or `NAME (ingebouwd)` for embedded data).
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: ReferenceErrorKind,
}

/// What is wrong with a reference data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceErrorKind {
    /// The file exists but cannot be read (the operating system's reason).
    Read(String),
    /// Malformed TOML, an unknown or missing key, or a value of the wrong type.
    Toml(TomlIssue),
    /// The named field or list is empty.
    Empty(&'static str),
    /// A key that is not lowercase ascii snake case.
    InvalidKey(String),
    /// A key used twice.
    DuplicateKey(String),
    /// A mnemonic that is not one lowercase letter a-z.
    InvalidMnemonic(String),
    /// A mnemonic used by two flags.
    DuplicateMnemonic {
        /// The letter.
        mnemonic: char,
        /// The key of the flag that has it first.
        first: String,
        /// The key of the flag that repeats it.
        second: String,
    },
    /// A ZRM level (or anchor level key) that is not 1..=5.
    InvalidLevel(String),
    /// A ZRM level given twice.
    DuplicateLevel(u8),
    /// A ZRM level that is missing.
    MissingLevel(u8),
    /// A default duration outside 0..=1440 minutes.
    InvalidMinutes(i64),
    /// An anchor table for a domain key the ZRM catalogue does not have.
    UnknownDomain(String),
    /// A value that is not one of those allowed.
    InvalidValue {
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is allowed, in Dutch.
        expected: &'static str,
    },
}

impl Localize for ReferenceError {
    fn localize(&self, lang: Lang) -> String {
        use ReferenceErrorKind as K;
        let (nl, en) = match &self.kind {
            K::Toml(issue) => (issue.localize(Lang::Nl), issue.localize(Lang::En)),
            K::Read(why) => (
                format!("kan niet gelezen worden ({why})."),
                format!("cannot be read ({why})."),
            ),
            K::Empty(field) => (
                format!("'{field}' is leeg."),
                format!("'{field}' is empty."),
            ),
            K::InvalidKey(k) => (
                format!(
                    "ongeldige sleutel '{k}': gebruik a-z, 0-9 en '_', beginnend met een letter."
                ),
                format!("invalid key '{k}': use a-z, 0-9 and '_', starting with a letter."),
            ),
            K::DuplicateKey(k) => (
                format!("de sleutel '{k}' komt twee keer voor."),
                format!("the key '{k}' occurs twice."),
            ),
            K::InvalidMnemonic(m) => (
                format!("ongeldige sneltoets '{m}': gebruik één kleine letter a-z."),
                format!("invalid mnemonic '{m}': use one lowercase letter a-z."),
            ),
            K::DuplicateMnemonic {
                mnemonic: m,
                first,
                second,
            } => (
                format!("sneltoets '{m}' van '{second}' is al in gebruik door '{first}'."),
                format!("mnemonic '{m}' of '{second}' is already used by '{first}'."),
            ),
            K::InvalidLevel(s) => (
                format!("niveau '{s}' bestaat niet: gebruik 1 tot en met 5."),
                format!("level '{s}' does not exist: use 1 to 5."),
            ),
            K::DuplicateLevel(s) => (
                format!("niveau {s} staat er twee keer in."),
                format!("level {s} appears twice."),
            ),
            K::MissingLevel(s) => (
                format!("niveau {s} ontbreekt: geef de niveaus 1 tot en met 5."),
                format!("level {s} is missing: give the levels 1 to 5."),
            ),
            K::InvalidMinutes(m) => (
                format!("default_minutes {m} kan niet: gebruik 0 tot en met 1440."),
                format!("default_minutes {m} is not possible: use 0 to 1440."),
            ),
            K::UnknownDomain(d) => (
                format!("onbekend ZRM-domein '{d}'."),
                format!("unknown ZRM domain '{d}'."),
            ),
            K::InvalidValue {
                field,
                value,
                expected,
            } => (
                format!("{field} '{value}' kan niet; verwacht: {expected}."),
                format!("{field} '{value}' is not possible; expected: {expected}."),
            ),
        };
        let message = if lang == Lang::Nl { nl } else { en };
        located(&self.file, self.line, lang, &message)
    }
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::Nl))
    }
}

impl std::error::Error for ReferenceError {}
