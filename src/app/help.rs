//! The help listing as data: per screen its heading and the keys the user's role is offered,
//! generated from the key map. The view draws it and `update` pages through it, so both count
//! the same lines; help opens at the current screen's section.

use super::keymap::{Action, Context, KeyMap};
use super::roles::offered;
use crate::domain::user::Role;

/// One screen's part of help: its context and `(keys, action)` per binding.
pub type Section = (Context, Vec<(String, Action)>);

/// The sections with at least one key for `role`, in the key map's screen order.
pub fn sections(keymap: &KeyMap, role: Option<Role>) -> Vec<Section> {
    Context::ALL
        .into_iter()
        .map(|c| {
            let bindings = keymap
                .bindings(c)
                .into_iter()
                .filter(|(_, a)| offered(role, *a))
                .collect::<Vec<_>>();
            (c, bindings)
        })
        .filter(|(_, b)| !b.is_empty())
        .collect()
}

/// The number of lines: a note, then per section a blank line, a heading and its keys.
pub fn len(sections: &[Section]) -> usize {
    1 + sections.iter().map(|(_, b)| b.len() + 2).sum::<usize>()
}

/// The line `context`'s section starts at (its blank line), or 0 when it has none.
pub fn start_of(sections: &[Section], context: Context) -> usize {
    let mut line = 1;
    for (c, bindings) in sections {
        if *c == context {
            return line;
        }
        line += bindings.len() + 2;
    }
    0
}

/// The scroll offset after `action` from `scroll`, with `page` lines in view.
pub fn scrolled(scroll: usize, action: Action, page: usize, total: usize) -> usize {
    let last = total.saturating_sub(page.max(1));
    match action {
        Action::Down => (scroll + 1).min(last),
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => (scroll + page.max(1)).min(last),
        Action::PageUp => scroll.saturating_sub(page.max(1)),
        Action::Top => 0,
        Action::Bottom => last,
        _ => scroll.min(last),
    }
}

/// How many help lines fit on a terminal of `height` rows (top line, status bar, the box's
/// border and margin).
pub fn page(height: Option<u16>) -> usize {
    height.map_or(18, |h| usize::from(h.saturating_sub(6)).max(1))
}
