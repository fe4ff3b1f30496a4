//! The user's configuration file (`config.toml`) and where keukentafel keeps its files.
//!
//! Every key is optional; a missing file means the defaults. A mistake in the file is reported
//! in Dutch with the file name, the line and the key, so a user can fix it without help.
//! This module also holds [`TomlIssue`], the shared diagnosis of TOML errors that the
//! reference data and theme loaders use as well.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::retention::RetentionPolicy;
use crate::i18n::{Lang, Localize};

/// The keys `config.toml` knows, in the order of the sample file.
pub const KNOWN_KEYS: [&str; 8] = [
    "language",
    "theme",
    "idle_lock_minutes",
    "database",
    "output_dir",
    "gemeentecode",
    "istandaarden",
    "zonder_startbericht_dagen",
];

/// The default of `zonder_startbericht_dagen`: a toewijzing without a start message after two
/// weeks goes on the worklist "Zonder startbericht".
pub const DEFAULT_DAYS_WITHOUT_START: u32 = 14;

/// The default municipality code (CBS gemeentecode, 4 digits): Utrecht.
pub const DEFAULT_GEMEENTECODE: &str = "0344";

/// The keys of the `[retention]` table (the one table of `config.toml`, after the keys above).
pub const RETENTION_KEYS: [&str; 3] = [
    "years_after_closing",
    "youth_care_years",
    "youth_care_flags",
];

/// The longest retention period accepted, in years.
pub const MAX_RETENTION_YEARS: u32 = 100;

/// The longest idle time before the screen locks, in minutes.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 30;

/// The user's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The language of messages (`"nl"` or `"en"`).
    pub language: Lang,
    /// The theme name: a builtin theme or `themes/NAME.toml` in the config directory.
    pub theme: String,
    /// Minutes without a key press before the screen locks (1 to 30).
    pub idle_lock_minutes: u32,
    /// The database file; `None` means [`Paths::default_database`].
    pub database: Option<PathBuf>,
    /// The folder that holds `exporten/` and `plannen/`; `None` means [`Paths::data_dir`].
    pub output_dir: Option<PathBuf>,
    /// How long closed households are kept (`[retention]`).
    pub retention: RetentionPolicy,
    /// The municipality's CBS code (4 digits), the sender of toewijzing messages.
    pub gemeentecode: String,
    /// The folder with the official iWmo/iJw 3.2 XSDs and rule checks (`iwmo-3.2/`,
    /// `ijw-3.2/`); `None` means `istandaarden/` in the configuration directory.
    pub istandaarden: Option<PathBuf>,
    /// Days after the toewijzing without a start message (305) before it goes on the worklist
    /// "Zonder startbericht" (1 to 365).
    pub days_without_start: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: Lang::Nl,
            theme: "default".to_string(),
            idle_lock_minutes: 15,
            database: None,
            output_dir: None,
            retention: RetentionPolicy::default(),
            gemeentecode: DEFAULT_GEMEENTECODE.to_string(),
            istandaarden: None,
            days_without_start: DEFAULT_DAYS_WITHOUT_START,
        }
    }
}

/// The file as written: every key optional, spans kept for messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    language: Option<Lang>,
    theme: Option<toml::Spanned<String>>,
    idle_lock_minutes: Option<toml::Spanned<i64>>,
    database: Option<toml::Spanned<PathBuf>>,
    output_dir: Option<toml::Spanned<PathBuf>>,
    gemeentecode: Option<toml::Spanned<String>>,
    istandaarden: Option<toml::Spanned<PathBuf>>,
    zonder_startbericht_dagen: Option<toml::Spanned<i64>>,
    retention: Option<RawRetention>,
}

/// `[retention]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    years_after_closing: Option<toml::Spanned<i64>>,
    youth_care_years: Option<toml::Spanned<i64>>,
    youth_care_flags: Option<toml::Spanned<Vec<String>>>,
}

impl Config {
    /// Reads `path`; a file that does not exist gives the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Config::from_str_named(&text, &file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                file,
                line: None,
                kind: ConfigErrorKind::Read(e.to_string()),
            }),
        }
    }

    /// Parses `text`; `file_name` is only used in error messages.
    pub fn from_str_named(text: &str, file_name: &str) -> Result<Config, ConfigError> {
        let error = |span: Range<usize>, kind| ConfigError {
            file: file_name.to_string(),
            line: Some(line_of(text, span.start)),
            kind,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, issue) = diagnose(text, &e);
            ConfigError {
                file: file_name.to_string(),
                line,
                kind: ConfigErrorKind::Toml(issue),
            }
        })?;
        let mut config = Config::default();
        if let Some(lang) = raw.language {
            config.language = lang;
        }
        if let Some(theme) = raw.theme {
            if !crate::theme::is_valid_name(theme.get_ref()) {
                return Err(error(
                    theme.span(),
                    ConfigErrorKind::InvalidThemeName(theme.into_inner()),
                ));
            }
            config.theme = theme.into_inner();
        }
        if let Some(minutes) = raw.idle_lock_minutes {
            let value = *minutes.get_ref();
            match u32::try_from(value) {
                Ok(v) if (1..=MAX_IDLE_LOCK_MINUTES).contains(&v) => config.idle_lock_minutes = v,
                _ => {
                    return Err(error(
                        minutes.span(),
                        ConfigErrorKind::IdleLockOutOfRange(value),
                    ));
                }
            }
        }
        if let Some(database) = raw.database {
            if database.get_ref().as_os_str().is_empty() {
                return Err(error(database.span(), ConfigErrorKind::EmptyDatabasePath));
            }
            // A mistyped server address must never become a new SQLite file of that name.
            if let Err(bad) =
                crate::store::location::Location::parse(&database.get_ref().to_string_lossy())
            {
                return Err(error(
                    database.span(),
                    ConfigErrorKind::BadDatabaseAddress(bad),
                ));
            }
            config.database = Some(database.into_inner());
        }
        if let Some(dir) = raw.output_dir {
            if dir.get_ref().as_os_str().is_empty() {
                return Err(error(dir.span(), ConfigErrorKind::EmptyOutputDir));
            }
            config.output_dir = Some(dir.into_inner());
        }
        if let Some(code) = raw.gemeentecode {
            let v = code.get_ref();
            if v.len() != 4 || !v.chars().all(|c| c.is_ascii_digit()) {
                return Err(error(
                    code.span(),
                    ConfigErrorKind::InvalidGemeentecode(code.into_inner()),
                ));
            }
            config.gemeentecode = code.into_inner();
        }
        if let Some(dir) = raw.istandaarden {
            if dir.get_ref().as_os_str().is_empty() {
                return Err(error(dir.span(), ConfigErrorKind::EmptyDatabasePath));
            }
            config.istandaarden = Some(dir.into_inner());
        }
        if let Some(days) = raw.zonder_startbericht_dagen {
            let value = *days.get_ref();
            match u32::try_from(value) {
                Ok(v) if (1..=365).contains(&v) => config.days_without_start = v,
                _ => {
                    return Err(error(
                        days.span(),
                        ConfigErrorKind::DaysWithoutStartOutOfRange(value),
                    ));
                }
            }
        }
        if let Some(retention) = raw.retention {
            let years = |value: toml::Spanned<i64>, key: &'static str| {
                let v = *value.get_ref();
                match u32::try_from(v) {
                    Ok(y) if (1..=MAX_RETENTION_YEARS).contains(&y) => Ok(y),
                    _ => Err(error(
                        value.span(),
                        ConfigErrorKind::RetentionOutOfRange { key, value: v },
                    )),
                }
            };
            if let Some(v) = retention.years_after_closing {
                config.retention.years = years(v, "years_after_closing")?;
            }
            if let Some(v) = retention.youth_care_years {
                config.retention.youth_care_years = years(v, "youth_care_years")?;
            }
            if let Some(flags) = retention.youth_care_flags {
                config.retention.youth_care_flags = flags.into_inner();
            }
        }
        Ok(config)
    }

    /// The folder with the official iStandaarden checks: `KEUKENTAFEL_ISTANDAARDEN` when set,
    /// else the configured one, else `istandaarden/` in the configuration directory.
    pub fn istandaarden_dir(&self, paths: &Paths) -> PathBuf {
        std::env::var_os("KEUKENTAFEL_ISTANDAARDEN")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| self.istandaarden.clone())
            .unwrap_or_else(|| paths.config_dir.join("istandaarden"))
    }

    /// The database file to open: the configured one, or the default in `paths`.
    pub fn database_path(&self, paths: &Paths) -> PathBuf {
        self.database
            .clone()
            .unwrap_or_else(|| paths.default_database())
    }
}

/// A problem with the configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as the user knows it.
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: ConfigErrorKind,
}

/// What is wrong with the configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The file exists but cannot be read (the operating system's reason).
    Read(String),
    /// The TOML is malformed, or a key is unknown, duplicated or has a value of the wrong type.
    Toml(TomlIssue),
    /// `idle_lock_minutes` is outside 1..=30 (the value found).
    IdleLockOutOfRange(i64),
    /// `theme` is not a usable theme name.
    InvalidThemeName(String),
    /// `database` is an empty path.
    EmptyDatabasePath,
    /// `database` looks like an address but is not a PostgreSQL one.
    BadDatabaseAddress(crate::domain::Invalid),
    /// `output_dir` is an empty path.
    EmptyOutputDir,
    /// `gemeentecode` is not 4 digits (the value found).
    InvalidGemeentecode(String),
    /// `zonder_startbericht_dagen` outside 1..=365.
    DaysWithoutStartOutOfRange(i64),
    /// A retention period outside 1..=100 years.
    RetentionOutOfRange {
        /// The key in `[retention]`.
        key: &'static str,
        /// The value found.
        value: i64,
    },
    /// A value that must name an entry of a catalogue (a flag type, …) names none.
    UnknownReference {
        /// The key, e.g. `youth_care_flags`.
        key: &'static str,
        /// The value found.
        value: String,
        /// The catalogue's keys.
        known: Vec<String>,
    },
}

impl Localize for ConfigError {
    fn localize(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        let message = match &self.kind {
            ConfigErrorKind::UnknownReference { key, value, known } if nl => format!(
                "{key} noemt '{value}', maar dat signaal staat niet in de catalogus. Bekende signalen: {}. \
                 Een tikfout hier zou bewaartermijnen verkorten; verbeter de waarde.",
                known.join(", ")
            ),
            ConfigErrorKind::UnknownReference { key, value, known } => format!(
                "{key} names '{value}', but that flag is not in the catalogue. Known flags: {}. \
                 A typo here would shorten retention periods; correct the value.",
                known.join(", ")
            ),
            ConfigErrorKind::Read(reason) if nl => format!("kan niet gelezen worden ({reason})."),
            ConfigErrorKind::Read(reason) => format!("cannot be read ({reason})."),
            ConfigErrorKind::Toml(issue) => issue.localize(lang),
            ConfigErrorKind::IdleLockOutOfRange(v) if nl => format!(
                "idle_lock_minutes moet tussen 1 en {MAX_IDLE_LOCK_MINUTES} liggen, niet {v}. \
                 Het scherm vergrendelt uiterlijk na {MAX_IDLE_LOCK_MINUTES} minuten."
            ),
            ConfigErrorKind::IdleLockOutOfRange(v) => format!(
                "idle_lock_minutes must be between 1 and {MAX_IDLE_LOCK_MINUTES}, not {v}. \
                 The screen locks after {MAX_IDLE_LOCK_MINUTES} minutes at most."
            ),
            ConfigErrorKind::InvalidThemeName(name) if nl => format!(
                "ongeldige themanaam '{name}': gebruik alleen kleine letters, cijfers, '-' en '_'."
            ),
            ConfigErrorKind::InvalidThemeName(name) => format!(
                "invalid theme name '{name}': use only lowercase letters, digits, '-' and '_'."
            ),
            ConfigErrorKind::BadDatabaseAddress(bad) if nl => format!("database: {}", bad.nl),
            ConfigErrorKind::BadDatabaseAddress(bad) => format!("database: {}", bad.en),
            ConfigErrorKind::EmptyDatabasePath if nl => {
                "database is leeg: geef een bestandspad of laat de sleutel weg.".to_string()
            }
            ConfigErrorKind::EmptyDatabasePath => {
                "database is empty: give a file path or leave the key out.".to_string()
            }
            ConfigErrorKind::EmptyOutputDir if nl => {
                "output_dir is leeg: geef een map of laat de sleutel weg.".to_string()
            }
            ConfigErrorKind::EmptyOutputDir => {
                "output_dir is empty: give a folder or leave the key out.".to_string()
            }
            ConfigErrorKind::InvalidGemeentecode(v) if nl => format!(
                "gemeentecode moet de CBS-code van 4 cijfers zijn (Utrecht: \"0344\"), niet '{v}'."
            ),
            ConfigErrorKind::InvalidGemeentecode(v) => {
                format!("gemeentecode must be the 4-digit CBS code (Utrecht: \"0344\"), not '{v}'.")
            }
            ConfigErrorKind::DaysWithoutStartOutOfRange(v) if nl => format!(
                "zonder_startbericht_dagen moet een aantal dagen van 1 tot en met 365 zijn, niet {v}."
            ),
            ConfigErrorKind::DaysWithoutStartOutOfRange(v) => format!(
                "zonder_startbericht_dagen must be a number of days from 1 to 365, not {v}."
            ),
            ConfigErrorKind::RetentionOutOfRange { key, value } if nl => format!(
                "retention.{key} moet een aantal jaren van 1 tot en met {MAX_RETENTION_YEARS} zijn, niet {value}."
            ),
            ConfigErrorKind::RetentionOutOfRange { key, value } => format!(
                "retention.{key} must be a number of years from 1 to {MAX_RETENTION_YEARS}, not {value}."
            ),
        };
        located(&self.file, self.line, lang, &message)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::Nl))
    }
}

impl std::error::Error for ConfigError {}

/// Where keukentafel keeps its configuration and its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.toml`, reference data overrides and `themes/`.
    pub config_dir: PathBuf,
    /// Holds the databases.
    pub data_dir: PathBuf,
}

impl Paths {
    /// The platform's directories for keukentafel. The environment variables
    /// `KEUKENTAFEL_CONFIG_DIR` and `KEUKENTAFEL_DATA_DIR`, when set and not empty, replace
    /// them (for tests and CI). `None` when no home directory can be found.
    pub fn discover() -> Option<Paths> {
        let from_env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let config_env = from_env("KEUKENTAFEL_CONFIG_DIR");
        let data_env = from_env("KEUKENTAFEL_DATA_DIR");
        if let (Some(config_dir), Some(data_dir)) = (&config_env, &data_env) {
            return Some(Paths::new(config_dir.clone(), data_dir.clone()));
        }
        let dirs = directories::ProjectDirs::from("nl", "keukentafel", "keukentafel")?;
        Some(Paths {
            config_dir: config_env.unwrap_or_else(|| dirs.config_dir().to_path_buf()),
            data_dir: data_env.unwrap_or_else(|| dirs.data_dir().to_path_buf()),
        })
    }

    /// Paths with explicit directories.
    pub fn new(config_dir: PathBuf, data_dir: PathBuf) -> Paths {
        Paths {
            config_dir,
            data_dir,
        }
    }

    /// `config_dir/config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// `data_dir/keukentafel.db`.
    pub fn default_database(&self) -> PathBuf {
        self.data_dir.join("keukentafel.db")
    }

    /// `data_dir/keukentafel-demo.db`, the database with generated demo households.
    pub fn demo_database(&self) -> PathBuf {
        self.data_dir.join("keukentafel-demo.db")
    }
}

/// A diagnosed problem in a TOML file: what the user did wrong, in terms they can act on.
/// Shared by the configuration, reference data and theme loaders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlIssue {
    /// A key the file format does not know, with the keys it does know.
    UnknownKey {
        /// The key found.
        key: String,
        /// The keys allowed at that place.
        known: Vec<String>,
    },
    /// A required key is missing.
    MissingKey(String),
    /// A key appears twice.
    DuplicateKey(String),
    /// A value has the wrong type or form; `detail` is the parser's (English) explanation.
    InvalidValue {
        /// The key whose value is wrong, when it can be found.
        key: Option<String>,
        /// The parser's explanation.
        detail: String,
    },
    /// The text is not valid TOML; the parser's (English) explanation.
    Syntax(String),
}

impl Localize for TomlIssue {
    fn localize(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        match self {
            TomlIssue::UnknownKey { key, known } => {
                let known = known.join(", ");
                match (nl, known.is_empty()) {
                    (true, true) => format!("onbekende sleutel '{key}'."),
                    (true, false) => {
                        format!("onbekende sleutel '{key}'. Bekende sleutels: {known}.")
                    }
                    (false, true) => format!("unknown key '{key}'."),
                    (false, false) => format!("unknown key '{key}'. Known keys: {known}."),
                }
            }
            TomlIssue::MissingKey(key) if nl => format!("de verplichte sleutel '{key}' ontbreekt."),
            TomlIssue::MissingKey(key) => format!("the required key '{key}' is missing."),
            TomlIssue::DuplicateKey(key) if nl => format!("sleutel '{key}' staat er twee keer in."),
            TomlIssue::DuplicateKey(key) => format!("key '{key}' appears twice."),
            TomlIssue::InvalidValue { key, detail } if nl => {
                let what = key
                    .as_ref()
                    .map(|k| format!(" voor '{k}'"))
                    .unwrap_or_default();
                match expectation_nl(detail) {
                    Some(expected) => format!("ongeldige waarde{what}: verwacht {expected}."),
                    None => format!("ongeldige waarde{what} ({detail})."),
                }
            }
            TomlIssue::InvalidValue { key, detail } => {
                let what = key
                    .as_ref()
                    .map(|k| format!(" for '{k}'"))
                    .unwrap_or_default();
                format!("invalid value{what} ({detail}).")
            }
            TomlIssue::Syntax(message) if nl => {
                format!("dit is geen geldige TOML ({message}).")
            }
            TomlIssue::Syntax(message) => format!("this is not valid TOML ({message})."),
        }
    }
}

/// `file, regel N: message` (or `file, line N: message` in English).
pub(crate) fn located(file: &str, line: Option<usize>, lang: Lang, message: &str) -> String {
    match (line, lang) {
        (Some(n), Lang::Nl) => format!("{file}, regel {n}: {message}"),
        (Some(n), Lang::En) => format!("{file}, line {n}: {message}"),
        (None, _) => format!("{file}: {message}"),
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turns a TOML deserialisation error into a line and an issue.
pub(crate) fn diagnose(text: &str, err: &toml::de::Error) -> (Option<usize>, TomlIssue) {
    let message = err.message().trim();
    let span = err.span();
    let line = span.as_ref().map(|s| line_of(text, s.start));
    let quoted = backticked(message);
    let issue = if message.starts_with("unknown field") {
        TomlIssue::UnknownKey {
            key: quoted.first().cloned().unwrap_or_default(),
            known: quoted.into_iter().skip(1).collect(),
        }
    } else if message.starts_with("missing field") {
        TomlIssue::MissingKey(quoted.first().cloned().unwrap_or_default())
    } else if message.starts_with("duplicate") {
        let key = quoted.first().cloned().or_else(|| {
            span.and_then(|s| text.get(s))
                .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
        });
        TomlIssue::DuplicateKey(key.unwrap_or_default())
    } else if [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|p| message.starts_with(p))
    {
        TomlIssue::InvalidValue {
            key: span.and_then(|s| key_on_line(text, s.start)),
            detail: message.to_string(),
        }
    } else {
        TomlIssue::Syntax(message.to_string())
    };
    (line, issue)
}

/// The words between backticks in a serde message, in order.
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The key of a `key = value` line, given an offset inside the value.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset.min(text.len()))?;
    let line = before.rsplit('\n').next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then(|| key.to_string())
}

/// A Dutch description of what serde expected, when it is one we know.
fn expectation_nl(detail: &str) -> Option<String> {
    let (_, expected) = detail.rsplit_once("expected ")?;
    let expected = expected.trim();
    let words = backticked(expected);
    let text = match expected {
        "a string" | "path string" | "a borrowed string" => "een tekst tussen aanhalingstekens",
        "u8" | "u16" | "u32" | "u64" | "usize" => "een geheel getal (0 of hoger)",
        "i8" | "i16" | "i32" | "i64" | "isize" => "een geheel getal",
        "a character" | "a char" => "één teken tussen aanhalingstekens",
        "a boolean" => "true of false",
        "a sequence" => "een lijst",
        _ if !words.is_empty() => return Some(format!("een van: {}", words.join(", "))),
        _ => return None,
    };
    Some(text.to_string())
}

/// Reads the reference data: `zrm.toml`, `flags.toml` and `contact_kinds.toml` from
/// `config_dir` where they exist (else the embedded defaults), plus `zrm_anchors.toml` when present.
pub fn load_reference_data(
    config_dir: Option<&Path>,
) -> Result<crate::domain::reference::ReferenceData, crate::domain::reference::ReferenceError> {
    use crate::domain::reference::{
        ANCHORS_FILE, CONTACT_KINDS_FILE, FLAGS_FILE, PRODUCTS_FILE, ReferenceData, ReferenceTexts,
        ZRM_FILE,
    };
    let read = |name: &str| read_optional_reference(config_dir, name);
    let texts = ReferenceTexts {
        zrm: read(ZRM_FILE)?,
        flags: read(FLAGS_FILE)?,
        contact_kinds: read(CONTACT_KINDS_FILE)?,
        products: read(PRODUCTS_FILE)?,
        anchors: read(ANCHORS_FILE)?,
    };
    ReferenceData::from_texts(&texts)
}

/// Refuses a configuration that names a catalogue entry that does not exist: each flag type in
/// `[retention] youth_care_flags` must be in the flag catalogue of `reference`. The error names
/// the file (`file`, whose `text` is searched for the line) and the key.
pub fn check_references(
    config: &Config,
    reference: &crate::domain::reference::ReferenceData,
    file: &str,
    text: Option<&str>,
) -> Result<(), ConfigError> {
    let Some(unknown) = config
        .retention
        .youth_care_flags
        .iter()
        .find(|flag| reference.flags.by_key(flag).is_none())
    else {
        return Ok(());
    };
    let quoted = format!("\"{unknown}\"");
    let line = text.and_then(|t| {
        t.lines()
            .position(|l| l.contains("youth_care_flags") && l.contains(&quoted))
            .or_else(|| t.lines().position(|l| l.contains(&quoted)))
            .map(|i| i + 1)
    });
    Err(ConfigError {
        file: file.to_string(),
        line,
        kind: ConfigErrorKind::UnknownReference {
            key: "youth_care_flags",
            value: unknown.clone(),
            known: reference
                .flags
                .flags()
                .iter()
                .map(|f| f.key.clone())
                .collect(),
        },
    })
}

/// The text of `config_dir/name`, `None` when there is no such file.
fn read_optional_reference(
    config_dir: Option<&Path>,
    name: &str,
) -> Result<Option<crate::domain::reference::FileText>, crate::domain::reference::ReferenceError> {
    use crate::domain::reference::{FileText, ReferenceError, ReferenceErrorKind};
    let Some(dir) = config_dir else {
        return Ok(None);
    };
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(FileText {
            text,
            file: path.display().to_string(),
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ReferenceError {
            file: path.display().to_string(),
            line: None,
            kind: ReferenceErrorKind::Read(e.to_string()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_before_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn key_on_line_finds_the_key_before_the_value() {
        let text = "theme = \"x\"\nidle_lock_minutes = \"abc\"\n";
        let offset = text.find("\"abc").unwrap_or(0);
        assert_eq!(
            key_on_line(text, offset).as_deref(),
            Some("idle_lock_minutes")
        );
    }

    #[test]
    fn wrong_type_is_explained_in_dutch() {
        let err = Config::from_str_named("theme = 3\n", "config.toml").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("config.toml, regel 1: ongeldige waarde voor 'theme'"),
            "{text}"
        );
        assert!(text.contains("tekst"), "{text}");
    }

    #[test]
    fn unknown_language_lists_the_choices() {
        let err = Config::from_str_named("language = \"de\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("een van: nl, en"), "{err}");
        assert!(err.localize(Lang::En).contains("line 1"), "{err}");
    }

    #[test]
    fn idle_lock_above_thirty_minutes_is_refused_with_the_maximum() {
        let err = Config::from_str_named("idle_lock_minutes = 45\n", "config.toml").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("config.toml, regel 1"), "{text}");
        assert!(text.contains("tussen 1 en 30"), "{text}");
        assert!(text.contains("niet 45"), "{text}");
        assert_eq!(Config::default().idle_lock_minutes, 15);
        let ok = Config::from_str_named("idle_lock_minutes = 30\n", "c").unwrap();
        assert_eq!(ok.idle_lock_minutes, 30);
    }

    #[test]
    fn retention_defaults_to_15_and_20_years_and_can_be_configured() {
        let defaults = Config::from_str_named("", "c").unwrap().retention;
        assert_eq!((defaults.years, defaults.youth_care_years), (15, 20));
        assert!(defaults.youth_care_flags.contains(&"jeugdhulp".to_string()));
        let text = "[retention]\nyears_after_closing = 7\nyouth_care_years = 25\nyouth_care_flags = [\"jeugdhulp\"]\n";
        let r = Config::from_str_named(text, "c").unwrap().retention;
        assert_eq!((r.years, r.youth_care_years), (7, 25));
        assert_eq!(r.youth_care_flags, vec!["jeugdhulp".to_string()]);
    }

    #[test]
    fn retention_out_of_range_or_unknown_key_is_refused_with_the_line() {
        let err =
            Config::from_str_named("[retention]\nyears_after_closing = 0\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml, regel 2: retention.years_after_closing"),
            "{err}"
        );
        let err = Config::from_str_named("[retention]\nyears = 3\n", "c.toml").unwrap_err();
        assert!(
            err.to_string().contains("onbekende sleutel 'years'"),
            "{err}"
        );
    }

    #[test]
    fn database_path_falls_back_to_the_default() {
        let paths = Paths::new(PathBuf::from("/c"), PathBuf::from("/d"));
        let config = Config::default();
        assert_eq!(
            config.database_path(&paths),
            PathBuf::from("/d/keukentafel.db")
        );
        assert_eq!(
            paths.demo_database(),
            PathBuf::from("/d/keukentafel-demo.db")
        );
        assert_eq!(paths.config_file(), PathBuf::from("/c/config.toml"));
    }
}
