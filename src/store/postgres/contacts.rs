//! Contacts (contactmomenten) on PostgreSQL, and how a user usually records them.

use tokio_postgres::Row;

use super::{Result, Store};
use crate::auth::Session;
use crate::domain::contact::{Contact, ContactFields};
use crate::model::changes::Change;
use crate::store::shared::codec::corrupt;
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

    /// How this user records contacts: per kind and minutes, how often among their last
    /// [`HABIT_WINDOW`] contacts, most often first (the more recent first on a tie). A
    /// preference of the user's own, not a read of any household's data.
    pub fn contact_habits(&self, session: &Session) -> Result<Vec<(String, u32, u32)>> {
        let window = i64::from(HABIT_WINDOW);
        self.single(|tx| habits_rows(&tx.query(HABITS, &[&session.user_id, &window])?))
    }

    /// The kind and minutes of the last contact this user recorded, for prefilling the next one.
    /// A preference of the user's own, not a read of any household's data.
    pub fn last_contact_choice(&self, session: &Session) -> Result<Option<(String, u32)>> {
        self.read(|tx| {
            tx.query_opt(
                "SELECT kind, minutes FROM contact WHERE recorded_by = $1 ORDER BY id DESC LIMIT 1",
                &[&session.user_id],
            )?
            .map(|r| Ok((r.try_get(0)?, minutes(r.try_get(1)?)?)))
            .transpose()
        })
    }
}

fn minutes(m: i64) -> Result<u32> {
    u32::try_from(m).map_err(|_| corrupt("contact", "minutes", m.to_string()))
}

/// A household's contacts, newest first; at most `limit` (all when `limit` is negative).
/// A user's contact habits (parameters: the user, the window).
pub(crate) const HABITS: &str = "SELECT kind, minutes, count(*) AS n, max(id) AS latest
     FROM (SELECT id, kind, minutes FROM contact WHERE recorded_by = $1
           ORDER BY id DESC LIMIT $2) AS recent
     GROUP BY kind, minutes
     ORDER BY n DESC, latest DESC";

/// The habits from the rows of [`HABITS`].
pub(crate) fn habits_rows(rows: &[Row]) -> Result<Vec<(String, u32, u32)>> {
    rows.iter()
        .map(|r| {
            let n: i64 = r.try_get(2)?;
            Ok((
                r.try_get(0)?,
                minutes(r.try_get(1)?)?,
                u32::try_from(n).unwrap_or(u32::MAX),
            ))
        })
        .collect()
}

/// The query of [`contacts_of`] (parameters: the household, the limit or NULL), for a caller
/// that sends it with others ([`Tx::queries`]).
pub(crate) const CONTACTS_OF: &str =
    "SELECT id, contact_on, kind, minutes, note, recorded_by FROM contact
         WHERE household_id = $1 ORDER BY contact_on DESC, id DESC LIMIT $2";

/// The rows of [`CONTACTS_OF`].
pub(crate) fn contacts_rows(rows: &[Row], household_id: i64) -> Result<Vec<Contact>> {
    rows.iter()
        .map(|r| {
            Ok(Contact {
                id: r.try_get(0)?,
                household_id,
                contact_on: r.try_get(1)?,
                kind: r.try_get(2)?,
                minutes: minutes(r.try_get(3)?)?,
                note: r.try_get(4)?,
                recorded_by: r.try_get(5)?,
            })
        })
        .collect()
}
