//! Contacts (contactmomenten).

use rusqlite::{OptionalExtension, params};

use super::codec::parse_date;
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::contact::{Contact, ContactFields};
use crate::model::changes::Change;
pub use crate::store::shared::login::HABIT_WINDOW;

impl Store {
    /// Records a contact with a household.
    pub fn record_contact(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &ContactFields,
    ) -> Result<Contact> {
        let applied = self.apply(session, household_id, &Change::Contact(fields.clone()))?;
        Ok(Contact {
            id: applied.record_id,
            household_id,
            contact_on: fields.contact_on,
            kind: fields.kind.clone(),
            minutes: fields.minutes,
            note: fields.note.clone(),
            recorded_by: session.user_id,
        })
    }
}

pub(crate) fn contacts_of(
    conn: &rusqlite::Connection,
    household_id: i64,
    limit: i64,
) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, contact_on, kind, minutes, note, recorded_by FROM contact
         WHERE household_id = ?1 ORDER BY contact_on DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![household_id, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, on, kind, minutes, note, by)| {
            Ok(Contact {
                id,
                household_id,
                contact_on: parse_date("contact", "contact_on", &on)?,
                kind,
                minutes,
                note,
                recorded_by: by,
            })
        })
        .collect()
}

/// A user's habits among their last contacts (through the index `contact_recorded_by`).
const HABITS: &str = "SELECT kind, minutes, count(*) AS n, max(id) AS latest
     FROM (SELECT id, kind, minutes FROM contact WHERE recorded_by = ?1
           ORDER BY id DESC LIMIT ?2)
     GROUP BY kind, minutes
     ORDER BY n DESC, latest DESC";

/// A user's last contact (through the index `contact_recorded_by`).
const LAST_CHOICE: &str =
    "SELECT kind, minutes FROM contact WHERE recorded_by = ?1 ORDER BY id DESC LIMIT 1";

impl Store {
    /// How this user records contacts: per kind and minutes, how often among their last
    /// [`HABIT_WINDOW`] contacts, most often first (the more recent first on a tie). A
    /// preference of the user's own, not a read of any household's data.
    pub fn contact_habits(&self, session: &Session) -> Result<Vec<(String, u32, u32)>> {
        let mut stmt = self.conn().prepare_cached(HABITS)?;
        let rows = stmt
            .query_map(params![session.user_id, HABIT_WINDOW], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The kind and minutes of the last contact this user recorded, for prefilling the next one.
    /// A preference of the user's own, not a read of any household's data.
    pub fn last_contact_choice(&self, session: &Session) -> Result<Option<(String, u32)>> {
        Ok(self
            .conn()
            .prepare_cached(LAST_CHOICE)?
            .query_row([session.user_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::model::admin::DatabaseKind;
    use std::sync::Arc;

    /// The query plan's lines for `sql` on a fresh database.
    fn plan(sql: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let store =
            Store::create(&dir.path().join("k.db"), DatabaseKind::Production, clock).unwrap();
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        stmt.query_map(params![1, HABIT_WINDOW], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn a_users_own_contacts_are_found_by_index_not_by_a_scan_of_every_contact() {
        for sql in [HABITS, LAST_CHOICE.replace("LIMIT 1", "LIMIT ?2").as_str()] {
            let plan = plan(sql);
            assert!(
                plan.iter()
                    .any(|l| l.contains("USING INDEX contact_recorded_by")),
                "{sql}: {plan:?}"
            );
            assert!(
                !plan.iter().any(|l| l.starts_with("SCAN contact")),
                "{plan:?}"
            );
        }
    }
}
