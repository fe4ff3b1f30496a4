//! What the crash and concurrency tests share: a small database, child processes that save
//! registrations and print each id the moment its save returns, and checks that those ids are
//! in the database.
//!
//! A child is this same test binary started again with `--ignored --exact <name>`: the named
//! test is marked `#[ignore]` (it is a child's work, not a test of its own) and reads what to do
//! from environment variables.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::clock::FixedClock;
use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::user::Role;
use keukentafel::domain::zrm::{Score, Scores};
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::users::NewUser;
use keukentafel::store::location::Location;
use rusqlite::{Connection, OpenFlags};

pub const PASSWORD: &str = "lang-genoeg-wachtwoord";
/// The database a child works on (a file path or a `postgres://` URL).
pub const ENV_DB: &str = "KEUKENTAFEL_TEST_CHILD_DB";
/// The household a child saves to.
pub const ENV_HOUSEHOLD: &str = "KEUKENTAFEL_TEST_CHILD_HOUSEHOLD";
/// The person a child scores the ZRM of.
pub const ENV_PERSON: &str = "KEUKENTAFEL_TEST_CHILD_PERSON";
/// How many saves a child makes (unset: until it is killed).
pub const ENV_SAVES: &str = "KEUKENTAFEL_TEST_CHILD_SAVES";
/// Unix time in milliseconds at which a child starts saving (unset: at once).
pub const ENV_START_AT: &str = "KEUKENTAFEL_TEST_CHILD_START_AT";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// A database with a beheerder, team Overvecht, professional anna and one household with one
/// member, at `db` (a file path or a server URL). Returns the household and person ids.
pub fn small_database(db: &str) -> (i64, i64) {
    let location = Location::parse(db).expect("location");
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store =
        keukentafel::store::create(&location, DatabaseKind::Production, clock).expect("create");
    store
        .create_first_admin("beheer", PASSWORD, "ws")
        .expect("admin");
    let beheer = store
        .authenticate("beheer", PASSWORD, "ws")
        .expect("beheer");
    let team = store.create_team(&beheer, "Overvecht").expect("team").id;
    store
        .create_user(
            &beheer,
            &NewUser {
                username: "anna",
                display_name: "",
                role: Role::Professional,
                team: Some("Overvecht"),
                phone: None,
                password: PASSWORD,
            },
        )
        .expect("anna");
    let anna = store.authenticate("anna", PASSWORD, "ws").expect("anna");
    let new = NewHousehold {
        label: "Fam. Bakker".into(),
        address: Address::parse("Dorpsstraat", "1", "1234ab", "Ergens").expect("address"),
        team_id: team,
        regisseur_id: anna.user_id,
        opened_on: today(),
    };
    let first =
        PersonFields::parse("Els Bakker", None, "ouder", None, None).expect("person fields");
    let household = store
        .create_household(&anna, &new, &first)
        .expect("household");
    let person = store
        .load_dashboard(&anna, household.id)
        .expect("dashboard")
        .members[0]
        .id;
    (household.id, person)
}

/// This test binary, started to run only the ignored test `name`, with `env`.
pub fn child(name: &str, env: &[(&str, String)]) -> Command {
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        name,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_remove("RUST_BACKTRACE")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd
}

/// The child's work: saves contacts, agreements and full 13-domain ZRM assessments in turn
/// and prints `saved KIND ID` the moment each save returns. A failed save is printed and ends
/// the child with a failure.
pub fn child_saves() {
    let Some(db) = std::env::var(ENV_DB).ok() else {
        return;
    };
    let number = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<i64>().ok());
    let household = number(ENV_HOUSEHOLD).expect("household id");
    let person = number(ENV_PERSON).expect("person id");
    let saves = number(ENV_SAVES);
    let location = Location::parse(&db).expect("location");
    let mut store = keukentafel::store::open(&location, Arc::new(keukentafel::clock::SystemClock))
        .expect("open the database");
    let anna = store
        .authenticate("anna", PASSWORD, "child")
        .expect("log in");
    let contact = ContactFields::new(today(), "huisbezoek", 45, None).expect("contact");
    let agreement = AgreementFields::new(
        "Els belt de schuldhulp",
        Actor::Client,
        Some(today()),
        false,
        None,
    )
    .expect("agreement");
    let reference = ReferenceData::embedded();
    let scores: Scores = reference
        .zrm
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.clone(), Score::Level(1 + (i % 5) as u8)))
        .collect();
    assert_eq!(scores.len(), 13, "a full ZRM has 13 domains");
    if let Some(at) = number(ENV_START_AT) {
        let now = Utc::now().timestamp_millis();
        if at > now {
            std::thread::sleep(std::time::Duration::from_millis((at - now) as u64));
        }
    }
    let mut out = std::io::stdout().lock();
    let mut n: i64 = 0;
    while saves.is_none_or(|s| n < s) {
        let saved = match n % 3 {
            0 => store
                .record_contact(&anna, household, &contact)
                .map(|c| ("contact", c.id)),
            1 => store
                .add_agreement(&anna, household, &agreement)
                .map(|a| ("agreement", a.id)),
            _ => store
                .record_zrm(&anna, person, today(), &scores)
                .map(|z| ("zrm", z.id)),
        };
        match saved {
            Ok((kind, id)) => {
                writeln!(out, "saved {kind} {id}").expect("print");
                out.flush().expect("flush");
            }
            Err(e) => {
                writeln!(out, "error {e}").expect("print");
                out.flush().expect("flush");
                panic!("save {n} failed: {e}");
            }
        }
        n += 1;
    }
}

/// The `(kind, id)` of every complete `saved KIND ID` line.
pub fn saved_ids(stdout: &[u8]) -> Vec<(String, i64)> {
    let text = String::from_utf8_lossy(stdout);
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .filter_map(|line| {
            // The test harness's "test NAME ... " comes before the first line, without a newline.
            let rest = &line[line.find("saved ")? + "saved ".len()..];
            let (kind, id) = rest.split_once(' ')?;
            Some((kind.to_string(), id.trim().parse().ok()?))
        })
        .collect()
}

/// The ids in `saved` that are not in the database at `db` (a file or a server URL).
pub fn missing(db: &str, saved: &[(String, i64)]) -> Vec<(String, i64)> {
    let table = |kind: &str| match kind {
        "contact" => "contact",
        "agreement" => "agreement",
        "zrm" => "zrm_assessment",
        other => panic!("unknown kind {other}"),
    };
    match Location::parse(db).expect("location") {
        Location::File(path) => {
            let conn =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
            saved
                .iter()
                .filter(|(kind, id)| {
                    let found: i64 = conn
                        .query_row(
                            &format!("SELECT count(*) FROM {} WHERE id = ?1", table(kind)),
                            [id],
                            |r| r.get(0),
                        )
                        .expect("look up");
                    found != 1
                })
                .cloned()
                .collect()
        }
        Location::Server(url) => server_missing(url.secret(), saved, &table),
    }
}

#[cfg(feature = "postgres")]
fn server_missing(
    url: &str,
    saved: &[(String, i64)],
    table: &dyn Fn(&str) -> &'static str,
) -> Vec<(String, i64)> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    saved
        .iter()
        .filter(|(kind, id)| {
            let found: i64 = client
                .query_one(
                    &format!("SELECT count(*) FROM {} WHERE id = $1", table(kind)),
                    &[id],
                )
                .expect("look up")
                .get(0);
            found != 1
        })
        .cloned()
        .collect()
}

#[cfg(not(feature = "postgres"))]
fn server_missing(
    _url: &str,
    _saved: &[(String, i64)],
    _table: &dyn Fn(&str) -> &'static str,
) -> Vec<(String, i64)> {
    panic!("this build has no PostgreSQL backend")
}

/// A fresh database on the PostgreSQL test server (dropped with the `Db`); `None` (and a note)
/// without a server, but in CI a missing server fails.
pub fn server_database() -> Option<crate::common::Db> {
    let server = crate::common::databases()
        .into_iter()
        .find(|db| db.backend == "postgres");
    if server.is_none() {
        eprintln!("KEUKENTAFEL_TEST_PG is not set: PostgreSQL process test skipped");
    }
    server
}
