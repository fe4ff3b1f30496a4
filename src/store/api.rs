//! The store's traits, shaped by their callers. [`AppStore`] is what the terminal app's
//! executor needs: about twenty operations, each one transaction with its policy check and
//! audit row. Every backend implements it; the app holds a `Box<dyn AppStore>` and never
//! knows which backend it talks to. The command line needs the rest, in small traits by
//! subject; [`Backend`] is all of them, what `keukentafel --db …` opens.

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
use crate::store::audit::AuditRow;

use crate::auth::Session;
use crate::clock::Clock;
use crate::domain::Invalid;
use crate::domain::address::HouseNumber;
use crate::domain::household::{Household, NewHousehold, PersonFields};
use crate::domain::postcode::Postcode;
use crate::domain::reference::ReferenceData;
use crate::domain::user::User;
use crate::i18n::Lang;
use crate::model::admin::DatabaseKind;
use crate::model::changes::{Applied, Change};
use crate::model::dashboard::Dashboard;
use crate::model::exchange::{ExportFilter, Selection, ToewijzingBatch};
use crate::model::finder::HouseholdHit;
use crate::model::home::HomeData;
use crate::model::incoming::Incoming;
use crate::model::messages::{AnswerBatch, Applied as AppliedMessage, Grant, ProviderRequest};
use crate::model::plan::PlanData;
use crate::model::providers::{Contract, ContractFields, Offer, Provider};
use crate::model::report::{Report, ReportRequest};
use crate::model::worklists::{
    BulkAction, BulkUndo, WorkItem, Worklist, WorklistPage, WorklistQuery,
};
use crate::store::Result;

/// A successful login with what the first screen needs.
#[derive(Debug, Clone)]
pub struct Login {
    /// The session opened.
    pub session: Session,
    /// The logged-in user.
    pub user: User,
    /// As [`AppStore::contact_habits`].
    pub contact_habits: Vec<(String, u32, u32)>,
}

/// The operations of the terminal app. Reads of one household's data and every write are
/// audited in their own transaction by the backend; a refusal is a [`crate::store::StoreError`].
pub trait AppStore: Send + MessageStore {
    /// The injected clock.
    fn clock(&self) -> &dyn Clock;
    /// Whether the database holds demo or real data.
    fn kind(&self) -> Result<DatabaseKind>;
    /// Checks a login (with the delay after failures) and opens a session.
    fn authenticate(&self, username: &str, password: &str, workstation: &str) -> Result<Session>;
    /// Ends a session (the lock, or quitting): a backend that holds a connection per user (a
    /// server's personal logins) closes that user's.
    fn logout(&self, _session: &Session) -> Result<()> {
        Ok(())
    }
    /// Checks a login and loads what the first screen needs: the session, the user and their
    /// contact habits. A backend over a network does it in as few round trips as it can.
    fn login(&self, username: &str, password: &str, workstation: &str) -> Result<Login> {
        let session = self.authenticate(username, password, workstation)?;
        let user = self.current_user(&session)?;
        let contact_habits = self.contact_habits(&session)?;
        Ok(Login {
            session,
            user,
            contact_habits,
        })
    }
    /// The logged-in user.
    fn current_user(&self, session: &Session) -> Result<User>;
    /// The contact kind and minutes this user records, to prefill the contact form.
    fn last_contact_choice(&self, session: &Session) -> Result<Option<(String, u32)>>;
    /// This user's recent contacts as (kind, minutes, how often), most often first: the
    /// contact form's defaults.
    fn contact_habits(&self, session: &Session) -> Result<Vec<(String, u32, u32)>>;
    /// How many provisions wait on each backoffice worklist (the backoffice's home).
    fn worklist_counts(
        &mut self,
        session: &Session,
        today: NaiveDate,
    ) -> Result<Vec<(Worklist, usize)>>;
    /// A bulk action as [`AppStore::bulk`], with what [`AppStore::undo_bulk`] needs.
    fn bulk_undoable(
        &mut self,
        session: &Session,
        ids: &[i64],
        action: &BulkAction,
    ) -> Result<(usize, BulkUndo)>;
    /// [`AppStore::bulk_undoable`], saying `progress(done, total)` as batches are done (a
    /// backend that does the whole in one statement says it once, at the end).
    fn bulk_with_progress(
        &mut self,
        session: &Session,
        ids: &[i64],
        action: &BulkAction,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(usize, BulkUndo)> {
        let done = self.bulk_undoable(session, ids, action)?;
        progress(done.0, done.0);
        Ok(done)
    }
    /// Records an export of worklist `list`: one audit row per household in it.
    fn record_worklist_export(
        &mut self,
        session: &Session,
        list: Worklist,
        households: &[i64],
    ) -> Result<()>;
    /// Takes a bulk action back as one step; refused when a provision changed since.
    fn undo_bulk(&mut self, session: &Session, undo: &BulkUndo) -> Result<usize>;
    /// Writes the `refused` audit row for `op` on a household the app did not offer this role.
    fn record_refusal(
        &mut self,
        session: &Session,
        household_id: i64,
        op: crate::auth::policy::Operation,
    ) -> Result<()>;
    /// Home: my households and my agreements that are due.
    fn load_home(&mut self, session: &Session, today: NaiveDate) -> Result<HomeData>;
    /// The finder: households matching every typed word, at most `limit`.
    fn find_households(
        &mut self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>>;
    /// One household's dashboard, as much of it as the role may see.
    fn load_dashboard(&mut self, session: &Session, household_id: i64) -> Result<Dashboard>;
    /// Applies one change with its audit row and returns the fresh dashboard and its undo.
    fn apply(&mut self, session: &Session, household_id: i64, change: &Change) -> Result<Applied>;
    /// Registers a new household with its first member.
    fn create_household(
        &mut self,
        session: &Session,
        new: &NewHousehold,
        first: &PersonFields,
    ) -> Result<Household>;
    /// The labels of open households at an address (a warning before a double registration).
    fn open_households_at(
        &mut self,
        session: &Session,
        postcode: &Postcode,
        number: &HouseNumber,
    ) -> Result<Vec<String>>;
    /// The colleagues who may become a household's regisseur.
    fn regisseur_candidates(&self, session: &Session) -> Result<Vec<User>>;
    /// The providers contracted per product on `on` (the provision request form).
    fn offers(&self, session: &Session, on: NaiveDate) -> Result<Vec<Offer>>;
    /// Records that the household looked at its own dashboard (samen kijken).
    fn record_together(&mut self, session: &Session, household_id: i64) -> Result<()>;
    /// Every provider.
    fn providers(&self, session: &Session) -> Result<Vec<Provider>>;
    /// Every contract.
    fn contracts(&self, session: &Session) -> Result<Vec<Contract>>;
    /// Registers a provider.
    fn add_provider(
        &mut self,
        session: &Session,
        name: &str,
        agb: &str,
        contact: Option<&str>,
    ) -> Result<Provider>;
    /// Adds a contract to a provider.
    fn add_contract(
        &mut self,
        session: &Session,
        provider_id: i64,
        fields: &ContractFields,
    ) -> Result<Contract>;
    /// The rows of a backoffice worklist.
    fn worklist(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>>;
    /// One page of a backoffice worklist as `query` filters and sorts it (in the store): at
    /// most `limit` rows from `offset` on, with how many match and how many the list has.
    #[allow(clippy::too_many_arguments)]
    fn worklist_page(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        reference: &ReferenceData,
        offset: usize,
        limit: usize,
    ) -> Result<WorklistPage>;
    /// Builds the worklist's filter index ahead of the first keystroke or change of order
    /// (see [`crate::store::shared::worklist_filter`]); nothing when it is built already.
    fn prepare_worklist_filter(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
    ) -> Result<()>;
    /// Every row of a backoffice worklist that matches `query`, in its order (the export).
    fn worklist_rows(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        reference: &ReferenceData,
    ) -> Result<Vec<WorkItem>>;
    /// The provisions (id, product) of every row that matches `query`: "select all".
    fn worklist_selection(
        &mut self,
        session: &Session,
        list: Worklist,
        today: NaiveDate,
        query: &WorklistQuery,
        reference: &ReferenceData,
    ) -> Result<Vec<(i64, String)>>;
    /// A bulk action on a selection of provisions, all or nothing; the number changed.
    fn bulk(&mut self, session: &Session, ids: &[i64], action: &BulkAction) -> Result<usize>;
    /// The steering figures, suppressed.
    fn steering_report(
        &mut self,
        session: &Session,
        request: &ReportRequest,
        reference: &ReferenceData,
        lang: Lang,
    ) -> Result<Report>;
    /// The fridge plan's data of one household.
    fn load_plan(
        &mut self,
        session: &Session,
        household_id: i64,
        reference: &ReferenceData,
    ) -> Result<PlanData>;
}

/// The CLI's acts on one household's records (the app makes the same through [`AppStore::apply`]).
pub trait HouseholdStore {
    /// Adds an agreement.
    fn add_agreement(
        &mut self,
        session: &Session,
        household_id: i64,
        f: &AgreementFields,
    ) -> Result<Agreement>;
    /// Marks an open agreement done on `on`.
    fn complete_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
    ) -> Result<()>;
    /// Cancels an open agreement with a reason.
    fn cancel_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()>;
    /// Records a ZRM assessment of a household member.
    fn record_zrm(
        &mut self,
        session: &Session,
        person_id: i64,
        on: NaiveDate,
        scores: &Scores,
    ) -> Result<Assessment>;
    /// Sets a flag of catalogue type `kind` on a household.
    fn set_flag(
        &mut self,
        session: &Session,
        household_id: i64,
        kind: &str,
        since: NaiveDate,
    ) -> Result<Flag>;
    /// Ends a flag with a reason (flags are never deleted).
    fn end_flag(
        &mut self,
        session: &Session,
        flag_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()>;
    /// Adds a plan goal.
    fn add_goal(
        &mut self,
        session: &Session,
        household_id: i64,
        goal: &str,
        zrm_domain: Option<&str>,
    ) -> Result<PlanGoal>;
    /// Sets a plan goal's status.
    fn set_goal_status(
        &mut self,
        session: &Session,
        goal_id: i64,
        status: GoalStatus,
    ) -> Result<()>;
    /// Records a consent.
    fn add_consent(
        &mut self,
        session: &Session,
        household_id: i64,
        person_id: Option<i64>,
        purpose: &str,
        given_on: NaiveDate,
    ) -> Result<Consent>;
    /// Withdraws a consent.
    fn withdraw_consent(&mut self, session: &Session, consent_id: i64, on: NaiveDate)
    -> Result<()>;
    /// Records a contact with a household.
    fn record_contact(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &ContactFields,
    ) -> Result<Contact>;
    /// Adds a member to a household.
    fn add_person(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &PersonFields,
    ) -> Result<Person>;
    /// Changes a member's details.
    fn update_person(
        &mut self,
        session: &Session,
        person_id: i64,
        fields: &PersonFields,
    ) -> Result<Person>;
    /// Closes a household with a reason.
    fn close_household(
        &mut self,
        session: &Session,
        household_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()>;
    /// Reopens a closed household.
    fn reopen_household(&mut self, session: &Session, household_id: i64) -> Result<()>;
    /// Makes `username` the regisseur of a household. The new regisseur must be an active
    /// professional or teamleider of the household's team. Audited; a refusal is audited too.
    fn reassign_regisseur(
        &mut self,
        session: &Session,
        household_id: i64,
        username: &str,
    ) -> Result<User>;
    /// Records whether the household wants "Wat gaat al goed" on its plan (an audited write).
    fn set_plan_show_strengths(
        &mut self,
        session: &Session,
        household_id: i64,
        show: bool,
    ) -> Result<()>;
    /// The providers with a contract for `product` in force on `on`.
    fn contracted_providers(
        &self,
        session: &Session,
        product: &str,
        on: NaiveDate,
    ) -> Result<Vec<Provider>>;
}

/// Users (medewerkers), teams and their passwords.
pub trait AccountStore {
    /// Creates the first beheerder of a new database (`keukentafel init`), audited as the system.
    fn create_first_admin(
        &mut self,
        username: &str,
        password: &str,
        workstation: &str,
    ) -> Result<User>;
    /// Creates a user; only a beheerder may.
    fn create_user(&mut self, session: &Session, new: &NewUser<'_>) -> Result<User>;
    /// Creates a team; only a beheerder may.
    fn create_team(&mut self, session: &Session, name: &str) -> Result<Team>;
    /// Every user, by login name; beheerder and teamleider only.
    fn list_users(&self, session: &Session) -> Result<Vec<User>>;
    /// Refuses unless the session may create and change users (a beheerder).
    fn may_manage_users(&self, session: &Session) -> Result<()>;
    /// Every team, by name; beheerder and teamleider only.
    fn list_teams(&self, session: &Session) -> Result<Vec<Team>>;
    /// Sets the password of user `username`: a user may change their own, a beheerder anyone's.
    /// The new password must meet the policy (at least 10 characters). Clears any login delay.
    fn set_password(&mut self, session: &Session, username: &str, new_password: &str)
    -> Result<()>;
    /// Disables (`true`) or enables (`false`) user `username`; a beheerder only, and never their
    /// own account. Enabling also clears a login delay.
    fn set_disabled(&mut self, session: &Session, username: &str, disabled: bool) -> Result<()>;
}

/// The resident's rights (AVG) and the audit log read back.
pub trait PrivacyStore {
    /// Every access to one household, oldest first: who, when, in which role, what was looked
    /// at or changed. For an inzageverzoek; a professional of the household's team and a
    /// beheerder (privacy officer) may ask. The request is itself audited.
    fn household_access_log(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<Vec<AccessEntry>>;
    /// One user's whole audit trail, oldest first; beheerder only (the privacy officer). The
    /// request is itself audited.
    fn user_trail(&mut self, session: &Session, username: &str) -> Result<Vec<AuditRow>>;
    /// Everything about one household, for inzage and portability; a professional of its team
    /// only. Audited as an export; a refusal is audited too.
    fn export_household(&mut self, session: &Session, household_id: i64)
    -> Result<HouseholdExport>;
    /// Closed, not yet erased households whose retention period is over on `today`, longest
    /// overdue first; beheerder only. Shows ids, teams and dates, no content. Audited as one
    /// read of the list.
    fn retention_due(
        &mut self,
        session: &Session,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> Result<Vec<DueHousehold>>;
    /// Erases a closed household whose retention period is over on `today`: names, addresses,
    /// birth dates, BSN, phone numbers, notes and every free text go; ids, team, dates, ZRM
    /// scores, kinds and counts stay for the figures, and the audit chain stays intact (its
    /// person and household ids now point at rows without identifying data). Beheerder only.
    ///
    /// An open household, one still within its retention period, and a role that may not erase
    /// are refused: nothing changes but one audit row for the refused attempt. Without `apply`
    /// nothing is erased: the answer says what would be.
    fn erase_household(
        &mut self,
        session: &Session,
        household_id: i64,
        reason: &str,
        policy: &RetentionPolicy,
        today: NaiveDate,
        apply: bool,
    ) -> Result<Erased>;
}

/// CSV imports of providers and flags.
pub trait ImportStore {
    /// Imports providers (created once per AGB code) and one contract per row. A contract
    /// that exists with the same product, start, tariff, unit and end is left alone; one with
    /// the same product and start but other terms refuses the row. With `skip_bad` such rows
    /// are reported and the rest imported; without it, nothing is.
    fn import_providers(
        &mut self,
        session: &Session,
        rows: &[ProviderRow],
        skip_bad: bool,
    ) -> Result<ProviderImport>;
    /// Imports flags by BSN: a row without `einde` says the flag is on, a row with `einde`
    /// that it ended. Per household and flag type the file's rows together decide: on when any
    /// row says on, else ended. A flag already so is left alone, so the same file twice
    /// changes nothing. Only persons in households that are not erased are matched; nothing
    /// but the flag (type, since, import as source) is written. One audit row per change, with
    /// the source system and the file line as detail.
    fn import_flags(&mut self, session: &Session, rows: &[FlagRow]) -> Result<FlagImport>;
}

/// Checks of the database as a whole.
pub trait MaintenanceStore {
    /// Runs `PRAGMA integrity_check` and verifies the whole audit chain. Prints no client data.
    fn check(&self) -> Result<CheckReport>;
}

/// Bulk loading of generated demo data (only on a demo database).
pub trait DemoStore {
    /// Refuses unless this database is marked as demo.
    fn require_demo(&self) -> Result<()>;
    /// Number of households.
    fn household_count(&self) -> Result<i64>;
    /// Creates the demo teams and accounts that do not exist yet (password `demo`).
    fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()>;
    /// Switches a new, empty demo database to bulk loading: no rollback journal, no fsync, no
    /// per-row foreign-key lookups, a large page cache. Only for a file that is thrown away
    /// when the load does not finish (see `demo::build`); [`Store::end_bulk_load`] restores
    /// WAL, `synchronous=FULL` and foreign keys.
    fn begin_bulk_load(&mut self) -> Result<()>;
    /// Ends a bulk load: WAL, full sync and foreign keys again; checks the foreign keys.
    fn end_bulk_load(&mut self) -> Result<()>;
    /// Inserts a batch of generated households in one transaction.
    fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()>;
}

/// Everything a backend offers: the app's operations and the command line's.
pub trait Backend:
    AppStore + HouseholdStore + AccountStore + PrivacyStore + ImportStore + MaintenanceStore + DemoStore
{
    /// Where the data lives, for messages (a file path, or a server URL without password).
    fn location(&self) -> String;
    /// After how many days a toewijzing without a start message goes on the worklist
    /// "Zonder startbericht" (`zonder_startbericht_dagen` in config.toml).
    fn set_days_without_start(&mut self, days: u32);
    /// Whether the data is on a server (PostgreSQL) rather than in a file.
    fn is_server(&self) -> bool;
}

/// The message cycle with providers (iWmo/iJw): toewijzingen out, their messages in, and the
/// backoffice's decisions on their requests. Used by the app and the command line alike.
pub trait MessageStore {
    /// Makes the 301 messages `filter` and `selection` ask for, hands each to `deliver` and
    /// marks its toewijzingen as sent; if `deliver` fails, nothing is marked.
    fn export_toewijzingen(
        &mut self,
        session: &Session,
        filter: &ExportFilter,
        selection: Selection,
        today: NaiveDate,
        deliver: &mut dyn FnMut(&ToewijzingBatch) -> std::result::Result<(), Invalid>,
    ) -> Result<Vec<ToewijzingBatch>>;
    /// Applies one checked incoming message (305, 307, 315, 317) whole, or refuses it.
    fn apply_message(
        &mut self,
        session: &Session,
        file: &str,
        message: &Incoming,
        gemeente: &str,
    ) -> Result<AppliedMessage>;
    /// The requests of providers (open ones, or `all`).
    fn provider_requests(&mut self, session: &Session, all: bool) -> Result<Vec<ProviderRequest>>;
    /// Grants a provider's request.
    fn grant_request(&mut self, session: &Session, id: i64, today: NaiveDate) -> Result<Grant>;
    /// Refuses a provider's request with a reason and hands the 319 to `deliver`.
    fn refuse_request(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
        today: NaiveDate,
        deliver: &mut dyn FnMut(&AnswerBatch) -> std::result::Result<(), Invalid>,
    ) -> Result<AnswerBatch>;
}
