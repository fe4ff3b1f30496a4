//! Everything one household dashboard shows, loaded in one audited read, on PostgreSQL.

use super::agreements::agreements_of;
use super::audit::{Action, AuditEvent};
use super::consents::consents_of;
use super::contacts::contacts_of;
use super::flags::flags_of;
use super::goals::goals_of;
use super::households::{
    HOUSEHOLD_COLUMNS, USER_COLUMNS, household_row, members_of, not_found, user_row,
};
use super::provision_rows::provisions_of;
use super::zrm::assessments_of;
use super::{Result, Store, Tx};
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
}

/// Every query one dashboard needs.
pub(crate) fn read_dashboard(tx: &mut Tx<'_>, household_id: i64) -> Result<Dashboard> {
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

/// The administrative part of a dashboard: the content lists stay empty. The household, its
/// team's name and its regisseur are one query.
pub(crate) fn read_administration(tx: &mut Tx<'_>, household_id: i64) -> Result<Dashboard> {
    let row = tx
        .query_opt(
            &format!(
                "SELECT {HOUSEHOLD_COLUMNS}, ht.name, {USER_COLUMNS}
                 FROM household h JOIN team ht ON ht.id = h.team_id
                 JOIN app_user u ON u.id = h.regisseur_id LEFT JOIN team t ON t.id = u.team_id
                 WHERE h.id = $1"
            ),
            &[&household_id],
        )?
        .ok_or_else(|| not_found(household_id))?;
    let household = household_row(&row)?;
    let team_name: String = row.try_get(11)?;
    let regisseur = user_row(&row, 12)?;
    Ok(Dashboard {
        access: DashboardAccess::Administrative,
        team_name,
        regisseur,
        members: members_of(tx, household_id)?,
        assessments: Vec::new(),
        agreements: Vec::new(),
        flags: Vec::new(),
        goals: Vec::new(),
        contacts: Vec::new(),
        consents: consents_of(tx, household_id)?,
        provisions: provisions_of(tx, household_id)?,
        household,
    })
}
