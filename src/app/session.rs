//! Shared workstations: the idle lock, unlocking, and switching users.
//!
//! Locking replaces the screen by the login screen, which shows no client data, and ends the
//! session. The same user unlocking gets their screen back as they left it, an open form
//! included. Another user logging in from the lock screen ends the first user's work: an open
//! form or ZRM grid is kept as a draft for that first user only (in memory, never on disk) and
//! offered back at their next login in this app.

use chrono::{DateTime, Duration, Utc};

use super::state::{App, HomeView, LoginField, LoginForm, Notice, NoticeKind, Overlay, Screen};
use super::update::Effect;
use crate::app::state::UserInfo;
use crate::domain::user::Role;
use crate::model::home::HomeData;

/// The default idle time before the screen locks.
pub const DEFAULT_IDLE_MINUTES: i64 = 15;

/// Time since the last key press, measured on the injected clock's ticks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdleClock {
    /// How long without keys before locking.
    pub limit: Duration,
    /// The tick at which the user was last active.
    last: Option<DateTime<Utc>>,
    /// A key came in since the last tick.
    active: bool,
    /// The lock fired for this idle period.
    fired: bool,
}

impl IdleClock {
    /// A clock locking after `limit`.
    pub fn new(limit: Duration) -> IdleClock {
        IdleClock {
            limit,
            last: None,
            active: false,
            fired: false,
        }
    }

    /// Whether the lock fired for the current idle period.
    pub fn fired(&self) -> bool {
        self.fired
    }

    /// A key was pressed.
    pub fn touch(&mut self) {
        self.active = true;
    }

    /// The time is `now`: true once when the limit has passed since the last activity.
    pub fn expired(&mut self, now: DateTime<Utc>) -> bool {
        let last = match self.last {
            Some(last) if !self.active => last,
            _ => {
                self.last = Some(now);
                self.active = false;
                self.fired = false;
                return false;
            }
        };
        if self.fired || now - last < self.limit {
            return false;
        }
        self.fired = true;
        true
    }
}

/// What a locked session left behind, waiting for its user.
#[derive(Clone, Debug, PartialEq)]
pub struct Locked {
    /// Whose it is.
    pub username: String,
    /// The screen as they left it.
    pub screen: Box<Screen>,
    /// Their open form, grid or view.
    pub overlay: Option<Overlay>,
}

/// An unfinished form kept for a user whose session another user ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// Whose it is.
    pub username: String,
    /// The household it was for (`None`: a new household).
    pub household_id: Option<i64>,
    /// The form or grid with everything typed.
    pub overlay: Overlay,
}

/// Locks: the screen is replaced by the login screen, which shows no client data.
pub(super) fn lock(app: &mut App) -> Vec<Effect> {
    if let Screen::Login(form) = &mut app.screen {
        // A password typed but not submitted must not wait for the next person.
        form.password.clear();
        form.error = None;
        return Vec::new();
    }
    keep_pending_draft(app);
    let mut form = LoginForm::new();
    if let Some(user) = app.user.take() {
        form.username.set(&user.username);
        form.focus = LoginField::Password;
        form.locked = true;
        let screen = std::mem::replace(&mut app.screen, Screen::Login(LoginForm::new()));
        app.locked = Some(Locked {
            username: user.username,
            screen: Box::new(screen),
            overlay: app.overlay.take(),
        });
    }
    app.screen = Screen::Login(form);
    app.overlay = None;
    app.palette = None;
    app.help = None;
    app.notice = None;
    vec![Effect::Logout]
}

/// A user logged in: the same user after a lock gets everything back; anyone else starts at
/// home, with a draft of their own offered back, and the locked user's open form kept as theirs.
pub(super) fn logged_in(app: &mut App, user: UserInfo) -> Vec<Effect> {
    let username = user.username.clone();
    app.user = Some(user);
    app.notice = app.notice.take().filter(|n| n.kind == NoticeKind::Warning);
    if let Some(locked) = app.locked.take() {
        if locked.username == username {
            app.screen = *locked.screen;
            app.overlay = locked.overlay;
            return Vec::new();
        }
        keep_draft(app, locked);
    }
    // The undo list belongs to a session; a new login starts a new one.
    app.undo.clear();
    app.bulk_undo.clear();
    app.screen = Screen::Home(HomeView::loading());
    let draft = app
        .drafts
        .iter()
        .position(|d| d.username == username)
        .map(|i| app.drafts.remove(i));
    let role = app.user.as_ref().map(|u| u.role);
    let mut effects = match role {
        // The backoffice's day starts on the worklists, a teamleider's or beheerder's (no
        // households of their own) on the figures; Esc leads home.
        Some(Role::Backoffice | Role::Teamleider | Role::Beheerder) => {
            app.screen = Screen::Home(HomeView {
                data: Some(HomeData::default()),
                ..HomeView::loading()
            });
            if role == Some(Role::Backoffice) {
                super::update::open_worklists(app)
            } else {
                super::update::open_reports(app)
            }
        }
        _ => vec![Effect::LoadHome],
    };
    if let Some(draft) = draft {
        let text = app
            .t(
                "Je had een formulier niet afgemaakt; het staat weer voor je klaar.",
                "You left a form unfinished; it is back for you.",
            )
            .to_string();
        app.notice = Some(Notice {
            text,
            kind: NoticeKind::Info,
        });
        match draft.household_id {
            Some(id) => {
                app.pending_draft = Some(draft);
                effects.push(Effect::OpenHousehold(id));
            }
            None => app.overlay = Some(draft.overlay),
        }
    }
    effects
}

/// Keeps the locked user's open form or grid as their draft (one per user, the newest).
fn keep_draft(app: &mut App, locked: Locked) {
    let Some(overlay @ (Overlay::Form(_) | Overlay::Zrm(_))) = locked.overlay else {
        return;
    };
    let household_id = match *locked.screen {
        Screen::Dashboard(view) => Some(view.data.household.id),
        _ => None,
    };
    app.drafts.retain(|d| d.username != locked.username);
    app.drafts.push(Draft {
        username: locked.username,
        household_id,
        overlay,
    });
}

/// A draft waiting for its household goes back to the kept drafts (its household did not
/// open, or the session ends first).
pub(super) fn keep_pending_draft(app: &mut App) {
    if let Some(draft) = app.pending_draft.take() {
        app.drafts.retain(|d| d.username != draft.username);
        app.drafts.push(draft);
    }
}

/// A household opened: when it is the one a waiting draft of this user belongs to, the draft
/// opens over it.
pub(super) fn restore_draft(app: &mut App, household_id: i64) {
    let user = app.user.as_ref().map(|u| u.username.clone());
    if let Some(draft) = app.pending_draft.take() {
        if draft.household_id == Some(household_id) && Some(&draft.username) == user.as_ref() {
            app.overlay = Some(draft.overlay);
        } else {
            app.pending_draft = Some(draft);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_clock_fires_once_per_idle_period_and_keys_reset_it() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let minutes = Duration::minutes;
        let mut idle = IdleClock::new(minutes(15));
        assert!(!idle.expired(start), "the first tick starts the clock");
        assert!(!idle.expired(start + minutes(14)));
        assert!(idle.expired(start + minutes(15)));
        assert!(!idle.expired(start + minutes(40)), "only once");
        idle.touch();
        assert!(!idle.expired(start + minutes(41)));
        assert!(!idle.expired(start + minutes(55)));
        assert!(idle.expired(start + minutes(56)));
    }
}
