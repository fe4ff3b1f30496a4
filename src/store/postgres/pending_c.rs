//! Operations of the PostgreSQL backend not yet written for it: each answers that this
//! build cannot do it on a server yet. They move to their own module as they are written.

use super::Store;
use crate::store::{Result, StoreError};

#[allow(unused_imports)]
use {
    crate::auth::Session,
    crate::domain::address::HouseNumber,
    crate::domain::agreement::{Agreement, AgreementFields},
    crate::domain::contact::{Contact, ContactFields},
    crate::domain::flag::Flag,
    crate::domain::goal::{Consent, GoalStatus, PlanGoal},
    crate::domain::household::{Household, NewHousehold, Person, PersonFields},
    crate::domain::postcode::Postcode,
    crate::domain::reference::ReferenceData,
    crate::domain::retention::RetentionPolicy,
    crate::domain::user::{Team, User},
    crate::domain::zrm::{Assessment, Scores},
    crate::i18n::Lang,
    crate::model::access_log::AccessEntry,
    crate::model::avg::{DueHousehold, Erased, HouseholdExport},
    crate::model::changes::{Applied, Change},
    crate::model::dashboard::Dashboard,
    crate::model::demo::{DemoHousehold, DemoUser},
    crate::model::finder::HouseholdHit,
    crate::model::home::HomeData,
    crate::model::imports::{FlagImport, FlagRow, ProviderImport, ProviderRow},
    crate::model::plan::PlanData,
    crate::model::providers::{Contract, ContractFields, Offer, Provider},
    crate::model::report::{Report, ReportRequest},
    crate::model::users::NewUser,
    crate::model::worklists::{BulkAction, WorkItem, Worklist},
    crate::store::audit::AuditRow,
    chrono::NaiveDate,
};

fn pending(what: &'static str) -> StoreError {
    StoreError::Server {
        location: String::new(),
        problem: crate::store::ServerProblem::FileOnly(what),
    }
}

#[allow(unused_variables)]
impl Store {
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn worklist_counts(
        &mut self,
        session: &Session,
        today: NaiveDate,
    ) -> Result<Vec<(Worklist, usize)>> {
        Err(pending("worklist_counts"))
    }
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn bulk_undoable(
        &mut self,
        session: &Session,
        ids: &[i64],
        action: &BulkAction,
    ) -> Result<(usize, crate::model::worklists::BulkUndo)> {
        Err(pending("bulk_undoable"))
    }
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn record_worklist_export(
        &mut self,
        session: &Session,
        list: Worklist,
        households: &[i64],
    ) -> Result<()> {
        Err(pending("record_worklist_export"))
    }
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn undo_bulk(
        &mut self,
        session: &Session,
        undo: &crate::model::worklists::BulkUndo,
    ) -> Result<usize> {
        Err(pending("undo_bulk"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn offers(&self, session: &Session, on: NaiveDate) -> Result<Vec<Offer>> {
        Err(pending("offers"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn providers(&self, session: &Session) -> Result<Vec<Provider>> {
        Err(pending("providers"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn contracts(&self, session: &Session) -> Result<Vec<Contract>> {
        Err(pending("contracts"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn add_provider(
        &mut self,
        session: &Session,
        name: &str,
        agb: &str,
        contact: Option<&str>,
    ) -> Result<Provider> {
        Err(pending("add_provider"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn add_contract(
        &mut self,
        session: &Session,
        provider_id: i64,
        fields: &ContractFields,
    ) -> Result<Contract> {
        Err(pending("add_contract"))
    }
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn worklist(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>> {
        Err(pending("worklist"))
    }
    /// Not yet on PostgreSQL (see `sqlite::worklists`).
    pub fn bulk(&mut self, session: &Session, ids: &[i64], action: &BulkAction) -> Result<usize> {
        Err(pending("bulk"))
    }
    /// Not yet on PostgreSQL (see `sqlite::report`).
    pub fn steering_report(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
        lang: Lang,
    ) -> Result<Report> {
        Err(pending("steering_report"))
    }
    /// Not yet on PostgreSQL (see `sqlite::provisions`).
    pub fn contracted_providers(
        &self,
        session: &Session,
        product: &str,
        on: NaiveDate,
    ) -> Result<Vec<Provider>> {
        Err(pending("contracted_providers"))
    }
    /// Not yet on PostgreSQL (see `sqlite::exchange`).
    pub fn export_toewijzingen(
        &mut self,
        session: &Session,
        filter: &crate::model::exchange::ExportFilter,
        selection: crate::model::exchange::Selection,
        today: NaiveDate,
        deliver: &mut dyn FnMut(
            &crate::model::exchange::ToewijzingBatch,
        ) -> std::result::Result<(), crate::domain::Invalid>,
    ) -> Result<Vec<crate::model::exchange::ToewijzingBatch>> {
        Err(pending("export_toewijzingen"))
    }
    /// Not yet on PostgreSQL (see `sqlite::messages`).
    pub fn apply_message(
        &mut self,
        session: &Session,
        file: &str,
        message: &crate::exchange::berichten::Incoming,
        gemeente: &str,
    ) -> Result<crate::model::messages::Applied> {
        Err(pending("apply_message"))
    }
    /// Not yet on PostgreSQL (see `sqlite::messages`).
    pub fn provider_requests(
        &mut self,
        session: &Session,
        all: bool,
    ) -> Result<Vec<crate::model::messages::ProviderRequest>> {
        Err(pending("provider_requests"))
    }
    /// Not yet on PostgreSQL (see `sqlite::messages`).
    pub fn grant_request(
        &mut self,
        session: &Session,
        id: i64,
        today: NaiveDate,
    ) -> Result<crate::model::messages::Grant> {
        Err(pending("grant_request"))
    }
    /// Not yet on PostgreSQL (see `sqlite::messages`).
    pub fn refuse_request(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
        today: NaiveDate,
        deliver: &mut dyn FnMut(
            &crate::model::messages::AnswerBatch,
        ) -> std::result::Result<(), crate::domain::Invalid>,
    ) -> Result<crate::model::messages::AnswerBatch> {
        Err(pending("refuse_request"))
    }
}
