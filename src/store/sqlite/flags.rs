//! Flags (signalen): THAT something exists in another domain, never the dossier; reads and writes.

use chrono::NaiveDate;
use rusqlite::params;

use super::changes::Write;
use super::codec::{corrupt, date_text, parse_date, parse_opt_date};
use super::records::Record;
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::Invalid;
use crate::domain::flag::{Flag, FlagSource, validate_end_reason};
use crate::model::changes::Change;

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

impl Write<'_, '_> {
    pub(super) fn end_flag(&self, id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE flag SET ended_on = ?1, end_reason = ?2, ended_by = ?3
             WHERE id = ?4 AND household_id = ?5 AND ended_on IS NULL",
            params![date_text(on), reason, self.user, id, self.household],
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
