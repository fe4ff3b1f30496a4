//! One rejected field: which field, and why, in Dutch and English.

use crate::i18n::{Lang, Localize};

/// A value the user entered that the domain rules reject.
///
/// `field` names the form field (stable, English, e.g. `"postcode"`), so a form can show the
/// message next to that field; the CLI prints the message on stderr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{nl}")]
pub struct Invalid {
    /// The field the message belongs to.
    pub field: &'static str,
    /// The message in Dutch.
    pub nl: String,
    /// The message in English.
    pub en: String,
}

impl Invalid {
    /// A rejection with both wordings.
    pub fn new(field: &'static str, nl: impl Into<String>, en: impl Into<String>) -> Self {
        Invalid {
            field,
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// Wraps a validator's own error (which already knows both languages) for `field`.
    pub fn from_error<E: Localize>(field: &'static str, error: &E) -> Self {
        Invalid {
            field,
            nl: error.localize(Lang::Nl),
            en: error.localize(Lang::En),
        }
    }

    /// "`label` is verplicht" for an empty required text.
    pub fn required(field: &'static str, nl_label: &str, en_label: &str) -> Self {
        Invalid::new(
            field,
            format!("{nl_label} is verplicht."),
            format!("{en_label} is required."),
        )
    }
}

impl Localize for Invalid {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.nl.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

/// Trims `text`, rejects it when empty or longer than `max` characters.
pub fn required_text(
    field: &'static str,
    nl_label: &str,
    en_label: &str,
    text: &str,
    max: usize,
) -> Result<String, Invalid> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Invalid::required(field, nl_label, en_label));
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(Invalid::new(
            field,
            format!("{nl_label} is te lang: {len} tekens, hooguit {max}."),
            format!("{en_label} is too long: {len} characters, at most {max}."),
        ));
    }
    Ok(trimmed.to_string())
}

/// Trims an optional text: empty becomes `None`; longer than `max` is rejected.
pub fn optional_text(
    field: &'static str,
    nl_label: &str,
    en_label: &str,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => required_text(field, nl_label, en_label, t, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_rejects_empty_and_long() {
        assert_eq!(
            required_text("what", "Afspraak", "Agreement", "  bellen ", 10),
            Ok("bellen".to_string())
        );
        let empty = required_text("what", "Afspraak", "Agreement", "   ", 10).unwrap_err();
        assert_eq!(empty.nl, "Afspraak is verplicht.");
        assert_eq!(empty.field, "what");
        let long = required_text("what", "Afspraak", "Agreement", "abcdefghijk", 10).unwrap_err();
        assert!(long.nl.contains("11 tekens, hooguit 10"), "{}", long.nl);
    }

    #[test]
    fn optional_text_empty_is_none() {
        assert_eq!(
            optional_text("note", "Notitie", "Note", Some("  "), 5),
            Ok(None)
        );
        assert_eq!(optional_text("note", "Notitie", "Note", None, 5), Ok(None));
    }
}
