//! The user's look and keys: the theme and `keymap.toml`. A mistake in either never stops the
//! app: it falls back to the defaults and says so in a visible warning naming the file.

use std::path::Path;

use crate::app::keymap::KeyMap;
use crate::i18n::{Lang, Localize};
use crate::theme::Theme;

/// The key map file in the config directory.
pub const KEYMAP_FILE: &str = "keymap.toml";

/// The default keys with `config_dir/keymap.toml` applied when it exists. A broken file gives
/// the default keys and a warning naming the file and line.
pub fn load_keymap(config_dir: &Path, lang: Lang) -> (KeyMap, Option<String>) {
    let path = config_dir.join(KEYMAP_FILE);
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (KeyMap::default(), None),
        Err(e) => {
            let warning = match lang {
                Lang::Nl => {
                    format!("{file} kan niet gelezen worden ({e}); de standaardtoetsen gelden.")
                }
                Lang::En => format!("{file} cannot be read ({e}); the default keys apply."),
            };
            return (KeyMap::default(), Some(warning));
        }
    };
    let mut keymap = KeyMap::default();
    match keymap.apply_toml(&text, &file) {
        Ok(()) => (keymap, None),
        Err(e) => {
            let warning = match lang {
                Lang::Nl => format!("{e}. De standaardtoetsen gelden."),
                Lang::En => {
                    let line = e.line.map(|l| format!(", line {l}")).unwrap_or_default();
                    format!("{}{line}: {}. The default keys apply.", e.file, e.problem)
                }
            };
            (KeyMap::default(), Some(warning))
        }
    }
}

/// The theme `name` (a builtin or `themes/NAME.toml` in `config_dir`). A theme that cannot be
/// used gives the default theme and a warning. `no_color` (the `NO_COLOR` convention, see
/// [`no_color_requested`]) gives the theme without colours instead.
pub fn load_theme(
    name: &str,
    config_dir: &Path,
    no_color: bool,
    lang: Lang,
) -> (Theme, Option<String>) {
    if no_color {
        return (Theme::no_color(), None);
    }
    match Theme::load(name, Some(config_dir)) {
        Ok(theme) => (theme, None),
        Err(e) => {
            let warning = match lang {
                Lang::Nl => format!("{} Het standaardthema wordt gebruikt.", e.localize(lang)),
                Lang::En => format!("{} The default theme is used.", e.localize(lang)),
            };
            (Theme::default(), Some(warning))
        }
    }
}

/// Whether the environment asks for no colours: `NO_COLOR` set and not empty (no-color.org).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keymap_gives_the_defaults_without_warning() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (_, warning) = load_keymap(dir.path(), Lang::Nl);
        assert_eq!(warning, None);
    }

    #[test]
    fn broken_keymap_falls_back_and_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(KEYMAP_FILE), "[home]\n\nvliegen = \"v\"\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let (keymap, warning) = load_keymap(dir.path(), Lang::Nl);
        let warning = warning.unwrap_or_default();
        assert!(warning.contains("keymap.toml, regel 3"), "{warning}");
        assert!(warning.contains("standaardtoetsen"), "{warning}");
        assert_eq!(
            keymap.bindings(crate::app::keymap::Context::Home),
            KeyMap::default().bindings(crate::app::keymap::Context::Home)
        );
    }

    #[test]
    fn unknown_theme_falls_back_to_the_default_with_a_warning() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (theme, warning) = load_theme("paars", dir.path(), false, Lang::Nl);
        assert_eq!(theme, Theme::default());
        assert!(warning.unwrap_or_default().contains("paars"));
    }

    #[test]
    fn no_color_wins_over_the_configured_theme() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (theme, warning) = load_theme("paars", dir.path(), true, Lang::Nl);
        assert_eq!(theme, Theme::no_color());
        assert_eq!(warning, None);
    }
}
