//! What the records of a household have in common: which household owns a record.

use rusqlite::OptionalExtension;

use super::{Result, Store, StoreError};
use crate::store::Missing;

impl Store {
    /// The household a record of `table` belongs to.
    pub(super) fn owner(&self, record: Record, id: i64) -> Result<i64> {
        let (sql, missing) = match record {
            Record::Agreement => (
                "SELECT household_id FROM agreement WHERE id = ?1",
                Missing::Agreement(id),
            ),
            Record::Flag => (
                "SELECT household_id FROM flag WHERE id = ?1",
                Missing::Flag(id),
            ),
            Record::Goal => (
                "SELECT household_id FROM plan_goal WHERE id = ?1",
                Missing::Goal(id),
            ),
            Record::Consent => (
                "SELECT household_id FROM consent WHERE id = ?1",
                Missing::Consent(id),
            ),
        };
        self.conn()
            .query_row(sql, [id], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound(missing))
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
