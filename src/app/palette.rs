//! The command palette (`:`): every action of the current screen by name, filtered as you type
//! with a fuzzy match that ignores case and diacritics ("regiseur" finds "regisseur wijzigen").

use super::keymap::{Action, Context, KeyMap};
use super::text_input::TextInput;
use crate::domain::text::fold;
use crate::i18n::Lang;

/// One command in the palette.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What it does.
    pub action: Action,
    /// Its name.
    pub label: String,
    /// Its keys, for learning them ("c", "Ctrl-l").
    pub keys: String,
}

/// The open palette.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// What was typed.
    pub query: TextInput,
    /// The selected row among the matches.
    pub selected: usize,
    /// Every command of the screen it was opened on.
    pub commands: Vec<Command>,
}

/// Actions that move around rather than do something: not listed.
const NAVIGATION: [Action; 12] = [
    Action::NextField,
    Action::PrevField,
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Open,
    Action::Back,
    Action::NextPanel,
    Action::PrevPanel,
    Action::Palette,
    Action::Save,
];

impl Palette {
    /// The palette for `context`: its own commands, then the global ones.
    pub fn open(keymap: &KeyMap, context: Context, lang: Lang) -> Palette {
        Palette::open_for(keymap, context, lang, None)
    }

    /// The palette of `context` with only what `role` is offered.
    pub fn open_for(
        keymap: &KeyMap,
        context: Context,
        lang: Lang,
        role: Option<crate::domain::user::Role>,
    ) -> Palette {
        let mut commands: Vec<Command> = Vec::new();
        for ctx in [context, Context::Global] {
            for action in keymap.actions(ctx) {
                if NAVIGATION.contains(&action)
                    || commands.iter().any(|c| c.action == action)
                    || !super::roles::offered(role, action)
                {
                    continue;
                }
                let keys: Vec<String> = keymap
                    .keys(ctx, action)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                commands.push(Command {
                    action,
                    label: action.label(lang).to_string(),
                    keys: keys.join("/"),
                });
            }
        }
        Palette {
            query: TextInput::new("", 60),
            selected: 0,
            commands,
        }
    }

    /// The commands matching the query, best first.
    pub fn matches(&self) -> Vec<&Command> {
        let mut scored: Vec<(i64, usize, &Command)> = self
            .commands
            .iter()
            .enumerate()
            .filter_map(|(i, c)| fuzzy_score(self.query.as_str(), &c.label).map(|s| (s, i, c)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, c)| c).collect()
    }

    /// The selected command.
    pub fn chosen(&self) -> Option<Action> {
        self.matches().get(self.selected).map(|c| c.action)
    }
}

/// How well `query` matches `text` as a subsequence (higher is better), or `None`. Case and
/// diacritics are ignored; letters in a row and letters at the start of a word count extra.
/// A single missing letter is forgiven once in queries of five letters or more (a typo).
pub fn fuzzy_score(query: &str, text: &str) -> Option<i64> {
    let q: Vec<char> = fold(query).chars().filter(|c| !c.is_whitespace()).collect();
    if q.is_empty() {
        return Some(0);
    }
    let t: Vec<char> = fold(text).chars().collect();
    subsequence(&q, &t).or_else(|| {
        if q.len() < 5 {
            return None;
        }
        // Forgive one letter the text does not have.
        (0..q.len())
            .filter_map(|skip| {
                let fewer: Vec<char> = q
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| *c)
                    .collect();
                subsequence(&fewer, &t)
            })
            .max()
            .map(|s| s - 10)
    })
}

fn subsequence(q: &[char], t: &[char]) -> Option<i64> {
    let mut score = 0i64;
    let mut qi = 0;
    let mut previous: Option<usize> = None;
    for (ti, c) in t.iter().enumerate() {
        if qi == q.len() {
            break;
        }
        if *c != q[qi] {
            continue;
        }
        score += 1;
        if previous.is_some_and(|p| p + 1 == ti) {
            score += 5;
        }
        if ti == 0 || t.get(ti - 1).is_some_and(|p| !p.is_alphanumeric()) {
            score += 8;
        }
        previous = Some(ti);
        qi += 1;
    }
    (qi == q.len()).then(|| score - t.len() as i64 / 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequences_match_and_word_starts_rank_first() {
        assert!(fuzzy_score("rgw", "regisseur wijzigen").is_some());
        assert!(fuzzy_score("xyz", "regisseur wijzigen").is_none());
        let contact = fuzzy_score("con", "contactmoment").unwrap_or(i64::MIN);
        let other = fuzzy_score("con", "afspraak annuleren").unwrap_or(i64::MIN);
        assert!(contact > other);
    }

    #[test]
    fn case_diacritics_and_one_typo_are_forgiven() {
        assert!(fuzzy_score("SIGNAAL", "signaal").is_some());
        assert!(fuzzy_score("beeindigen", "beëindigen").is_some());
        assert!(fuzzy_score("regiseur", "regisseur wijzigen").is_some());
        assert!(fuzzy_score("regisxeur", "regisseur wijzigen").is_some());
    }

    #[test]
    fn the_palette_lists_dashboard_commands_and_filters_them() {
        let km = KeyMap::default();
        let mut p = Palette::open(&km, Context::Dashboard, Lang::Nl);
        assert!(
            p.commands
                .iter()
                .any(|c| c.action == Action::Zrm && c.keys == "z")
        );
        assert!(p.commands.iter().any(|c| c.action == Action::Lock));
        assert!(!p.commands.iter().any(|c| c.action == Action::Down));
        p.query.set("samen");
        assert_eq!(p.chosen(), Some(Action::Together));
    }
}
