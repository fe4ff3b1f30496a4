//! Reference data: the ZRM catalogue, the flag catalogue, the contact kinds and the products.
//!
//! The ZRM (Zelfredzaamheid-Matrix, "self-reliance matrix") scores a person per life domain from
//! 1 (acute problematiek) to 5 (volledig zelfredzaam). A "dat"-flag (signaal) records *that*
//! something exists in another domain, such as a WW-uitkering or a Veilig Thuis melding, never
//! the dossier itself.
//!
//! The defaults live in `data/*.toml` and are embedded at build time. A file of the same name in
//! the config directory replaces the embedded one. The licensed ZRM anchor texts are never
//! shipped; an organisation may load its copy from `zrm_anchors.toml` in the config directory.
//! Parsing is pure; `config::load_reference_data` reads the files.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{diagnose, line_of};

mod error;
mod products;
pub use error::{ReferenceError, ReferenceErrorKind};
pub use products::{Product, ProductCatalogue, ProductCategory};

/// File name of the ZRM catalogue.
pub const ZRM_FILE: &str = "zrm.toml";
/// File name of the flag catalogue.
pub const FLAGS_FILE: &str = "flags.toml";
/// File name of the contact kinds.
pub const CONTACT_KINDS_FILE: &str = "contact_kinds.toml";
/// File name of the product catalogue for provisions.
pub const PRODUCTS_FILE: &str = "products.toml";
/// File name of the optional, organisation-supplied ZRM anchor texts.
pub const ANCHORS_FILE: &str = "zrm_anchors.toml";

const EMBEDDED_ZRM: &str = include_str!("../../../data/zrm.toml");
const EMBEDDED_FLAGS: &str = include_str!("../../../data/flags.toml");
const EMBEDDED_CONTACT_KINDS: &str = include_str!("../../../data/contact_kinds.toml");
const EMBEDDED_PRODUCTS: &str = include_str!("../../../data/products.toml");

/// One ZRM domain, such as Financiën.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZrmDomain {
    /// Stable identifier stored with assessments, e.g. `financien`.
    pub key: String,
    /// Professional wording, e.g. "Financiën".
    pub name: String,
    /// Client wording for the samen-kijken view, e.g. "Geldzaken".
    pub client_name: String,
}

/// One ZRM level; the same five apply to every domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZrmLevel {
    /// 1..=5.
    pub score: u8,
    /// ZRM wording, e.g. "beperkt zelfredzaam".
    pub label: String,
    /// Plain wording for the client.
    pub client_label: String,
}

/// Licensed anchor texts per domain and level, loaded from [`ANCHORS_FILE`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZrmAnchors {
    texts: BTreeMap<String, [Option<String>; 5]>,
}

impl ZrmAnchors {
    /// The anchor text for `domain` at `score`, if the organisation supplied one.
    pub fn get(&self, domain: &str, score: u8) -> Option<&str> {
        let index = usize::from(score.checked_sub(1)?);
        self.texts.get(domain)?.get(index)?.as_deref()
    }
}

/// The ZRM domains (embedded 13 plus any configured extras) and the five levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZrmCatalogue {
    /// The domains in display order; keys are unique.
    pub domains: Vec<ZrmDomain>,
    /// The levels 1..=5 in order.
    pub levels: Vec<ZrmLevel>,
    /// Anchor texts, when the organisation loaded them.
    pub anchors: Option<ZrmAnchors>,
}

impl ZrmCatalogue {
    /// The domain with `key`.
    pub fn domain(&self, key: &str) -> Option<&ZrmDomain> {
        self.domains.iter().find(|d| d.key == key)
    }

    /// The position of the domain with `key` in display order.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.domains.iter().position(|d| d.key == key)
    }

    /// The client wording of the domain with `key`.
    pub fn client_name(&self, key: &str) -> Option<&str> {
        self.domain(key).map(|d| d.client_name.as_str())
    }

    /// The level with `score` (1..=5).
    pub fn level(&self, score: u8) -> Option<&ZrmLevel> {
        self.levels.iter().find(|l| l.score == score)
    }

    /// The ZRM label of `score`, e.g. "beperkt zelfredzaam" for 3.
    pub fn level_label(&self, score: u8) -> Option<&str> {
        self.level(score).map(|l| l.label.as_str())
    }

    /// The client label of `score`.
    pub fn client_level_label(&self, score: u8) -> Option<&str> {
        self.level(score).map(|l| l.client_label.as_str())
    }

    /// The licensed anchor text for `domain` at `score`, when loaded.
    pub fn anchor(&self, domain: &str, score: u8) -> Option<&str> {
        self.anchors.as_ref()?.get(domain, score)
    }

    /// Parses and validates a ZRM catalogue; `file` is only used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<ZrmCatalogue, ReferenceError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFile {
            domains: Vec<RawDomain>,
            levels: Vec<RawLevel>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawDomain {
            key: Spanned<String>,
            name: Spanned<String>,
            client_name: Spanned<String>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawLevel {
            score: Spanned<i64>,
            label: Spanned<String>,
            client_label: Spanned<String>,
        }
        let src = Source { text, file };
        let raw: RawFile = src.deserialize()?;
        if raw.domains.is_empty() {
            return Err(src.error(None, ReferenceErrorKind::Empty("domains")));
        }
        let mut keys = HashSet::new();
        let mut domains = Vec::with_capacity(raw.domains.len());
        for d in raw.domains {
            domains.push(ZrmDomain {
                key: src.unique_key(d.key, &mut keys)?,
                name: src.non_empty(d.name, "name")?,
                client_name: src.non_empty(d.client_name, "client_name")?,
            });
        }
        let mut levels: Vec<ZrmLevel> = Vec::with_capacity(5);
        for l in raw.levels {
            let span = l.score.span();
            let score = match u8::try_from(*l.score.get_ref()) {
                Ok(s @ 1..=5) => s,
                _ => {
                    let kind = ReferenceErrorKind::InvalidLevel(l.score.get_ref().to_string());
                    return Err(src.error(Some(span), kind));
                }
            };
            if levels.iter().any(|x| x.score == score) {
                return Err(src.error(Some(span), ReferenceErrorKind::DuplicateLevel(score)));
            }
            levels.push(ZrmLevel {
                score,
                label: src.non_empty(l.label, "label")?,
                client_label: src.non_empty(l.client_label, "client_label")?,
            });
        }
        if let Some(missing) = (1..=5).find(|s| levels.iter().all(|l| l.score != *s)) {
            return Err(src.error(None, ReferenceErrorKind::MissingLevel(missing)));
        }
        levels.sort_by_key(|l| l.score);
        Ok(ZrmCatalogue {
            domains,
            levels,
            anchors: None,
        })
    }
}

impl ZrmAnchors {
    /// Parses anchor texts and checks them against `zrm`: every table must be a known domain
    /// key, every entry a level 1..=5 with a non-empty text.
    pub fn parse(text: &str, file: &str, zrm: &ZrmCatalogue) -> Result<ZrmAnchors, ReferenceError> {
        type RawAnchors = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>;
        let src = Source { text, file };
        let raw: RawAnchors = src.deserialize()?;
        let mut texts = BTreeMap::new();
        for (domain, levels) in raw {
            if zrm.domain(domain.get_ref()).is_none() {
                let kind = ReferenceErrorKind::UnknownDomain(domain.get_ref().clone());
                return Err(src.error(Some(domain.span()), kind));
            }
            let mut cells: [Option<String>; 5] = Default::default();
            for (level, anchor) in levels {
                let index = match level.get_ref().trim().parse::<u8>() {
                    Ok(s @ 1..=5) => usize::from(s - 1),
                    _ => {
                        let kind = ReferenceErrorKind::InvalidLevel(level.get_ref().clone());
                        return Err(src.error(Some(level.span()), kind));
                    }
                };
                cells[index] = Some(src.non_empty(anchor, "tekst")?);
            }
            texts.insert(domain.into_inner(), cells);
        }
        Ok(ZrmAnchors { texts })
    }
}

/// One kind of "dat"-flag from the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagKind {
    /// Stable identifier stored with flags, e.g. `schuldhulp`.
    pub key: String,
    /// Display name, e.g. "Schuldhulptraject".
    pub name: String,
    /// The letter after `f` that sets or removes it; lowercase a-z, unique.
    pub mnemonic: char,
    /// The domain the flag points to, e.g. "Schulden".
    pub domain: String,
    /// Optional explanation for the help screen.
    pub description: Option<String>,
}

/// The catalogue of flag kinds; keys and mnemonics are unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagCatalogue {
    flags: Vec<FlagKind>,
}

impl FlagCatalogue {
    /// All flag kinds in catalogue order.
    pub fn flags(&self) -> &[FlagKind] {
        &self.flags
    }

    /// The flag kind with mnemonic `letter` (lowercase; exact match).
    pub fn by_mnemonic(&self, letter: char) -> Option<&FlagKind> {
        self.flags.iter().find(|f| f.mnemonic == letter)
    }

    /// The flag kind with `key`.
    pub fn by_key(&self, key: &str) -> Option<&FlagKind> {
        self.flags.iter().find(|f| f.key == key)
    }

    /// Parses and validates a flag catalogue; `file` is only used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<FlagCatalogue, ReferenceError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFile {
            flags: Vec<RawFlag>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFlag {
            key: Spanned<String>,
            name: Spanned<String>,
            mnemonic: Spanned<String>,
            domain: Spanned<String>,
            description: Option<String>,
        }
        let src = Source { text, file };
        let raw: RawFile = src.deserialize()?;
        let mut keys = HashSet::new();
        let mut flags: Vec<FlagKind> = Vec::with_capacity(raw.flags.len());
        for f in raw.flags {
            let key = src.unique_key(f.key, &mut keys)?;
            let span = f.mnemonic.span();
            let mut letters = f.mnemonic.get_ref().chars();
            let mnemonic = match (letters.next(), letters.next()) {
                (Some(c), None) if c.is_ascii_lowercase() => c,
                _ => {
                    let kind = ReferenceErrorKind::InvalidMnemonic(f.mnemonic.into_inner());
                    return Err(src.error(Some(span), kind));
                }
            };
            if let Some(first) = flags.iter().find(|x| x.mnemonic == mnemonic) {
                let kind = ReferenceErrorKind::DuplicateMnemonic {
                    mnemonic,
                    first: first.key.clone(),
                    second: key,
                };
                return Err(src.error(Some(span), kind));
            }
            flags.push(FlagKind {
                key,
                mnemonic,
                name: src.non_empty(f.name, "name")?,
                domain: src.non_empty(f.domain, "domain")?,
                description: f
                    .description
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty()),
            });
        }
        Ok(FlagCatalogue { flags })
    }
}

/// A kind of contact, such as a huisbezoek (home visit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactKind {
    /// Stable identifier stored with contacts, e.g. `huisbezoek`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Prefilled duration in minutes (0..=1440).
    pub default_minutes: u32,
}

/// The contact kinds; never empty, keys unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactKinds {
    kinds: Vec<ContactKind>,
}

impl ContactKinds {
    /// All kinds in display order.
    pub fn kinds(&self) -> &[ContactKind] {
        &self.kinds
    }

    /// The kind with `key`.
    pub fn by_key(&self, key: &str) -> Option<&ContactKind> {
        self.kinds.iter().find(|k| k.key == key)
    }

    /// The default kind for a new contact: the first in the file.
    pub fn default(&self) -> &ContactKind {
        // `parse`, the only constructor, rejects an empty list.
        &self.kinds[0]
    }

    /// Parses and validates contact kinds; `file` is only used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<ContactKinds, ReferenceError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFile {
            kinds: Vec<RawKind>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawKind {
            key: Spanned<String>,
            name: Spanned<String>,
            default_minutes: Spanned<i64>,
        }
        let src = Source { text, file };
        let raw: RawFile = src.deserialize()?;
        if raw.kinds.is_empty() {
            return Err(src.error(None, ReferenceErrorKind::Empty("kinds")));
        }
        let mut keys = HashSet::new();
        let mut kinds = Vec::with_capacity(raw.kinds.len());
        for k in raw.kinds {
            let minutes = *k.default_minutes.get_ref();
            let Some(default_minutes) = u32::try_from(minutes).ok().filter(|m| *m <= 1440) else {
                let kind = ReferenceErrorKind::InvalidMinutes(minutes);
                return Err(src.error(Some(k.default_minutes.span()), kind));
            };
            kinds.push(ContactKind {
                key: src.unique_key(k.key, &mut keys)?,
                name: src.non_empty(k.name, "name")?,
                default_minutes,
            });
        }
        Ok(ContactKinds { kinds })
    }
}

/// All reference data the application needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceData {
    /// The ZRM catalogue.
    pub zrm: ZrmCatalogue,
    /// The flag catalogue.
    pub flags: FlagCatalogue,
    /// The contact kinds.
    pub contact_kinds: ContactKinds,
    /// The product catalogue for provisions.
    pub products: ProductCatalogue,
}

impl ReferenceData {
    /// The embedded defaults.
    ///
    /// # Panics
    /// Only if the files in `data/` are invalid, which the test
    /// `embedded_reference_data_is_valid` rules out at build time.
    #[allow(
        clippy::panic,
        reason = "the embedded files are part of the build and checked by a test"
    )]
    pub fn embedded() -> ReferenceData {
        match ReferenceData::try_embedded() {
            Ok(data) => data,
            Err(e) => panic!("embedded reference data is invalid: {e}"),
        }
    }

    /// The embedded defaults, or the error if a file in `data/` is invalid.
    pub fn try_embedded() -> Result<ReferenceData, ReferenceError> {
        ReferenceData::from_texts(&ReferenceTexts::default())
    }

    /// Parses the given texts, using the embedded default for each file not given. Pure: the
    /// caller reads the files (see `config::load_reference_data`).
    pub fn from_texts(texts: &ReferenceTexts) -> Result<ReferenceData, ReferenceError> {
        let mut zrm = with_source(
            texts.zrm.as_ref(),
            ZRM_FILE,
            EMBEDDED_ZRM,
            ZrmCatalogue::parse,
        )?;
        let flags = with_source(
            texts.flags.as_ref(),
            FLAGS_FILE,
            EMBEDDED_FLAGS,
            FlagCatalogue::parse,
        )?;
        let contact_kinds = with_source(
            texts.contact_kinds.as_ref(),
            CONTACT_KINDS_FILE,
            EMBEDDED_CONTACT_KINDS,
            ContactKinds::parse,
        )?;
        let products = with_source(
            texts.products.as_ref(),
            PRODUCTS_FILE,
            EMBEDDED_PRODUCTS,
            ProductCatalogue::parse,
        )?;
        if let Some(anchors) = &texts.anchors {
            zrm.anchors = Some(ZrmAnchors::parse(&anchors.text, &anchors.file, &zrm)?);
        }
        Ok(ReferenceData {
            zrm,
            flags,
            contact_kinds,
            products,
        })
    }
}

/// The text of one reference file and the name to report it by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileText {
    /// The file's content.
    pub text: String,
    /// Its path as the user knows it.
    pub file: String,
}

/// Reference files that replace the embedded defaults; `None` means "use the embedded one".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferenceTexts {
    /// `zrm.toml`.
    pub zrm: Option<FileText>,
    /// `flags.toml`.
    pub flags: Option<FileText>,
    /// `contact_kinds.toml`.
    pub contact_kinds: Option<FileText>,
    /// `products.toml`.
    pub products: Option<FileText>,
    /// `zrm_anchors.toml` (never embedded).
    pub anchors: Option<FileText>,
}

/// Parses the given file, else the embedded text.
fn with_source<T>(
    given: Option<&FileText>,
    name: &str,
    embedded: &str,
    parse: fn(&str, &str) -> Result<T, ReferenceError>,
) -> Result<T, ReferenceError> {
    match given {
        Some(f) => parse(&f.text, &f.file),
        None => parse(embedded, &format!("{name} (ingebouwd)")),
    }
}

/// The text being parsed and its name, for errors with line numbers.
struct Source<'a> {
    text: &'a str,
    file: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Option<Range<usize>>, kind: ReferenceErrorKind) -> ReferenceError {
        ReferenceError {
            file: self.file.to_string(),
            line: span.map(|s| line_of(self.text, s.start)),
            kind,
        }
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, ReferenceError> {
        toml::from_str(self.text).map_err(|e| {
            let (line, issue) = diagnose(self.text, &e);
            ReferenceError {
                file: self.file.to_string(),
                line,
                kind: ReferenceErrorKind::Toml(issue),
            }
        })
    }

    fn non_empty(
        &self,
        value: Spanned<String>,
        field: &'static str,
    ) -> Result<String, ReferenceError> {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            return Err(self.error(Some(value.span()), ReferenceErrorKind::Empty(field)));
        }
        Ok(trimmed.to_string())
    }

    /// Checks that `key` is lowercase ascii snake case and not yet in `seen`.
    fn unique_key(
        &self,
        key: Spanned<String>,
        seen: &mut HashSet<String>,
    ) -> Result<String, ReferenceError> {
        let span = key.span();
        let key = key.into_inner();
        let valid = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(self.error(Some(span), ReferenceErrorKind::InvalidKey(key)));
        }
        if !seen.insert(key.clone()) {
            return Err(self.error(Some(span), ReferenceErrorKind::DuplicateKey(key)));
        }
        Ok(key)
    }
}
