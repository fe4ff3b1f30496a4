//! Dutch telephone numbers, stored in national form ("0612345678").
//!
//! Accepted: mobile (06, 10 digits), landlines (01-05 and 07 with a 3- or 4-digit area code,
//! 10 digits), non-geographic numbers 082, 084, 085, 087, 088 and 091 (10 digits), 097 M2M numbers
//! (12 digits) and 0800/0900/0906/0909 numbers (8 or 11 digits). The prefixes +31 and 0031 are
//! turned into 0, also when written as "+31 (0)6 ...". Spaces, tabs and `- ( ) .` are ignored.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::{Lang, Localize};

/// Area codes of 2 digits (written with the leading 0 as 3 characters); all other area codes
/// have 3 digits (4 characters with the 0).
const SHORT_AREA_CODES: [&str; 30] = [
    "010", "013", "015", "020", "023", "024", "026", "030", "033", "035", "036", "038", "040",
    "043", "045", "046", "050", "053", "055", "058", "070", "071", "072", "073", "074", "075",
    "076", "077", "078", "079",
];
/// Information numbers with 4 or 7 digits after the prefix.
const SERVICE_PREFIXES: [&str; 4] = ["0800", "0900", "0906", "0909"];
/// Non-geographic 10-digit numbers.
const NON_GEOGRAPHIC: [&str; 6] = ["082", "084", "085", "087", "088", "091"];

/// A valid Dutch telephone number in national form, digits only, e.g. `"0612345678"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a text is not a valid Dutch telephone number. `Display` is Dutch; use [`Localize`] for
/// English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Nothing was entered.
    #[error("Vul een telefoonnummer in, zoals 06-12345678.")]
    Empty,
    /// A letter or other character that is not a digit or separator.
    #[error("Een telefoonnummer bestaat uit cijfers; '{0}' hoort er niet in.")]
    InvalidCharacter(char),
    /// A number with a foreign country code (+32..., 0049...).
    #[error(
        "Alleen Nederlandse telefoonnummers kunnen worden ingevoerd (06..., 020..., +31...); dit is een buitenlands nummer."
    )]
    Foreign,
    /// The number does not start with 0, +31 or 0031.
    #[error("Een Nederlands telefoonnummer begint met 0 (zoals 06 of 020) of met +31.")]
    MissingZero,
    /// Fewer than 10 digits for a normal number.
    #[error(
        "Dit nummer is te kort: {0} cijfers. Een Nederlands nummer heeft er 10, zoals 06-12345678."
    )]
    TooShort(usize),
    /// More than 10 digits for a normal number.
    #[error(
        "Dit nummer is te lang: {0} cijfers. Een Nederlands nummer heeft er 10, zoals 06-12345678."
    )]
    TooLong(usize),
    /// A 0800/0900/0906/0909 number that is not 8 or 11 digits long.
    #[error("Een {prefix}-nummer heeft 8 of 11 cijfers; dit zijn er {found}.")]
    ServiceLength {
        /// The service prefix, e.g. "0800".
        prefix: String,
        /// The number of digits found.
        found: usize,
    },
    /// A 097 number that is not 12 digits long.
    #[error("Een 097-nummer heeft 12 cijfers; dit zijn er {0}.")]
    M2mLength(usize),
    /// A prefix that is not used in the Netherlands.
    #[error("Nummers die beginnen met {0} bestaan niet in Nederland. Controleer het nummer.")]
    UnknownPrefix(String),
}

impl Localize for PhoneError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => match self {
                Self::Empty => "Enter a telephone number, like 06-12345678.".to_string(),
                Self::InvalidCharacter(c) => {
                    format!("A telephone number consists of digits; '{c}' does not belong in it.")
                }
                Self::Foreign => "Only Dutch telephone numbers can be entered (06..., 020..., \
                    +31...); this is a foreign number."
                    .to_string(),
                Self::MissingZero => {
                    "A Dutch telephone number starts with 0 (like 06 or 020) or with +31."
                        .to_string()
                }
                Self::TooShort(n) => format!(
                    "This number is too short: {n} digits. A Dutch number has 10, like 06-12345678."
                ),
                Self::TooLong(n) => format!(
                    "This number is too long: {n} digits. A Dutch number has 10, like 06-12345678."
                ),
                Self::ServiceLength { prefix, found } => {
                    format!("A {prefix} number has 8 or 11 digits; this one has {found}.")
                }
                Self::M2mLength(n) => format!("A 097 number has 12 digits; this one has {n}."),
                Self::UnknownPrefix(p) => format!(
                    "Numbers starting with {p} do not exist in the Netherlands. Check the number."
                ),
            },
        }
    }
}

impl Phone {
    /// Parses a Dutch telephone number and normalises it to national digits.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '.'))
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(PhoneError::InvalidCharacter(bad));
        }
        let national = if plus {
            national_after_country_code(digits)?
        } else if let Some(rest) = digits.strip_prefix("0031") {
            national_after_country_code(&format!("31{rest}"))?
        } else if digits.starts_with("00") {
            return Err(PhoneError::Foreign);
        } else if digits.starts_with('0') {
            digits.to_string()
        } else {
            return Err(PhoneError::MissingZero);
        };
        check_length(&national)?;
        Ok(Phone(national))
    }

    /// The national digits, e.g. `"0612345678"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number written for people: prefix or area code, a hyphen, then the rest, e.g.
    /// `"06-12345678"`, `"030-1234567"`, `"0343-123456"`, `"0800-1234"`.
    pub fn display(&self) -> String {
        let split = prefix_len(&self.0).min(self.0.len());
        let (head, tail) = self.0.split_at(split);
        format!("{head}-{tail}")
    }

    /// The international form without separators, e.g. `"+31612345678"`.
    pub fn international(&self) -> String {
        format!("+31{}", self.0.get(1..).unwrap_or_default())
    }
}

/// Turns digits after "+" (starting with the country code) into a national number.
fn national_after_country_code(digits: &str) -> Result<String, PhoneError> {
    let Some(rest) = digits.strip_prefix("31") else {
        return Err(if digits.is_empty() {
            PhoneError::TooShort(0)
        } else {
            PhoneError::Foreign
        });
    };
    // "+31 (0)6 ..." keeps a 0 that must not be doubled.
    let rest = rest.strip_prefix('0').unwrap_or(rest);
    Ok(format!("0{rest}"))
}

/// Checks the length of a national number (all digits, starting with 0) for its prefix.
fn check_length(n: &str) -> Result<(), PhoneError> {
    let len = n.len();
    if let Some(prefix) = SERVICE_PREFIXES.iter().find(|p| n.starts_with(*p)) {
        return if len == 8 || len == 11 {
            Ok(())
        } else {
            Err(PhoneError::ServiceLength {
                prefix: (*prefix).to_string(),
                found: len,
            })
        };
    }
    if n.starts_with("097") {
        return if len == 12 {
            Ok(())
        } else {
            Err(PhoneError::M2mLength(len))
        };
    }
    let ten_digits = matches!(n.as_bytes().get(1), Some(b'1'..=b'7'))
        || NON_GEOGRAPHIC.iter().any(|p| n.starts_with(p));
    if ten_digits {
        return match len {
            10 => Ok(()),
            l if l < 10 => Err(PhoneError::TooShort(l)),
            l => Err(PhoneError::TooLong(l)),
        };
    }
    if len < 4 {
        return Err(PhoneError::TooShort(len));
    }
    Err(PhoneError::UnknownPrefix(
        n.get(..4).unwrap_or(n).to_string(),
    ))
}

/// How many leading characters form the prefix or area code in `display()`.
fn prefix_len(n: &str) -> usize {
    if n.starts_with("06") {
        2
    } else if SERVICE_PREFIXES.iter().any(|p| n.starts_with(p)) {
        4
    } else if n.starts_with("08")
        || n.starts_with("09")
        || SHORT_AREA_CODES.iter().any(|p| n.starts_with(p))
    {
        3
    } else {
        4
    }
}

impl fmt::Display for Phone {
    /// Shows the human form, like [`Phone::display`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl FromStr for Phone {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl TryFrom<&str> for Phone {
    type Error = PhoneError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Phone::parse(s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let cases = [
            ("0612345678", "0612345678", "06-12345678"),
            ("06-12345678", "0612345678", "06-12345678"),
            ("06 123 456 78", "0612345678", "06-12345678"),
            ("+31612345678", "0612345678", "06-12345678"),
            ("+31 6 12345678", "0612345678", "06-12345678"),
            ("+31 (0)6 12345678", "0612345678", "06-12345678"),
            ("0031612345678", "0612345678", "06-12345678"),
            ("(010) 123.45.67", "0101234567", "010-1234567"),
            ("020-1234567", "0201234567", "020-1234567"),
            ("030 1234567", "0301234567", "030-1234567"),
            ("0343-123456", "0343123456", "0343-123456"),
            ("0111 123456", "0111123456", "0111-123456"),
            ("+31 343 123456", "0343123456", "0343-123456"),
            ("079-1234567", "0791234567", "079-1234567"),
            ("085 123 4567", "0851234567", "085-1234567"),
            ("088-1234567", "0881234567", "088-1234567"),
            ("097 123456789", "097123456789", "097-123456789"),
            ("0800-1234", "08001234", "0800-1234"),
            ("0800 1234567", "08001234567", "0800-1234567"),
            ("0900-1234", "09001234", "0900-1234"),
        ];
        for (input, national, shown) in cases {
            let p = Phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.as_str(), national, "{input}");
            assert_eq!(p.display(), shown, "{input}");
            assert_eq!(p.to_string(), shown, "{input}");
            assert_eq!(Phone::parse(shown).unwrap(), p, "{input}");
            assert_eq!(Phone::parse(&p.international()).unwrap(), p, "{input}");
        }
        assert_eq!(
            Phone::parse("06-12345678").unwrap().international(),
            "+31612345678"
        );
    }

    #[test]
    fn rejects_with_reason() {
        use PhoneError as E;
        let cases = [
            ("", E::Empty, "Vul een telefoonnummer in"),
            (" - ", E::Empty, "Vul een telefoonnummer in"),
            ("06-1234567", E::TooShort(9), "te kort: 9 cijfers"),
            ("06-123456789", E::TooLong(11), "te lang: 11 cijfers"),
            ("06", E::TooShort(2), "te kort"),
            (
                "06-1234567a",
                E::InvalidCharacter('a'),
                "'a' hoort er niet in",
            ),
            ("bel me", E::InvalidCharacter('b'), "bestaat uit cijfers"),
            (
                "06+12345678",
                E::InvalidCharacter('+'),
                "'+' hoort er niet in",
            ),
            (
                "+32 470 12 34 56",
                E::Foreign,
                "Alleen Nederlandse telefoonnummers",
            ),
            ("0049 30 1234567", E::Foreign, "buitenlands nummer"),
            ("612345678", E::MissingZero, "begint met 0"),
            (
                "0800-12345",
                E::ServiceLength {
                    prefix: "0800".into(),
                    found: 9,
                },
                "8 of 11 cijfers; dit zijn er 9",
            ),
            ("0971234", E::M2mLength(7), "097-nummer heeft 12 cijfers"),
            (
                "0812345678",
                E::UnknownPrefix("0812".into()),
                "beginnen met 0812 bestaan niet",
            ),
            (
                "0901234567",
                E::UnknownPrefix("0901".into()),
                "bestaan niet in Nederland",
            ),
            ("080", E::TooShort(3), "te kort"),
            ("+", E::TooShort(0), "te kort"),
        ];
        for (input, err, text) in cases {
            let got = Phone::parse(input).unwrap_err();
            assert_eq!(got, err, "{input}");
            assert!(got.to_string().contains(text), "{input}: {got}");
        }
    }

    #[test]
    fn localizes() {
        let e = PhoneError::Foreign;
        assert_eq!(e.localize(Lang::Nl), e.to_string());
        assert!(
            e.localize(Lang::En)
                .starts_with("Only Dutch telephone numbers")
        );
        assert_eq!(
            PhoneError::TooShort(9).localize(Lang::En),
            "This number is too short: 9 digits. A Dutch number has 10, like 06-12345678."
        );
    }

    #[test]
    fn serde_as_national_string() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Row {
            phone: Phone,
        }
        let row: Row = toml::from_str("phone = \"+31 6 12345678\"").unwrap();
        assert_eq!(
            toml::to_string(&row).unwrap().trim(),
            "phone = \"0612345678\""
        );
        assert!(toml::from_str::<Row>("phone = \"+32470123456\"").is_err());
    }
}
