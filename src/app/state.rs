//! The application state: everything the view draws, nothing it has to fetch.

use std::sync::Arc;

use chrono::NaiveDate;

use super::forms::Form;
use super::keymap::KeyMap;
use super::palette::Palette;
use super::providers::ProvidersView;
use super::reports::ReportsView;
use super::session::{DEFAULT_IDLE_MINUTES, Draft, IdleClock, Locked};
use super::text_input::TextInput;
use super::worklist::WorklistView;
use super::zrm_grid::ZrmGrid;
use crate::domain::reference::ReferenceData;
use crate::domain::user::Role;
use crate::i18n::Lang;
use crate::model::changes::Undo;
use crate::model::dashboard::Dashboard;
use crate::model::finder::HouseholdHit;
use crate::model::home::HomeData;
use crate::theme::Theme;

/// The logged-in user as the screens show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// How this user records contacts: `(kind, minutes, how often)`, most often first, to
    /// prefill the next one with what they usually record.
    pub contact_habits: Vec<(String, u32, u32)>,
}

impl UserInfo {
    /// The kind this user records most often (over all its minutes), the more recent on a tie.
    pub fn usual_kind(&self) -> Option<&str> {
        let mut best: Option<(&str, u32)> = None;
        for (kind, _, _) in &self.contact_habits {
            if best.is_some_and(|(k, _)| k == kind) {
                continue;
            }
            let total: u32 = self
                .contact_habits
                .iter()
                .filter(|(k, _, _)| k == kind)
                .map(|(_, _, n)| *n)
                .sum();
            if best.is_none_or(|(_, n)| total > n) {
                best = Some((kind.as_str(), total));
            }
        }
        best.map(|(k, _)| k)
    }

    /// The minutes this user records most often for `kind`.
    pub fn usual_minutes(&self, kind: &str) -> Option<u32> {
        self.contact_habits
            .iter()
            .find(|(k, _, _)| k == kind)
            .map(|(_, m, _)| *m)
    }

    /// Counts a contact just recorded, so the next form follows the habit at once.
    pub fn recorded_contact(&mut self, kind: &str, minutes: u32) {
        let entry = match self
            .contact_habits
            .iter()
            .position(|(k, m, _)| k == kind && *m == minutes)
        {
            Some(i) => {
                let (k, m, n) = self.contact_habits.remove(i);
                (k, m, n + 1)
            }
            None => (kind.to_string(), minutes, 1),
        };
        // Before every entry it now equals or beats: the most recent wins a tie.
        let at = self
            .contact_habits
            .iter()
            .position(|(_, _, n)| *n <= entry.2)
            .unwrap_or(self.contact_habits.len());
        self.contact_habits.insert(at, entry);
    }
}

/// A one-line message in the status area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The text, in the user's language.
    pub text: String,
    /// How it is shown.
    pub kind: NoticeKind,
}

/// The tone of a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Neutral information.
    Info,
    /// Something went wrong.
    Error,
    /// A problem that does not stop the work (a broken theme or key map file); it stays
    /// through login so the user sees it.
    Warning,
}

/// The whole app.
#[derive(Clone, Debug)]
pub struct App {
    /// Message language.
    pub lang: Lang,
    /// Keys.
    pub keymap: KeyMap,
    /// Catalogues (ZRM wording, flag names, contact kinds).
    pub reference: Arc<ReferenceData>,
    /// Whether the database is a demo database (shown on every screen).
    pub demo: bool,
    /// Today's date (from the injected clock).
    pub today: NaiveDate,
    /// The logged-in user.
    pub user: Option<UserInfo>,
    /// The current screen.
    pub screen: Screen,
    /// The help overlay, when open (its scroll offset).
    pub help: Option<usize>,
    /// A message for the status area.
    pub notice: Option<Notice>,
    /// Set when the app should end.
    pub quit: bool,
    /// Colours.
    pub theme: Theme,
    /// A form, grid or view over the screen.
    pub overlay: Option<Overlay>,
    /// The command palette, when open.
    pub palette: Option<Palette>,
    /// The changes of this session that can be undone, newest last.
    pub undo: Vec<UndoEntry>,
    /// The bulk actions of this session that can be undone, newest last.
    pub bulk_undo: Vec<BulkUndoEntry>,
    /// Time since the last key, for the idle lock.
    pub idle: IdleClock,
    /// The session behind the lock screen, waiting for its user.
    pub locked: Option<Locked>,
    /// Unfinished forms of users whose session another user ended.
    pub drafts: Vec<Draft>,
    /// A draft waiting for its household to open.
    pub pending_draft: Option<Draft>,
    /// The terminal's size in columns and rows, once the shell has said it.
    pub size: Option<(u16, u16)>,
}

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height the screens are laid out for.
pub const MIN_HEIGHT: u16 = 24;

/// Something drawn over the screen that takes the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// A form.
    Form(Form),
    /// The ZRM grid.
    Zrm(ZrmGrid),
    /// The flag catalogue with mnemonic letters; the selected row.
    Flags(usize),
    /// The household's own view (samen kijken), for member `member`.
    Together {
        /// The member whose ZRM is shown.
        member: usize,
        /// Lines scrolled down, when it does not fit.
        scroll: u16,
    },
}

/// A bulk action of this session that Ctrl-z on the worklists can take back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkUndoEntry {
    /// How to take it back.
    pub undo: crate::model::worklists::BulkUndo,
    /// What it did (its summary), for the message.
    pub what: String,
}

/// A change of this session that `u` can take back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoEntry {
    /// The household changed.
    pub household_id: i64,
    /// How to take it back.
    pub undo: Undo,
    /// What it was, for the message ("contactmoment").
    pub what: String,
}

impl App {
    /// A new app on the login screen.
    pub fn new(
        lang: Lang,
        keymap: KeyMap,
        reference: Arc<ReferenceData>,
        theme: Theme,
        demo: bool,
        today: NaiveDate,
    ) -> App {
        App {
            lang,
            keymap,
            reference,
            demo,
            today,
            user: None,
            screen: Screen::Login(LoginForm::new()),
            help: None,
            notice: None,
            quit: false,
            theme,
            overlay: None,
            palette: None,
            undo: Vec::new(),
            bulk_undo: Vec::new(),
            idle: IdleClock::new(chrono::Duration::minutes(DEFAULT_IDLE_MINUTES)),
            locked: None,
            drafts: Vec::new(),
            pending_draft: None,
            size: None,
        }
    }

    /// Whether the terminal is too small to draw the screens: only "Maak het venster groter"
    /// shows, and keys other than quit and lock do nothing.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    /// Text in the user's language.
    pub fn t<'a>(&self, nl: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// The screens.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    /// Login (also after locking).
    Login(LoginForm),
    /// Home.
    Home(HomeView),
    /// The finder, over the screen it was opened from.
    Finder(FinderView),
    /// One household.
    Dashboard(DashboardView),
    /// The backoffice worklists.
    Worklist {
        /// The list and what is shown of it.
        view: WorklistView,
        /// Where `Esc` returns to.
        back: Box<Screen>,
    },
    /// Providers and their contracts.
    Providers {
        /// The lists and the selection.
        view: ProvidersView,
        /// Where `Esc` returns to.
        back: Box<Screen>,
    },
    /// The worklist "Verzoeken van aanbieders".
    Requests {
        /// The requests and the cursor.
        view: super::requests::RequestsView,
        /// Where `Esc` returns to.
        back: Box<Screen>,
    },
    /// The steering figures (aggregated only).
    Reports {
        /// The figures and what is shown of them.
        view: ReportsView,
        /// Where `Esc` returns to.
        back: Box<Screen>,
    },
}

/// The longest user name or password the login takes.
pub const LOGIN_MAX: usize = 128;

/// The longest finder query.
pub const FINDER_QUERY_MAX: usize = 100;

/// Which login field has the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginField {
    /// The user name.
    Username,
    /// The password.
    Password,
}

/// The login form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginForm {
    /// Typed user name.
    pub username: TextInput,
    /// Typed password (never drawn, only its length as dots).
    pub password: TextInput,
    /// The focused field.
    pub focus: LoginField,
    /// The last refusal.
    pub error: Option<String>,
    /// Shown as the lock screen of a session (the user name is kept for unlocking).
    pub locked: bool,
}

impl LoginForm {
    /// An empty form with the cursor on the user name.
    pub fn new() -> LoginForm {
        LoginForm {
            username: TextInput::new("", LOGIN_MAX),
            password: TextInput::new("", LOGIN_MAX),
            focus: LoginField::Username,
            error: None,
            locked: false,
        }
    }
}

impl Default for LoginForm {
    fn default() -> Self {
        LoginForm::new()
    }
}

/// The two lists on home.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomePanel {
    /// My households.
    Households,
    /// My agreements due soon.
    Agreements,
}

/// Home: my households and my agreements that are due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomeView {
    /// The data, once loaded.
    pub data: Option<HomeData>,
    /// The focused list.
    pub panel: HomePanel,
    /// The selected row in the focused list.
    pub selected: usize,
    /// For the backoffice: how many provisions wait on each worklist (shown instead of
    /// households of their own, which they have none of).
    pub worklists: Option<Vec<(crate::model::worklists::Worklist, usize)>>,
}

impl HomeView {
    /// Home before its data arrives.
    pub fn loading() -> HomeView {
        HomeView {
            data: None,
            panel: HomePanel::Households,
            selected: 0,
            worklists: None,
        }
    }
}

/// The finder.
#[derive(Clone, Debug, PartialEq)]
pub struct FinderView {
    /// What was typed.
    pub query: TextInput,
    /// The results for `searched`.
    pub hits: Vec<HouseholdHit>,
    /// The query the results belong to.
    pub searched: String,
    /// The selected result.
    pub selected: usize,
    /// The number of the newest search asked for; older answers are dropped.
    pub seq: u64,
    /// Where `Esc` returns to.
    pub back: Box<Screen>,
}

/// Dashboard panels, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    /// Members.
    Members,
    /// ZRM of the selected member.
    Zrm,
    /// Agreements.
    Agreements,
    /// Flags.
    Flags,
    /// Plan goals.
    Goals,
    /// Recent contacts.
    Contacts,
    /// Provisions (voorzieningen).
    Provisions,
}

impl Panel {
    /// Tab order.
    pub const ALL: [Panel; 7] = [
        Panel::Members,
        Panel::Zrm,
        Panel::Agreements,
        Panel::Flags,
        Panel::Goals,
        Panel::Contacts,
        Panel::Provisions,
    ];

    /// The panel after this one.
    pub fn next(self) -> Panel {
        let i = Panel::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Panel::ALL[(i + 1) % Panel::ALL.len()]
    }

    /// The panel before this one.
    pub fn prev(self) -> Panel {
        let i = Panel::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Panel::ALL[(i + Panel::ALL.len() - 1) % Panel::ALL.len()]
    }
}

/// One household's dashboard.
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardView {
    /// Everything loaded for it.
    pub data: Box<Dashboard>,
    /// The member whose ZRM is shown (index into `data.members`).
    pub member: usize,
    /// The focused panel.
    pub panel: Panel,
    /// The selected row per panel, in `Panel::ALL` order.
    pub rows: [usize; 7],
    /// Where `Esc` returns to.
    pub back: Box<Screen>,
}

impl DashboardView {
    /// The selected row of `panel`.
    pub fn row(&self, panel: Panel) -> usize {
        Panel::ALL
            .iter()
            .position(|p| *p == panel)
            .and_then(|i| self.rows.get(i).copied())
            .unwrap_or(0)
    }

    /// Number of rows in `panel`.
    pub fn len(&self, panel: Panel) -> usize {
        match panel {
            Panel::Members => self.data.members.len(),
            Panel::Zrm => 0,
            Panel::Agreements => self.data.agreements.len(),
            Panel::Flags => self.data.flags.len(),
            Panel::Goals => self.data.goals.len(),
            Panel::Contacts => self.data.contacts.len(),
            Panel::Provisions => self.data.provisions.len(),
        }
    }
}
