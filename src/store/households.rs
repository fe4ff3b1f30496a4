//! Households and their members, the search index over them, and the helpers every
//! household-scoped read and write goes through (team scope, policy, audit).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{corrupt, date_text, parse_date, parse_opt_date};
use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::{self, Operation};
use crate::domain::address::HouseNumber;
use crate::domain::bsn::Bsn;
use crate::domain::household::{
    Address, Household, HouseholdStatus, MemberRole, NewHousehold, Person, PersonFields, validate_close_reason,
};
use crate::domain::phone::Phone;
use crate::domain::postcode::Postcode;
use crate::domain::text::fold;
use crate::domain::user::Role;

impl Store {
    /// Runs a change to one household: checks that it exists and that the session may write it
    /// (a professional of another team is told it does not exist), runs `f` and appends the
    /// audit event `f` returns, all in one immediate transaction.
    pub(crate) fn household_write<T>(
        &mut self,
        session: &Session,
        household_id: i64,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        self.household_access(session, household_id, Operation::WriteHousehold, f)
    }

    /// Like [`Store::household_write`] for a read: the audit row is written with the read.
    pub(crate) fn household_read<T>(
        &mut self,
        session: &Session,
        household_id: i64,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        self.household_access(session, household_id, Operation::ReadHousehold, f)
    }

    fn household_access<T>(
        &mut self,
        session: &Session,
        household_id: i64,
        op: Operation,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let team = household_team(tx, household_id)?;
            if session.role == Role::Professional && !policy::allows(session, op, Some(team)) {
                return Err(not_found(household_id));
            }
            authorize(session, op, Some(team))?;
            let (value, event) = f(tx, now)?;
            audit::append(tx, now, &actor, &event)?;
            Ok(value)
        })
    }

    /// Creates a household with its first member; a professional only in their own team.
    pub fn create_household(&mut self, session: &Session, new: &NewHousehold, first: &PersonFields) -> Result<Household> {
        authorize(session, Operation::WriteHousehold, Some(new.team_id))?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = insert_household(tx, new)?;
            let person_id = insert_person(tx, id, first)?;
            reindex(tx, id)?;
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent::household(Action::Create, "household", id, id).with_person(person_id),
            )?;
            load_household(tx, id)
        })
    }

    /// Adds a member to a household.
    pub fn add_person(&mut self, session: &Session, household_id: i64, fields: &PersonFields) -> Result<Person> {
        self.household_write(session, household_id, |tx, _| {
            let id = insert_person(tx, household_id, fields)?;
            reindex(tx, household_id)?;
            let event = AuditEvent::household(Action::Create, "person", id, household_id).with_person(id);
            Ok((load_person(tx, id)?, event))
        })
    }

    /// Changes a member's details.
    pub fn update_person(&mut self, session: &Session, person_id: i64, fields: &PersonFields) -> Result<Person> {
        let household_id = self.household_of_person(person_id)?;
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "UPDATE person SET name = ?1, birth_date = ?2, role = ?3, bsn = ?4, phone = ?5 WHERE id = ?6",
                params![
                    fields.name,
                    fields.birth_date.map(date_text),
                    fields.role.code(),
                    fields.bsn.as_ref().map(|b| b.as_str().to_string()),
                    fields.phone.as_ref().map(|p| p.as_str().to_string()),
                    person_id
                ],
            )?;
            reindex(tx, household_id)?;
            let event = AuditEvent::household(Action::Update, "person", person_id, household_id).with_person(person_id);
            Ok((load_person(tx, person_id)?, event))
        })
    }

    /// Closes a household with a reason.
    pub fn close_household(&mut self, session: &Session, household_id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        let reason = validate_close_reason(reason)?;
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "UPDATE household SET closed_on = ?1, close_reason = ?2 WHERE id = ?3",
                params![date_text(on), reason, household_id],
            )?;
            Ok(((), AuditEvent::household(Action::End, "household", household_id, household_id)))
        })
    }

    /// Reopens a closed household.
    pub fn reopen_household(&mut self, session: &Session, household_id: i64) -> Result<()> {
        self.household_write(session, household_id, |tx, _| {
            tx.execute(
                "UPDATE household SET closed_on = NULL, close_reason = NULL WHERE id = ?1",
                [household_id],
            )?;
            let event = AuditEvent::household(Action::Update, "household", household_id, household_id)
                .with_detail("heropend");
            Ok(((), event))
        })
    }

    /// The household a person belongs to.
    pub(crate) fn household_of_person(&self, person_id: i64) -> Result<i64> {
        self.conn()
            .query_row("SELECT household_id FROM person WHERE id = ?1", [person_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("Persoon {person_id}")))
    }

    /// Open households at the same postcode and house number (to warn about double registration).
    pub fn open_households_at(&self, session: &Session, postcode: &Postcode, number: &HouseNumber) -> Result<Vec<i64>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let mut stmt = self.conn().prepare(
            "SELECT id FROM household WHERE postcode = ?1 AND house_number = ?2 AND closed_on IS NULL ORDER BY id",
        )?;
        let ids = stmt
            .query_map(params![postcode.as_str(), number.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Finds households by any fragment of label, member name, street, postcode, house number or
    /// birth date (prefix match per word, all words must match), or by an exact BSN. A
    /// professional only finds their own team's households.
    pub fn find_households(&self, session: &Session, query: &str, limit: usize) -> Result<Vec<HouseholdHit>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let team = if session.role == Role::Professional {
            Some(session.team_id.unwrap_or(-1))
        } else {
            None
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let ids: Vec<i64> = if let Ok(bsn) = Bsn::parse(query) {
            let mut stmt = self.conn().prepare(
                "SELECT DISTINCT h.id FROM person p JOIN household h ON h.id = p.household_id
                 WHERE p.bsn = ?1 AND (?2 IS NULL OR h.team_id = ?2) LIMIT ?3",
            )?;
            stmt.query_map(params![bsn.as_str(), team, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            let Some(fts) = fts_query(query) else {
                return Ok(Vec::new());
            };
            let mut stmt = self.conn().prepare(
                "SELECT h.id FROM household_search s JOIN household h ON h.id = s.rowid
                 WHERE household_search MATCH ?1 AND (?2 IS NULL OR h.team_id = ?2)
                 ORDER BY h.closed_on IS NOT NULL, h.label, h.id LIMIT ?3",
            )?;
            stmt.query_map(params![fts, team, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.hit(id)).collect()
    }

    fn hit(&self, id: i64) -> Result<HouseholdHit> {
        let h = load_household(self.conn(), id)?;
        let mut stmt = self
            .conn()
            .prepare("SELECT name FROM person WHERE household_id = ?1 ORDER BY birth_date IS NULL, birth_date, id")?;
        let members = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(HouseholdHit {
            id,
            label: h.label,
            address: h.address.one_line(),
            members,
            open: h.status == HouseholdStatus::Open,
        })
    }
}

/// One finder result: enough to tell households apart, nothing sensitive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdHit {
    /// Household id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Address on one line.
    pub address: String,
    /// Members' names, oldest first.
    pub members: Vec<String>,
    /// Whether support is ongoing.
    pub open: bool,
}

/// Turns typed text into an FTS5 query: each folded word a quoted prefix term, all required.
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if terms.is_empty() { None } else { Some(terms.join(" ")) }
}

pub(crate) fn not_found(household_id: i64) -> StoreError {
    StoreError::NotFound(format!("Huishouden {household_id}"))
}

/// The team of a household, or `NotFound`.
pub(crate) fn household_team(tx: &rusqlite::Connection, household_id: i64) -> Result<i64> {
    tx.query_row("SELECT team_id FROM household WHERE id = ?1", [household_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(household_id))
}

pub(crate) fn insert_household(tx: &Transaction<'_>, new: &NewHousehold) -> Result<i64> {
    tx.execute(
        "INSERT INTO household (label, street, house_number, postcode, city, team_id, regisseur_id, opened_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new.label,
            new.address.street,
            new.address.house_number.to_string(),
            new.address.postcode.as_str(),
            new.address.city,
            new.team_id,
            new.regisseur_id,
            date_text(new.opened_on)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn insert_person(tx: &Transaction<'_>, household_id: i64, p: &PersonFields) -> Result<i64> {
    tx.execute(
        "INSERT INTO person (household_id, name, birth_date, role, bsn, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            household_id,
            p.name,
            p.birth_date.map(date_text),
            p.role.code(),
            p.bsn.as_ref().map(|b| b.as_str().to_string()),
            p.phone.as_ref().map(|p| p.as_str().to_string())
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The folded search terms of a household.
pub(crate) fn search_terms(label: &str, street: &str, number: &str, postcode: &str, people: &[(String, Option<String>)]) -> String {
    let mut terms = format!("{label} {street} {number} {postcode} {}", postcode.replace(' ', ""));
    for (name, birth) in people {
        terms.push(' ');
        terms.push_str(name);
        if let Some(b) = birth.as_deref().and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()) {
            terms.push(' ');
            terms.push_str(&b.format("%d-%m-%Y").to_string());
        }
    }
    fold(&terms)
}

/// Rebuilds the search entry of one household.
pub(crate) fn reindex(tx: &rusqlite::Connection, household_id: i64) -> Result<()> {
    let (label, street, number, postcode): (String, String, String, String) = tx.query_row(
        "SELECT label, street, house_number, postcode FROM household WHERE id = ?1",
        [household_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut stmt = tx.prepare("SELECT name, birth_date FROM person WHERE household_id = ?1")?;
    let people = stmt
        .query_map([household_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, Option<String>)>>>()?;
    tx.execute("DELETE FROM household_search WHERE rowid = ?1", [household_id])?;
    tx.execute(
        "INSERT INTO household_search (rowid, terms) VALUES (?1, ?2)",
        params![household_id, search_terms(&label, &street, &number, &postcode, &people)],
    )?;
    Ok(())
}

pub(crate) fn load_household(conn: &rusqlite::Connection, id: i64) -> Result<Household> {
    type Row = (String, String, String, String, String, i64, i64, String, Option<String>, Option<String>);
    let row: Row = conn
        .query_row(
            "SELECT label, street, house_number, postcode, city, team_id, regisseur_id, opened_on, closed_on, close_reason
             FROM household WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| not_found(id))?;
    let (label, street, number, postcode, city, team_id, regisseur_id, opened_on, closed_on, close_reason) = row;
    let status = match (parse_opt_date("household", "closed_on", closed_on)?, close_reason) {
        (Some(on), Some(reason)) => HouseholdStatus::Closed { on, reason },
        _ => HouseholdStatus::Open,
    };
    Ok(Household {
        id,
        label,
        address: Address {
            street,
            house_number: HouseNumber::parse(&number).map_err(|_| corrupt("household", "house_number", number.clone()))?,
            postcode: Postcode::parse(&postcode).map_err(|_| corrupt("household", "postcode", postcode.clone()))?,
            city,
        },
        team_id,
        regisseur_id,
        opened_on: parse_date("household", "opened_on", &opened_on)?,
        status,
    })
}

pub(crate) const PERSON_COLUMNS: &str = "id, household_id, name, birth_date, role, bsn, phone";

pub(crate) fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PersonRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

pub(crate) type PersonRow = (i64, i64, String, Option<String>, String, Option<String>, Option<String>);

pub(crate) fn finish_person(row: PersonRow) -> Result<Person> {
    let (id, household_id, name, birth, role, bsn, phone) = row;
    Ok(Person {
        id,
        household_id,
        name,
        birth_date: parse_opt_date("person", "birth_date", birth)?,
        role: MemberRole::parse(&role).map_err(|_| corrupt("person", "role", role.clone()))?,
        bsn: bsn
            .map(|b| Bsn::parse(&b).map_err(|_| corrupt("person", "bsn", b.clone())))
            .transpose()?,
        phone: phone
            .map(|p| Phone::parse(&p).map_err(|_| corrupt("person", "phone", p.clone())))
            .transpose()?,
    })
}

fn load_person(conn: &rusqlite::Connection, id: i64) -> Result<Person> {
    let row = conn
        .query_row(&format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = ?1"), [id], person_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("Persoon {id}")))?;
    finish_person(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_folded_prefix_terms() {
        assert_eq!(fts_query("Müller 3521").as_deref(), Some("\"muller\"* \"3521\"*"));
        assert_eq!(fts_query("de \"vries"), Some("\"de\"* \"vries\"*".to_string()));
        assert_eq!(fts_query("  -- "), None);
    }
}
