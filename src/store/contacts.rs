//! Contacts (contactmomenten).

use rusqlite::params;

use super::audit::{Action, AuditEvent};
use super::codec::{date_text, parse_date};
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::contact::{Contact, ContactFields};

impl Store {
    /// Records a contact with a household.
    pub fn record_contact(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &ContactFields,
    ) -> Result<Contact> {
        let user = session.user_id;
        self.household_write(session, household_id, |tx, now| {
            tx.execute(
                "INSERT INTO contact (household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    household_id,
                    date_text(fields.contact_on),
                    fields.kind,
                    fields.minutes,
                    fields.note,
                    user,
                    now.to_rfc3339()
                ],
            )?;
            let id = tx.last_insert_rowid();
            let contact = Contact {
                id,
                household_id,
                contact_on: fields.contact_on,
                kind: fields.kind.clone(),
                minutes: fields.minutes,
                note: fields.note.clone(),
                recorded_by: user,
            };
            Ok((contact, AuditEvent::household(Action::Create, "contact", id, household_id)))
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
