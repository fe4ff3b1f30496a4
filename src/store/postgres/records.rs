//! Which household owns a record, on PostgreSQL (see `sqlite::records`).

use super::{Result, Store, StoreError};
use crate::auth::Session;
use crate::auth::policy::{self, Operation};
use crate::store::Missing;

impl Store {
    /// Runs `f` on the household that owns record `id`, so that a record the user may not see
    /// reads exactly as one that does not exist: a role that may never change records is
    /// refused before the record is even looked up, and a record of another team's household
    /// is "not found" under its own name, as a missing one is.
    pub(super) fn on_record<T>(
        &mut self,
        session: &Session,
        record: Record,
        id: i64,
        f: impl FnOnce(&mut Store, i64) -> Result<T>,
    ) -> Result<T> {
        if !policy::role_allows(session.role, Operation::WriteHousehold) {
            return Err(StoreError::Denied {
                role: session.role,
                refused: crate::store::Refused::Operation(Operation::WriteHousehold),
            });
        }
        let household = self.owner(record, id)?;
        f(self, household).map_err(|e| match e {
            StoreError::NotFound(Missing::Household(_) | Missing::ErasedHousehold(_)) => {
                StoreError::NotFound(record.missing(id))
            }
            e => e,
        })
    }

    /// The household a record of this kind belongs to.
    pub(super) fn owner(&self, record: Record, id: i64) -> Result<i64> {
        let table = match record {
            Record::Agreement => "agreement",
            Record::Flag => "flag",
            Record::Goal => "plan_goal",
            Record::Consent => "consent",
        };
        self.read(|tx| {
            record_household(tx, table, id)?.ok_or(StoreError::NotFound(record.missing(id)))
        })
    }
}

/// The kinds of record that belong to a household through their own id.
#[derive(Clone, Copy, Debug)]
pub(super) enum Record {
    Agreement,
    Flag,
    Goal,
    Consent,
}

impl Record {
    /// "Not found" for record `id` of this kind.
    fn missing(self, id: i64) -> Missing {
        match self {
            Record::Agreement => Missing::Agreement(id),
            Record::Flag => Missing::Flag(id),
            Record::Goal => Missing::Goal(id),
            Record::Consent => Missing::Consent(id),
        }
    }
}

/// The household a record of `table` belongs to, asked of the server's `kt_record_household`,
/// which answers any user (row-level security hides another team's record itself, yet the
/// refusal must be told and audited as on SQLite).
pub(crate) fn record_household(
    tx: &mut super::Tx<'_>,
    table: &str,
    id: i64,
) -> Result<Option<i64>> {
    Ok(tx
        .query_one("SELECT kt_record_household($1, $2)", &[&table, &id])?
        .try_get(0)?)
}
