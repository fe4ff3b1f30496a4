//! The keys of the plain screens: login, home, the finder and moving around the dashboard.
//! Each handler changes only its own screen's state and says what should happen next.

use crossterm::event::KeyEvent;

use super::keymap::Action;
use super::state::{DashboardView, FinderView, HomePanel, HomeView, LoginField, LoginForm, Panel};
use super::text_input::TextInput;
use super::update::Effect;
use crate::model::home::HomeData;

/// What a screen's key handler asks for.
pub(super) enum Step {
    /// Stay on the screen; run these effects.
    Stay(Vec<Effect>),
    /// Return to the screen this one was opened from.
    Back,
    /// Go to home.
    Home,
}

pub(super) fn on_login_key(
    form: &mut LoginForm,
    action: Option<Action>,
    key: &KeyEvent,
    lang: crate::i18n::Lang,
) -> Vec<Effect> {
    let field = match form.focus {
        LoginField::Username => &mut form.username,
        LoginField::Password => &mut form.password,
    };
    match (action, key.code) {
        // A locked session is someone's work: Ctrl-c does not end it behind their back.
        (Some(Action::Quit), _) if form.locked => {
            form.focus = LoginField::Password;
            form.error = Some(match lang {
                crate::i18n::Lang::Nl => "Het scherm is vergrendeld. Typ het wachtwoord om verder te werken, of log in als iemand anders; het werk van de vorige gebruiker blijft voor die bewaard.",
                crate::i18n::Lang::En => "The screen is locked. Type the password to carry on, or log in as someone else; the previous user's work is kept for them.",
            }.to_string());
        }
        (Some(Action::Quit), _) => return vec![Effect::Quit],
        (Some(Action::NextPanel | Action::PrevPanel), _) => {
            form.focus = match form.focus {
                LoginField::Username => LoginField::Password,
                LoginField::Password => LoginField::Username,
            };
        }
        (Some(Action::Open), _) => {
            if form.focus == LoginField::Username || form.password.is_empty() {
                if !form.username.as_str().trim().is_empty() {
                    form.focus = LoginField::Password;
                }
                return Vec::new();
            }
            let password = form.password.take();
            return vec![Effect::Login {
                username: form.username.as_str().trim().to_string(),
                password,
            }];
        }
        (None, _) if TextInput::is_editing_key(key) && field.key(key) => {
            form.error = None;
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn list_len(data: &HomeData, panel: HomePanel) -> usize {
    match panel {
        HomePanel::Households => data.households.len(),
        HomePanel::Agreements => data.agreements.len(),
    }
}

pub(super) fn on_home_key(home: &mut HomeView, action: Action) -> Vec<Effect> {
    let len = match (&home.worklists, home.panel) {
        (Some(counts), HomePanel::Households) => counts.len(),
        _ => home.data.as_ref().map_or(0, |d| list_len(d, home.panel)),
    };
    match action {
        Action::NextPanel | Action::PrevPanel => {
            home.panel = match home.panel {
                HomePanel::Households => HomePanel::Agreements,
                HomePanel::Agreements => HomePanel::Households,
            };
            home.selected = 0;
        }
        Action::Down | Action::Up | Action::PageDown | Action::PageUp => {
            home.selected = moved(home.selected, len, action, 10);
        }
        Action::Open => {
            let id = home.data.as_ref().and_then(|d| match home.panel {
                HomePanel::Households => d.households.get(home.selected).map(|h| h.id),
                HomePanel::Agreements => d.agreements.get(home.selected).map(|a| a.household_id),
            });
            if let Some(id) = id {
                return vec![Effect::OpenHousehold(id)];
            }
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn on_finder_key(f: &mut FinderView, action: Option<Action>, key: &KeyEvent) -> Step {
    let before = f.query.as_str().to_string();
    match (action, key.code) {
        (Some(Action::Back), _) => return Step::Back,
        (Some(Action::Open), _) => {
            return Step::Stay(
                f.hits
                    .get(f.selected)
                    .map(|h| vec![Effect::OpenHousehold(h.id)])
                    .unwrap_or_default(),
            );
        }
        (Some(action @ (Action::Down | Action::Up | Action::PageDown | Action::PageUp)), _) => {
            f.selected = moved(f.selected, f.hits.len(), action, 10);
        }
        (None, _) if TextInput::is_editing_key(key) => {
            f.query.key(key);
        }
        _ => {}
    }
    searched(f, &before)
}

/// After the finder's query changed from `before`: a new search, or none for an empty query.
pub(super) fn searched(f: &mut FinderView, before: &str) -> Step {
    if f.query.as_str() == before {
        return Step::Stay(Vec::new());
    }
    f.seq += 1;
    if f.query.as_str().trim().is_empty() {
        f.hits.clear();
        f.searched.clear();
        f.selected = 0;
        return Step::Stay(Vec::new());
    }
    Step::Stay(vec![Effect::Search {
        seq: f.seq,
        query: f.query.as_str().to_string(),
    }])
}

pub(super) fn on_dashboard_key(view: &mut DashboardView, action: Option<Action>) -> Step {
    let Some(action) = action else {
        return Step::Stay(Vec::new());
    };
    let panel_index = Panel::ALL
        .iter()
        .position(|p| *p == view.panel)
        .unwrap_or(0);
    let len = view.len(view.panel);
    match action {
        Action::Back => return Step::Back,
        Action::Home => return Step::Home,
        Action::NextPanel => view.panel = view.panel.next(),
        Action::PrevPanel => view.panel = view.panel.prev(),
        Action::NextMember if !view.data.members.is_empty() => {
            view.member = (view.member + 1) % view.data.members.len();
        }
        Action::PrevMember if !view.data.members.is_empty() => {
            let n = view.data.members.len();
            view.member = (view.member + n - 1) % n;
        }
        Action::Down | Action::Up | Action::PageDown | Action::PageUp => {
            view.rows[panel_index] = moved(view.rows[panel_index], len, action, 5);
            if view.panel == Panel::Members {
                view.member = view.rows[panel_index];
            }
        }
        Action::Open if view.panel == Panel::Members => view.member = view.rows[panel_index],
        _ => {}
    }
    Step::Stay(Vec::new())
}

/// A selection in a list of `len` rows after a move key; a page is `page` rows.
fn moved(selected: usize, len: usize, action: Action, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => (selected + page).min(last),
        Action::PageUp => selected.saturating_sub(page),
        _ => selected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_moves_within_the_list() {
        assert_eq!(moved(0, 3, Action::Up, 10), 0);
        assert_eq!(moved(2, 3, Action::Down, 10), 2, "stays on the last row");
        assert_eq!(moved(1, 30, Action::PageDown, 10), 11);
        assert_eq!(moved(25, 30, Action::PageDown, 10), 29);
        assert_eq!(moved(4, 30, Action::PageUp, 5), 0);
        assert_eq!(moved(0, 0, Action::Down, 5), 0, "an empty list keeps row 0");
    }
}
