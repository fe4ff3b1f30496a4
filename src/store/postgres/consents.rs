//! Consents (toestemmingen) on PostgreSQL: purpose, given and withdrawn.

use chrono::NaiveDate;

use tokio_postgres::Row;

use super::audit::{Action, AuditEvent};
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
            let id: i64 = tx
                .query_one(
                    "INSERT INTO consent (household_id, person_id, purpose, given_on, recorded_by)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    &[&household_id, &person_id, &purpose, &given_on, &user],
                )?
                .try_get(0)?;
            let c = Consent {
                id,
                household_id,
                person_id,
                purpose: purpose.clone(),
                given_on,
                withdrawn_on: None,
            };
            Ok((
                c,
                AuditEvent::household(Action::Create, "consent", id, household_id),
            ))
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
                    let given: NaiveDate = tx
                        .query_one("SELECT given_on FROM consent WHERE id = $1", &[&consent_id])?
                        .try_get(0)?;
                    validate_withdrawal(given, on)?;
                    tx.execute(
                        "UPDATE consent SET withdrawn_on = $1 WHERE id = $2",
                        &[&on, &consent_id],
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

/// A household's consents in the order they were recorded.
/// The query of [`consents_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) const CONSENTS_OF: &str =
    "SELECT id, person_id, purpose, given_on, withdrawn_on FROM consent
         WHERE household_id = $1 ORDER BY id";

/// The rows of [`CONSENTS_OF`].
pub(crate) fn consents_rows(rows: &[Row], household_id: i64) -> Result<Vec<Consent>> {
    rows.iter()
        .map(|r| {
            Ok(Consent {
                id: r.try_get(0)?,
                household_id,
                person_id: r.try_get(1)?,
                purpose: r.try_get(2)?,
                given_on: r.try_get(3)?,
                withdrawn_on: r.try_get(4)?,
            })
        })
        .collect()
}
