//! Consents (toestemmingen): purpose, given and withdrawn; reads and writes.

use chrono::NaiveDate;
use rusqlite::params;

use super::audit::{Action, AuditEvent};
use super::codec::{date_text, parse_date, parse_opt_date};
use super::records::Record;
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::goal::{Consent, validate_purpose, validate_withdrawal};

impl Store {
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
        self.on_record(
            session,
            Record::Consent,
            consent_id,
            |store, household_id| {
                store.household_write(session, household_id, |tx, _| {
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
            },
        )
    }
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
