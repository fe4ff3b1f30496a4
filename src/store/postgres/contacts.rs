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
            tx.query_opt(LAST_CHOICE, &[&session.user_id])?
                .map(|r| Ok((r.try_get(0)?, minutes(r.try_get(1)?)?)))
                .transpose()
        })
    }
}

fn minutes(m: i64) -> Result<u32> {
    u32::try_from(m).map_err(|_| corrupt("contact", "minutes", m.to_string()))
}

/// A user's last contact (parameter: the user), through the index `contact_recorded_by`.
/// As a function of the server (migration 7), since a professional's connection sees contacts
/// only of a household it opened.
const LAST_CHOICE: &str = "SELECT kind, minutes FROM kt_last_contact($1)";

/// A user's contact habits (parameters: the user, the window), through the index
/// `contact_recorded_by` on (recorded_by, id).
/// `contact_recorded_by` on (recorded_by, id), in a function of the server (migration 7).
pub(crate) const HABITS: &str = "SELECT kind, minutes, n, latest FROM kt_contact_habits($1, $2)";

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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::super::{Store, testing};
    use super::*;
    use crate::clock::FixedClock;
    use crate::model::admin::DatabaseKind;

    /// The plan PostgreSQL chooses for `sql` with `params`, as text.
    fn plan(store: &Store, sql: &str, user: i64) -> String {
        let window = i64::from(HABIT_WINDOW);
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = if sql.contains("$2") {
            vec![&user, &window]
        } else {
            vec![&user]
        };
        store
            .read(|tx| {
                let rows = tx.query(&format!("EXPLAIN {sql}"), &params)?;
                rows.iter()
                    .map(|r| Ok(r.try_get::<_, String>(0)?))
                    .collect::<Result<Vec<_>>>()
            })
            .unwrap()
            .join("\n")
    }

    #[test]
    fn a_users_own_contacts_are_found_by_index_not_by_a_walk_over_every_contact() {
        let Some(server) = testing::server() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "KEUKENTAFEL_TEST_PG is not set: CI must run this on PostgreSQL"
            );
            eprintln!("skipped: no PostgreSQL test server (KEUKENTAFEL_TEST_PG)");
            return;
        };
        let url = testing::fresh_database(&server).unwrap();
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        ));
        let store = Store::create(&url, DatabaseKind::Production, clock).unwrap();
        // Forty colleagues who recorded 20,000 contacts between them, one who recorded three
        // long ago and one who recorded none (a new colleague, a teamleider). The rare ones
        // find theirs through the index instead of walking every contact; for a busy one the
        // planner may walk the newest contacts instead, which ends after a few of theirs.
        let users: Vec<i64> = store
            .write(|tx| {
                tx.batch(
                    "INSERT INTO team (name) VALUES ('Noord');
                     INSERT INTO app_user (username, display_name, role, team_id, password_hash, created_at)
                     SELECT 'collega' || n, 'Collega ' || n, 'professional', 1, 'x', now()
                     FROM generate_series(1, 42) AS n;
                     INSERT INTO household (label, street, house_number, postcode, city, team_id,
                                            regisseur_id, opened_on)
                     VALUES ('Fam. Jansen', 'Kanaalweg', '3', '3521AB', 'Utrecht', 1, 1, '2026-01-05');
                     INSERT INTO contact (household_id, contact_on, kind, minutes, recorded_by, recorded_at)
                     SELECT 1, DATE '2026-01-05' + (n % 300), 'huisbezoek', 30 + n % 4 * 15,
                            CASE WHEN n <= 3 THEN 41 ELSE 1 + n % 40 END, now()
                     FROM generate_series(1, 20000) AS n;
                     ANALYZE contact;",
                )?;
                let rows = tx.query(
                    "SELECT id FROM app_user WHERE username IN ('collega41', 'collega42') ORDER BY id",
                    &[],
                )?;
                rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
            })
            .unwrap();
        assert_eq!(users.len(), 2);
        // The queries inside `kt_contact_habits` and `kt_last_contact` (migration 7), with
        // the user as a parameter: the plan of a function call does not show its inside.
        let definitions: String = store
            .read(|tx| {
                Ok(tx
                    .query_one(
                        "SELECT pg_get_functiondef('kt_contact_habits'::regproc)
                                || pg_get_functiondef('kt_last_contact'::regproc)",
                        &[],
                    )?
                    .try_get(0)?)
            })
            .unwrap();
        assert!(
            definitions.contains("WHERE c.recorded_by = p_user AND p_user = kt_me_id()")
                && definitions.contains("ORDER BY c.id DESC LIMIT p_window")
                && definitions.contains("ORDER BY c.id DESC LIMIT 1"),
            "{definitions}"
        );
        let habits = "SELECT c.id, c.kind, c.minutes FROM contact c
                      WHERE c.recorded_by = $1 ORDER BY c.id DESC LIMIT $2";
        let last = "SELECT c.kind, c.minutes FROM contact c
                    WHERE c.recorded_by = $1 ORDER BY c.id DESC LIMIT 1";
        for sql in [habits, last] {
            for user in &users {
                let plan = plan(&store, sql, *user);
                assert!(plan.contains("contact_recorded_by"), "{sql}:\n{plan}");
                assert!(
                    !plan.contains("Seq Scan on contact") && !plan.contains("contact_pkey"),
                    "{sql}:\n{plan}"
                );
            }
        }
    }
}
