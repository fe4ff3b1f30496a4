//! Agreements (afspraken): what, who does it, due date, status; their reads and writes.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::changes::{Write, gone, not_open};
use super::codec::{corrupt, date_text, parse_opt_date};
use super::records::Record;
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::agreement::{
    Actor, Agreement, AgreementFields, AgreementStatus, validate_cancel_reason,
};
use crate::model::changes::Change;

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
            version: 1,
        })
    }

    /// Marks an open agreement done on `on`.
    pub fn complete_agreement(
        &mut self,
        session: &Session,
        agreement_id: i64,
        on: NaiveDate,
    ) -> Result<()> {
        self.on_record(
            session,
            Record::Agreement,
            agreement_id,
            |store, household_id| {
                let change = Change::CompleteAgreement {
                    id: agreement_id,
                    on,
                };
                store.apply(session, household_id, &change).map(drop)
            },
        )
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
        self.on_record(
            session,
            Record::Agreement,
            agreement_id,
            |store, household_id| {
                let change = Change::CancelAgreement {
                    id: agreement_id,
                    on,
                    reason,
                };
                store.apply(session, household_id, &change).map(drop)
            },
        )
    }
}

pub(crate) fn agreements_of(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<Agreement>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason, version FROM agreement
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
        i64,
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
                r.get(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    rows.into_iter()
        .map(
            |(id, what, who, due, formal, zrm_domain, status, status_on, reason, version)| {
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
                    version,
                })
            },
        )
        .collect()
}

impl Write<'_, '_> {
    pub(super) fn agreement_fields(&self, id: i64) -> Result<AgreementFields> {
        let row = self
            .tx
            .query_row(
                "SELECT what, who, due_on, formal, zrm_domain, status FROM agreement WHERE id = ?1 AND household_id = ?2",
                params![id, self.household],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(gone)?;
        let (what, who, due, formal, zrm_domain, status) = row;
        if status != "open" {
            return Err(not_open());
        }
        Ok(AgreementFields {
            what,
            who: crate::domain::agreement::Actor::parse(&who)
                .map_err(|_| super::codec::corrupt("agreement", "who", who.clone()))?,
            due_on: super::codec::parse_opt_date("agreement", "due_on", due)?,
            formal,
            zrm_domain,
        })
    }

    pub(super) fn write_agreement(&self, id: i64, f: &AgreementFields) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE agreement SET what = ?1, who = ?2, due_on = ?3, formal = ?4, zrm_domain = ?5,
                    version = version + 1, changed_by = ?8, changed_at = ?9
             WHERE id = ?6 AND household_id = ?7 AND status = 'open'",
            params![
                f.what,
                f.who.code(),
                f.due_on.map(date_text),
                f.formal,
                f.zrm_domain,
                id,
                self.household,
                self.user,
                self.at
            ],
        )?;
        if n == 0 {
            return Err(not_open());
        }
        Ok(())
    }

    pub(super) fn close_agreement(
        &self,
        id: i64,
        status: &str,
        on: NaiveDate,
        reason: Option<String>,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE agreement SET status = ?1, status_on = ?2, cancel_reason = ?3,
                    version = version + 1, changed_by = ?6, changed_at = ?7
             WHERE id = ?4 AND household_id = ?5 AND status = 'open'",
            params![
                status,
                date_text(on),
                reason,
                id,
                self.household,
                self.user,
                self.at
            ],
        )?;
        if n == 0 {
            return Err(not_open());
        }
        Ok(())
    }
}
