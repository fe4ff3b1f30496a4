//! Plan goals (doelen in het gezinsplan) on PostgreSQL.

use tokio_postgres::Row;

use super::audit::{Action, AuditEvent};
use super::changes::Write;
use super::records::Record;
use super::{Result, Store, Tx};
use crate::auth::Session;
use crate::domain::goal::{GoalStatus, PlanGoal, validate_goal};
use crate::model::changes::{Change, GoalFields};
use crate::store::shared::codec::corrupt;
use crate::store::shared::records::gone;

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
                    "UPDATE plan_goal SET status = $1, version = version + 1, changed_by = $3,
                            changed_at = $4
                     WHERE id = $2",
                    &[&status.code(), &goal_id, &session.user_id, &now],
                )?;
                let event =
                    AuditEvent::household(Action::Update, "plan_goal", goal_id, household_id)
                        .with_detail(status.code());
                Ok(((), event))
            })
        })
    }
}

fn status(code: String) -> Result<GoalStatus> {
    GoalStatus::parse(&code).map_err(|_| corrupt("plan_goal", "status", code.clone()))
}

/// A household's goals: running first, then by id.
/// The query of [`goals_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) const GOALS_OF: &str =
    "SELECT id, goal, zrm_domain, status, version FROM plan_goal WHERE household_id = $1
         ORDER BY status <> 'lopend', id";

/// A goal's editable fields (parameters: its id and household).
pub(super) const GOAL_FIELDS: &str =
    "SELECT goal, zrm_domain, status FROM plan_goal WHERE id = $1 AND household_id = $2";

/// The fields of a goal from its [`GOAL_FIELDS`] row.
pub(super) fn goal_fields_row(r: Option<&Row>) -> Result<GoalFields> {
    let r = r.ok_or_else(gone)?;
    Ok(GoalFields {
        goal: r.try_get(0)?,
        zrm_domain: r.try_get(1)?,
        status: status(r.try_get(2)?)?,
    })
}

pub(crate) fn goals_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<PlanGoal>> {
    goals_rows(&tx.query(GOALS_OF, &[&household_id])?, household_id)
}

/// The rows of [`GOALS_OF`].
pub(crate) fn goals_rows(rows: &[Row], household_id: i64) -> Result<Vec<PlanGoal>> {
    rows.iter()
        .map(|r| {
            Ok(PlanGoal {
                id: r.try_get(0)?,
                household_id,
                goal: r.try_get(1)?,
                zrm_domain: r.try_get(2)?,
                status: status(r.try_get(3)?)?,
                version: r.try_get(4)?,
            })
        })
        .collect()
}

impl Write<'_, '_> {
    /// Like [`Write::write_goal`] on a goal just read under the chain's lock: the update
    /// travels with the transaction's next request.
    pub(super) fn defer_goal_update(&mut self, id: i64, g: &GoalFields) -> Result<()> {
        let goal = validate_goal(&g.goal)?;
        self.tx.defer(
            "UPDATE plan_goal SET goal = $1, zrm_domain = $2, status = $3,
                    version = version + 1, changed_by = $6, changed_at = $7
             WHERE id = $4 AND household_id = $5",
            vec![
                Box::new(goal),
                Box::new(g.zrm_domain.clone()),
                Box::new(g.status.code()),
                Box::new(id),
                Box::new(self.household),
                Box::new(self.user),
                Box::new(self.at),
            ],
        )
    }

    pub(super) fn write_goal(&mut self, id: i64, g: &GoalFields) -> Result<()> {
        let goal = validate_goal(&g.goal)?;
        let n = self.tx.execute(
            "UPDATE plan_goal SET goal = $1, zrm_domain = $2, status = $3,
                    version = version + 1, changed_by = $6, changed_at = $7
             WHERE id = $4 AND household_id = $5",
            &[
                &goal,
                &g.zrm_domain,
                &g.status.code(),
                &id,
                &self.household,
                &self.user,
                &self.at,
            ],
        )?;
        if n == 0 {
            return Err(gone());
        }
        Ok(())
    }
}
