//! Agreements (afspraken) on PostgreSQL: what, who does it, due date, status; their reads and
//! writes (the server's side of `sqlite::agreements`).

use chrono::NaiveDate;

use tokio_postgres::Row;

use super::changes::Write;
use super::records::Record;
use super::{Result, Store, Tx};
use crate::auth::Session;
use crate::domain::agreement::{
    Actor, Agreement, AgreementFields, AgreementStatus, validate_cancel_reason,
};
use crate::model::changes::Change;
use crate::store::shared::codec::corrupt;
use crate::store::shared::records::{gone, not_open};

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

/// An agreement's editable fields and status (parameters: its id and household).
pub(super) const AGREEMENT_FIELDS: &str =
    "SELECT what, who, due_on, formal, zrm_domain, status FROM agreement
     WHERE id = $1 AND household_id = $2";

/// The fields of an open agreement from its [`AGREEMENT_FIELDS`] row.
pub(super) fn agreement_fields_row(r: Option<&Row>) -> Result<AgreementFields> {
    let r = r.ok_or_else(gone)?;
    let status: String = r.try_get(5)?;
    if status != "open" {
        return Err(not_open());
    }
    Ok(AgreementFields {
        what: r.try_get(0)?,
        who: actor(r.try_get(1)?)?,
        due_on: r.try_get(2)?,
        formal: r.try_get(3)?,
        zrm_domain: r.try_get(4)?,
    })
}

fn actor(who: String) -> Result<Actor> {
    Actor::parse(&who).map_err(|_| corrupt("agreement", "who", who.clone()))
}

/// A household's agreements: open first, then by due date (none last), then by id.
/// The query of [`agreements_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) const AGREEMENTS_OF: &str =
    "SELECT id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason, version
         FROM agreement WHERE household_id = $1
         ORDER BY status <> 'open', due_on IS NULL, due_on, id";

pub(crate) fn agreements_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Agreement>> {
    agreements_rows(&tx.query(AGREEMENTS_OF, &[&household_id])?, household_id)
}

/// The rows of [`AGREEMENTS_OF`].
pub(crate) fn agreements_rows(rows: &[Row], household_id: i64) -> Result<Vec<Agreement>> {
    rows.iter()
        .map(|r| {
            let status: String = r.try_get(6)?;
            let on: Option<NaiveDate> = r.try_get(7)?;
            let reason: Option<String> = r.try_get(8)?;
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
                id: r.try_get(0)?,
                household_id,
                what: r.try_get(1)?,
                who: actor(r.try_get(2)?)?,
                due_on: r.try_get(3)?,
                formal: r.try_get(4)?,
                zrm_domain: r.try_get(5)?,
                status,
                version: r.try_get(9)?,
            })
        })
        .collect()
}

impl Write<'_, '_> {
    /// Like [`Write::write_agreement`] on an agreement just read open under the chain's lock:
    /// the update travels with the transaction's next request.
    pub(super) fn defer_agreement_update(&mut self, id: i64, f: &AgreementFields) -> Result<()> {
        self.tx.defer(
            "UPDATE agreement SET what = $1, who = $2, due_on = $3, formal = $4, zrm_domain = $5,
                    version = version + 1, changed_by = $8, changed_at = $9
             WHERE id = $6 AND household_id = $7 AND status = 'open'",
            vec![
                Box::new(f.what.clone()),
                Box::new(f.who.code()),
                Box::new(f.due_on),
                Box::new(f.formal),
                Box::new(f.zrm_domain.clone()),
                Box::new(id),
                Box::new(self.household),
                Box::new(self.user),
                Box::new(self.at),
            ],
        )
    }

    pub(super) fn write_agreement(&mut self, id: i64, f: &AgreementFields) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE agreement SET what = $1, who = $2, due_on = $3, formal = $4, zrm_domain = $5,
                    version = version + 1, changed_by = $8, changed_at = $9
             WHERE id = $6 AND household_id = $7 AND status = 'open'",
            &[
                &f.what,
                &f.who.code(),
                &f.due_on,
                &f.formal,
                &f.zrm_domain,
                &id,
                &self.household,
                &self.user,
                &self.at,
            ],
        )?;
        if n == 0 {
            return Err(not_open());
        }
        Ok(())
    }

    pub(super) fn close_agreement(
        &mut self,
        id: i64,
        status: &str,
        on: NaiveDate,
        reason: Option<String>,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE agreement SET status = $1, status_on = $2, cancel_reason = $3,
                    version = version + 1, changed_by = $6, changed_at = $7
             WHERE id = $4 AND household_id = $5 AND status = 'open'",
            &[
                &status,
                &on,
                &reason,
                &id,
                &self.household,
                &self.user,
                &self.at,
            ],
        )?;
        if n == 0 {
            return Err(not_open());
        }
        Ok(())
    }
}
