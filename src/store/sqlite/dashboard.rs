//! Everything one household dashboard shows, loaded in one audited read.

use super::agreements::agreements_of;
use super::audit::{Action, AuditEvent};
use super::consents::consents_of;
use super::contacts::contacts_of;
use super::flags::flags_of;
use super::goals::goals_of;
use super::households::{PERSON_COLUMNS, finish_person, load_household, person_row};
use super::users::load_user;
use super::zrm::assessments_of;
use super::{Result, Store};
use crate::auth::Session;
use crate::auth::policy::{self, Operation};
use crate::model::dashboard::*;

impl Store {
    /// Loads a household's dashboard; the read is audited in the same transaction. A role that
    /// may see only the administrative data (backoffice) gets the dashboard with
    /// [`DashboardAccess::Administrative`] and the content lists empty; a role that may see
    /// neither is refused (and the refusal audited).
    pub fn load_dashboard(&mut self, session: &Session, household_id: i64) -> Result<Dashboard> {
        let full = policy::role_allows(session.role, Operation::ReadHousehold);
        let op = if full {
            Operation::ReadHousehold
        } else {
            Operation::ReadAdministration
        };
        self.household_access(session, household_id, op, |tx, _| {
            let (dashboard, detail) = if full {
                (read_dashboard(tx, household_id)?, "dashboard")
            } else {
                (
                    read_administration(tx, household_id)?,
                    "dashboard administratief",
                )
            };
            let event =
                AuditEvent::household(Action::Read, "household", household_id, household_id)
                    .with_detail(detail);
            Ok((dashboard, event))
        })
    }

    /// Records that the household was shown its own view (samen kijken): an audited read of the
    /// data already on the screen.
    pub fn record_together(&mut self, session: &Session, household_id: i64) -> Result<()> {
        self.household_read(session, household_id, |_, _| {
            let event =
                AuditEvent::household(Action::Read, "household", household_id, household_id)
                    .with_detail("samen kijken");
            Ok(((), event))
        })
    }

    /// The bare reads of a dashboard, without the access check, the transaction and the audit
    /// row: the baseline `load_dashboard` is measured against in the benchmarks. Not for screens.
    #[cfg(feature = "bench-baselines")]
    pub fn dashboard_baseline(&self, household_id: i64) -> Result<usize> {
        let d = read_dashboard(self.conn(), household_id)?;
        Ok(d.members.len() + d.assessments.len() + d.agreements.len() + d.contacts.len())
    }
}

/// Every query one dashboard needs.
pub(crate) fn read_dashboard(tx: &rusqlite::Connection, household_id: i64) -> Result<Dashboard> {
    let admin = read_administration(tx, household_id)?;
    Ok(Dashboard {
        access: DashboardAccess::Full,
        assessments: assessments_of(tx, household_id)?,
        agreements: agreements_of(tx, household_id)?,
        flags: flags_of(tx, household_id)?,
        goals: goals_of(tx, household_id)?,
        contacts: contacts_of(tx, household_id, RECENT_CONTACTS)?,
        ..admin
    })
}

/// The administrative part of a dashboard: the content lists stay empty.
pub(crate) fn read_administration(
    tx: &rusqlite::Connection,
    household_id: i64,
) -> Result<Dashboard> {
    let household = load_household(tx, household_id)?;
    let mut stmt = tx.prepare_cached("SELECT name FROM team WHERE id = ?1")?;
    let team_name: String = stmt.query_row([household.team_id], |r| r.get(0))?;
    let regisseur = load_user(tx, household.regisseur_id)?;
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS} FROM person WHERE household_id = ?1 ORDER BY birth_date IS NULL, birth_date, id"
    ))?;
    let members = stmt
        .query_map([household_id], person_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(finish_person)
        .collect::<Result<Vec<_>>>()?;
    Ok(Dashboard {
        access: DashboardAccess::Administrative,
        team_name,
        regisseur,
        members,
        assessments: Vec::new(),
        agreements: Vec::new(),
        flags: Vec::new(),
        goals: Vec::new(),
        contacts: Vec::new(),
        consents: consents_of(tx, household_id)?,
        provisions: super::provisions::provisions_of(tx, household_id)?,
        household,
    })
}
