//! Home on PostgreSQL: the households a user is regisseur of, and their agreements that are
//! due (see `sqlite::home`).

use chrono::{Duration, NaiveDate};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::agreement::Actor;
use crate::model::home::*;
use crate::store::shared::codec::corrupt;
use crate::store::shared::{HOME_AGREEMENTS, HOME_HOUSEHOLDS};

impl Store {
    /// Loads home for the session's user; audited as one read of the overview.
    pub fn load_home(&mut self, session: &Session, today: NaiveDate) -> Result<HomeData> {
        authorize(session, Operation::FindHouseholds, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        let horizon = today + Duration::days(7);
        // Only a role that sees content has a caseload with agreements; the server grants the
        // others no agreements at all (backoffice finds households but is nobody's regisseur).
        let caseload = crate::auth::policy::role_allows(session.role, Operation::ReadHousehold);
        self.write(|tx| {
            let total: i64 = tx
                .query_one(
                    "SELECT count(*) FROM household WHERE regisseur_id = $1 AND closed_on IS NULL",
                    &[&user],
                )?
                .try_get(0)?;
            if !caseload {
                audit::append(tx, now, &actor, &home_read(0, 0))?;
                return Ok(HomeData {
                    households: Vec::new(),
                    household_total: u32::try_from(total).unwrap_or(u32::MAX),
                    agreements: Vec::new(),
                    week_total: 0,
                    overdue_total: 0,
                });
            }
            let households = tx
                .query(
                    // Through the server's functions (migration 7): a professional's
                    // connection sees agreements only of a household it opened.
                    "SELECT id, label, address, open, next_due FROM kt_home_households($1)",
                    &[&HOME_HOUSEHOLDS],
                )?
                .iter()
                .map(|r| {
                    let open: i64 = r.try_get(3)?;
                    Ok(MyHousehold {
                        id: r.try_get(0)?,
                        label: r.try_get(1)?,
                        address: r.try_get(2)?,
                        open_agreements: u32::try_from(open).unwrap_or(u32::MAX),
                        next_due: r.try_get(4)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            // This week's and the overdue ones, each group earliest first and at most
            // HOME_AGREEMENTS, with both totals: home costs the same however many are late.
            let totals = tx.query_one(
                "SELECT week, overdue FROM kt_home_agreement_totals($1, $2)",
                &[&today, &horizon],
            )?;
            let (week_total, overdue_total): (i64, i64) = (totals.try_get(0)?, totals.try_get(1)?);
            let agreements = tx
                .query(
                    "SELECT id, household_id, label, what, who, due_on
                     FROM kt_home_agreements($1, $2, $3)",
                    &[&today, &horizon, &HOME_AGREEMENTS],
                )?
                .iter()
                .map(|r| {
                    let who: String = r.try_get(4)?;
                    Ok(DueAgreement {
                        id: r.try_get(0)?,
                        household_id: r.try_get(1)?,
                        label: r.try_get(2)?,
                        what: r.try_get(3)?,
                        who: Actor::parse(&who)
                            .map_err(|_| corrupt("agreement", "who", who.clone()))?,
                        due_on: r.try_get(5)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            audit::append(
                tx,
                now,
                &actor,
                &home_read(households.len(), agreements.len()),
            )?;
            Ok(HomeData {
                households,
                household_total: u32::try_from(total).unwrap_or(u32::MAX),
                agreements,
                week_total: u32::try_from(week_total).unwrap_or(u32::MAX),
                overdue_total: u32::try_from(overdue_total).unwrap_or(u32::MAX),
            })
        })
    }
}

/// The audit row of one look at home: how many households and agreements it showed.
fn home_read(households: usize, agreements: usize) -> AuditEvent {
    AuditEvent {
        action: Action::Read,
        object: "home",
        object_id: None,
        household_id: None,
        person_id: None,
        detail: Some(format!("{households} huishoudens, {agreements} afspraken")),
    }
}
