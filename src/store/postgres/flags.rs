//! Flags (signalen) on PostgreSQL: THAT something exists in another domain, never the dossier.

use chrono::NaiveDate;

use tokio_postgres::Row;

use super::changes::Write;
use super::records::Record;
use super::{Result, Store, Tx};
use crate::auth::Session;
use crate::domain::Invalid;
use crate::domain::flag::{Flag, FlagSource, validate_end_reason};
use crate::model::changes::Change;
use crate::store::shared::codec::corrupt;

impl Store {
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
        self.on_record(session, Record::Flag, flag_id, |store, household_id| {
            let change = Change::EndFlag {
                id: flag_id,
                on,
                reason,
            };
            store.apply(session, household_id, &change).map(drop)
        })
    }
}

/// A household's flags: active first, then by date and id.
/// The query of [`flags_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) const FLAGS_OF: &str =
    "SELECT id, kind, since, source, set_by, ended_on, end_reason FROM flag
         WHERE household_id = $1 ORDER BY ended_on IS NOT NULL, since, id";

pub(crate) fn flags_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Flag>> {
    flags_rows(&tx.query(FLAGS_OF, &[&household_id])?, household_id)
}

/// The rows of [`FLAGS_OF`].
pub(crate) fn flags_rows(rows: &[Row], household_id: i64) -> Result<Vec<Flag>> {
    rows.iter()
        .map(|r| {
            let source: String = r.try_get(3)?;
            let ended_on: Option<NaiveDate> = r.try_get(5)?;
            let reason: Option<String> = r.try_get(6)?;
            Ok(Flag {
                id: r.try_get(0)?,
                household_id,
                kind: r.try_get(1)?,
                since: r.try_get(2)?,
                source: FlagSource::from_code(&source)
                    .ok_or_else(|| corrupt("flag", "source", source.clone()))?,
                set_by: r.try_get(4)?,
                ended: ended_on.map(|on| (on, reason.unwrap_or_default())),
            })
        })
        .collect()
}

impl Write<'_, '_> {
    pub(super) fn end_flag(&mut self, id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE flag SET ended_on = $1, end_reason = $2, ended_by = $3
             WHERE id = $4 AND household_id = $5 AND ended_on IS NULL",
            &[&on, &reason, &self.user, &id, &self.household],
        )?;
        if n == 0 {
            return Err(Invalid::new(
                "flag",
                "Dit signaal is al beëindigd.",
                "This flag has already ended.",
            )
            .into());
        }
        Ok(())
    }
}
