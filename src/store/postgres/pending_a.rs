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
    /// Not yet on PostgreSQL (see `sqlite::contacts`).
    pub fn last_contact_choice(&self, session: &Session) -> Result<Option<(String, u32)>> {
        Err(pending("last_contact_choice"))
    }
    /// Not yet on PostgreSQL (see `sqlite::contacts`).
    pub fn contact_habits(&self, session: &Session) -> Result<Vec<(String, u32, u32)>> {
        Err(pending("contact_habits"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn record_refusal(
        &mut self,
        session: &Session,
        household_id: i64,
        op: crate::auth::policy::Operation,
    ) -> Result<()> {
        Err(pending("record_refusal"))
    }
    /// Not yet on PostgreSQL (see `sqlite::home`).
    pub fn load_home(&mut self, session: &Session, today: NaiveDate) -> Result<HomeData> {
        Err(pending("load_home"))
    }
    /// Not yet on PostgreSQL (see `sqlite::search`).
    pub fn find_households(
        &mut self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>> {
        Err(pending("find_households"))
    }
    /// Not yet on PostgreSQL (see `sqlite::dashboard`).
    pub fn load_dashboard(&mut self, session: &Session, household_id: i64) -> Result<Dashboard> {
        Err(pending("load_dashboard"))
    }
    /// Not yet on PostgreSQL (see `sqlite::changes`).
    pub fn apply(
        &mut self,
        session: &Session,
        household_id: i64,
        change: &Change,
    ) -> Result<Applied> {
        Err(pending("apply"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn create_household(
        &mut self,
        session: &Session,
        new: &NewHousehold,
        first: &PersonFields,
    ) -> Result<Household> {
        Err(pending("create_household"))
    }
    /// Not yet on PostgreSQL (see `sqlite::search`).
    pub fn open_households_at(
        &mut self,
        session: &Session,
        postcode: &Postcode,
        number: &HouseNumber,
    ) -> Result<Vec<String>> {
        Err(pending("open_households_at"))
    }
    /// Not yet on PostgreSQL (see `sqlite::dashboard`).
    pub fn record_together(&mut self, session: &Session, household_id: i64) -> Result<()> {
        Err(pending("record_together"))
    }
    /// Not yet on PostgreSQL (see `sqlite::plan`).
    pub fn load_plan(
        &mut self,
        session: &Session,
        household_id: i64,
        reference: &ReferenceData,
    ) -> Result<PlanData> {
        Err(pending("load_plan"))
    }
    /// Not yet on PostgreSQL (see `sqlite::agreements`).
    pub fn add_agreement(
        &mut self,
        session: &Session,
        household_id: i64,
        f: &AgreementFields,
    ) -> Result<Agreement> {
        Err(pending("add_agreement"))
    }
    /// Not yet on PostgreSQL (see `sqlite::agreements`).
    pub fn complete_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        Err(pending("complete_agreement"))
    }
    /// Not yet on PostgreSQL (see `sqlite::agreements`).
    pub fn cancel_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        Err(pending("cancel_agreement"))
    }
    /// Not yet on PostgreSQL (see `sqlite::zrm`).
    pub fn record_zrm(
        &mut self,
        session: &Session,
        person_id: i64,
        on: NaiveDate,
        scores: &Scores,
    ) -> Result<Assessment> {
        Err(pending("record_zrm"))
    }
    /// Not yet on PostgreSQL (see `sqlite::flags`).
    pub fn set_flag(
        &mut self,
        session: &Session,
        household_id: i64,
        kind: &str,
        since: NaiveDate,
    ) -> Result<Flag> {
        Err(pending("set_flag"))
    }
    /// Not yet on PostgreSQL (see `sqlite::flags`).
    pub fn end_flag(
        &mut self,
        session: &Session,
        flag_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        Err(pending("end_flag"))
    }
    /// Not yet on PostgreSQL (see `sqlite::goals`).
    pub fn add_goal(
        &mut self,
        session: &Session,
        household_id: i64,
        goal: &str,
        zrm_domain: Option<&str>,
    ) -> Result<PlanGoal> {
        Err(pending("add_goal"))
    }
    /// Not yet on PostgreSQL (see `sqlite::goals`).
    pub fn set_goal_status(
        &mut self,
        session: &Session,
        goal_id: i64,
        status: GoalStatus,
    ) -> Result<()> {
        Err(pending("set_goal_status"))
    }
    /// Not yet on PostgreSQL (see `sqlite::consents`).
    pub fn add_consent(
        &mut self,
        session: &Session,
        household_id: i64,
        person_id: Option<i64>,
        purpose: &str,
        given_on: NaiveDate,
    ) -> Result<Consent> {
        Err(pending("add_consent"))
    }
    /// Not yet on PostgreSQL (see `sqlite::consents`).
    pub fn withdraw_consent(
        &mut self,
        session: &Session,
        consent_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        Err(pending("withdraw_consent"))
    }
    /// Not yet on PostgreSQL (see `sqlite::contacts`).
    pub fn record_contact(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &ContactFields,
    ) -> Result<Contact> {
        Err(pending("record_contact"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn add_person(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        Err(pending("add_person"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn update_person(
        &mut self,
        session: &Session,
        person_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        Err(pending("update_person"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn close_household(
        &mut self,
        session: &Session,
        household_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        Err(pending("close_household"))
    }
    /// Not yet on PostgreSQL (see `sqlite::households`).
    pub fn reopen_household(&mut self, session: &Session, household_id: i64) -> Result<()> {
        Err(pending("reopen_household"))
    }
    /// Not yet on PostgreSQL (see `sqlite::regisseur`).
    pub fn reassign_regisseur(
        &mut self,
        session: &Session,
        household_id: i64,
        username: &str,
    ) -> Result<User> {
        Err(pending("reassign_regisseur"))
    }
    /// Not yet on PostgreSQL (see `sqlite::plan`).
    pub fn set_plan_show_strengths(
        &mut self,
        session: &Session,
        household_id: i64,
        show: bool,
    ) -> Result<()> {
        Err(pending("set_plan_show_strengths"))
    }
}
