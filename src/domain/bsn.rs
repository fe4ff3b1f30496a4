//! Burgerservicenummer (BSN): the Dutch citizen service number, validated with the elfproef.
//!
//! A BSN has 9 digits. Older numbers are often written with 8 digits; those get a leading zero.
//! Spaces and dots may be used as separators ("1234.56.782", "123 456 782").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::{Lang, Localize};

/// A valid BSN: exactly 9 ASCII digits that pass the elfproef and are not all zeros.
///
/// `Debug` shows only the masked form so that a BSN does not end up in logs by accident;
/// `Display` and [`Bsn::as_str`] give the full 9 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bsn(String);

/// Why a text is not a valid BSN. `Display` is Dutch; use [`Localize`] for English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BsnError {
    /// Nothing (or only separators) was entered.
    #[error("Vul een BSN in (9 cijfers).")]
    Empty,
    /// A character other than a digit, space or dot.
    #[error("Een BSN bestaat alleen uit cijfers; '{0}' hoort er niet in.")]
    InvalidCharacter(char),
    /// The number of digits is not 8 or 9.
    #[error("Een BSN heeft 9 cijfers; dit zijn er {0}.")]
    WrongLength(usize),
    /// All digits are zero.
    #[error("Een BSN kan niet alleen uit nullen bestaan.")]
    AllZeros,
    /// The elfproef fails: most likely a typing error.
    #[error("Dit BSN klopt niet (elfproef mislukt). Controleer de cijfers.")]
    Checksum,
}

impl Localize for BsnError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => match self {
                Self::Empty => "Enter a BSN (9 digits).".to_string(),
                Self::InvalidCharacter(c) => {
                    format!("A BSN consists of digits only; '{c}' does not belong in it.")
                }
                Self::WrongLength(n) => format!("A BSN has 9 digits; this one has {n}."),
                Self::AllZeros => "A BSN cannot consist of zeros only.".to_string(),
                Self::Checksum => {
                    "This BSN is not valid (eleven test failed). Check the digits.".to_string()
                }
            },
        }
    }
}

impl Bsn {
    /// Parses a BSN. Trims the input, ignores spaces and dots, pads 8 digits with a leading zero
    /// and checks the elfproef.
    pub fn parse(input: &str) -> Result<Bsn, BsnError> {
        let mut digits = String::with_capacity(9);
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' => {}
                other => return Err(BsnError::InvalidCharacter(other)),
            }
        }
        match digits.len() {
            0 => return Err(BsnError::Empty),
            8 => digits.insert(0, '0'),
            9 => {}
            n => return Err(BsnError::WrongLength(n)),
        }
        if digits.bytes().all(|b| b == b'0') {
            return Err(BsnError::AllZeros);
        }
        if !elfproef(&digits) {
            return Err(BsnError::Checksum);
        }
        Ok(Bsn(digits))
    }

    /// The 9 digits, e.g. `"123456782"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The BSN with only the last 4 digits visible, e.g. `"*****6782"`, for lists and screens
    /// where the full number is not needed.
    pub fn masked(&self) -> String {
        let tail = self.0.get(5..).unwrap_or_default();
        format!("*****{tail}")
    }
}

/// Whether `input` would be accepted by [`Bsn::parse`].
pub fn is_valid_bsn(input: &str) -> bool {
    Bsn::parse(input).is_ok()
}

/// The elfproef on 9 ASCII digits: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11.
fn elfproef(digits: &str) -> bool {
    let sum: i64 = digits
        .bytes()
        .zip([9i64, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(b, w)| i64::from(b - b'0') * w)
        .sum();
    sum % 11 == 0
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bsn({})", self.masked())
    }
}

impl FromStr for Bsn {
    type Err = BsnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bsn::parse(s)
    }
}

impl TryFrom<String> for Bsn {
    type Error = BsnError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Bsn::parse(&s)
    }
}

impl TryFrom<&str> for Bsn {
    type Error = BsnError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Bsn::parse(s)
    }
}

impl From<Bsn> for String {
    fn from(b: Bsn) -> String {
        b.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_forms() {
        for input in [
            "123456782",
            " 123456782 ",
            "1234.56.782",
            "123 456 782",
            "12.34.56.782",
        ] {
            let bsn = Bsn::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(bsn.as_str(), "123456782");
            assert_eq!(bsn.to_string(), "123456782");
        }
        assert!(is_valid_bsn("111222333"));
    }

    #[test]
    fn eight_digits_get_leading_zero() {
        // 012345672: 0+8+14+18+20+20+18+14-2 = 110 = 10 * 11.
        let bsn = Bsn::parse("12345672").unwrap();
        assert_eq!(bsn.as_str(), "012345672");
        assert_eq!(Bsn::parse("1234.56.72").unwrap(), bsn);
    }

    #[test]
    fn masked_shows_last_four() {
        let bsn = Bsn::parse("123456782").unwrap();
        assert_eq!(bsn.masked(), "*****6782");
        assert_eq!(format!("{bsn:?}"), "Bsn(*****6782)");
    }

    #[test]
    fn rejects_with_reason() {
        let cases = [
            ("", BsnError::Empty, "Vul een BSN in"),
            (" . ", BsnError::Empty, "Vul een BSN in"),
            (
                "1234567",
                BsnError::WrongLength(7),
                "9 cijfers; dit zijn er 7",
            ),
            ("1234567820", BsnError::WrongLength(10), "dit zijn er 10"),
            (
                "12345678a",
                BsnError::InvalidCharacter('a'),
                "'a' hoort er niet in",
            ),
            (
                "123-456-782",
                BsnError::InvalidCharacter('-'),
                "alleen uit cijfers",
            ),
            ("000000000", BsnError::AllZeros, "alleen uit nullen"),
            ("00000000", BsnError::AllZeros, "alleen uit nullen"),
            ("123456789", BsnError::Checksum, "elfproef mislukt"),
        ];
        for (input, err, text) in cases {
            let got = Bsn::parse(input).unwrap_err();
            assert_eq!(got, err, "{input}");
            assert!(got.to_string().contains(text), "{input}: {got}");
            assert!(!is_valid_bsn(input));
        }
        assert_eq!(
            BsnError::WrongLength(8).to_string(),
            "Een BSN heeft 9 cijfers; dit zijn er 8."
        );
        assert_eq!(
            BsnError::Checksum.to_string(),
            "Dit BSN klopt niet (elfproef mislukt). Controleer de cijfers."
        );
    }

    #[test]
    fn localizes() {
        let e = BsnError::WrongLength(7);
        assert_eq!(e.localize(Lang::Nl), e.to_string());
        assert_eq!(e.localize(Lang::En), "A BSN has 9 digits; this one has 7.");
        assert!(
            BsnError::Checksum
                .localize(Lang::En)
                .contains("eleven test")
        );
    }

    #[test]
    fn serde_as_validated_string() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Row {
            bsn: Bsn,
        }
        let row = Row {
            bsn: Bsn::parse("1234.56.782").unwrap(),
        };
        let text = toml::to_string(&row).unwrap();
        assert_eq!(text.trim(), "bsn = \"123456782\"");
        assert_eq!(toml::from_str::<Row>(&text).unwrap(), row);
        assert!(toml::from_str::<Row>("bsn = \"123456789\"").is_err());
        assert_eq!(String::from(row.bsn.clone()), "123456782");
        assert_eq!("123456782".parse::<Bsn>().unwrap(), row.bsn);
    }
}
