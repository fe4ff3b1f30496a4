//! The store traits on PostgreSQL: each operation is the store's own method of the same name.

use chrono::NaiveDate;

use crate::domain::agreement::{Agreement, AgreementFields};
use crate::domain::contact::{Contact, ContactFields};
use crate::domain::flag::Flag;
use crate::domain::goal::{Consent, GoalStatus, PlanGoal};
use crate::domain::household::Person;
use crate::domain::retention::RetentionPolicy;
use crate::domain::user::Team;
use crate::domain::zrm::{Assessment, Scores};
use crate::model::access_log::AccessEntry;
use crate::model::admin::CheckReport;
use crate::model::avg::{DueHousehold, Erased, HouseholdExport};
use crate::model::demo::{DemoHousehold, DemoUser};
use crate::model::imports::{FlagImport, FlagRow, ProviderImport, ProviderRow};
use crate::model::users::NewUser;
use crate::store::api::Login;
use crate::store::audit::AuditRow;

use super::Store;
use crate::auth::Session;
use crate::clock::Clock;
use crate::domain::address::HouseNumber;
use crate::domain::household::{Household, NewHousehold, PersonFields};
use crate::domain::postcode::Postcode;
use crate::domain::reference::ReferenceData;
use crate::domain::user::User;
use crate::i18n::Lang;
use crate::model::admin::DatabaseKind;
use crate::model::changes::{Applied, Change};
use crate::model::dashboard::Dashboard;
use crate::model::finder::HouseholdHit;
use crate::model::home::HomeData;
use crate::model::plan::PlanData;
use crate::model::providers::{Contract, ContractFields, Offer, Provider};
use crate::model::report::{Report, ReportRequest};
use crate::model::worklists::{BulkAction, WorkItem, Worklist};
use crate::store::{
    AccountStore, AppStore, Backend, DemoStore, HouseholdStore, ImportStore, MaintenanceStore,
    PrivacyStore, Result,
};

impl AppStore for Store {
    fn clock(&self) -> &dyn Clock {
        Store::clock(self)
    }
    fn kind(&self) -> Result<DatabaseKind> {
        Store::kind(self)
    }
    fn authenticate(&self, username: &str, password: &str, workstation: &str) -> Result<Session> {
        Store::authenticate(self, username, password, workstation)
    }
    fn login(&self, username: &str, password: &str, workstation: &str) -> Result<Login> {
        Store::login(self, username, password, workstation)
    }
    fn logout(&self, session: &Session) -> Result<()> {
        Store::logout(self, session)
    }
    fn current_user(&self, session: &Session) -> Result<User> {
        self.act_as(session)?;
        Store::current_user(self, session)
    }
    fn last_contact_choice(&self, session: &Session) -> Result<Option<(String, u32)>> {
        self.act_as(session)?;
        Store::last_contact_choice(self, session)
    }
    fn contact_habits(&self, session: &Session) -> Result<Vec<(String, u32, u32)>> {
        self.act_as(session)?;
        Store::contact_habits(self, session)
    }
    fn worklist_counts(
        &mut self,
        session: &Session,
        today: NaiveDate,
    ) -> Result<Vec<(Worklist, usize)>> {
        self.act_as(session)?;
        Store::worklist_counts(self, session, today)
    }
    fn bulk_undoable(
        &mut self,
        session: &Session,
        ids: &[i64],
        action: &BulkAction,
    ) -> Result<(usize, crate::model::worklists::BulkUndo)> {
        self.act_as(session)?;
        Store::bulk_undoable(self, session, ids, action)
    }
    fn record_worklist_export(
        &mut self,
        session: &Session,
        list: Worklist,
        households: &[i64],
    ) -> Result<()> {
        self.act_as(session)?;
        Store::record_worklist_export(self, session, list, households)
    }
    fn undo_bulk(
        &mut self,
        session: &Session,
        undo: &crate::model::worklists::BulkUndo,
    ) -> Result<usize> {
        self.act_as(session)?;
        Store::undo_bulk(self, session, undo)
    }
    fn record_refusal(
        &mut self,
        session: &Session,
        household_id: i64,
        op: crate::auth::policy::Operation,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::record_refusal(self, session, household_id, op)
    }
    fn load_home(&mut self, session: &Session, today: NaiveDate) -> Result<HomeData> {
        self.act_as(session)?;
        Store::load_home(self, session, today)
    }
    fn find_households(
        &mut self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>> {
        self.act_as(session)?;
        Store::find_households(self, session, query, limit)
    }
    fn load_dashboard(&mut self, session: &Session, household_id: i64) -> Result<Dashboard> {
        self.act_as(session)?;
        Store::load_dashboard(self, session, household_id)
    }
    fn apply(&mut self, session: &Session, household_id: i64, change: &Change) -> Result<Applied> {
        self.act_as(session)?;
        Store::apply(self, session, household_id, change)
    }
    fn create_household(
        &mut self,
        session: &Session,
        new: &NewHousehold,
        first: &PersonFields,
    ) -> Result<Household> {
        self.act_as(session)?;
        Store::create_household(self, session, new, first)
    }
    fn open_households_at(
        &mut self,
        session: &Session,
        postcode: &Postcode,
        number: &HouseNumber,
    ) -> Result<Vec<String>> {
        self.act_as(session)?;
        Store::open_households_at(self, session, postcode, number)
    }
    fn regisseur_candidates(&self, session: &Session) -> Result<Vec<User>> {
        self.act_as(session)?;
        Store::regisseur_candidates(self, session)
    }
    fn offers(&self, session: &Session, on: NaiveDate) -> Result<Vec<Offer>> {
        self.act_as(session)?;
        Store::offers(self, session, on)
    }
    fn record_together(&mut self, session: &Session, household_id: i64) -> Result<()> {
        self.act_as(session)?;
        Store::record_together(self, session, household_id)
    }
    fn providers(&self, session: &Session) -> Result<Vec<Provider>> {
        self.act_as(session)?;
        Store::providers(self, session)
    }
    fn contracts(&self, session: &Session) -> Result<Vec<Contract>> {
        self.act_as(session)?;
        Store::contracts(self, session)
    }
    fn add_provider(
        &mut self,
        session: &Session,
        name: &str,
        agb: &str,
        contact: Option<&str>,
    ) -> Result<Provider> {
        self.act_as(session)?;
        Store::add_provider(self, session, name, agb, contact)
    }
    fn add_contract(
        &mut self,
        session: &Session,
        provider_id: i64,
        fields: &ContractFields,
    ) -> Result<Contract> {
        self.act_as(session)?;
        Store::add_contract(self, session, provider_id, fields)
    }
    fn worklist(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>> {
        self.act_as(session)?;
        Store::worklist(self, session, list, today)
    }
    fn worklist_page(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &crate::model::worklists::WorklistQuery,
        reference: &ReferenceData,
        offset: usize,
        limit: usize,
    ) -> Result<crate::model::worklists::WorklistPage> {
        self.act_as(session)?;
        let words = crate::model::worklists::filter_words(&query.filter, &reference.products);
        Store::worklist_page(self, session, list, today, query, &words, offset, limit)
    }
    fn prepare_worklist_filter(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::prepare_worklist_filter(self, session, list, today)
    }
    fn worklist_rows(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &crate::model::worklists::WorklistQuery,
        reference: &ReferenceData,
    ) -> Result<Vec<WorkItem>> {
        self.act_as(session)?;
        let words = crate::model::worklists::filter_words(&query.filter, &reference.products);
        Store::worklist_rows(self, session, list, today, query, &words)
    }
    fn worklist_selection(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &crate::model::worklists::WorklistQuery,
        reference: &ReferenceData,
    ) -> Result<Vec<(i64, String)>> {
        self.act_as(session)?;
        let words = crate::model::worklists::filter_words(&query.filter, &reference.products);
        Store::worklist_selection(self, session, list, today, query, &words)
    }
    fn bulk(&mut self, session: &Session, ids: &[i64], action: &BulkAction) -> Result<usize> {
        self.act_as(session)?;
        Store::bulk(self, session, ids, action)
    }
    fn steering_report(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
        lang: Lang,
    ) -> Result<Report> {
        self.act_as(session)?;
        Store::steering_report(self, session, request, reference, lang)
    }
    fn load_plan(
        &mut self,
        session: &Session,
        household_id: i64,
        reference: &ReferenceData,
    ) -> Result<PlanData> {
        self.act_as(session)?;
        Store::load_plan(self, session, household_id, reference)
    }
}

impl HouseholdStore for Store {
    fn add_agreement(
        &mut self,
        session: &Session,
        household_id: i64,
        f: &AgreementFields,
    ) -> Result<Agreement> {
        self.act_as(session)?;
        Store::add_agreement(self, session, household_id, f)
    }
    fn complete_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::complete_agreement(self, session, agreement_id, on)
    }
    fn cancel_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::cancel_agreement(self, session, agreement_id, on, reason)
    }
    fn record_zrm(
        &mut self,
        session: &Session,
        person_id: i64,
        on: NaiveDate,
        scores: &Scores,
    ) -> Result<Assessment> {
        self.act_as(session)?;
        Store::record_zrm(self, session, person_id, on, scores)
    }
    fn set_flag(
        &mut self,
        session: &Session,
        household_id: i64,
        kind: &str,
        since: NaiveDate,
    ) -> Result<Flag> {
        self.act_as(session)?;
        Store::set_flag(self, session, household_id, kind, since)
    }
    fn end_flag(
        &mut self,
        session: &Session,
        flag_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::end_flag(self, session, flag_id, on, reason)
    }
    fn add_goal(
        &mut self,
        session: &Session,
        household_id: i64,
        goal: &str,
        zrm_domain: Option<&str>,
    ) -> Result<PlanGoal> {
        self.act_as(session)?;
        Store::add_goal(self, session, household_id, goal, zrm_domain)
    }
    fn set_goal_status(
        &mut self,
        session: &Session,
        goal_id: i64,
        status: GoalStatus,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::set_goal_status(self, session, goal_id, status)
    }
    fn add_consent(
        &mut self,
        session: &Session,
        household_id: i64,
        person_id: Option<i64>,
        purpose: &str,
        given_on: NaiveDate,
    ) -> Result<Consent> {
        self.act_as(session)?;
        Store::add_consent(self, session, household_id, person_id, purpose, given_on)
    }
    fn withdraw_consent(
        &mut self,
        session: &Session,
        consent_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::withdraw_consent(self, session, consent_id, on)
    }
    fn record_contact(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &ContactFields,
    ) -> Result<Contact> {
        self.act_as(session)?;
        Store::record_contact(self, session, household_id, fields)
    }
    fn add_person(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        self.act_as(session)?;
        Store::add_person(self, session, household_id, fields)
    }
    fn update_person(
        &mut self,
        session: &Session,
        person_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        self.act_as(session)?;
        Store::update_person(self, session, person_id, fields)
    }
    fn close_household(
        &mut self,
        session: &Session,
        household_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::close_household(self, session, household_id, on, reason)
    }
    fn reopen_household(&mut self, session: &Session, household_id: i64) -> Result<()> {
        self.act_as(session)?;
        Store::reopen_household(self, session, household_id)
    }
    fn reassign_regisseur(
        &mut self,
        session: &Session,
        household_id: i64,
        username: &str,
    ) -> Result<User> {
        self.act_as(session)?;
        Store::reassign_regisseur(self, session, household_id, username)
    }
    fn set_plan_show_strengths(
        &mut self,
        session: &Session,
        household_id: i64,
        show: bool,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::set_plan_show_strengths(self, session, household_id, show)
    }
    fn contracted_providers(
        &self,
        session: &Session,
        product: &str,
        on: NaiveDate,
    ) -> Result<Vec<Provider>> {
        self.act_as(session)?;
        Store::contracted_providers(self, session, product, on)
    }
}

impl AccountStore for Store {
    fn create_first_admin(
        &mut self,
        username: &str,
        password: &str,
        workstation: &str,
    ) -> Result<User> {
        Store::create_first_admin(self, username, password, workstation)
    }
    fn create_user(&mut self, session: &Session, new: &NewUser<'_>) -> Result<User> {
        self.act_as(session)?;
        Store::create_user(self, session, new)
    }
    fn create_team(&mut self, session: &Session, name: &str) -> Result<Team> {
        self.act_as(session)?;
        Store::create_team(self, session, name)
    }
    fn list_users(&self, session: &Session) -> Result<Vec<User>> {
        self.act_as(session)?;
        Store::list_users(self, session)
    }
    fn may_manage_users(&self, session: &Session) -> Result<()> {
        self.act_as(session)?;
        Store::may_manage_users(self, session)
    }
    fn list_teams(&self, session: &Session) -> Result<Vec<Team>> {
        self.act_as(session)?;
        Store::list_teams(self, session)
    }
    fn set_password(
        &mut self,
        session: &Session,
        username: &str,
        new_password: &str,
    ) -> Result<()> {
        self.act_as(session)?;
        Store::set_password(self, session, username, new_password)
    }
    fn set_disabled(&mut self, session: &Session, username: &str, disabled: bool) -> Result<()> {
        self.act_as(session)?;
        Store::set_disabled(self, session, username, disabled)
    }
}

impl PrivacyStore for Store {
    fn household_access_log(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<Vec<AccessEntry>> {
        self.act_as(session)?;
        Store::household_access_log(self, session, household_id)
    }
    fn user_trail(&mut self, session: &Session, username: &str) -> Result<Vec<AuditRow>> {
        self.act_as(session)?;
        Store::user_trail(self, session, username)
    }
    fn export_household(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<HouseholdExport> {
        self.act_as(session)?;
        Store::export_household(self, session, household_id)
    }
    fn retention_due(
        &mut self,
        session: &Session,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> Result<Vec<DueHousehold>> {
        self.act_as(session)?;
        Store::retention_due(self, session, policy, today)
    }
    fn erase_household(
        &mut self,
        session: &Session,
        household_id: i64,
        reason: &str,
        policy: &RetentionPolicy,
        today: NaiveDate,
        apply: bool,
    ) -> Result<Erased> {
        self.act_as(session)?;
        Store::erase_household(self, session, household_id, reason, policy, today, apply)
    }
}

impl ImportStore for Store {
    fn import_providers(
        &mut self,
        session: &Session,
        rows: &[ProviderRow],
        skip_bad: bool,
    ) -> Result<ProviderImport> {
        self.act_as(session)?;
        Store::import_providers(self, session, rows, skip_bad)
    }
    fn import_flags(&mut self, session: &Session, rows: &[FlagRow]) -> Result<FlagImport> {
        self.act_as(session)?;
        Store::import_flags(self, session, rows)
    }
}

impl MaintenanceStore for Store {
    fn check(&self) -> Result<CheckReport> {
        Store::check(self)
    }
}

impl DemoStore for Store {
    fn require_demo(&self) -> Result<()> {
        self.as_owner()?;
        Store::require_demo(self)
    }
    fn household_count(&self) -> Result<i64> {
        self.as_owner()?;
        Store::household_count(self)
    }
    fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()> {
        self.as_owner()?;
        Store::ensure_demo_accounts(self, teams, users, workstation)
    }
    fn begin_bulk_load(&mut self) -> Result<()> {
        self.as_owner()?;
        Store::begin_bulk_load(self)
    }
    fn end_bulk_load(&mut self) -> Result<()> {
        self.as_owner()?;
        Store::end_bulk_load(self)
    }
    fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()> {
        self.as_owner()?;
        Store::insert_demo_batch(self, batch, workstation)
    }
}

impl Backend for Store {
    fn location(&self) -> String {
        Store::location(self).to_string()
    }
    fn set_days_without_start(&mut self, days: u32) {
        Store::set_days_without_start(self, days)
    }
    fn is_server(&self) -> bool {
        true
    }
}

impl crate::store::MessageStore for Store {
    fn export_toewijzingen(
        &mut self,
        session: &Session,
        filter: &crate::model::exchange::ExportFilter,
        selection: crate::model::exchange::Selection,
        today: NaiveDate,
        deliver: &mut dyn FnMut(
            &crate::model::exchange::ToewijzingBatch,
        ) -> std::result::Result<(), crate::domain::Invalid>,
    ) -> Result<Vec<crate::model::exchange::ToewijzingBatch>> {
        self.act_as(session)?;
        Store::export_toewijzingen(self, session, filter, selection, today, deliver)
    }
    fn apply_message(
        &mut self,
        session: &Session,
        file: &str,
        message: &crate::model::incoming::Incoming,
        gemeente: &str,
    ) -> Result<crate::model::messages::Applied> {
        self.act_as(session)?;
        Store::apply_message(self, session, file, message, gemeente)
    }
    fn provider_requests(
        &mut self,
        session: &Session,
        all: bool,
    ) -> Result<Vec<crate::model::messages::ProviderRequest>> {
        self.act_as(session)?;
        Store::provider_requests(self, session, all)
    }
    fn grant_request(
        &mut self,
        session: &Session,
        id: i64,
        today: NaiveDate,
    ) -> Result<crate::model::messages::Grant> {
        self.act_as(session)?;
        Store::grant_request(self, session, id, today)
    }
    fn refuse_request(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
        today: NaiveDate,
        deliver: &mut dyn FnMut(
            &crate::model::messages::AnswerBatch,
        ) -> std::result::Result<(), crate::domain::Invalid>,
    ) -> Result<crate::model::messages::AnswerBatch> {
        self.act_as(session)?;
        Store::refuse_request(self, session, id, reason, today, deliver)
    }
}
