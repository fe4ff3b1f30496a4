//! The fridge plan's data on PostgreSQL: what one household's one-page plan shows, loaded in
//! one audited read (see `sqlite::plan`). Only what the plan may show is read: no BSN, no
//! notes, no consents.

use chrono::NaiveDate;

use super::agreements::agreements_of;
use super::audit::{Action, AuditEvent};
use super::flags::flags_of;
use super::goals::goals_of;
use super::households::{HOUSEHOLD_COLUMNS, household_row, not_found};
use super::users::{USER_COLUMNS, user_row};
use super::zrm::assessments_of;
use super::{Result, Store, Tx};
use crate::auth::Session;
use crate::domain::agreement::AgreementStatus;
use crate::domain::goal::GoalStatus;
use crate::domain::reference::ReferenceData;
use crate::model::plan::*;

impl Store {
    /// Loads the fridge plan of a household; one audited read (detail `plan`) in the same
    /// transaction. `reference` gives the client wording of ZRM domains, the contact kinds and
    /// the flag names.
    pub fn load_plan(
        &mut self,
        session: &Session,
        household_id: i64,
        reference: &ReferenceData,
    ) -> Result<PlanData> {
        self.household_read(session, household_id, |tx, now| {
            let today = now.date_naive();
            let plan = read_plan(tx, household_id, today, reference)?;
            let event =
                AuditEvent::household(Action::Read, "household", household_id, household_id)
                    .with_detail("plan");
            Ok((plan, event))
        })
    }

    /// Records whether the household wants "Wat gaat al goed" on its plan (an audited write).
    pub fn set_plan_show_strengths(
        &mut self,
        session: &Session,
        household_id: i64,
        show: bool,
    ) -> Result<()> {
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "UPDATE household SET plan_show_strengths = $1 WHERE id = $2",
                &[&show, &household_id],
            )?;
            let event =
                AuditEvent::household(Action::Update, "household", household_id, household_id)
                    .with_detail(if show {
                        "plan: wat gaat goed aan"
                    } else {
                        "plan: wat gaat goed uit"
                    });
            Ok(((), event))
        })
    }
}

fn read_plan(
    tx: &mut Tx<'_>,
    household_id: i64,
    today: NaiveDate,
    reference: &ReferenceData,
) -> Result<PlanData> {
    let row = tx
        .query_opt(
            &format!(
                "SELECT {HOUSEHOLD_COLUMNS}, h.plan_show_strengths, {USER_COLUMNS}
                 FROM household h JOIN app_user u ON u.id = h.regisseur_id
                 LEFT JOIN team t ON t.id = u.team_id
                 WHERE h.id = $1"
            ),
            &[&household_id],
        )?
        .ok_or_else(|| not_found(household_id))?;
    let household = household_row(&row)?;
    let show_strengths: bool = row.try_get(11)?;
    let regisseur = user_row(&row, 12)?;
    let goals = goals_of(tx, household_id)?
        .into_iter()
        .filter(|g| g.status == GoalStatus::Lopend)
        .map(|g| g.goal)
        .collect();
    let agreements = agreements_of(tx, household_id)?;
    let tasks: Vec<PlanTask> = agreements
        .into_iter()
        .filter(|a| a.status == AgreementStatus::Open)
        .map(|a| PlanTask {
            what: a.what,
            who: a.who,
            due_on: a.due_on,
        })
        .collect();
    let strengths = if show_strengths {
        Some(strengths_of(tx, household_id, reference)?)
    } else {
        None
    };
    let next_contact = next_contact(tx, household_id, today, &tasks, reference)?;
    let flags = flags_of(tx, household_id)?
        .into_iter()
        .filter(|f| f.ended.is_none())
        .map(|f| {
            reference
                .flags
                .by_key(&f.kind)
                .map(|k| k.name.clone())
                .unwrap_or(f.kind)
        })
        .collect();
    Ok(PlanData {
        household_id,
        label: household.label,
        made_on: today,
        goals,
        tasks,
        strengths,
        regisseur: PlanContact {
            name: regisseur.display_name,
            phone: regisseur.phone,
        },
        next_contact,
        flags,
    })
}

/// Per member (oldest first), the domains of their latest assessment scored 4 or 5.
fn strengths_of(
    tx: &mut Tx<'_>,
    household_id: i64,
    reference: &ReferenceData,
) -> Result<Vec<MemberStrengths>> {
    let assessments = assessments_of(tx, household_id)?;
    let people = tx
        .query(
            "SELECT id, name FROM person WHERE household_id = $1
             ORDER BY birth_date IS NULL, birth_date, id",
            &[&household_id],
        )?
        .iter()
        .map(|r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, String>(1)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (person_id, name) in people {
        // Assessments come oldest first per person: the last one is the latest.
        let Some(latest) = assessments.iter().rfind(|a| a.person_id == person_id) else {
            continue;
        };
        let domains: Vec<(String, u8)> = reference
            .zrm
            .domains
            .iter()
            .filter_map(|d| {
                let score = latest.scores.get(&d.key)?.value()?;
                (score >= STRENGTH_FROM).then(|| (d.client_name.clone(), score))
            })
            .collect();
        if !domains.is_empty() {
            out.push(MemberStrengths {
                person: name,
                domains,
            });
        }
    }
    Ok(out)
}

/// The next appointment: the earliest of the first contact dated after today and the first
/// open agreement due from today on (whoever carries it out).
fn next_contact(
    tx: &mut Tx<'_>,
    household_id: i64,
    today: NaiveDate,
    tasks: &[PlanTask],
    reference: &ReferenceData,
) -> Result<Option<NextContact>> {
    let planned = tx.query_opt(
        "SELECT contact_on, kind FROM contact WHERE household_id = $1 AND contact_on > $2
         ORDER BY contact_on, id LIMIT 1",
        &[&household_id, &today],
    )?;
    let contact = match planned {
        Some(r) => {
            let on: NaiveDate = r.try_get(0)?;
            let kind: String = r.try_get(1)?;
            let what = reference
                .contact_kinds
                .by_key(&kind)
                .map(|k| k.name.clone())
                .unwrap_or(kind);
            Some(NextContact { on, what })
        }
        None => None,
    };
    let agreement = tasks
        .iter()
        .filter_map(|t| Some((t.due_on?, t)))
        .filter(|(on, _)| *on >= today)
        .min_by_key(|(on, _)| *on)
        .map(|(on, t)| NextContact {
            on,
            what: t.what.clone(),
        });
    Ok(match (contact, agreement) {
        (Some(c), Some(a)) => Some(if a.on < c.on { a } else { c }),
        (c, a) => c.or(a),
    })
}
