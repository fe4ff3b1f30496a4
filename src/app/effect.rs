//! The work `update` asks the executor to do. A leaf module: plain data, no behaviour.

use crate::domain::household::{Address, PersonFields};
use crate::model::changes::Change;

/// Work for the executor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Check a password and start a session.
    Login {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// End the session (lock or quit).
    Logout,
    /// Load home for the session's user.
    LoadHome,
    /// Find households.
    Search {
        /// The search's number.
        seq: u64,
        /// What was typed.
        query: String,
    },
    /// Load a household's dashboard (an audited read).
    OpenHousehold(i64),
    /// Apply a change to a household (one transaction with its audit row).
    Apply {
        /// The household.
        household_id: i64,
        /// The change.
        change: Change,
    },
    /// Register a new household in the user's team, with the user as regisseur.
    CreateHousehold {
        /// Its label.
        label: String,
        /// Its address.
        address: Address,
        /// The first member.
        first: PersonFields,
    },
    /// Look for open households at an address (to warn, never to block).
    CheckAddress {
        /// Postcode as typed.
        postcode: String,
        /// House number as typed.
        number: String,
    },
    /// Load the colleagues who can be regisseur.
    LoadRegisseurs,
    /// Load the providers contracted per product (for a provision request).
    LoadOffers,
    /// Record that the household was shown its own view (an audited read).
    RecordTogether(i64),
    /// Write the household's fridge plan.
    Plan(i64),
    /// Load the steering figures of a period.
    LoadReport {
        /// First day.
        from: chrono::NaiveDate,
        /// Last day.
        to: chrono::NaiveDate,
        /// A team (`None`: the user's own, or all for a beheerder).
        team: Option<String>,
    },
    /// Load the providers and their contracts.
    LoadProviders,
    /// Register a provider.
    AddProvider {
        /// Name.
        name: String,
        /// AGB code.
        agb: String,
        /// Contact.
        contact: Option<String>,
    },
    /// Add a contract to a provider.
    AddContract {
        /// The provider.
        provider_id: i64,
        /// The contract.
        fields: crate::model::providers::ContractFields,
    },
    /// Count what waits on each backoffice worklist (the backoffice's home).
    LoadWorklistCounts,
    /// Load a page of a backoffice worklist (the first one with the counts).
    LoadWorklist {
        /// The query's number (answers to older ones are dropped).
        seq: u64,
        /// The list.
        list: crate::model::worklists::Worklist,
        /// The filter and the sort.
        query: crate::model::worklists::WorklistQuery,
        /// The first row of the page.
        offset: usize,
    },
    /// Get the store's filter index of a worklist ready (see
    /// [`crate::store::shared::worklist_filter`]); answers nothing.
    PrepareWorklistFilter {
        /// The list.
        list: crate::model::worklists::Worklist,
    },
    /// Select every row of a backoffice worklist that matches the filter, loaded or not.
    SelectWorklist {
        /// The query's number.
        seq: u64,
        /// The list.
        list: crate::model::worklists::Worklist,
        /// The filter and the sort.
        query: crate::model::worklists::WorklistQuery,
    },
    /// Load the open requests of providers.
    LoadRequests,
    /// Grant a provider's request and write the client's 301.
    GrantRequest(i64),
    /// Refuse a provider's request and write the 319.
    RefuseRequest {
        /// The request.
        id: i64,
        /// The reason code.
        reason: String,
    },
    /// Read providers' message files (each checked, applied whole or refused).
    ImportMessages(Vec<std::path::PathBuf>),
    /// Apply a bulk action to provisions (all or nothing).
    Bulk {
        /// The provisions.
        ids: Vec<i64>,
        /// The action.
        action: crate::model::worklists::BulkAction,
    },
    /// Take the last bulk action back as one step (a correcting change, audited).
    UndoBulk(crate::model::worklists::BulkUndo),
    /// Write an export of the figures shown.
    ExportReport {
        /// The file's name (it goes to `exporten/` under the output folder).
        file_name: String,
        /// Its content.
        text: String,
    },
    /// Write an export of the worklist rows shown (every row matching the filter, loaded or
    /// not), and record it in the access log of every household in it.
    ExportWorklist {
        /// The list.
        list: crate::model::worklists::Worklist,
        /// The filter and the sort.
        query: crate::model::worklists::WorklistQuery,
    },
    /// Write the `refused` audit row of an act this role may not do on a household.
    RecordRefusal {
        /// The household.
        household_id: i64,
        /// What was tried.
        operation: crate::auth::policy::Operation,
    },
    /// Leave the app.
    Quit,
}
