//! The plan-goal form, new or edited.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit};
use crate::app::form::{Choice, Field};
use crate::domain::goal::{GoalStatus, PlanGoal, validate_goal};
use crate::model::changes::{Change, GoalFields};

/// The plan-goal form, empty or with a goal's values.
pub fn goal(env: Env<'_>, existing: Option<&PlanGoal>) -> Form {
    let statuses = GoalStatus::ALL
        .iter()
        .map(|s| Choice::new(s.code(), s.code()))
        .collect();
    let title = match existing {
        Some(_) => env.t("Doel wijzigen", "Edit goal"),
        None => env.t("Nieuw doel in het plan", "New plan goal"),
    };
    Form::new(
        FormKind::Goal(existing.map(|g| super::Editing {
            id: g.id,
            version: g.version,
        })),
        title,
        vec![
            Field::text(
                "goal",
                env.t("Doel (in gewone woorden)", "Goal (in plain words)"),
                existing.map_or("", |g| &g.goal),
                200,
            ),
            Field::choice(
                "domain",
                env.t("ZRM-domein", "ZRM domain"),
                env.zrm_choices(),
                existing.and_then(|g| g.zrm_domain.as_deref()).unwrap_or(""),
            ),
            Field::choice(
                "status",
                env.t("Status", "Status"),
                statuses,
                existing.map_or("lopend", |g| g.status.code()),
            ),
        ],
    )
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(
    form: &Form,
    mut c: Checker<'_>,
    id: &Option<super::Editing>,
) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let change = {
        let goal = c.take("goal", validate_goal(v("goal")));
        let status = c.take("status", GoalStatus::parse(v("status")));
        match (goal, status) {
            (Some(goal), Some(status)) => {
                let fields = GoalFields {
                    goal,
                    zrm_domain: some_text(v("domain")).map(str::to_string),
                    status,
                };
                Some(match id {
                    Some(e) => Change::EditGoal {
                        id: e.id,
                        version: e.version,
                        fields,
                    },
                    None => Change::AddGoal(fields),
                })
            }
            _ => None,
        }
    };
    c.done(change).map(Submit::Change)
}
