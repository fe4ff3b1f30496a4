//! Households and their members on PostgreSQL, and the helpers every household-scoped read and
//! write goes through (team scope, policy, audit): the server's side of `sqlite::households`.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, StoreError, Tx, authorize};
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
use crate::model::changes::Change;
use crate::store::Missing;
use crate::store::shared::codec::corrupt;
pub(crate) use crate::store::shared::records::{denied, not_found, refused_event};

impl Store {
    /// Runs a change to one household: checks that it exists and that the session may write it
    /// (a professional of another team is told it does not exist), runs `f` and appends the
    /// audit event `f` returns, all in one transaction.
    pub(crate) fn household_write<T>(
        &self,
        session: &Session,
        household_id: i64,
        f: impl FnOnce(&mut Tx<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        self.household_access(session, household_id, Operation::WriteHousehold, f)
    }

    /// Like [`Store::household_write`] for a read of the household's content: the audit row is
    /// written with the read.
    pub(crate) fn household_read<T>(
        &self,
        session: &Session,
        household_id: i64,
        f: impl FnOnce(&mut Tx<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        self.household_access(session, household_id, Operation::ReadHousehold, f)
    }

    /// Runs `f` on one household if the session may do `op` on it, appending the audit event
    /// `f` returns, all in one transaction. A refusal changes nothing but writes one audit row
    /// of its own ([`Action::Refused`]); a household of another team is reported as not found
    /// to team-scoped roles. An erased household is not found for anyone, except for its
    /// access log.
    pub(crate) fn household_access<T>(
        &self,
        session: &Session,
        household_id: i64,
        op: Operation,
        f: impl FnOnce(&mut Tx<'_>, DateTime<Utc>) -> Result<(T, AuditEvent)>,
    ) -> Result<T> {
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let outcome = self.write(|tx| {
            let team = match op {
                Operation::ReadAccessLog => household_team(tx, household_id)?,
                _ => opened_household_team(tx, household_id)?,
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
    /// to this role; an operation the role may do writes nothing.
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
        // Who may not change it reads nothing of it (the server would not let them): the
        // change below is refused and audited.
        let team = self.read(|tx| household_team(tx, household_id))?;
        let version = if policy::allows(session, Operation::WriteAdministration, Some(team)) {
            self.read(|tx| load_person(tx, person_id))?.version
        } else {
            0
        };
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
        self.read(|tx| {
            super::records::record_household(tx, "person", person_id)?
                .ok_or(StoreError::NotFound(Missing::Person(person_id)))
        })
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

/// The team of a household, erased or not, or `NotFound`. Asked of the server's
/// `kt_household_place`, which answers any user (a household outside their team is hidden
/// from them by row-level security, yet the refusal must be told and audited as on SQLite).
pub(crate) fn household_team(tx: &mut Tx<'_>, household_id: i64) -> Result<i64> {
    tx.query_opt(
        "SELECT team_id FROM kt_household_place($1)",
        &[&household_id],
    )?
    .map(|r| r.try_get(0))
    .transpose()?
    .ok_or_else(|| not_found(household_id))
}

/// The team of a household that has not been erased, or `NotFound`.
pub(crate) fn live_household_team(tx: &mut Tx<'_>, household_id: i64) -> Result<i64> {
    let row = tx.query_opt(
        "SELECT team_id, erased_on FROM kt_household_place($1)",
        &[&household_id],
    )?;
    live_team(row, household_id)
}

/// [`live_household_team`] that also opens the household's content to this transaction
/// (`kt_open`, migration 7): a professional's connection sees a household's contacts,
/// agreements and the rest only in a transaction that opened it, and the server sees to it
/// that such a transaction leaves an audit row about the household.
pub(crate) fn opened_household_team(tx: &mut Tx<'_>, household_id: i64) -> Result<i64> {
    let row = tx.query_opt(
        "SELECT team_id, erased_on FROM kt_open($1)",
        &[&household_id],
    )?;
    live_team(row, household_id)
}

fn live_team(row: Option<postgres::Row>, household_id: i64) -> Result<i64> {
    match row {
        Some(r) => {
            let erased: Option<NaiveDate> = r.try_get(1)?;
            match erased {
                None => Ok(r.try_get(0)?),
                Some(_) => Err(StoreError::NotFound(Missing::ErasedHousehold(household_id))),
            }
        }
        None => Err(not_found(household_id)),
    }
}

pub(crate) fn insert_household(tx: &mut Tx<'_>, new: &NewHousehold) -> Result<i64> {
    let number = new.address.house_number.to_string();
    let row = tx.query_one(
        "INSERT INTO household (label, street, house_number, postcode, city, team_id, regisseur_id, opened_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &[
            &new.label,
            &new.address.street,
            &number,
            &new.address.postcode.as_str(),
            &new.address.city,
            &new.team_id,
            &new.regisseur_id,
            &new.opened_on,
        ],
    )?;
    Ok(row.try_get(0)?)
}

pub(crate) fn insert_person(tx: &mut Tx<'_>, household_id: i64, p: &PersonFields) -> Result<i64> {
    let row = tx.query_one(
        "INSERT INTO person (household_id, name, birth_date, role, bsn, phone)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            &household_id,
            &p.name,
            &p.birth_date,
            &p.role.code(),
            &p.bsn.as_ref().map(|b| b.as_str()),
            &p.phone.as_ref().map(|p| p.as_str()),
        ],
    )?;
    Ok(row.try_get(0)?)
}

/// The columns [`household_row`] reads, in order, of a table aliased `h`.
pub(crate) const HOUSEHOLD_COLUMNS: &str = "h.id, h.label, h.street, h.house_number, h.postcode, h.city, h.team_id, \
     h.regisseur_id, h.opened_on, h.closed_on, h.close_reason";

/// A household from a row whose first columns are [`HOUSEHOLD_COLUMNS`].
pub(crate) fn household_row(r: &Row) -> Result<Household> {
    let closed_on: Option<NaiveDate> = r.try_get(9)?;
    let close_reason: Option<String> = r.try_get(10)?;
    let status = match (closed_on, close_reason) {
        (Some(on), Some(reason)) => HouseholdStatus::Closed { on, reason },
        _ => HouseholdStatus::Open,
    };
    Ok(Household {
        id: r.try_get(0)?,
        label: r.try_get(1)?,
        address: address_row(r, 2)?,
        team_id: r.try_get(6)?,
        regisseur_id: r.try_get(7)?,
        opened_on: r.try_get(8)?,
        status,
    })
}

/// An address from four columns (street, house number, postcode, city) starting at `at`.
pub(crate) fn address_row(r: &Row, at: usize) -> Result<Address> {
    let number: String = r.try_get(at + 1)?;
    let postcode: String = r.try_get(at + 2)?;
    Ok(Address {
        street: r.try_get(at)?,
        house_number: HouseNumber::parse(&number)
            .map_err(|_| corrupt("household", "house_number", number.clone()))?,
        postcode: Postcode::parse(&postcode)
            .map_err(|_| corrupt("household", "postcode", postcode.clone()))?,
        city: r.try_get(at + 3)?,
    })
}

pub(crate) fn load_household(tx: &mut Tx<'_>, id: i64) -> Result<Household> {
    let row = tx
        .query_opt(
            &format!("SELECT {HOUSEHOLD_COLUMNS} FROM household h WHERE h.id = $1"),
            &[&id],
        )?
        .ok_or_else(|| not_found(id))?;
    household_row(&row)
}

pub(crate) const PERSON_COLUMNS: &str =
    "id, household_id, name, birth_date, role, bsn, phone, version";

/// A person from a row of [`PERSON_COLUMNS`].
pub(crate) fn person_row(r: &Row) -> Result<Person> {
    let role: String = r.try_get(4)?;
    let bsn: Option<String> = r.try_get(5)?;
    let phone: Option<String> = r.try_get(6)?;
    Ok(Person {
        id: r.try_get(0)?,
        household_id: r.try_get(1)?,
        name: r.try_get(2)?,
        birth_date: r.try_get(3)?,
        role: MemberRole::parse(&role).map_err(|_| corrupt("person", "role", role.clone()))?,
        bsn: bsn
            .map(|b| Bsn::parse(&b).map_err(|_| corrupt("person", "bsn", b.clone())))
            .transpose()?,
        phone: phone
            .map(|p| Phone::parse(&p).map_err(|_| corrupt("person", "phone", p.clone())))
            .transpose()?,
        version: r.try_get(7)?,
    })
}

pub(crate) fn load_person(tx: &mut Tx<'_>, id: i64) -> Result<Person> {
    let row = tx
        .query_opt(
            &format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = $1"),
            &[&id],
        )?
        .ok_or(StoreError::NotFound(Missing::Person(id)))?;
    person_row(&row)
}

/// The query of [`members_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) fn members_sql() -> String {
    format!(
        "SELECT {PERSON_COLUMNS} FROM person WHERE household_id = $1
         ORDER BY birth_date IS NULL, birth_date, id"
    )
}

/// The rows of [`members_sql`].
pub(crate) fn members_rows(rows: &[Row]) -> Result<Vec<Person>> {
    rows.iter().map(person_row).collect()
}

#[cfg(test)]
mod tests {
    //! Round trips per act on a test server (`KEUKENTAFEL_TEST_PG`): each act costs a fixed
    //! number of statements, however many members and records the household has.

    use std::sync::Arc;

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::super::{Store, testing};
    use crate::auth::Session;
    use crate::clock::FixedClock;
    use crate::domain::contact::ContactFields;
    use crate::domain::household::{Address, NewHousehold, PersonFields};
    use crate::domain::user::Role;
    use crate::model::admin::DatabaseKind;
    use crate::model::changes::Change;

    fn server() -> Option<String> {
        let server = testing::server();
        if server.is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "KEUKENTAFEL_TEST_PG is not set: CI must run the PostgreSQL tests"
            );
            eprintln!("KEUKENTAFEL_TEST_PG is not set: PostgreSQL round-trip test skipped");
        }
        server
    }

    /// A store with one team and one professional, and that professional's session.
    fn staffed(server: &str) -> (Store, Session) {
        let url = testing::fresh_database(server).unwrap();
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        ));
        let store = Store::create(&url, DatabaseKind::Production, clock).unwrap();
        let (team, user) = store
            .write(|tx| {
                let team: i64 = tx
                    .query_one("INSERT INTO team (name) VALUES ('Noord') RETURNING id", &[])?
                    .try_get(0)?;
                let user: i64 = tx
                    .query_one(
                        "INSERT INTO app_user (username, display_name, role, team_id, password_hash, created_at)
                         VALUES ('anna', 'Anna', 'professional', $1, 'x', now()) RETURNING id",
                        &[&team],
                    )?
                    .try_get(0)?;
                Ok((team, user))
            })
            .unwrap();
        let session = Session {
            user_id: user,
            username: "anna".into(),
            role: Role::Professional,
            team_id: Some(team),
            workstation: "test".into(),
            on_behalf_of: None,
        };
        (store, session)
    }

    fn household(store: &mut Store, anna: &Session, label: &str, members: usize) -> i64 {
        let new = NewHousehold {
            label: label.into(),
            address: Address::parse("Kanaalweg", "3", "3521 AB", "Utrecht").unwrap(),
            team_id: anna.team_id.unwrap(),
            regisseur_id: anna.user_id,
            opened_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        };
        let first = PersonFields::parse("Piet Jansen", None, "ouder", None, None).unwrap();
        let id = store.create_household(anna, &new, &first).unwrap().id;
        for n in 1..members {
            let kid = PersonFields::parse(&format!("Kind {n}"), None, "kind", None, None).unwrap();
            store.add_person(anna, id, &kid).unwrap();
        }
        id
    }

    /// The round trips of one act.
    fn trips<T>(store: &mut Store, act: impl FnOnce(&mut Store) -> T) -> u64 {
        let before = store.round_trips();
        act(store);
        store.round_trips() - before
    }

    #[test]
    fn finder_dashboard_and_a_change_cost_the_same_round_trips_for_any_household_size() {
        let Some(server) = server() else { return };
        let (mut store, anna) = staffed(&server);
        let small = household(&mut store, &anna, "Fam. Klein", 1);
        let large = household(&mut store, &anna, "Fam. Groot", 6);
        let contact = Change::Contact(
            ContactFields::new(
                NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                "huisbezoek",
                30,
                None,
            )
            .unwrap(),
        );
        for id in [small, large] {
            for _ in 0..8 {
                store.apply(&anna, id, &contact).unwrap();
            }
        }
        // Warm the statement cache, so that preparing is not counted.
        store.find_households(&anna, "fam", 10).unwrap();
        store.load_dashboard(&anna, small).unwrap();

        let find = trips(&mut store, |s| {
            s.find_households(&anna, "jansen kind", 10).unwrap()
        });
        assert_eq!(find, 1, "a keystroke: one query with its hits");
        let dashboard: Vec<u64> = [small, large]
            .into_iter()
            .map(|id| trips(&mut store, |s| s.load_dashboard(&anna, id).unwrap()))
            .collect();
        assert_eq!(
            dashboard[0], dashboard[1],
            "no statement per member or record"
        );
        assert!(dashboard[0] <= 3, "dashboard: {} round trips", dashboard[0]);
        let change: Vec<u64> = [small, large]
            .into_iter()
            .map(|id| trips(&mut store, |s| s.apply(&anna, id, &contact).unwrap()))
            .collect();
        assert_eq!(change[0], change[1], "no statement per member or record");
        assert!(change[0] <= 4, "a contact: {} round trips", change[0]);
    }

    /// Every save from the dashboard (the write, its audit row and the fresh dashboard) in at
    /// most four round trips, and a login (with the user and their habits) in at most three.
    #[test]
    fn each_save_from_the_dashboard_costs_at_most_four_round_trips_and_a_login_seven() {
        use crate::domain::agreement::{Actor, AgreementFields};
        use crate::domain::goal::GoalStatus;
        use crate::domain::zrm::Score;
        use crate::model::changes::GoalFields;

        let Some(server) = server() else { return };
        let (mut store, anna) = staffed(&server);
        let id = household(&mut store, &anna, "Fam. Jansen", 3);
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let agreement = AgreementFields::new(
            "Belastingdienst bellen",
            Actor::Client,
            Some(day),
            false,
            None,
        )
        .unwrap();
        let goal = GoalFields {
            goal: "Grip op de post".into(),
            zrm_domain: Some("financien".into()),
            status: GoalStatus::Lopend,
        };
        let contact = Change::Contact(ContactFields::new(day, "huisbezoek", 30, None).unwrap());
        store.apply(&anna, id, &contact).unwrap();
        // Once each, so that every statement is prepared before counting.
        let warm = |store: &mut Store| {
            let a = store
                .apply(&anna, id, &Change::AddAgreement(agreement.clone()))
                .unwrap();
            let g = store
                .apply(&anna, id, &Change::AddGoal(goal.clone()))
                .unwrap();
            (a.record_id, g.record_id)
        };
        let (agreement_id, goal_id) = warm(&mut store);
        let dashboard = store.load_dashboard(&anna, id).unwrap();
        let person = dashboard.members[0].id;
        let version_of_agreement = |store: &mut Store, record: i64| {
            let d = store.load_dashboard(&anna, id).unwrap();
            d.agreements
                .iter()
                .find(|a| a.id == record)
                .map(|a| a.version)
                .unwrap()
        };
        let version_of_goal = |store: &mut Store, record: i64| {
            let d = store.load_dashboard(&anna, id).unwrap();
            d.goals
                .iter()
                .find(|g| g.id == record)
                .map(|g| g.version)
                .unwrap()
        };
        let mut scores = crate::domain::zrm::Scores::new();
        scores.insert("financien".into(), Score::Level(2));
        let mut measured = Vec::new();
        for round in 0..2 {
            let v = version_of_agreement(&mut store, agreement_id);
            let g = version_of_goal(&mut store, goal_id);
            let mut edited = agreement.clone();
            edited.what = format!("Belastingdienst bellen ({round})");
            let mut edited_goal = goal.clone();
            edited_goal.goal = format!("Grip op de post ({round})");
            let acts: Vec<(&str, Change)> = vec![
                ("afspraak", Change::AddAgreement(agreement.clone())),
                (
                    "afspraak wijzigen",
                    Change::EditAgreement {
                        id: agreement_id,
                        version: v,
                        fields: edited,
                    },
                ),
                (
                    "zrm",
                    Change::Zrm {
                        person_id: person,
                        on: day,
                        scores: scores.clone(),
                    },
                ),
                ("doel", Change::AddGoal(goal.clone())),
                (
                    "doel wijzigen",
                    Change::EditGoal {
                        id: goal_id,
                        version: g,
                        fields: edited_goal,
                    },
                ),
            ];
            measured.clear();
            for (name, change) in acts {
                let n = trips(&mut store, |s| s.apply(&anna, id, &change).unwrap());
                measured.push((name, n));
            }
            let flag = Change::SetFlag {
                kind: if round == 0 {
                    "schuldhulp"
                } else {
                    "uitkering"
                }
                .into(),
                since: day,
            };
            let n = trips(&mut store, |s| s.apply(&anna, id, &flag).unwrap());
            measured.push(("signaal", n));
            let added = store.apply(&anna, id, &Change::AddAgreement(agreement.clone()));
            let done = Change::CompleteAgreement {
                id: added.unwrap().record_id,
                on: day,
            };
            let n = trips(&mut store, |s| s.apply(&anna, id, &done).unwrap());
            measured.push(("afspraak afronden", n));
        }
        eprintln!("round trips per save: {measured:?}");
        for (name, n) in &measured {
            assert!(*n <= 4, "{name}: {n} round trips");
        }

        // A login, in the gate's transaction that holds the name's lock: the wait asked (one,
        // and one to prepare it on a connection that has not logged anyone in yet), the
        // connection as anna's own role (one), then on it the statements prepared (one), the
        // count reset with the account (one), the user and their habits with the commit (one),
        // and the gate's commit (one). The server's SCRAM exchange costs more than these.
        let verifier = super::super::scram::verifier("wachtwoord-anna");
        store
            .write(|tx| tx.execute("SELECT kt_role_password($1, $2)", &[&"anna", &verifier]))
            .unwrap();
        store.login("anna", "wachtwoord-anna", "test").unwrap();
        let login = trips(&mut store, |s| {
            let login = s.login("anna", "wachtwoord-anna", "test").unwrap();
            assert_eq!(login.user.username, "anna");
            assert_eq!(
                login.contact_habits,
                vec![("huisbezoek".to_string(), 30, 1)]
            );
        });
        eprintln!("round trips per login: {login}");
        assert!(login <= 7, "a login: {login} round trips");
        let wrong = trips(&mut store, |s| {
            assert!(s.login("anna", "fout-wachtwoord", "test").is_err());
        });
        // A failed one: the wait asked, then the count and its audit row (each prepared on the
        // fresh connection), and the commit.
        assert!(wrong <= 5, "a failed login: {wrong} round trips");
    }
}
