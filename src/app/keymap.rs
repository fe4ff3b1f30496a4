//! The key map: which key does what on which screen. Help text and the status bar are generated
//! from it, so they cannot drift from what the keys do. Users can change keys in `keymap.toml`.

use crossterm::event::KeyEvent;
use serde::Deserialize;
use std::collections::BTreeMap;

pub use super::keybinding::KeyBinding;
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
    /// A form over the dashboard (contact, agreement, member, goal, …).
    Form,
    /// The ZRM scoring grid.
    ZrmGrid,
    /// The flag catalogue.
    Flags,
    /// The command palette.
    Palette,
    /// The samen-kijken view.
    Together,
}

impl Context {
    /// Every context, in help order.
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::Login,
        Context::Home,
        Context::Finder,
        Context::Dashboard,
        Context::Form,
        Context::ZrmGrid,
        Context::Flags,
        Context::Together,
        Context::Palette,
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
            Context::Form => "form",
            Context::ZrmGrid => "zrm",
            Context::Flags => "flags",
            Context::Palette => "palette",
            Context::Together => "samen_kijken",
        }
    }

    /// Whether keys this context does not bind fall back to the global bindings. Login, help
    /// and the overlays take only their own keys.
    pub fn falls_back(self) -> bool {
        matches!(
            self,
            Context::Global | Context::Home | Context::Finder | Context::Dashboard
        )
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
            (Context::Form, Lang::Nl) => "Formulier",
            (Context::Form, Lang::En) => "Form",
            (Context::ZrmGrid, Lang::Nl) => "ZRM scoren",
            (Context::ZrmGrid, Lang::En) => "ZRM scoring",
            (Context::Flags, Lang::Nl) => "Signalen",
            (Context::Flags, Lang::En) => "Flags",
            (Context::Palette, Lang::Nl) => "Opdrachten (:)",
            (Context::Palette, Lang::En) => "Command palette (:)",
            (Context::Together, Lang::Nl) => "Samen kijken",
            (Context::Together, Lang::En) => "Looking together",
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
    /// Open the command palette.
    Palette,
    /// Register a new household.
    NewHousehold,
    /// Record a contact.
    Contact,
    /// Add an agreement.
    Agreement,
    /// Mark the selected agreement done.
    Done,
    /// Cancel the selected agreement (with a reason).
    CancelAgreement,
    /// Score the ZRM of the selected member.
    Zrm,
    /// Set or end a flag.
    Flag,
    /// Add a plan goal.
    Goal,
    /// Add a member.
    Member,
    /// Edit the selected item.
    Edit,
    /// Undo the last change of this session.
    Undo,
    /// Show the household its own view (samen kijken).
    Together,
    /// Make the fridge plan.
    Plan,
    /// Change the regisseur.
    Regisseur,
    /// Close or reopen the household.
    CloseHousehold,
    /// Save a form.
    Save,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 32] = [
        Action::Find,
        Action::Palette,
        Action::NewHousehold,
        Action::Contact,
        Action::Agreement,
        Action::Done,
        Action::CancelAgreement,
        Action::Zrm,
        Action::Flag,
        Action::Goal,
        Action::Member,
        Action::Edit,
        Action::Undo,
        Action::Together,
        Action::Plan,
        Action::Regisseur,
        Action::CloseHousehold,
        Action::Save,
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
            Action::Palette => "palette",
            Action::NewHousehold => "new_household",
            Action::Contact => "contact",
            Action::Agreement => "agreement",
            Action::Done => "done",
            Action::CancelAgreement => "cancel_agreement",
            Action::Zrm => "zrm",
            Action::Flag => "flag",
            Action::Goal => "goal",
            Action::Member => "member",
            Action::Edit => "edit",
            Action::Undo => "undo",
            Action::Together => "samen_kijken",
            Action::Plan => "plan",
            Action::Regisseur => "regisseur",
            Action::CloseHousehold => "close_household",
            Action::Save => "save",
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
            Action::Palette => ("opdrachten", "commands"),
            Action::NewHousehold => ("nieuw huishouden", "new household"),
            Action::Contact => ("contactmoment", "contact"),
            Action::Agreement => ("afspraak", "agreement"),
            Action::Done => ("afspraak gedaan", "agreement done"),
            Action::CancelAgreement => ("afspraak annuleren", "cancel agreement"),
            Action::Zrm => ("ZRM scoren", "score ZRM"),
            Action::Flag => ("signaal", "flag"),
            Action::Goal => ("doel", "goal"),
            Action::Member => ("gezinslid toevoegen", "add member"),
            Action::Edit => ("wijzigen", "edit"),
            Action::Undo => ("ongedaan maken", "undo"),
            Action::Together => ("samen kijken", "look together"),
            Action::Plan => ("plan voor de koelkast", "fridge plan"),
            Action::Regisseur => ("regisseur wijzigen", "change regisseur"),
            Action::CloseHousehold => ("huishouden afsluiten/heropenen", "close/reopen household"),
            Action::Save => ("opslaan", "save"),
        };
        if lang == Lang::Nl { nl } else { en }
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
    (Context::Form, Action::NextPanel, &["tab", "down"]),
    (Context::Form, Action::PrevPanel, &["shift-tab", "up"]),
    (Context::ZrmGrid, Action::Save, &["enter"]),
    (Context::ZrmGrid, Action::Back, &["esc"]),
    (Context::ZrmGrid, Action::Down, &["j", "down", "tab"]),
    (Context::ZrmGrid, Action::Up, &["k", "up", "shift-tab"]),
    (Context::Flags, Action::Back, &["esc", "f"]),
    (Context::Flags, Action::Open, &["enter"]),
    (Context::Flags, Action::Down, &["down"]),
    (Context::Flags, Action::Up, &["up"]),
    (Context::Together, Action::Back, &["esc", "s"]),
    (Context::Together, Action::NextMember, &["l", "right"]),
    (Context::Together, Action::PrevMember, &["h", "left"]),
    (Context::Palette, Action::Back, &["esc"]),
    (Context::Palette, Action::Open, &["enter"]),
    (Context::Palette, Action::Down, &["down", "ctrl-n"]),
    (Context::Palette, Action::Up, &["up", "ctrl-p"]),
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
