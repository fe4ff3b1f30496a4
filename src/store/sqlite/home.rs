//! Home: the households a user is regisseur of, and their agreements that are due.

use chrono::{Duration, NaiveDate};
use rusqlite::params;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_opt_date};
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::agreement::Actor;
use crate::model::home::*;
pub use crate::store::shared::{HOME_AGREEMENTS, HOME_HOUSEHOLDS};

impl Store {
    /// Loads home for the session's user; audited as one read of the overview.
    pub fn load_home(&mut self, session: &Session, today: NaiveDate) -> Result<HomeData> {
        authorize(session, Operation::FindHouseholds, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let user = session.user_id;
        let horizon = date_text(today + Duration::days(7));
        let today_text = date_text(today);
        // The user's households drive every query, into each one's agreements by
        // `agreement_household`: the planner would otherwise walk every open agreement of the
        // database through the report's `agreement_status_due` (1.7 s at 100,000 households).
        self.write(|tx| {
            let household_total: u32 = tx.query_row(
                "SELECT count(*) FROM household WHERE regisseur_id = ?1 AND closed_on IS NULL",
                [user],
                |r| r.get(0),
            )?;
            let mut stmt = tx.prepare(
                "SELECT h.id, h.label, h.street || ' ' || h.house_number,
                        count(a.id), min(a.due_on)
                 FROM household h
                 LEFT JOIN agreement a INDEXED BY agreement_household
                      ON a.household_id = h.id AND a.status = 'open'
                 WHERE h.regisseur_id = ?1 AND h.closed_on IS NULL
                 GROUP BY h.id
                 ORDER BY min(a.due_on) IS NULL, min(a.due_on), h.label
                 LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![user, HOME_HOUSEHOLDS], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get::<_, u32>(3)?, r.get::<_, Option<String>>(4)?))
                })?
                .collect::<rusqlite::Result<Vec<(i64, String, String, u32, Option<String>)>>>()?;
            let households = rows
                .into_iter()
                .map(|(id, label, address, open_agreements, next)| {
                    Ok(MyHousehold {
                        id,
                        label,
                        address,
                        open_agreements,
                        next_due: parse_opt_date("agreement", "due_on", next)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            // This week's and the overdue ones, each group earliest first and at most
            // HOME_AGREEMENTS, with both totals: home costs the same however many are late.
            let (week_total, overdue_total): (i64, i64) = tx.prepare_cached(
                "SELECT coalesce(sum(a.due_on >= ?2), 0), coalesce(sum(a.due_on < ?2), 0)
                 FROM household h CROSS JOIN agreement a INDEXED BY agreement_household
                 WHERE a.household_id = h.id AND h.regisseur_id = ?1 AND h.closed_on IS NULL
                   AND a.status = 'open' AND a.due_on IS NOT NULL AND a.due_on < ?3",
            )?
            .query_row(params![user, today_text, horizon], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut stmt = tx.prepare_cached(
                "SELECT * FROM (SELECT a.id, h.id, h.label, a.what, a.who, a.due_on
                     FROM household h CROSS JOIN agreement a INDEXED BY agreement_household
                     WHERE a.household_id = h.id AND h.regisseur_id = ?1 AND h.closed_on IS NULL
                       AND a.status = 'open'
                       AND a.due_on >= ?2 AND a.due_on < ?3
                     ORDER BY a.due_on, a.id LIMIT ?4)
                 UNION ALL
                 SELECT * FROM (SELECT a.id, h.id, h.label, a.what, a.who, a.due_on
                     FROM household h CROSS JOIN agreement a INDEXED BY agreement_household
                     WHERE a.household_id = h.id AND h.regisseur_id = ?1 AND h.closed_on IS NULL
                       AND a.status = 'open'
                       AND a.due_on IS NOT NULL AND a.due_on < ?2
                     ORDER BY a.due_on, a.id LIMIT ?4)",
            )?;
            let rows = stmt
                .query_map(params![user, today_text, horizon, HOME_AGREEMENTS], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get(5)?))
                })?
                .collect::<rusqlite::Result<Vec<(i64, i64, String, String, String, Option<String>)>>>()?;
            let agreements = rows
                .into_iter()
                .filter_map(|(id, household_id, label, what, who, due)| {
                    let due_on = parse_opt_date("agreement", "due_on", due).transpose()?;
                    Some(due_on.and_then(|due_on| {
                        Ok(DueAgreement {
                            id,
                            household_id,
                            label,
                            what,
                            who: Actor::parse(&who).map_err(|_| super::codec::corrupt("agreement", "who", who.clone()))?,
                            due_on,
                        })
                    }))
                })
                .collect::<Result<Vec<_>>>()?;
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Read,
                    object: "home",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("{} huishoudens, {} afspraken", households.len(), agreements.len())),
                },
            )?;
            Ok(HomeData {
                households,
                household_total,
                agreements,
                week_total: u32::try_from(week_total).unwrap_or(u32::MAX),
                overdue_total: u32::try_from(overdue_total).unwrap_or(u32::MAX),
            })
        })
    }
}
