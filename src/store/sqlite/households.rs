//! Households and their members, the search index over them, and the helpers every
//! household-scoped read and write goes through (team scope, policy, audit).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::{corrupt, date_text, parse_date, parse_opt_date};
use crate::model::changes::Change;

use super::{Result, Store, StoreError, authorize};
use crate::auth::Session;
use crate::auth::policy::{self, Operation, Refusal};
use crate::domain::address::HouseNumber;
use crate::domain::bsn::Bsn;
use crate::domain::household::{
    Address, Household, HouseholdStatus, MemberRole, NewHousehold, Person, PersonFields,
    validate_close_reason,
};
use crate::domain::phone::Phone;
use crate::domain::postcode::Postcode;
use crate::store::Missing;
pub(crate) use crate::store::shared::records::{denied, not_found, refused_event};

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

    /// Like [`Store::household_write`] for a read of the household's content: the audit row is
    /// written with the read.
    #[allow(dead_code)] // the dashboard chooses its operation by role; other readers use this
    pub(crate) fn household_read<T>(
        &mut self,
        session: &Session,
        household_id: i64,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        self.household_access(session, household_id, Operation::ReadHousehold, f)
    }

    /// Runs `f` on one household if the session may do `op` on it, appending the audit event
    /// `f` returns, all in one immediate transaction. A refusal changes nothing but writes
    /// one audit row of its own ([`Action::Refused`]); a household of another team is reported
    /// as not found to team-scoped roles, so they cannot learn that it exists. An erased
    /// household is not found for anyone, except for its access log.
    pub(crate) fn household_access<T>(
        &mut self,
        session: &Session,
        household_id: i64,
        op: Operation,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let outcome = self.write(|tx| {
            // The access log outlives an erasure: it holds no content, and it shows the erasure.
            let team = match op {
                Operation::ReadAccessLog => household_team(tx, household_id)?,
                _ => live_household_team(tx, household_id)?,
            };
            if let Err(refusal) = policy::check(session, op, team) {
                audit::append(tx, now, &actor, &refused_event(op, household_id))?;
                return Ok(Err(match refusal {
                    Refusal::Hidden => not_found(household_id),
                    Refusal::Denied => denied(session, op),
                }));
            }
            let (value, event) = f(tx, now)?;
            audit::append(tx, now, &actor, &event)?;
            Ok(Ok(value))
        });
        outcome?
    }

    /// Writes the `refused` audit row for `op` on a household that the app did not even offer
    /// to this role (a backoffice user pressing `c`), the same row the store writes when the
    /// CLI tries it. Nothing else happens; an operation the role may do writes nothing.
    pub fn record_refusal(
        &mut self,
        session: &Session,
        household_id: i64,
        op: Operation,
    ) -> Result<()> {
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let team = live_household_team(tx, household_id)?;
            if policy::check(session, op, team).is_err() {
                audit::append(tx, now, &actor, &refused_event(op, household_id))?;
            }
            Ok(())
        })
    }

    /// Creates a household with its first member; a professional only in their own team.
    pub fn create_household(
        &mut self,
        session: &Session,
        new: &NewHousehold,
        first: &PersonFields,
    ) -> Result<Household> {
        authorize(session, Operation::WriteHousehold, Some(new.team_id))?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = insert_household(tx, new)?;
            let person_id = insert_person(tx, id, first)?;
            super::search::reindex(tx, id)?;
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
    pub fn add_person(
        &mut self,
        session: &Session,
        household_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        let applied = self.apply(session, household_id, &Change::AddMember(fields.clone()))?;
        member(applied)
    }

    /// Changes a member's details.
    pub fn update_person(
        &mut self,
        session: &Session,
        person_id: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        let household_id = self.household_of_person(person_id)?;
        // The command line shows nothing before it changes: it edits the member as it is now.
        let version = load_person(self.conn(), person_id)?.version;
        let change = Change::EditMember {
            id: person_id,
            version,
            fields: fields.clone(),
        };
        member(self.apply(session, household_id, &change)?)
    }

    /// Closes a household with a reason.
    pub fn close_household(
        &mut self,
        session: &Session,
        household_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let change = Change::Close {
            on,
            reason: validate_close_reason(reason)?,
        };
        self.apply(session, household_id, &change).map(drop)
    }

    /// Reopens a closed household.
    pub fn reopen_household(&mut self, session: &Session, household_id: i64) -> Result<()> {
        self.apply(session, household_id, &Change::Reopen).map(drop)
    }

    /// The household a person belongs to.
    pub(crate) fn household_of_person(&self, person_id: i64) -> Result<i64> {
        self.conn()
            .query_row(
                "SELECT household_id FROM person WHERE id = ?1",
                [person_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound(Missing::Person(person_id)))
    }
}

/// The member an applied member change wrote.
fn member(applied: crate::model::changes::Applied) -> Result<Person> {
    let id = applied.record_id;
    applied
        .dashboard
        .into_iter()
        .flat_map(|d| d.members)
        .find(|p| p.id == id)
        .ok_or(StoreError::NotFound(Missing::Person(id)))
}

/// The team of a household, erased or not, or `NotFound`.
fn household_team(tx: &rusqlite::Connection, household_id: i64) -> Result<i64> {
    tx.prepare_cached("SELECT team_id FROM household WHERE id = ?1")?
        .query_row([household_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(household_id))
}

/// The team of a household that has not been erased, or `NotFound`.
pub(crate) fn live_household_team(tx: &rusqlite::Connection, household_id: i64) -> Result<i64> {
    let row: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT team_id, erased_on FROM household WHERE id = ?1")?
        .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((team, None)) => Ok(team),
        Some((_, Some(_))) => Err(StoreError::NotFound(Missing::ErasedHousehold(household_id))),
        None => Err(not_found(household_id)),
    }
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

pub(crate) fn insert_person(
    tx: &Transaction<'_>,
    household_id: i64,
    p: &PersonFields,
) -> Result<i64> {
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

pub(crate) fn load_household(conn: &rusqlite::Connection, id: i64) -> Result<Household> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        String,
        Option<String>,
        Option<String>,
    );
    let row: Row = conn
        .prepare_cached(
            "SELECT label, street, house_number, postcode, city, team_id, regisseur_id, opened_on, closed_on, close_reason
             FROM household WHERE id = ?1",
        )?
        .query_row(
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
    let (
        label,
        street,
        number,
        postcode,
        city,
        team_id,
        regisseur_id,
        opened_on,
        closed_on,
        close_reason,
    ) = row;
    let status = match (
        parse_opt_date("household", "closed_on", closed_on)?,
        close_reason,
    ) {
        (Some(on), Some(reason)) => HouseholdStatus::Closed { on, reason },
        _ => HouseholdStatus::Open,
    };
    Ok(Household {
        id,
        label,
        address: Address {
            street,
            house_number: HouseNumber::parse(&number)
                .map_err(|_| corrupt("household", "house_number", number.clone()))?,
            postcode: Postcode::parse(&postcode)
                .map_err(|_| corrupt("household", "postcode", postcode.clone()))?,
            city,
        },
        team_id,
        regisseur_id,
        opened_on: parse_date("household", "opened_on", &opened_on)?,
        status,
    })
}

pub(crate) const PERSON_COLUMNS: &str =
    "id, household_id, name, birth_date, role, bsn, phone, version";

pub(crate) fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PersonRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

pub(crate) type PersonRow = (
    i64,
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
);

pub(crate) fn finish_person(row: PersonRow) -> Result<Person> {
    let (id, household_id, name, birth, role, bsn, phone, version) = row;
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
        version,
    })
}

pub(crate) fn load_person(conn: &rusqlite::Connection, id: i64) -> Result<Person> {
    let row = conn
        .query_row(
            &format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = ?1"),
            [id],
            person_row,
        )
        .optional()?
        .ok_or(StoreError::NotFound(Missing::Person(id)))?;
    finish_person(row)
}
