//! What happens to the app: keys, pastes, the terminal's size and the executor's answers.
//! A leaf module: it names the data the messages carry and nothing that handles them.

use crossterm::event::KeyEvent;

use super::state::UserInfo;
use crate::domain::user::User;
use crate::model::changes::{Applied, Change};
use crate::model::dashboard::Dashboard;
use crate::model::finder::HouseholdHit;
use crate::model::home::HomeData;

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): it goes into the focused field only.
    Paste(String),
    /// The terminal's size changed (columns, rows).
    Resize(u16, u16),
    /// The answer to [`Effect::Login`].
    LoggedIn(Result<UserInfo, String>),
    /// The answer to [`Effect::LoadHome`].
    HomeLoaded(Result<HomeData, String>),
    /// The answer to [`Effect::Search`].
    Found {
        /// The search's number.
        seq: u64,
        /// The query searched.
        query: String,
        /// The hits.
        hits: Result<Vec<HouseholdHit>, String>,
    },
    /// The answer to [`Effect::OpenHousehold`].
    Opened(Result<Box<Dashboard>, String>),
    /// The idle time passed: lock the screen.
    IdleTimeout,
    /// The clock's time, sent regularly: the idle lock is measured on it.
    Tick(chrono::DateTime<chrono::Utc>),
    /// The date changed (the app ran past midnight).
    Today(chrono::NaiveDate),
    /// The answer to [`Effect::Apply`].
    Applied {
        /// The household changed.
        household_id: i64,
        /// The change asked for.
        change: Change,
        /// The fresh dashboard and the undo, or why it failed.
        result: Result<Box<Applied>, String>,
    },
    /// The answer to [`Effect::Apply`] when a colleague changed the record after it was shown:
    /// nothing was saved; the form stays with what was typed and the dashboard shows the new
    /// version.
    Conflict {
        /// The household.
        household_id: i64,
        /// Who changed it and when, in the user's language.
        message: String,
        /// The household's dashboard as it is now.
        dashboard: Option<Box<Dashboard>>,
    },
    /// The answer to [`Effect::CreateHousehold`]: the new household's dashboard.
    Created(Result<Box<Dashboard>, String>),
    /// The answer to [`Effect::CheckAddress`]: open households already at that address.
    AddressChecked {
        /// The postcode checked.
        postcode: String,
        /// The house number checked.
        number: String,
        /// Their labels.
        labels: Vec<String>,
    },
    /// The answer to [`Effect::LoadRegisseurs`].
    Regisseurs(Result<Vec<User>, String>),
    /// The answer to [`Effect::LoadOffers`].
    Offers(Result<Vec<crate::model::providers::Offer>, String>),
    /// The answer to [`Effect::RecordTogether`] (an error closes the view).
    TogetherRecorded(Result<(), String>),
    /// The answer to [`Effect::LoadProviders`].
    ProvidersLoaded(
        Result<
            (
                Vec<crate::model::providers::Provider>,
                Vec<crate::model::providers::Contract>,
            ),
            String,
        >,
    ),
    /// The answer to [`Effect::AddProvider`] and [`Effect::AddContract`]: what was added.
    ProviderSaved(Result<String, String>),
    /// The answer to [`Effect::LoadWorklist`].
    WorklistLoaded {
        /// The query's number.
        seq: u64,
        /// The list asked for.
        list: crate::model::worklists::Worklist,
        /// The page, or why not.
        result: Result<crate::model::worklists::WorklistPage, String>,
    },
    /// The answer to [`Effect::SelectWorklist`]: every matching provision with its product.
    WorklistSelected {
        /// The query's number.
        seq: u64,
        /// The list asked for.
        list: crate::model::worklists::Worklist,
        /// The provisions, or why not.
        result: Result<Vec<(i64, String)>, String>,
    },
    /// The answer to [`Effect::LoadWorklistCounts`].
    WorklistCounts(Result<Vec<(crate::model::worklists::Worklist, usize)>, String>),
    /// The answer to [`Effect::Bulk`]: how many changed and how to take it back, or why none
    /// did.
    BulkDone(Result<(usize, crate::model::worklists::BulkUndo), String>),
    /// A bulk action that runs in batches has done `done` of its `total` provisions.
    BulkProgress {
        /// Provisions done so far.
        done: usize,
        /// Provisions in the selection.
        total: usize,
    },
    /// The answer to [`Effect::UndoBulk`]: how many were taken back, or why none were.
    BulkUndone(Result<usize, String>),
    /// The answer to [`Effect::LoadRequests`].
    RequestsLoaded(Result<Vec<crate::model::messages::ProviderRequest>, String>),
    /// The answer to [`Effect::GrantRequest`] and [`Effect::RefuseRequest`]: what was done.
    RequestDecided(Result<String, String>),
    /// The answer to [`Effect::ImportMessages`]: one line per file and a total; `Err` when a
    /// file was refused.
    MessagesImported(Result<String, String>),
    /// The answer to [`Effect::LoadReport`].
    ReportLoaded(Result<crate::model::report::Report, String>),
    /// The answer to [`Effect::ExportReport`]: where it was written, or why not.
    Exported(Result<String, String>),
    /// Work without an answer of its own failed (an audit row of a refusal): the reason.
    Failed(String),
    /// The answer to [`Effect::Plan`]: where the plan was written, or why not.
    PlanWritten(Result<PlanMade, String>),
}

/// A fridge plan made with `p`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanMade {
    /// Where the PDF was kept.
    pub path: String,
    /// Printed, or why not (no printer, the printer refused).
    pub printed: Result<(), String>,
}
