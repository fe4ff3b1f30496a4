//! Everything one household dashboard shows, loaded in one audited read, on PostgreSQL.

use tokio_postgres::Row;

use super::agreements::{AGREEMENTS_OF, agreements_rows};
use super::audit::{Action, AuditEvent};
use super::consents::{CONSENTS_OF, consents_rows};
use super::contacts::{CONTACTS_OF, contacts_rows};
use super::flags::{FLAGS_OF, flags_rows};
use super::goals::{GOALS_OF, goals_rows};
use super::households::{HOUSEHOLD_COLUMNS, household_row, members_rows, members_sql, not_found};
use super::provision_rows::{provisions_rows, provisions_sql};
use super::users::{USER_COLUMNS, user_row};
use super::zrm::{ASSESSMENTS_OF, assessments_rows};
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

/// The household, its team's name and its regisseur, in one query.
fn household_sql() -> String {
    format!(
        "SELECT {HOUSEHOLD_COLUMNS}, ht.name, {USER_COLUMNS}
         FROM household h JOIN team ht ON ht.id = h.team_id
         JOIN app_user u ON u.id = h.regisseur_id LEFT JOIN team t ON t.id = u.team_id
         WHERE h.id = $1"
    )
}

/// Every query one dashboard needs, sent at once: one round trip.
pub(crate) fn read_dashboard(tx: &mut Tx<'_>, household_id: i64) -> Result<Dashboard> {
    let (household, members, provisions) = (household_sql(), members_sql(), provisions_sql());
    let id: &(dyn postgres::types::ToSql + Sync) = &household_id;
    let limit = Some(RECENT_CONTACTS);
    let answers = tx.queries(&[
        (&household, &[id]),
        (&members, &[id]),
        (CONSENTS_OF, &[id]),
        (&provisions, &[id]),
        (ASSESSMENTS_OF, &[id]),
        (AGREEMENTS_OF, &[id]),
        (FLAGS_OF, &[id]),
        (GOALS_OF, &[id]),
        (CONTACTS_OF, &[id, &limit]),
    ])?;
    let [h, m, c, p, z, a, f, g, k] = answers.as_slice() else {
        return Err(not_found(household_id));
    };
    let admin = administration(household_id, h, m, c, p)?;
    Ok(Dashboard {
        access: DashboardAccess::Full,
        assessments: assessments_rows(z)?,
        agreements: agreements_rows(a, household_id)?,
        flags: flags_rows(f, household_id)?,
        goals: goals_rows(g, household_id)?,
        contacts: contacts_rows(k, household_id)?,
        ..admin
    })
}

/// The administrative part of a dashboard: the content lists stay empty. One round trip.
pub(crate) fn read_administration(tx: &mut Tx<'_>, household_id: i64) -> Result<Dashboard> {
    let (household, members, provisions) = (household_sql(), members_sql(), provisions_sql());
    let id: &(dyn postgres::types::ToSql + Sync) = &household_id;
    let answers = tx.queries(&[
        (&household, &[id]),
        (&members, &[id]),
        (CONSENTS_OF, &[id]),
        (&provisions, &[id]),
    ])?;
    let [h, m, c, p] = answers.as_slice() else {
        return Err(not_found(household_id));
    };
    administration(household_id, h, m, c, p)
}

fn administration(
    household_id: i64,
    household: &[Row],
    members: &[Row],
    consents: &[Row],
    provisions: &[Row],
) -> Result<Dashboard> {
    let row = household.first().ok_or_else(|| not_found(household_id))?;
    let team_name: String = row.try_get(11)?;
    let regisseur = user_row(row, 12)?;
    Ok(Dashboard {
        access: DashboardAccess::Administrative,
        team_name,
        regisseur,
        members: members_rows(members)?,
        assessments: Vec::new(),
        agreements: Vec::new(),
        flags: Vec::new(),
        goals: Vec::new(),
        contacts: Vec::new(),
        consents: consents_rows(consents, household_id)?,
        provisions: provisions_rows(provisions)?,
        household: household_row(row)?,
    })
}
