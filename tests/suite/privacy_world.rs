//! A small database for the privacy tests: two teams, every role, and one household in each
//! team with some of everything (contact with a note, ZRM, agreement, flag, goal, consent), on
//! SQLite ([`world`]) or on every backend ([`each_world`]).

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::auth::Session;
use keukentafel::clock::FixedClock;
use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::domain::zrm::{Score, Scores};
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::users::NewUser;
use keukentafel::store::Backend;
use keukentafel::store::audit;
use keukentafel::store::location::Location;
use rusqlite::Connection;

use crate::common::{Db, databases, sqlite};

pub const PASSWORD: &str = "lang-genoeg-wachtwoord";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub struct World {
    /// The database (and its temporary directory, `db.dir`).
    pub db: Db,
    /// The database file on SQLite; on a server a path that does not exist.
    pub path: PathBuf,
    pub clock: Arc<FixedClock>,
    pub store: Box<dyn Backend>,
    pub beheer: Session,
    /// Professional, Overvecht.
    pub anna: Session,
    /// Professional, Zuid.
    pub bram: Session,
    /// Backoffice.
    pub carla: Session,
    /// Teamleider, Overvecht.
    pub dirk: Session,
    /// Teamleider, Zuid.
    pub wim: Session,
    /// Overvecht's household (regisseur anna).
    pub overvecht_household: i64,
    /// Its first member.
    pub fatima: i64,
    /// Zuid's household (regisseur bram).
    pub zuid_household: i64,
}

/// The world on SQLite.
pub fn world() -> World {
    world_on(sqlite())
}

/// Runs `story` on the world on every backend, each in a fresh database.
pub fn each_world(story: impl Fn(World)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(world_on(db));
    }
}

/// The world in `db`.
pub fn world_on(db: Db) -> World {
    let path = match &db.location {
        Location::File(path) => path.clone(),
        Location::Server(_) => db.dir.path().join("on-a-server"),
    };
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store =
        keukentafel::store::create(&db.location, DatabaseKind::Production, clock.clone())
            .unwrap_or_else(|e| panic!("{}: create: {e}", db.backend));
    store.create_first_admin("beheer", PASSWORD, "ws").unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws").unwrap();
    let overvecht = store.create_team(&beheer, "Overvecht").unwrap().id;
    let zuid = store.create_team(&beheer, "Zuid").unwrap().id;
    let users: [(&str, Role, Option<&str>); 6] = [
        ("anna", Role::Professional, Some("Overvecht")),
        ("fenna", Role::Professional, Some("Overvecht")),
        ("bram", Role::Professional, Some("Zuid")),
        ("carla", Role::Backoffice, None),
        ("dirk", Role::Teamleider, Some("Overvecht")),
        ("wim", Role::Teamleider, Some("Zuid")),
    ];
    for (name, role, team) in users {
        let new = NewUser {
            username: name,
            display_name: "",
            role,
            team,
            phone: None,
            password: PASSWORD,
        };
        store.create_user(&beheer, &new).unwrap();
    }
    let login = |store: &dyn Backend, name: &str| store.authenticate(name, PASSWORD, "ws").unwrap();
    let anna = login(store.as_ref(), "anna");
    let bram = login(store.as_ref(), "bram");
    let carla = login(store.as_ref(), "carla");
    let dirk = login(store.as_ref(), "dirk");
    let wim = login(store.as_ref(), "wim");
    let (overvecht_household, fatima) = household(
        store.as_mut(),
        &anna,
        overvecht,
        "Fam. El Amrani",
        "Fatima El Amrani",
        "111222333",
    );
    let (zuid_household, _) = household(
        store.as_mut(),
        &bram,
        zuid,
        "Fam. Vos",
        "Petra Vos",
        "123456782",
    );
    World {
        db,
        path,
        clock,
        store,
        beheer,
        anna,
        bram,
        carla,
        dirk,
        wim,
        overvecht_household,
        fatima,
        zuid_household,
    }
}

/// A household with one of everything; returns its id and its first member's id.
pub fn household(
    store: &mut dyn Backend,
    by: &Session,
    team: i64,
    label: &str,
    name: &str,
    bsn: &str,
) -> (i64, i64) {
    let new = NewHousehold {
        label: label.into(),
        address: Address::parse("Zamenhofdreef", "12a", "3562ab", "Utrecht").unwrap(),
        team_id: team,
        regisseur_id: by.user_id,
        opened_on: date(2026, 9, 3),
    };
    let first = PersonFields::parse(
        name,
        NaiveDate::from_ymd_opt(1985, 4, 1),
        "ouder",
        Some(bsn),
        Some("06 1234 5678"),
    )
    .unwrap();
    let h = store.create_household(by, &new, &first).unwrap();
    let person = store.load_dashboard(by, h.id).unwrap().members[0].id;
    store
        .record_contact(
            by,
            h.id,
            &ContactFields::new(
                today(),
                "huisbezoek",
                60,
                Some(&format!("geheime notitie over {name}")),
            )
            .unwrap(),
        )
        .unwrap();
    let mut scores = Scores::new();
    scores.insert("financien".into(), Score::level(2).unwrap());
    store.record_zrm(by, person, today(), &scores).unwrap();
    let agreement = AgreementFields::new(
        "Fatima belt het budgetteam",
        Actor::Client,
        None,
        false,
        None,
    )
    .unwrap();
    store.add_agreement(by, h.id, &agreement).unwrap();
    store.set_flag(by, h.id, "schuldhulp", today()).unwrap();
    store
        .add_goal(by, h.id, "Rust in de financiën", None)
        .unwrap();
    store
        .add_consent(by, h.id, None, "informatie delen met school", today())
        .unwrap();
    (h.id, person)
}

/// The number of audit rows, as `check` counts them (a check writes none).
pub fn audit_rows(w: &World) -> i64 {
    let report = w.store.check().unwrap();
    report.chain.rows as i64
}

/// The newest audit row.
pub fn last_audit(w: &World) -> audit::AuditRow {
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT 1");
    match &w.db.location {
        Location::File(path) => Connection::open(path)
            .unwrap()
            .query_row(&sql, [], |r| {
                Ok(audit::AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user_id: r.get(2)?,
                    username: r.get(3)?,
                    role: r.get(4)?,
                    action: r.get(5)?,
                    object: r.get(6)?,
                    object_id: r.get(7)?,
                    household_id: r.get(8)?,
                    person_id: r.get(9)?,
                    workstation: r.get(10)?,
                    on_behalf_of: r.get(11)?,
                    detail: r.get(12)?,
                    prev_hash: r.get(13)?,
                    hash: r.get(14)?,
                })
            })
            .unwrap(),
        #[cfg(feature = "postgres")]
        Location::Server(url) => {
            let mut client = postgres::Client::connect(url.secret(), postgres::NoTls).unwrap();
            let r = client.query_one(&sql, &[]).unwrap();
            audit::AuditRow {
                id: r.get(0),
                at: r.get(1),
                user_id: r.get(2),
                username: r.get(3),
                role: r.get(4),
                action: r.get(5),
                object: r.get(6),
                object_id: r.get(7),
                household_id: r.get(8),
                person_id: r.get(9),
                workstation: r.get(10),
                on_behalf_of: r.get(11),
                detail: r.get(12),
                prev_hash: r.get(13),
                hash: r.get(14),
            }
        }
        #[cfg(not(feature = "postgres"))]
        Location::Server(_) => panic!("this build has no PostgreSQL backend"),
    }
}

const COLUMNS: &str = "id, at, user_id, username, role, action, object, object_id, household_id, \
                       person_id, workstation, on_behalf_of, detail, prev_hash, hash";

/// The tables "nothing changed" compares: every table with client or account data.
const CONTENT: [&str; 10] = [
    "household",
    "person",
    "contact",
    "agreement",
    "flag",
    "plan_goal",
    "consent",
    "zrm_assessment",
    "user",
    "team",
];

/// Every table's rows as text except the audit log and meta: what "nothing changed" compares.
pub fn content_snapshot(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    match &w.db.location {
        Location::File(path) => {
            let conn = Connection::open(path).unwrap();
            for table in CONTENT {
                let mut stmt = conn
                    .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
                    .unwrap();
                let n = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| {
                        let mut line = format!("{table}:");
                        for i in 0..n {
                            let v: rusqlite::types::Value = r.get(i)?;
                            line.push_str(&format!("{v:?}|"));
                        }
                        Ok(line)
                    })
                    .unwrap();
                for row in rows {
                    out.push(row.unwrap());
                }
            }
        }
        #[cfg(feature = "postgres")]
        Location::Server(url) => {
            let mut client = postgres::Client::connect(url.secret(), postgres::NoTls).unwrap();
            for table in CONTENT {
                let name = if table == "user" { "app_user" } else { table };
                let sql = format!("SELECT t::text FROM {name} t ORDER BY id");
                for row in client.query(&sql, &[]).unwrap() {
                    let line: String = row.get(0);
                    out.push(format!("{table}:{line}"));
                }
            }
        }
        #[cfg(not(feature = "postgres"))]
        Location::Server(_) => panic!("this build has no PostgreSQL backend"),
    }
    out
}
