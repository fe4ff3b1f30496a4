//! Agreements, ZRM assessments, flags, plan goals and consents of a household.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{Action, AuditEvent};
use super::codec::{corrupt, date_text, parse_date, parse_opt_date};
use super::{Result, Store, StoreError};
use crate::auth::Session;
use crate::domain::agreement::{
    Actor, Agreement, AgreementFields, AgreementStatus, validate_cancel_reason,
};
use crate::domain::flag::{Flag, FlagSource, validate_end_reason};
use crate::domain::goal::{
    Consent, GoalStatus, PlanGoal, validate_goal, validate_purpose, validate_withdrawal,
};
use crate::domain::zrm::{Assessment, Scores, decode_scores};
use crate::model::changes::{Change, GoalFields};

impl Store {
    /// Adds an agreement.
    pub fn add_agreement(
        &mut self,
        session: &Session,
        household_id: i64,
        f: &AgreementFields,
    ) -> Result<Agreement> {
        let applied = self.apply(session, household_id, &Change::AddAgreement(f.clone()))?;
        Ok(Agreement {
            id: applied.record_id,
            household_id,
            what: f.what.clone(),
            who: f.who,
            due_on: f.due_on,
            formal: f.formal,
            zrm_domain: f.zrm_domain.clone(),
            status: AgreementStatus::Open,
        })
    }

    /// Marks an open agreement done on `on`.
    pub fn complete_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        let household_id = self.owner(Record::Agreement, agreement_id)?;
        let change = Change::CompleteAgreement {
            id: agreement_id,
            on,
        };
        self.apply(session, household_id, &change).map(drop)
    }

    /// Cancels an open agreement with a reason.
    pub fn cancel_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let reason = validate_cancel_reason(reason)?;
        let household_id = self.owner(Record::Agreement, agreement_id)?;
        let change = Change::CancelAgreement {
            id: agreement_id,
            on,
            reason,
        };
        self.apply(session, household_id, &change).map(drop)
    }

    /// Records a ZRM assessment of a household member.
    pub fn record_zrm(
        &mut self,
        session: &Session,
        person_id: i64,
        on: NaiveDate,
        scores: &Scores,
    ) -> Result<Assessment> {
        let household_id = self.household_of_person(person_id)?;
        let change = Change::Zrm {
            person_id,
            on,
            scores: scores.clone(),
        };
        let applied = self.apply(session, household_id, &change)?;
        Ok(Assessment {
            id: applied.record_id,
            person_id,
            assessed_on: on,
            assessed_by: session.user_id,
            scores: scores.clone(),
        })
    }

    /// Sets a flag of catalogue type `kind` on a household.
    pub fn set_flag(
        &mut self,
        session: &Session,
        household_id: i64,
        kind: &str,
        since: NaiveDate,
    ) -> Result<Flag> {
        let change = Change::SetFlag {
            kind: kind.to_string(),
            since,
        };
        let applied = self.apply(session, household_id, &change)?;
        Ok(Flag {
            id: applied.record_id,
            household_id,
            kind: kind.to_string(),
            since,
            source: FlagSource::Manual,
            set_by: Some(session.user_id),
            ended: None,
        })
    }

    /// Ends a flag with a reason (flags are never deleted).
    pub fn end_flag(
        &mut self,
        session: &Session,
        flag_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let reason = validate_end_reason(reason)?;
        let household_id = self.owner(Record::Flag, flag_id)?;
        let change = Change::EndFlag {
            id: flag_id,
            on,
            reason,
        };
        self.apply(session, household_id, &change).map(drop)
    }

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
        })
    }

    /// Sets a plan goal's status.
    pub fn set_goal_status(
        &mut self,
        session: &Session,
        goal_id: i64,
        status: GoalStatus,
    ) -> Result<()> {
        let household_id = self.owner(Record::Goal, goal_id)?;
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "UPDATE plan_goal SET status = ?1 WHERE id = ?2",
                params![status.code(), goal_id],
            )?;
            let event = AuditEvent::household(Action::Update, "plan_goal", goal_id, household_id)
                .with_detail(status.code());
            Ok(((), event))
        })
    }

    /// Records a consent.
    pub fn add_consent(
        &mut self,
        session: &Session,
        household_id: i64,
        person_id: Option<i64>,
        purpose: &str,
        given_on: NaiveDate,
    ) -> Result<Consent> {
        let purpose = validate_purpose(purpose)?;
        let user = session.user_id;
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "INSERT INTO consent (household_id, person_id, purpose, given_on, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![household_id, person_id, purpose, date_text(given_on), user],
            )?;
            let id = tx.last_insert_rowid();
            let c = Consent {
                id,
                household_id,
                person_id,
                purpose: purpose.clone(),
                given_on,
                withdrawn_on: None,
            };
            Ok((c, AuditEvent::household(Action::Create, "consent", id, household_id)))
        })
    }

    /// Withdraws a consent.
    pub fn withdraw_consent(
        &mut self,
        session: &Session,
        consent_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        let household_id = self.owner(Record::Consent, consent_id)?;
        self.household_write(session, household_id, |tx, _| {
            let given: String = tx.query_row(
                "SELECT given_on FROM consent WHERE id = ?1",
                [consent_id],
                |r| r.get(0),
            )?;
            validate_withdrawal(parse_date("consent", "given_on", &given)?, on)?;
            tx.execute(
                "UPDATE consent SET withdrawn_on = ?1 WHERE id = ?2",
                params![date_text(on), consent_id],
            )?;
            Ok((
                (),
                AuditEvent::household(Action::End, "consent", consent_id, household_id),
            ))
        })
    }

    /// The household a record of `table` belongs to.
    fn owner(&self, record: Record, id: i64) -> Result<i64> {
        let (sql, noun) = match record {
            Record::Agreement => (
                "SELECT household_id FROM agreement WHERE id = ?1",
                "Afspraak",
            ),
            Record::Flag => ("SELECT household_id FROM flag WHERE id = ?1", "Signaal"),
            Record::Goal => ("SELECT household_id FROM plan_goal WHERE id = ?1", "Doel"),
            Record::Consent => (
                "SELECT household_id FROM consent WHERE id = ?1",
                "Toestemming",
            ),
        };
        self.conn()
            .query_row(sql, [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("{noun} {id}")))
    }
}

/// The kinds of record that belong to a household through their own id.
#[derive(Clone, Copy, Debug)]
enum Record {
    Agreement,
    Flag,
    Goal,
    Consent,
}

pub(crate) fn agreements_of(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<Agreement>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason FROM agreement
         WHERE household_id = ?1
         ORDER BY status <> 'open', due_on IS NULL, due_on, id",
    )?;
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        bool,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    );
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    rows.into_iter()
        .map(
            |(id, what, who, due, formal, zrm_domain, status, status_on, reason)| {
                let on = parse_opt_date("agreement", "status_on", status_on)?;
                let status = match (status.as_str(), on) {
                    ("open", _) => AgreementStatus::Open,
                    ("done", Some(on)) => AgreementStatus::Done { on },
                    ("cancelled", Some(on)) => AgreementStatus::Cancelled {
                        on,
                        reason: reason.unwrap_or_default(),
                    },
                    _ => return Err(corrupt("agreement", "status", status)),
                };
                Ok(Agreement {
                    id,
                    household_id,
                    what,
                    who: Actor::parse(&who)
                        .map_err(|_| corrupt("agreement", "who", who.clone()))?,
                    due_on: parse_opt_date("agreement", "due_on", due)?,
                    formal,
                    zrm_domain,
                    status,
                })
            },
        )
        .collect()
}

pub(crate) fn assessments_of(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<Assessment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, person_id, assessed_on, assessed_by, scores FROM zrm_assessment
         WHERE household_id = ?1 ORDER BY person_id, assessed_on, id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, person_id, on, by, scores)| {
            Ok(Assessment {
                id,
                person_id,
                assessed_on: parse_date("zrm_assessment", "assessed_on", &on)?,
                assessed_by: by,
                scores: decode_scores(&scores)
                    .ok_or_else(|| corrupt("zrm_assessment", "scores", scores.clone()))?,
            })
        })
        .collect()
}

pub(crate) fn flags_of(conn: &rusqlite::Connection, household_id: i64) -> Result<Vec<Flag>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, since, source, set_by, ended_on, end_reason FROM flag
         WHERE household_id = ?1 ORDER BY ended_on IS NOT NULL, since, id",
    )?;
    type Row = (
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    rows.into_iter()
        .map(|(id, kind, since, source, set_by, ended_on, reason)| {
            let ended = parse_opt_date("flag", "ended_on", ended_on)?
                .map(|on| (on, reason.unwrap_or_default()));
            Ok(Flag {
                id,
                household_id,
                kind,
                since: parse_date("flag", "since", &since)?,
                source: FlagSource::from_code(&source)
                    .ok_or_else(|| corrupt("flag", "source", source.clone()))?,
                set_by,
                ended,
            })
        })
        .collect()
}

pub(crate) fn goals_of(conn: &rusqlite::Connection, household_id: i64) -> Result<Vec<PlanGoal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, goal, zrm_domain, status FROM plan_goal WHERE household_id = ?1 ORDER BY status <> 'lopend', id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, goal, zrm_domain, status)| {
            Ok(PlanGoal {
                id,
                household_id,
                goal,
                zrm_domain,
                status: GoalStatus::parse(&status)
                    .map_err(|_| corrupt("plan_goal", "status", status.clone()))?,
            })
        })
        .collect()
}

pub(crate) fn consents_of(conn: &rusqlite::Connection, household_id: i64) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, person_id, purpose, given_on, withdrawn_on FROM consent WHERE household_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, person_id, purpose, given, withdrawn)| {
            Ok(Consent {
                id,
                household_id,
                person_id,
                purpose,
                given_on: parse_date("consent", "given_on", &given)?,
                withdrawn_on: parse_opt_date("consent", "withdrawn_on", withdrawn)?,
            })
        })
        .collect()
}
