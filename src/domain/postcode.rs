//! Dutch postcodes: 4 digits (the first is never 0) and 2 letters, written "1234 AB".
//!
//! Parsing is forgiving about whitespace: all whitespace is ignored and letters may be lower-case,
//! so "1234ab", "1234  ab" and " 1234AB " all become "1234 AB".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::{Lang, Localize};

/// Letter pairs that are not issued in the Netherlands.
const NOT_ISSUED: [&str; 3] = ["SA", "SD", "SS"];

/// A valid Dutch postcode in its normal written form, "1234 AB".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

/// Why a text is not a valid postcode. `Display` is Dutch; use [`Localize`] for English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PostcodeError {
    /// Nothing was entered.
    #[error("Vul een postcode in, zoals 1234 AB.")]
    Empty,
    /// A character that is neither a digit, a letter A-Z nor whitespace.
    #[error(
        "'{0}' hoort niet in een postcode; een postcode is 4 cijfers en 2 letters, zoals 1234 AB."
    )]
    InvalidCharacter(char),
    /// Digits and letters are mixed up, e.g. "AB 1234" or "12AB34".
    #[error("Een postcode is eerst 4 cijfers en dan 2 letters, zoals 1234 AB.")]
    Shape,
    /// Not exactly 4 digits.
    #[error("Een postcode begint met 4 cijfers; hier staan er {0}.")]
    DigitCount(usize),
    /// Not exactly 2 letters.
    #[error("Na de 4 cijfers van een postcode komen 2 letters; hier staan er {0}.")]
    LetterCount(usize),
    /// The first digit is 0.
    #[error("Een Nederlandse postcode begint nooit met een 0.")]
    LeadingZero,
    /// The letters SA, SD or SS, which are not used in Dutch postcodes.
    #[error("De letters {0} worden in Nederlandse postcodes niet gebruikt.")]
    NotIssued(String),
}

impl Localize for PostcodeError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => match self {
                Self::Empty => "Enter a postcode, like 1234 AB.".to_string(),
                Self::InvalidCharacter(c) => format!(
                    "'{c}' does not belong in a postcode; a postcode is 4 digits and 2 letters, like 1234 AB."
                ),
                Self::Shape => {
                    "A postcode is first 4 digits and then 2 letters, like 1234 AB.".to_string()
                }
                Self::DigitCount(n) => {
                    format!("A postcode starts with 4 digits; this one has {n}.")
                }
                Self::LetterCount(n) => {
                    format!("A postcode has 2 letters after the 4 digits; this one has {n}.")
                }
                Self::LeadingZero => "A Dutch postcode never starts with 0.".to_string(),
                Self::NotIssued(l) => format!("The letters {l} are not used in Dutch postcodes."),
            },
        }
    }
}

impl Postcode {
    /// Parses and normalises a postcode to "1234 AB".
    pub fn parse(input: &str) -> Result<Postcode, PostcodeError> {
        let compact: Vec<char> = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(PostcodeError::Empty);
        }
        if let Some(&bad) = compact.iter().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(PostcodeError::InvalidCharacter(bad));
        }
        let digit_count = compact.iter().take_while(|c| c.is_ascii_digit()).count();
        let letters: String = compact[digit_count..].iter().collect();
        if digit_count == 0 || letters.chars().any(|c| c.is_ascii_digit()) {
            return Err(PostcodeError::Shape);
        }
        if digit_count != 4 {
            return Err(PostcodeError::DigitCount(digit_count));
        }
        if letters.len() != 2 {
            return Err(PostcodeError::LetterCount(letters.len()));
        }
        if compact[0] == '0' {
            return Err(PostcodeError::LeadingZero);
        }
        let letters = letters.to_ascii_uppercase();
        if NOT_ISSUED.contains(&letters.as_str()) {
            return Err(PostcodeError::NotIssued(letters));
        }
        let digits: String = compact[..4].iter().collect();
        Ok(Postcode(format!("{digits} {letters}")))
    }

    /// The normal written form, "1234 AB".
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form without a space, "1234AB", as used by address lookups.
    pub fn compact(&self) -> String {
        self.0.replace(' ', "")
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Postcode {
    type Err = PostcodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Postcode::parse(s)
    }
}

impl TryFrom<String> for Postcode {
    type Error = PostcodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Postcode::parse(&s)
    }
}

impl TryFrom<&str> for Postcode {
    type Error = PostcodeError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Postcode::parse(s)
    }
}

impl From<Postcode> for String {
    fn from(p: Postcode) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        for input in ["1234ab", "1234 AB", "1234  ab", " 1234AB ", "1234\taB"] {
            let pc = Postcode::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(pc.as_str(), "1234 AB");
            assert_eq!(pc.to_string(), "1234 AB");
            assert_eq!(pc.compact(), "1234AB");
        }
        assert_eq!(Postcode::parse("9999zz").unwrap().as_str(), "9999 ZZ");
        assert_eq!(Postcode::parse("1000 SB").unwrap().as_str(), "1000 SB");
    }

    #[test]
    fn rejects_with_reason() {
        use PostcodeError as E;
        let cases = [
            ("", E::Empty, "Vul een postcode in"),
            ("   ", E::Empty, "Vul een postcode in"),
            ("0123 AB", E::LeadingZero, "begint nooit met een 0"),
            ("1234 SA", E::NotIssued("SA".into()), "De letters SA worden"),
            ("1234sd", E::NotIssued("SD".into()), "De letters SD worden"),
            ("1234 ss", E::NotIssued("SS".into()), "niet gebruikt"),
            ("123 AB", E::DigitCount(3), "4 cijfers; hier staan er 3"),
            ("12345 AB", E::DigitCount(5), "hier staan er 5"),
            ("1234 A", E::LetterCount(1), "2 letters; hier staan er 1"),
            ("1234", E::LetterCount(0), "hier staan er 0"),
            ("1234 ABC", E::LetterCount(3), "hier staan er 3"),
            ("AB 1234", E::Shape, "eerst 4 cijfers en dan 2 letters"),
            ("12AB34", E::Shape, "eerst 4 cijfers"),
            (
                "1234-AB",
                E::InvalidCharacter('-'),
                "'-' hoort niet in een postcode",
            ),
            ("1234 ÅB", E::InvalidCharacter('Å'), "hoort niet"),
        ];
        for (input, err, text) in cases {
            let got = Postcode::parse(input).unwrap_err();
            assert_eq!(got, err, "{input}");
            assert!(got.to_string().contains(text), "{input}: {got}");
        }
    }

    #[test]
    fn localizes() {
        let e = PostcodeError::NotIssued("SA".into());
        assert_eq!(e.localize(Lang::Nl), e.to_string());
        assert_eq!(
            e.localize(Lang::En),
            "The letters SA are not used in Dutch postcodes."
        );
        assert!(
            PostcodeError::LeadingZero
                .localize(Lang::En)
                .contains("never starts with 0")
        );
    }

    #[test]
    fn serde_as_validated_string() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Row {
            postcode: Postcode,
        }
        let row: Row = toml::from_str("postcode = \"1234ab\"").unwrap();
        assert_eq!(row.postcode.as_str(), "1234 AB");
        assert_eq!(
            toml::to_string(&row).unwrap().trim(),
            "postcode = \"1234 AB\""
        );
        assert!(toml::from_str::<Row>("postcode = \"0123 AB\"").is_err());
    }
}
