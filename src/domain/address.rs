//! House numbers with an optional addition (huisletter / huisnummertoevoeging).
//!
//! Accepted: "12", "12a", "12 A", "12-2", "12 bis", "12-hs", "12 III". The number is 1..=99999;
//! the addition is 1 to 4 letters or digits, separated from the number by nothing, spaces or one
//! hyphen.
//!
//! Canonical form (used by `Display` and serde): letters in the addition are upper-case; an
//! addition of a single letter is written directly after the number ("12A"), every other addition
//! after a hyphen ("12-2", "12-BIS", "12-HS", "12-III"). Leading zeros in the number are dropped.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::{Lang, Localize};

/// The highest house number accepted.
pub const MAX_HOUSE_NUMBER: u32 = 99_999;
/// The longest addition accepted, in characters.
pub const MAX_ADDITION_LEN: usize = 4;

/// A house number (1..=99999) with an optional upper-case addition of at most 4 letters/digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HouseNumber {
    number: u32,
    addition: Option<String>,
}

/// Why a text is not a valid house number. `Display` is Dutch; use [`Localize`] for English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HouseNumberError {
    /// Nothing was entered.
    #[error("Vul een huisnummer in, zoals 12 of 12a.")]
    Empty,
    /// The text does not start with a number, e.g. "a12".
    #[error("Een huisnummer begint met een getal, zoals 12 of 12a.")]
    MissingNumber,
    /// The number is 0.
    #[error("Huisnummer 0 bestaat niet; huisnummers beginnen bij 1.")]
    Zero,
    /// The number is above 99999.
    #[error("Een huisnummer is hoogstens 99999.")]
    TooLarge,
    /// A hyphen without anything after it, e.g. "12-".
    #[error("Na het streepje ontbreekt de toevoeging, zoals 12-2 of 12-hs.")]
    MissingAddition,
    /// A character in the addition that is not a letter or digit.
    #[error("Een toevoeging bestaat alleen uit letters en cijfers; '{0}' kan niet.")]
    InvalidCharacter(char),
    /// The addition is longer than 4 characters.
    #[error("Een toevoeging is hoogstens 4 tekens; '{0}' is te lang.")]
    AdditionTooLong(String),
}

impl Localize for HouseNumberError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => match self {
                Self::Empty => "Enter a house number, like 12 or 12a.".to_string(),
                Self::MissingNumber => {
                    "A house number starts with a number, like 12 or 12a.".to_string()
                }
                Self::Zero => {
                    "House number 0 does not exist; house numbers start at 1.".to_string()
                }
                Self::TooLarge => "A house number is at most 99999.".to_string(),
                Self::MissingAddition => {
                    "The addition after the hyphen is missing, like 12-2 or 12-hs.".to_string()
                }
                Self::InvalidCharacter(c) => {
                    format!(
                        "An addition consists of letters and digits only; '{c}' is not allowed."
                    )
                }
                Self::AdditionTooLong(a) => {
                    format!("An addition is at most 4 characters; '{a}' is too long.")
                }
            },
        }
    }
}

impl HouseNumber {
    /// Parses a house number with optional addition, see the module documentation.
    pub fn parse(input: &str) -> Result<HouseNumber, HouseNumberError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(HouseNumberError::Empty);
        }
        let digit_len = input.bytes().take_while(u8::is_ascii_digit).count();
        if digit_len == 0 {
            return Err(HouseNumberError::MissingNumber);
        }
        let (digits, rest) = input.split_at(digit_len);
        let number = parse_number(digits)?;
        let rest = rest.trim_start();
        let (hyphen, addition) = match rest.strip_prefix('-') {
            Some(after) => (true, after.trim_start()),
            None => (false, rest),
        };
        if addition.is_empty() {
            return if hyphen {
                Err(HouseNumberError::MissingAddition)
            } else {
                Ok(HouseNumber {
                    number,
                    addition: None,
                })
            };
        }
        HouseNumber::new(number, Some(addition))
    }

    /// Builds a house number from its parts, validating both. The addition is upper-cased.
    pub fn new(number: u32, addition: Option<&str>) -> Result<HouseNumber, HouseNumberError> {
        if number == 0 {
            return Err(HouseNumberError::Zero);
        }
        if number > MAX_HOUSE_NUMBER {
            return Err(HouseNumberError::TooLarge);
        }
        let addition = match addition {
            None => None,
            Some(a) => Some(validate_addition(a)?),
        };
        Ok(HouseNumber { number, addition })
    }

    /// The number, 1..=99999.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The upper-case addition, if any, e.g. `Some("A")`, `Some("BIS")`, `Some("2")`.
    pub fn addition(&self) -> Option<&str> {
        self.addition.as_deref()
    }
}

/// Parses the leading digits, ignoring leading zeros, without overflowing on long input.
fn parse_number(digits: &str) -> Result<u32, HouseNumberError> {
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Err(HouseNumberError::Zero);
    }
    if significant.len() > 5 {
        return Err(HouseNumberError::TooLarge);
    }
    significant
        .parse::<u32>()
        .map_err(|_| HouseNumberError::TooLarge)
}

/// Checks an addition and returns it upper-cased.
fn validate_addition(addition: &str) -> Result<String, HouseNumberError> {
    if addition.is_empty() {
        return Err(HouseNumberError::MissingAddition);
    }
    if let Some(bad) = addition.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(HouseNumberError::InvalidCharacter(bad));
    }
    if addition.len() > MAX_ADDITION_LEN {
        return Err(HouseNumberError::AdditionTooLong(addition.to_string()));
    }
    Ok(addition.to_ascii_uppercase())
}

impl fmt::Display for HouseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.addition {
            None => write!(f, "{}", self.number),
            Some(a) if a.len() == 1 && a.bytes().all(|b| b.is_ascii_alphabetic()) => {
                write!(f, "{}{a}", self.number)
            }
            Some(a) => write!(f, "{}-{a}", self.number),
        }
    }
}

impl FromStr for HouseNumber {
    type Err = HouseNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HouseNumber::parse(s)
    }
}

impl TryFrom<String> for HouseNumber {
    type Error = HouseNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        HouseNumber::parse(&s)
    }
}

impl TryFrom<&str> for HouseNumber {
    type Error = HouseNumberError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        HouseNumber::parse(s)
    }
}

impl From<HouseNumber> for String {
    fn from(h: HouseNumber) -> String {
        h.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let cases = [
            ("12", 12, None, "12"),
            ("12a", 12, Some("A"), "12A"),
            ("12 A", 12, Some("A"), "12A"),
            ("12-a", 12, Some("A"), "12A"),
            ("12-2", 12, Some("2"), "12-2"),
            ("12 - 2", 12, Some("2"), "12-2"),
            ("12 bis", 12, Some("BIS"), "12-BIS"),
            ("12-hs", 12, Some("HS"), "12-HS"),
            ("12 III", 12, Some("III"), "12-III"),
            ("12 2hg", 12, Some("2HG"), "12-2HG"),
            (" 007 ", 7, None, "7"),
            ("1", 1, None, "1"),
            ("99999", 99_999, None, "99999"),
            ("5abcd", 5, Some("ABCD"), "5-ABCD"),
        ];
        for (input, number, addition, shown) in cases {
            let h = HouseNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(h.number(), number, "{input}");
            assert_eq!(h.addition(), addition, "{input}");
            assert_eq!(h.to_string(), shown, "{input}");
            assert_eq!(HouseNumber::parse(shown).unwrap(), h, "{input}");
        }
    }

    #[test]
    fn rejects_with_reason() {
        use HouseNumberError as E;
        let cases = [
            ("", E::Empty, "Vul een huisnummer in"),
            ("0", E::Zero, "Huisnummer 0 bestaat niet"),
            ("000a", E::Zero, "beginnen bij 1"),
            ("a12", E::MissingNumber, "begint met een getal"),
            ("-12", E::MissingNumber, "begint met een getal"),
            ("100000", E::TooLarge, "hoogstens 99999"),
            ("99999999999999999999", E::TooLarge, "hoogstens 99999"),
            ("12-", E::MissingAddition, "Na het streepje ontbreekt"),
            ("12--", E::InvalidCharacter('-'), "'-' kan niet"),
            (
                "12 a/b",
                E::InvalidCharacter('/'),
                "alleen uit letters en cijfers",
            ),
            ("12 a b", E::InvalidCharacter(' '), "' ' kan niet"),
            ("12 ß", E::InvalidCharacter('ß'), "kan niet"),
            (
                "12 abcde",
                E::AdditionTooLong("abcde".into()),
                "hoogstens 4 tekens; 'abcde' is te lang",
            ),
        ];
        for (input, err, text) in cases {
            let got = HouseNumber::parse(input).unwrap_err();
            assert_eq!(got, err, "{input}");
            assert!(got.to_string().contains(text), "{input}: {got}");
        }
    }

    #[test]
    fn new_validates_parts() {
        assert_eq!(
            HouseNumber::new(12, Some("bis")).unwrap().to_string(),
            "12-BIS"
        );
        assert_eq!(HouseNumber::new(0, None), Err(HouseNumberError::Zero));
        assert_eq!(
            HouseNumber::new(100_000, None),
            Err(HouseNumberError::TooLarge)
        );
        assert_eq!(
            HouseNumber::new(1, Some("")),
            Err(HouseNumberError::MissingAddition)
        );
    }

    #[test]
    fn localizes() {
        let e = HouseNumberError::Zero;
        assert_eq!(e.localize(Lang::Nl), e.to_string());
        assert!(
            e.localize(Lang::En)
                .starts_with("House number 0 does not exist")
        );
    }

    #[test]
    fn serde_as_canonical_string() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Row {
            nr: HouseNumber,
        }
        let row: Row = toml::from_str("nr = \"12 bis\"").unwrap();
        assert_eq!(row.nr.addition(), Some("BIS"));
        assert_eq!(toml::to_string(&row).unwrap().trim(), "nr = \"12-BIS\"");
        assert!(toml::from_str::<Row>("nr = \"0\"").is_err());
    }
}
