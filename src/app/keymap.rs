//! The key map: which key does what on which screen. Help text and the status bar are generated
//! from it, so they cannot drift from what the keys do. Users can change keys in `keymap.toml`.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::i18n::Lang;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere once logged in (unless a screen binds the key itself).
    Global,
    /// The login and lock screen.
    Login,
    /// Home.
    Home,
    /// The finder.
    Finder,
    /// The household dashboard.
    Dashboard,
    /// The help overlay.
    Help,
}

impl Context {
    /// Every context, in help order.
    pub const ALL: [Context; 6] = [
        Context::Global,
        Context::Login,
        Context::Home,
        Context::Finder,
        Context::Dashboard,
        Context::Help,
    ];

    /// The table name in `keymap.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Login => "login",
            Context::Home => "home",
            Context::Finder => "finder",
            Context::Dashboard => "dashboard",
            Context::Help => "help",
        }
    }

    /// The heading in the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Context::Global, Lang::Nl) => "Overal",
            (Context::Global, Lang::En) => "Everywhere",
            (Context::Login, Lang::Nl) => "Inloggen",
            (Context::Login, Lang::En) => "Login",
            (Context::Home, _) => "Home",
            (Context::Finder, Lang::Nl) => "Zoeken",
            (Context::Finder, Lang::En) => "Finder",
            (Context::Dashboard, Lang::Nl) => "Huishouden",
            (Context::Dashboard, Lang::En) => "Household",
            (Context::Help, _) => "Help",
        }
    }
}

/// Something a key can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Leave the app (from home).
    Quit,
    /// Open or close help.
    Help,
    /// Open the finder.
    Find,
    /// Go back or cancel.
    Back,
    /// Open the selected item / confirm.
    Open,
    /// Lock the screen now.
    Lock,
    /// Next panel or field.
    NextPanel,
    /// Previous panel or field.
    PrevPanel,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// Show the next household member's ZRM.
    NextMember,
    /// Show the previous household member's ZRM.
    PrevMember,
    /// Go to home.
    Home,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 15] = [
        Action::Find,
        Action::Open,
        Action::Back,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::NextPanel,
        Action::PrevPanel,
        Action::NextMember,
        Action::PrevMember,
        Action::Home,
        Action::Help,
        Action::Lock,
        Action::Quit,
    ];

    /// The name in `keymap.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Find => "find",
            Action::Back => "back",
            Action::Open => "open",
            Action::Lock => "lock",
            Action::NextPanel => "next_panel",
            Action::PrevPanel => "prev_panel",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::NextMember => "next_member",
            Action::PrevMember => "prev_member",
            Action::Home => "home",
        }
    }

    /// A short description for help and the status bar.
    pub fn label(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Action::Quit => ("afsluiten", "quit"),
            Action::Help => ("help", "help"),
            Action::Find => ("zoeken", "find"),
            Action::Back => ("terug", "back"),
            Action::Open => ("openen", "open"),
            Action::Lock => ("vergrendelen", "lock"),
            Action::NextPanel => ("volgend paneel", "next panel"),
            Action::PrevPanel => ("vorig paneel", "previous panel"),
            Action::Up => ("omhoog", "up"),
            Action::Down => ("omlaag", "down"),
            Action::PageUp => ("pagina omhoog", "page up"),
            Action::PageDown => ("pagina omlaag", "page down"),
            Action::NextMember => ("volgend gezinslid", "next member"),
            Action::PrevMember => ("vorig gezinslid", "previous member"),
            Action::Home => ("naar home", "go home"),
        };
        if lang == Lang::Nl { nl } else { en }
    }
}

/// One key with its modifiers, e.g. `ctrl-l`, `/`, `enter`, `shift-tab`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    /// The key.
    pub code: KeyCode,
    /// Ctrl/Alt (Shift is part of the character for printable keys).
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    /// Parses `ctrl-l`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `pageup`, `f1`, or one character.
    pub fn parse(text: &str) -> Option<KeyBinding> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().ok()?)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                let c = if modifiers.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                KeyCode::Char(c)
            }
        };
        Some(KeyBinding { code, modifiers })
    }

    /// The binding a key event matches (Shift folded into the character).
    pub fn from_event(key: &KeyEvent) -> KeyBinding {
        let modifiers = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match key.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        KeyBinding { code, modifiers }
    }

    /// Whether this is plain text input (a character without Ctrl or Alt).
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && self.modifiers.is_empty()
    }
}

impl fmt::Display for KeyBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Spatie"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// The default bindings, as `keymap.toml` would write them.
const DEFAULTS: &[(Context, Action, &[&str])] = &[
    (Context::Global, Action::Find, &["/"]),
    (Context::Global, Action::Help, &["?", "f1"]),
    (Context::Global, Action::Lock, &["ctrl-l"]),
    (Context::Global, Action::Back, &["esc"]),
    (Context::Global, Action::Up, &["k", "up"]),
    (Context::Global, Action::Down, &["j", "down"]),
    (Context::Global, Action::PageUp, &["pageup"]),
    (Context::Global, Action::PageDown, &["pagedown"]),
    (Context::Global, Action::Open, &["enter"]),
    (Context::Login, Action::Open, &["enter"]),
    (Context::Login, Action::NextPanel, &["tab", "down"]),
    (Context::Login, Action::PrevPanel, &["shift-tab", "up"]),
    (Context::Login, Action::Quit, &["ctrl-c"]),
    (Context::Home, Action::Quit, &["q"]),
    (Context::Home, Action::NextPanel, &["tab"]),
    (Context::Home, Action::PrevPanel, &["shift-tab"]),
    (Context::Finder, Action::Up, &["up", "ctrl-p"]),
    (Context::Finder, Action::Down, &["down", "ctrl-n"]),
    (Context::Dashboard, Action::NextPanel, &["tab"]),
    (Context::Dashboard, Action::PrevPanel, &["shift-tab"]),
    (Context::Dashboard, Action::NextMember, &["l", "right"]),
    (Context::Dashboard, Action::PrevMember, &["h", "left"]),
    (Context::Dashboard, Action::Home, &["ctrl-h"]),
    (Context::Help, Action::Back, &["esc", "?", "q"]),
    (Context::Help, Action::Up, &["k", "up"]),
    (Context::Help, Action::Down, &["j", "down"]),
];

/// Which key does what, per context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyMap {
    bindings: BTreeMap<(Context, Action), Vec<KeyBinding>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for (context, action, keys) in DEFAULTS {
            let parsed = keys.iter().filter_map(|k| KeyBinding::parse(k)).collect();
            bindings.insert((*context, *action), parsed);
        }
        KeyMap { bindings }
    }
}

/// Whether a screen is typing text: then plain characters are text, not commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Typing {
    /// Characters are commands.
    No,
    /// Characters are text.
    Yes,
}

impl KeyMap {
    /// The action of `key` in `context`: the context's own bindings first, then the global
    /// ones (not in the login screen). While typing, plain characters are never actions.
    pub fn action(&self, context: Context, key: &KeyEvent, typing: Typing) -> Option<Action> {
        let binding = KeyBinding::from_event(key);
        if typing == Typing::Yes && binding.is_text() {
            return None;
        }
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|((c, _), keys)| *c == ctx && keys.contains(&binding))
                .map(|((_, a), _)| *a)
        };
        find(context).or_else(|| match context {
            Context::Login | Context::Help => None,
            _ => find(Context::Global),
        })
    }

    /// The keys bound to `action` in `context` (without the global fallback).
    pub fn keys(&self, context: Context, action: Action) -> &[KeyBinding] {
        self.bindings
            .get(&(context, action))
            .map_or(&[], Vec::as_slice)
    }

    /// Every binding of a context, in action order: `(keys, action)`.
    pub fn bindings(&self, context: Context) -> Vec<(String, Action)> {
        Action::ALL
            .iter()
            .filter_map(|a| {
                let keys = self.keys(context, *a);
                (!keys.is_empty()).then(|| {
                    let text: Vec<String> = keys.iter().map(ToString::to_string).collect();
                    (text.join("/"), *a)
                })
            })
            .collect()
    }

    /// The number of lines the help listing has: a note, then per context with bindings a blank
    /// line, a heading and one line per action.
    pub fn help_len(&self) -> usize {
        1 + Context::ALL
            .iter()
            .map(|c| self.bindings(*c).len())
            .filter(|n| *n > 0)
            .map(|n| n + 2)
            .sum::<usize>()
    }

    /// Applies `keymap.toml`: each `[context] action = "key"` or `= ["key", …]` replaces that
    /// action's keys in that context.
    pub fn apply_toml(&mut self, text: &str, file: &str) -> Result<(), KeyMapError> {
        let tables: BTreeMap<String, BTreeMap<String, toml::Spanned<KeyList>>> =
            toml::from_str(text).map_err(|e| KeyMapError {
                file: file.to_string(),
                line: e.span().map(|s| line_of(text, s.start)),
                problem: e.message().to_string(),
            })?;
        for (table, actions) in tables {
            let context = Context::ALL
                .into_iter()
                .find(|c| c.key() == table)
                .ok_or_else(|| KeyMapError {
                    file: file.to_string(),
                    line: None,
                    problem: format!(
                        "onbekend scherm [{table}]; bekend zijn: {}",
                        Context::ALL.map(Context::key).join(", ")
                    ),
                })?;
            for (name, keys) in actions {
                let line = Some(line_of(text, keys.span().start));
                let action = Action::ALL
                    .into_iter()
                    .find(|a| a.key() == name)
                    .ok_or_else(|| KeyMapError {
                        file: file.to_string(),
                        line,
                        problem: format!("onbekende actie '{name}'"),
                    })?;
                let parsed = keys
                    .get_ref()
                    .0
                    .iter()
                    .map(|k| {
                        KeyBinding::parse(k).ok_or_else(|| KeyMapError {
                            file: file.to_string(),
                            line,
                            problem: format!("onbekende toets '{k}'"),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                for key in &parsed {
                    if let Some(((_, other), _)) = self
                        .bindings
                        .iter()
                        .find(|((c, a), ks)| *c == context && *a != action && ks.contains(key))
                    {
                        return Err(KeyMapError {
                            file: file.to_string(),
                            line,
                            problem: format!(
                                "toets '{key}' doet in [{table}] al '{}'",
                                other.key()
                            ),
                        });
                    }
                }
                self.bindings.insert((context, action), parsed);
            }
        }
        Ok(())
    }
}

/// One key or a list of keys in `keymap.toml`.
#[derive(Debug, Deserialize)]
#[serde(from = "OneOrMany")]
struct KeyList(Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrMany> for KeyList {
    fn from(v: OneOrMany) -> Self {
        match v {
            OneOrMany::One(s) => KeyList(vec![s]),
            OneOrMany::Many(v) => KeyList(v),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// A problem in `keymap.toml`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {problem}", line.map(|l| format!(", regel {l}")).unwrap_or_default())]
pub struct KeyMapError {
    /// The file.
    pub file: String,
    /// The line.
    pub line: Option<usize>,
    /// What is wrong, in Dutch.
    pub problem: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_follow_the_design() {
        let km = KeyMap::default();
        let plain = |c| key(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            km.action(Context::Dashboard, &plain('/'), Typing::No),
            Some(Action::Find)
        );
        assert_eq!(
            km.action(Context::Home, &plain('q'), Typing::No),
            Some(Action::Quit)
        );
        assert_eq!(km.action(Context::Dashboard, &plain('q'), Typing::No), None);
        assert_eq!(
            km.action(
                Context::Home,
                &key(KeyCode::Char('l'), KeyModifiers::CONTROL),
                Typing::No
            ),
            Some(Action::Lock)
        );
        assert_eq!(
            km.action(Context::Finder, &plain('j'), Typing::Yes),
            None,
            "typing j is text"
        );
        assert_eq!(
            km.action(
                Context::Finder,
                &key(KeyCode::Esc, KeyModifiers::NONE),
                Typing::Yes
            ),
            Some(Action::Back)
        );
    }

    #[test]
    fn toml_replaces_keys_and_reports_mistakes_with_line() {
        let mut km = KeyMap::default();
        km.apply_toml(
            "[dashboard]\nnext_member = [\"]\", \"right\"]\n",
            "keymap.toml",
        )
        .unwrap();
        let bracket = key(KeyCode::Char(']'), KeyModifiers::NONE);
        assert_eq!(
            km.action(Context::Dashboard, &bracket, Typing::No),
            Some(Action::NextMember)
        );
        let l = key(KeyCode::Char('l'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Dashboard, &l, Typing::No), None);

        let err = km
            .apply_toml("[home]\n\nvliegen = \"v\"\n", "keymap.toml")
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.to_string().contains("onbekende actie 'vliegen'"),
            "{err}"
        );
        let err = km
            .apply_toml("[dashboard]\nprev_member = \"]\"\n", "keymap.toml")
            .unwrap_err();
        assert!(err.problem.contains("al 'next_member'"), "{err}");
    }

    #[test]
    fn bindings_render_for_help() {
        let km = KeyMap::default();
        let home = km.bindings(Context::Home);
        assert!(home.contains(&("q".to_string(), Action::Quit)));
        assert_eq!(
            KeyBinding::parse("ctrl-l")
                .map(|k| k.to_string())
                .as_deref(),
            Some("Ctrl-l")
        );
    }
}
