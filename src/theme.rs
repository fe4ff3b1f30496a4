//! Colour themes: named UI roles mapped to terminal colours.
//!
//! Four truecolour themes are built in (from `themes/*.toml`): `default` (dark), `light`,
//! `high-contrast` and `colour-blind` (the Okabe–Ito palette); `ansi16` uses only the 16 ANSI
//! colour names, so it follows the terminal's own palette. [`Theme::no_color`] is for users who
//! set `NO_COLOR`: every role is the terminal's own colour and the screens rely on glyphs and
//! bold/reversed text alone. A file `themes/NAME.toml` in the config directory overrides or adds
//! a theme; a role it leaves out takes the default theme's colour.
//! A colour is `"#rrggbb"`, a ratatui colour name (`"red"`, `"dark gray"`, `"reset"` for the
//! terminal's own colour) or an index `"0"`..`"255"`.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::Color;
use serde::Deserialize;

use crate::config::{TomlIssue, diagnose, line_of, located};
use crate::i18n::{Lang, Localize};

/// The builtin themes: name and file contents.
const BUILTIN: [(&str, &str); 5] = [
    ("default", include_str!("../themes/default.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("colour-blind", include_str!("../themes/colour-blind.toml")),
    ("ansi16", include_str!("../themes/ansi16.toml")),
];

/// The colours of the user interface, one per role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The theme's name.
    pub name: String,
    /// Screen background; `Reset` keeps the terminal's own.
    pub background: Color,
    /// Ordinary text.
    pub text: Color,
    /// Secondary text: hints, dates, counts.
    pub muted: Color,
    /// Titles, key hints, the focused panel.
    pub accent: Color,
    /// Panel borders.
    pub border: Color,
    /// Background of the selected row.
    pub selected_bg: Color,
    /// Text of the selected row.
    pub selected_fg: Color,
    /// Errors and overdue agreements.
    pub error: Color,
    /// Warnings.
    pub warning: Color,
    /// Success messages.
    pub ok: Color,
    /// ZRM bar colours for scores 1 (acute problematiek) to 5 (volledig zelfredzaam).
    pub zrm: [Color; 5],
}

impl Default for Theme {
    /// The default dark theme; equal to `themes/default.toml` (a test checks this).
    fn default() -> Self {
        Theme {
            name: "default".to_string(),
            background: Color::Reset,
            text: Color::Rgb(0xdc, 0xdc, 0xdc),
            muted: Color::Rgb(0x8a, 0x8a, 0x8a),
            accent: Color::Rgb(0x5f, 0xaf, 0xff),
            border: Color::Rgb(0x5f, 0x5f, 0x5f),
            selected_bg: Color::Rgb(0x26, 0x4f, 0x78),
            selected_fg: Color::Rgb(0xff, 0xff, 0xff),
            error: Color::Rgb(0xff, 0x6b, 0x6b),
            warning: Color::Rgb(0xff, 0xb4, 0x54),
            ok: Color::Rgb(0x7b, 0xd8, 0x8f),
            zrm: [
                Color::Rgb(0xe0, 0x52, 0x52),
                Color::Rgb(0xf0, 0x8a, 0x4b),
                Color::Rgb(0xe0, 0xc0, 0x45),
                Color::Rgb(0x9a, 0xcd, 0x5a),
                Color::Rgb(0x4c, 0xaf, 0x50),
            ],
        }
    }
}

/// A theme file as written: every role optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    background: Option<toml::Spanned<String>>,
    text: Option<toml::Spanned<String>>,
    muted: Option<toml::Spanned<String>>,
    accent: Option<toml::Spanned<String>>,
    border: Option<toml::Spanned<String>>,
    selected_bg: Option<toml::Spanned<String>>,
    selected_fg: Option<toml::Spanned<String>>,
    error: Option<toml::Spanned<String>>,
    warning: Option<toml::Spanned<String>>,
    ok: Option<toml::Spanned<String>>,
    zrm_1: Option<toml::Spanned<String>>,
    zrm_2: Option<toml::Spanned<String>>,
    zrm_3: Option<toml::Spanned<String>>,
    zrm_4: Option<toml::Spanned<String>>,
    zrm_5: Option<toml::Spanned<String>>,
}

impl Theme {
    /// The names of the builtin themes.
    pub fn names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(name, _)| *name).collect()
    }

    /// A builtin theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (name, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        Theme::parse(name, text, &format!("themes/{name}.toml")).ok()
    }

    /// The theme for `NO_COLOR` (<https://no-color.org>): every role is the terminal's own
    /// colour. Levels, selection and focus stay visible through glyphs and bold/reversed text.
    pub fn no_color() -> Theme {
        Theme {
            name: "no-color".to_string(),
            background: Color::Reset,
            text: Color::Reset,
            muted: Color::Reset,
            accent: Color::Reset,
            border: Color::Reset,
            selected_bg: Color::Reset,
            selected_fg: Color::Reset,
            error: Color::Reset,
            warning: Color::Reset,
            ok: Color::Reset,
            zrm: [Color::Reset; 5],
        }
    }

    /// The theme `name`: `themes/NAME.toml` in `config_dir` when that exists, else the builtin.
    pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        let error = |file: Option<String>, kind| ThemeError {
            file,
            line: None,
            kind,
        };
        if !is_valid_name(name) {
            return Err(error(None, ThemeErrorKind::InvalidName(name.to_string())));
        }
        if let Some(dir) = config_dir {
            let path = dir.join("themes").join(format!("{name}.toml"));
            let file = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => return Theme::parse(name, &text, &file),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(error(Some(file), ThemeErrorKind::Read(e.to_string()))),
            }
        }
        Theme::builtin(name).ok_or_else(|| {
            let mut known: Vec<String> = Theme::names().into_iter().map(String::from).collect();
            known.extend(config_dir.map(user_theme_names).unwrap_or_default());
            known.sort();
            known.dedup();
            error(
                None,
                ThemeErrorKind::UnknownTheme {
                    name: name.to_string(),
                    known,
                },
            )
        })
    }

    /// Parses a theme file; roles it leaves out take the default theme's colour.
    /// `file` is only used in error messages.
    pub fn parse(name: &str, text: &str, file: &str) -> Result<Theme, ThemeError> {
        let raw: RawTheme = toml::from_str(text).map_err(|e| {
            let (line, issue) = diagnose(text, &e);
            ThemeError {
                file: Some(file.to_string()),
                line,
                kind: ThemeErrorKind::Toml(issue),
            }
        })?;
        let base = Theme::default();
        let colour = |role: &str, value: Option<toml::Spanned<String>>, fallback: Color| {
            let Some(value) = value else {
                return Ok(fallback);
            };
            Color::from_str(value.get_ref().trim()).map_err(|_| ThemeError {
                file: Some(file.to_string()),
                line: Some(line_of(text, value.span().start)),
                kind: ThemeErrorKind::InvalidColour {
                    role: role.to_string(),
                    value: value.get_ref().clone(),
                },
            })
        };
        Ok(Theme {
            name: name.to_string(),
            background: colour("background", raw.background, base.background)?,
            text: colour("text", raw.text, base.text)?,
            muted: colour("muted", raw.muted, base.muted)?,
            accent: colour("accent", raw.accent, base.accent)?,
            border: colour("border", raw.border, base.border)?,
            selected_bg: colour("selected_bg", raw.selected_bg, base.selected_bg)?,
            selected_fg: colour("selected_fg", raw.selected_fg, base.selected_fg)?,
            error: colour("error", raw.error, base.error)?,
            warning: colour("warning", raw.warning, base.warning)?,
            ok: colour("ok", raw.ok, base.ok)?,
            zrm: [
                colour("zrm_1", raw.zrm_1, base.zrm[0])?,
                colour("zrm_2", raw.zrm_2, base.zrm[1])?,
                colour("zrm_3", raw.zrm_3, base.zrm[2])?,
                colour("zrm_4", raw.zrm_4, base.zrm[3])?,
                colour("zrm_5", raw.zrm_5, base.zrm[4])?,
            ],
        })
    }

    /// The bar colour for ZRM score 1..=5; `muted` for anything else (not scored).
    pub fn zrm_colour(&self, score: u8) -> Color {
        match score {
            1..=5 => self.zrm[usize::from(score - 1)],
            _ => self.muted,
        }
    }
}

/// Whether `name` can be a theme name: non-empty, lowercase ASCII letters, digits, `-`, `_`.
/// (It becomes a file name, so no dots or slashes.)
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Theme names found as `themes/*.toml` in `config_dir`.
fn user_theme_names(config_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(config_dir.join("themes")) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "toml" && is_valid_name(&stem)).then_some(stem)
        })
        .collect()
}

/// A theme that cannot be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeError {
    /// The theme file, when the problem is in a file.
    pub file: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: ThemeErrorKind,
}

/// What is wrong with a theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThemeErrorKind {
    /// The file exists but cannot be read (the operating system's reason).
    Read(String),
    /// Malformed TOML, an unknown role, or a value that is not text.
    Toml(TomlIssue),
    /// A value that is not a colour.
    InvalidColour {
        /// The role.
        role: String,
        /// The value found.
        value: String,
    },
    /// No builtin theme and no file with this name.
    UnknownTheme {
        /// The name asked for.
        name: String,
        /// The themes that exist.
        known: Vec<String>,
    },
    /// The name cannot be a theme name (see [`is_valid_name`]).
    InvalidName(String),
}

impl Localize for ThemeError {
    fn localize(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        let message = match &self.kind {
            ThemeErrorKind::Read(reason) if nl => format!("kan niet gelezen worden ({reason})."),
            ThemeErrorKind::Read(reason) => format!("cannot be read ({reason})."),
            // Roles are the keys of a theme file, so say "rol" rather than "sleutel".
            ThemeErrorKind::Toml(TomlIssue::UnknownKey { key, known }) if nl => format!(
                "onbekende rol '{key}'. Bekende rollen: {}.",
                known.join(", ")
            ),
            ThemeErrorKind::Toml(TomlIssue::UnknownKey { key, known }) => {
                format!("unknown role '{key}'. Known roles: {}.", known.join(", "))
            }
            ThemeErrorKind::Toml(issue) => issue.localize(lang),
            ThemeErrorKind::InvalidColour { role, value } if nl => format!(
                "'{value}' bij '{role}' is geen kleur: gebruik \"#rrggbb\" of een naam als \"red\"."
            ),
            ThemeErrorKind::InvalidColour { role, value } => format!(
                "'{value}' for '{role}' is not a colour: use \"#rrggbb\" or a name like \"red\"."
            ),
            ThemeErrorKind::UnknownTheme { name, known } if nl => format!(
                "thema '{name}' bestaat niet. Beschikbaar: {}.",
                known.join(", ")
            ),
            ThemeErrorKind::UnknownTheme { name, known } => {
                format!(
                    "theme '{name}' does not exist. Available: {}.",
                    known.join(", ")
                )
            }
            ThemeErrorKind::InvalidName(name) if nl => format!(
                "ongeldige themanaam '{name}': gebruik alleen kleine letters, cijfers, '-' en '_'."
            ),
            ThemeErrorKind::InvalidName(name) => format!(
                "invalid theme name '{name}': use only lowercase letters, digits, '-' and '_'."
            ),
        };
        match &self.file {
            Some(file) => located(file, self.line, lang, &message),
            None => message,
        }
    }
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::Nl))
    }
}

impl std::error::Error for ThemeError {}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [&str; 15] = [
        "background",
        "text",
        "muted",
        "accent",
        "border",
        "selected_bg",
        "selected_fg",
        "error",
        "warning",
        "ok",
        "zrm_1",
        "zrm_2",
        "zrm_3",
        "zrm_4",
        "zrm_5",
    ];

    #[test]
    fn builtin_files_parse_and_name_every_role() {
        for (name, text) in BUILTIN {
            let file = format!("themes/{name}.toml");
            assert!(Theme::parse(name, text, &file).is_ok(), "{name}");
            let table: toml::Table = toml::from_str(text).unwrap_or_default();
            for role in ROLES {
                assert!(table.contains_key(role), "{name} lacks {role}");
            }
            assert_eq!(table.len(), ROLES.len(), "{name} has extra keys");
        }
    }

    #[test]
    fn ansi16_uses_only_the_terminal_palette() {
        let theme = Theme::builtin("ansi16").expect("ansi16");
        assert_eq!(Theme::load("ansi16", None).as_ref(), Ok(&theme));
        let mut roles = vec![
            theme.background,
            theme.text,
            theme.muted,
            theme.accent,
            theme.border,
            theme.selected_bg,
            theme.selected_fg,
            theme.error,
            theme.warning,
            theme.ok,
        ];
        roles.extend(theme.zrm);
        for c in roles {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{c:?} is not an ANSI colour"
            );
        }
        assert_ne!(theme.zrm, Theme::default().zrm);
    }

    #[test]
    fn no_color_has_no_colours() {
        let theme = Theme::no_color();
        assert!(theme.zrm.iter().all(|c| *c == Color::Reset));
        assert_eq!(theme.selected_bg, Color::Reset);
        assert_eq!(theme.accent, Color::Reset);
    }

    #[test]
    fn default_file_equals_the_default_theme() {
        assert_eq!(Theme::builtin("default"), Some(Theme::default()));
    }

    #[test]
    fn bad_colour_names_role_and_line() {
        let err = Theme::parse("x", "text = \"#ffffff\"\n\nok = \"groenig\"\n", "x.toml")
            .expect_err("bad colour");
        let text = err.to_string();
        assert!(
            text.starts_with("x.toml, regel 3: 'groenig' bij 'ok'"),
            "{text}"
        );
    }

    #[test]
    fn names_with_path_characters_are_rejected() {
        assert!(!is_valid_name("../etc"));
        assert!(!is_valid_name(""));
        assert!(is_valid_name("high-contrast"));
        assert!(Theme::load("a/b", None).is_err());
    }
}
