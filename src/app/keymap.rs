//! The key map: which key does what on which screen. Help text and the status bar are generated
//! from it, so they cannot drift from what the keys do. Users can change keys in `keymap.toml`.

use crossterm::event::KeyEvent;
use serde::Deserialize;
use std::collections::BTreeMap;

pub use super::keybinding::KeyBinding;

pub use super::action::{Action, Context};

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
    (Context::Global, Action::Palette, &[":", "ctrl-k"]),
    (Context::Home, Action::NewHousehold, &["n"]),
    (Context::Finder, Action::NewHousehold, &["alt-n"]),
    (Context::Dashboard, Action::Contact, &["c"]),
    (Context::Dashboard, Action::Agreement, &["a"]),
    (Context::Dashboard, Action::Done, &["x"]),
    (Context::Dashboard, Action::CancelAgreement, &["X"]),
    (Context::Dashboard, Action::Zrm, &["z"]),
    (Context::Dashboard, Action::Flag, &["f"]),
    (Context::Dashboard, Action::Goal, &["g"]),
    (Context::Dashboard, Action::Provision, &["v"]),
    (Context::Dashboard, Action::Member, &["m"]),
    (Context::Dashboard, Action::Edit, &["e"]),
    (Context::Dashboard, Action::Undo, &["u"]),
    (Context::Dashboard, Action::Together, &["s"]),
    (Context::Dashboard, Action::Plan, &["p"]),
    (Context::Dashboard, Action::Regisseur, &["R"]),
    (Context::Dashboard, Action::CloseHousehold, &["K"]),
    (Context::Dashboard, Action::NewHousehold, &["n"]),
    (Context::Form, Action::Save, &["enter"]),
    (Context::Form, Action::Back, &["esc"]),
    (Context::Form, Action::NextField, &["tab", "down"]),
    (Context::Form, Action::PrevField, &["shift-tab", "up"]),
    (Context::ZrmGrid, Action::Save, &["enter"]),
    (Context::ZrmGrid, Action::Back, &["esc"]),
    (Context::ZrmGrid, Action::Down, &["j", "down", "tab"]),
    (Context::ZrmGrid, Action::Up, &["k", "up", "shift-tab"]),
    (Context::Flags, Action::Back, &["esc"]),
    (Context::Flags, Action::Open, &["enter"]),
    (Context::Flags, Action::Down, &["down"]),
    (Context::Flags, Action::Up, &["up"]),
    (Context::Together, Action::Back, &["esc", "s"]),
    (Context::Together, Action::NextMember, &["l", "right"]),
    (Context::Together, Action::PrevMember, &["h", "left"]),
    (Context::Together, Action::Down, &["j", "down"]),
    (Context::Together, Action::Up, &["k", "up"]),
    (Context::Palette, Action::Back, &["esc"]),
    (Context::Palette, Action::Open, &["enter"]),
    (Context::Palette, Action::Down, &["down", "ctrl-n"]),
    (Context::Palette, Action::Up, &["up", "ctrl-p"]),
    (Context::Home, Action::Reports, &["r"]),
    (Context::Reports, Action::Back, &["esc"]),
    (Context::Reports, Action::NextPanel, &["tab", "right", "l"]),
    (
        Context::Reports,
        Action::PrevPanel,
        &["shift-tab", "left", "h"],
    ),
    (Context::Reports, Action::Down, &["j", "down"]),
    (Context::Reports, Action::Up, &["k", "up"]),
    (Context::Reports, Action::PrevPeriod, &["["]),
    (Context::Reports, Action::NextPeriod, &["]"]),
    (Context::Reports, Action::ExportCsv, &["e"]),
    (Context::Reports, Action::ExportJson, &["E"]),
    (Context::Home, Action::Worklists, &["w"]),
    (Context::Home, Action::Providers, &["a"]),
    (Context::Home, Action::Requests, &["v"]),
    (Context::Worklist, Action::Requests, &["ctrl-v"]),
    (Context::Requests, Action::Back, &["esc"]),
    (Context::Requests, Action::Down, &["j", "down"]),
    (Context::Requests, Action::Up, &["k", "up"]),
    (Context::Requests, Action::GrantRequest, &["t"]),
    (Context::Requests, Action::RefuseRequest, &["a"]),
    (Context::Requests, Action::ImportMessages, &["i"]),
    (Context::Providers, Action::Back, &["esc"]),
    (Context::Providers, Action::Down, &["j", "down"]),
    (Context::Providers, Action::Up, &["k", "up"]),
    (Context::Providers, Action::NewProvider, &["n"]),
    (Context::Providers, Action::NewContract, &["c"]),
    (Context::Worklist, Action::Open, &["enter"]),
    (Context::Worklist, Action::Back, &["esc"]),
    (Context::Worklist, Action::NextPanel, &["tab"]),
    (Context::Worklist, Action::PrevPanel, &["shift-tab"]),
    (Context::Worklist, Action::Down, &["down"]),
    (Context::Worklist, Action::Up, &["up"]),
    (Context::Worklist, Action::PageDown, &["pagedown"]),
    (Context::Worklist, Action::PageUp, &["pageup"]),
    (Context::Worklist, Action::Top, &["home"]),
    (Context::Worklist, Action::Bottom, &["end"]),
    // Space is text for the filter ("de vries"); selecting has keys of its own.
    (Context::Worklist, Action::Select, &["ctrl-space", "insert"]),
    (Context::Worklist, Action::SelectAll, &["*"]),
    (Context::Worklist, Action::Sort, &["ctrl-s"]),
    (Context::Worklist, Action::Reverse, &["ctrl-r"]),
    (Context::Worklist, Action::Help, &["f1"]),
    (Context::Worklist, Action::Lock, &["ctrl-l"]),
    (Context::Worklist, Action::Palette, &["ctrl-k"]),
    (Context::Worklist, Action::Find, &["ctrl-f"]),
    (Context::Worklist, Action::ExportCsv, &["ctrl-e"]),
    (Context::Worklist, Action::Undo, &["ctrl-z"]),
    (Context::Help, Action::Back, &["esc", "?", "q"]),
    (Context::Help, Action::Up, &["k", "up"]),
    (Context::Help, Action::Down, &["j", "down"]),
    (Context::Help, Action::PageUp, &["pageup"]),
    (Context::Help, Action::PageDown, &["pagedown", "space"]),
    (Context::Help, Action::Top, &["home"]),
    (Context::Help, Action::Bottom, &["end"]),
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
        find(context).or_else(|| {
            context
                .falls_back()
                .then(|| find(Context::Global))
                .flatten()
        })
    }

    /// The keys bound to `action` in `context` (without the global fallback).
    pub fn keys(&self, context: Context, action: Action) -> &[KeyBinding] {
        self.bindings
            .get(&(context, action))
            .map_or(&[], Vec::as_slice)
    }

    /// Every action a context defines, bound to a key or not (the palette lists them all).
    pub fn actions(&self, context: Context) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| self.bindings.contains_key(&(context, *a)))
            .collect()
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
    use crossterm::event::{KeyCode, KeyModifiers};

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
