//! The resident's rights under the AVG (GDPR): everything about one household in one export
//! (inzage, portability), and erasure of a closed household once its retention period is over.

use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{OptionalExtension, params};

use super::access_log::access_entries;
use super::agreements::agreements_of;
use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{date_text, parse_date, parse_opt_date};
use super::contacts::contacts_of;
use super::dashboard::read_administration;
use super::flags::flags_of;
use super::goals::goals_of;
use super::households::{denied, live_household_team, not_found, refused_event};
use super::zrm::assessments_of;
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::{self, Operation, Refusal};
use crate::domain::Invalid;
use crate::domain::invalid::required_text;
use crate::domain::retention::RetentionPolicy;
use crate::model::avg::*;

impl Store {
    /// Everything about one household, for inzage and portability; a professional of its team
    /// only. Audited as an export; a refusal is audited too.
    pub fn export_household(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<HouseholdExport> {
        let by = session.username.clone();
        self.household_access(
            session,
            household_id,
            Operation::ExportHousehold,
            |tx, now| {
                let admin = read_administration(tx, household_id)?;
                let export = HouseholdExport {
                    format: EXPORT_FORMAT,
                    exported_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
                    exported_by: by,
                    team: admin.team_name,
                    regisseur: admin.regisseur.display_name,
                    members: admin.members,
                    assessments: assessments_of(tx, household_id)?,
                    agreements: agreements_of(tx, household_id)?,
                    flags: flags_of(tx, household_id)?,
                    goals: goals_of(tx, household_id)?,
                    contacts: contacts_of(tx, household_id, -1)?,
                    consents: admin.consents,
                    provisions: admin.provisions,
                    access_log: access_entries(tx, household_id)?,
                    household: admin.household,
                };
                let event =
                    AuditEvent::household(Action::Export, "household", household_id, household_id)
                        .with_detail("json");
                Ok((export, event))
            },
        )
    }

    /// Closed, not yet erased households whose retention period is over on `today`, longest
    /// overdue first; beheerder only. Shows ids, teams and dates, no content. Audited as one
    /// read of the list.
    pub fn retention_due(
        &mut self,
        session: &Session,
        policy: &RetentionPolicy,
        today: NaiveDate,
    ) -> Result<Vec<DueHousehold>> {
        authorize(session, Operation::ManageRetention, None)?;
        let shortest = policy.years.min(policy.youth_care_years);
        let Some(cutoff) = today.checked_sub_months(chrono::Months::new(12 * shortest)) else {
            return Ok(Vec::new());
        };
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let youth = youth_care_list(policy);
        self.write(|tx| {
            let mut stmt = tx.prepare(
                "SELECT h.id, t.name, h.closed_on,
                        EXISTS (SELECT 1 FROM flag f, json_each(?2) k
                                WHERE f.household_id = h.id AND f.kind = k.value)
                        OR EXISTS (SELECT 1 FROM provision v
                                   WHERE v.household_id = h.id AND v.law = 'jeugdwet')
                 FROM household h JOIN team t ON t.id = h.team_id
                 WHERE h.closed_on IS NOT NULL AND h.erased_on IS NULL AND h.closed_on <= ?1
                 ORDER BY h.closed_on, h.id",
            )?;
            let rows = stmt
                .query_map(params![date_text(cutoff), youth], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut due = Vec::new();
            for (id, team, closed, youth_care) in rows {
                let closed_on = parse_date("household", "closed_on", &closed)?;
                if let Some(due_on) = policy
                    .due_on(closed_on, youth_care)
                    .filter(|due_on| *due_on <= today)
                {
                    due.push(DueHousehold {
                        id,
                        team,
                        closed_on,
                        youth_care,
                        due_on,
                    });
                }
            }
            due.sort_by_key(|d| (d.due_on, d.id));
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Read,
                    object: "retention",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("{} te wissen", due.len())),
                },
            )?;
            Ok(due)
        })
    }

    /// Erases a closed household whose retention period is over on `today`: names, addresses,
    /// birth dates, BSN, phone numbers, notes and every free text go; ids, team, dates, ZRM
    /// scores, kinds and counts stay for the figures, and the audit chain stays intact (its
    /// person and household ids now point at rows without identifying data). Beheerder only.
    ///
    /// An open household, one still within its retention period, and a role that may not erase
    /// are refused: nothing changes but one audit row for the refused attempt. Without `apply`
    /// nothing is erased: the answer counts what would be (for the confirmation).
    pub fn erase_household(
        &mut self,
        session: &Session,
        household_id: i64,
        reason: &str,
        policy: &RetentionPolicy,
        today: NaiveDate,
        apply: bool,
    ) -> Result<Erased> {
        let reason = required_text("reason", "De reden", "The reason", reason, 200)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let youth = youth_care_list(policy);
        // Freed and overwritten content is zeroed on disk, not just unlinked.
        self.conn().pragma_update(None, "secure_delete", true)?;
        let outcome = self.write(|tx| {
            let team = live_household_team(tx, household_id)?;
            let refuse = |tx: &rusqlite::Transaction<'_>,
                          why: &str,
                          error: StoreError|
             -> Result<Result<Erased>> {
                let event = refused_event(Operation::ManageRetention, household_id)
                    .with_detail(format!("retention: {why}"));
                audit::append(tx, now, &actor, &event)?;
                Ok(Err(error))
            };
            if let Err(refusal) = policy::check(session, Operation::ManageRetention, team) {
                let error = match refusal {
                    Refusal::Hidden => not_found(household_id),
                    Refusal::Denied => denied(session, Operation::ManageRetention),
                };
                return refuse(tx, "rol", error);
            }
            let (closed, youth_care): (Option<String>, bool) = tx
                .query_row(
                    "SELECT h.closed_on,
                            EXISTS (SELECT 1 FROM flag f, json_each(?2) k
                                    WHERE f.household_id = h.id AND f.kind = k.value)
                            OR EXISTS (SELECT 1 FROM provision v
                                       WHERE v.household_id = h.id AND v.law = 'jeugdwet')
                     FROM household h WHERE h.id = ?1",
                    params![household_id, youth],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(|| not_found(household_id))?;
            let Some(closed_on) = parse_opt_date("household", "closed_on", closed)? else {
                return refuse(
                    tx,
                    "open",
                    Invalid::new(
                        "household",
                        format!(
                            "Huishouden {household_id} is nog open; alleen een afgesloten huishouden kan gewist worden. Er is niets gewist."
                        ),
                        format!(
                            "Household {household_id} is still open; only a closed household can be erased. Nothing was erased."
                        ),
                    )
                    .into(),
                );
            };
            let due_on = policy.due_on(closed_on, youth_care);
            if due_on.is_none_or(|due| due > today) {
                let years = policy.years_for(youth_care);
                let until = due_on.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
                let closed_nl = closed_on.format("%d-%m-%Y");
                let kind_nl = if youth_care { " (jeugdhulp)" } else { "" };
                let kind_en = if youth_care { " (youth care)" } else { "" };
                return refuse(
                    tx,
                    "bewaartermijn loopt",
                    Invalid::new(
                        "household",
                        format!(
                            "Huishouden {household_id} is afgesloten op {closed_nl}; de bewaartermijn{kind_nl} van {years} jaar loopt tot {until}. Er is niets gewist."
                        ),
                        format!(
                            "Household {household_id} was closed on {closed_nl}; the retention period{kind_en} of {years} years runs until {until}. Nothing was erased."
                        ),
                    )
                    .into(),
                );
            }
            if !apply {
                // What it would erase, counted by doing it and taking it back.
                tx.execute_batch("SAVEPOINT preview")?;
                let erased = erase(tx, household_id, &reason, today);
                tx.execute_batch("ROLLBACK TO preview; RELEASE preview")?;
                return Ok(Ok(erased?));
            }
            let erased = erase(tx, household_id, &reason, today)?;
            let event = AuditEvent::household(Action::Erase, "household", household_id, household_id)
                .with_detail(format!("{} personen, {} teksten", erased.persons, erased.texts));
            audit::append(tx, now, &actor, &event)?;
            Ok(Ok(erased))
        });
        let _ = self.conn().pragma_update(None, "secure_delete", "FAST");
        let erased = outcome??;
        // Move the overwritten pages out of the WAL into the file, and empty the WAL.
        let _ = self
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(erased)
    }
}

/// The youth-care flag kinds as a JSON array for `json_each`.
fn youth_care_list(policy: &RetentionPolicy) -> String {
    let quoted: Vec<String> = policy
        .youth_care_flags
        .iter()
        .map(|k| {
            let escaped: String = k
                .chars()
                .filter(|c| !c.is_control())
                .flat_map(|c| match c {
                    '"' => vec!['\\', '"'],
                    '\\' => vec!['\\', '\\'],
                    c => vec![c],
                })
                .collect();
            format!("\"{escaped}\"")
        })
        .collect();
    format!("[{}]", quoted.join(","))
}

/// The erasure itself, inside the caller's transaction.
fn erase(
    tx: &rusqlite::Transaction<'_>,
    household_id: i64,
    reason: &str,
    today: NaiveDate,
) -> Result<Erased> {
    tx.execute(
        "UPDATE household SET label = 'Gewist huishouden ' || id, street = '', house_number = '',
                postcode = '', city = '', close_reason = ?2, erased_on = ?3, erase_reason = ?4
         WHERE id = ?1",
        params![household_id, ERASED, date_text(today), reason],
    )?;
    let persons = tx.execute(
        "UPDATE person SET name = 'Persoon ' || id, birth_date = NULL, bsn = NULL, phone = NULL
         WHERE household_id = ?1",
        [household_id],
    )?;
    let mut texts = 0;
    for sql in [
        "UPDATE contact SET note = NULL WHERE household_id = ?1 AND note IS NOT NULL",
        "UPDATE agreement SET what = ?2,
                cancel_reason = CASE WHEN cancel_reason IS NULL THEN NULL ELSE ?2 END
         WHERE household_id = ?1",
        "UPDATE plan_goal SET goal = ?2 WHERE household_id = ?1",
        "UPDATE flag SET end_reason = ?2 WHERE household_id = ?1 AND end_reason IS NOT NULL",
        "UPDATE consent SET purpose = ?2 WHERE household_id = ?1",
        "UPDATE provision SET motivation = NULL WHERE household_id = ?1 AND motivation IS NOT NULL",
        "UPDATE provision SET end_reason = ?2 WHERE household_id = ?1 AND end_reason IS NOT NULL",
    ] {
        texts += if sql.contains("?2") {
            tx.execute(sql, params![household_id, ERASED])?
        } else {
            tx.execute(sql, [household_id])?
        };
    }
    tx.execute(
        "DELETE FROM household_search WHERE rowid = ?1",
        [household_id],
    )?;
    Ok(Erased {
        id: household_id,
        persons,
        texts,
    })
}
