//! User-facing language. Everything a user reads is Dutch by default; `language = "en"` in the
//! config switches messages to English where a translation exists.

use serde::Deserialize;

/// The language the user reads messages in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch, the default.
    #[default]
    Nl,
    /// English.
    En,
}

/// A message that can be shown to a user in their language.
///
/// Error types of the library implement `Display` in Dutch (the default language) and this trait
/// for the English variant, so a caller that only knows `Display` still shows Dutch.
pub trait Localize {
    /// The message in `lang`.
    fn localize(&self, lang: Lang) -> String;
}
pub mod store_errors;
