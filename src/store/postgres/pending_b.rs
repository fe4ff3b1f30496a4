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
    /// Not yet on PostgreSQL (see `sqlite::access_log`).
    pub fn household_access_log(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<Vec<AccessEntry>> {
        Err(pending("household_access_log"))
    }
    /// Not yet on PostgreSQL (see `sqlite::access_log`).
    pub fn user_trail(&mut self, session: &Session, username: &str) -> Result<Vec<AuditRow>> {
        Err(pending("user_trail"))
    }
    /// Not yet on PostgreSQL (see `sqlite::avg`).
    pub fn export_household(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<HouseholdExport> {
        Err(pending("export_household"))
    }
    /// Not yet on PostgreSQL (see `sqlite::avg`).
    pub fn retention_due(
        &mut self,
        session: &Session,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> Result<Vec<DueHousehold>> {
        Err(pending("retention_due"))
    }
    /// Not yet on PostgreSQL (see `sqlite::avg`).
    pub fn erase_household(
        &mut self,
        session: &Session,
        household_id: i64,
        reason: &str,
        policy: &RetentionPolicy,
        today: NaiveDate,
        apply: bool,
    ) -> Result<Erased> {
        Err(pending("erase_household"))
    }
    /// Not yet on PostgreSQL (see `sqlite::imports`).
    pub fn import_providers(
        &mut self,
        session: &Session,
        rows: &[ProviderRow],
        skip_bad: bool,
    ) -> Result<ProviderImport> {
        Err(pending("import_providers"))
    }
    /// Not yet on PostgreSQL (see `sqlite::imports`).
    pub fn import_flags(&mut self, session: &Session, rows: &[FlagRow]) -> Result<FlagImport> {
        Err(pending("import_flags"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn require_demo(&self) -> Result<()> {
        Err(pending("require_demo"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn household_count(&self) -> Result<i64> {
        Err(pending("household_count"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()> {
        Err(pending("ensure_demo_accounts"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn begin_bulk_load(&mut self) -> Result<()> {
        Err(pending("begin_bulk_load"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn end_bulk_load(&mut self) -> Result<()> {
        Err(pending("end_bulk_load"))
    }
    /// Not yet on PostgreSQL (see `sqlite::demo`).
    pub fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()> {
        Err(pending("insert_demo_batch"))
    }
}
