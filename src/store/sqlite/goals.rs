//! Plan goals (doelen in het gezinsplan): reads and writes.

use rusqlite::{OptionalExtension, params};

use super::audit::{Action, AuditEvent};
use super::changes::{Write, gone};
use super::codec::corrupt;
use super::records::Record;
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::goal::{GoalStatus, PlanGoal, validate_goal};
use crate::model::changes::{Change, GoalFields};

impl Store {
    /// Adds a plan goal.
    pub fn add_goal(
        &mut self,
        session: &Session,
        household_id: i64,
        goal: &str,
        zrm_domain: Option<&str>,
    ) -> Result<PlanGoal> {
        let fields = GoalFields {
            goal: validate_goal(goal)?,
            zrm_domain: zrm_domain.map(str::to_string),
            status: GoalStatus::Lopend,
        };
        let applied = self.apply(session, household_id, &Change::AddGoal(fields.clone()))?;
        Ok(PlanGoal {
            id: applied.record_id,
            household_id,
            goal: fields.goal,
            zrm_domain: fields.zrm_domain,
            status: fields.status,
            version: 1,
        })
    }

    /// Sets a plan goal's status.
    pub fn set_goal_status(
        &mut self,
        session: &Session,
        goal_id: i64,
        status: GoalStatus,
    ) -> Result<()> {
        self.on_record(session, Record::Goal, goal_id, |store, household_id| {
            store.household_write(session, household_id, |tx, now| {
                tx.execute(
                    "UPDATE plan_goal SET status = ?1, version = version + 1, changed_by = ?3, changed_at = ?4
                     WHERE id = ?2",
                    params![status.code(), goal_id, session.user_id, now.to_rfc3339()],
                )?;
                let event =
                    AuditEvent::household(Action::Update, "plan_goal", goal_id, household_id)
                        .with_detail(status.code());
                Ok(((), event))
            })
        })
    }
}

pub(crate) fn goals_of(conn: &rusqlite::Connection, household_id: i64) -> Result<Vec<PlanGoal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, goal, zrm_domain, status, version FROM plan_goal WHERE household_id = ?1 ORDER BY status <> 'lopend', id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, goal, zrm_domain, status, version)| {
            Ok(PlanGoal {
                id,
                household_id,
                goal,
                zrm_domain,
                status: GoalStatus::parse(&status)
                    .map_err(|_| corrupt("plan_goal", "status", status.clone()))?,
                version,
            })
        })
        .collect()
}

impl Write<'_, '_> {
    pub(super) fn goal_fields(&self, id: i64) -> Result<GoalFields> {
        let (goal, zrm_domain, status) = self
            .tx
            .query_row(
                "SELECT goal, zrm_domain, status FROM plan_goal WHERE id = ?1 AND household_id = ?2",
                params![id, self.household],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(gone)?;
        Ok(GoalFields {
            goal,
            zrm_domain,
            status: GoalStatus::parse(&status)
                .map_err(|_| super::codec::corrupt("plan_goal", "status", status.clone()))?,
        })
    }

    pub(super) fn write_goal(&self, id: i64, g: &GoalFields) -> Result<()> {
        let goal = validate_goal(&g.goal)?;
        let n = self.tx.execute(
            "UPDATE plan_goal SET goal = ?1, zrm_domain = ?2, status = ?3,
                    version = version + 1, changed_by = ?6, changed_at = ?7
             WHERE id = ?4 AND household_id = ?5",
            params![
                goal,
                g.zrm_domain,
                g.status.code(),
                id,
                self.household,
                self.user,
                self.at
            ],
        )?;
        if n == 0 {
            return Err(gone());
        }
        Ok(())
    }
}
