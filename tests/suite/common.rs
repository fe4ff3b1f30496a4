//! The fixture layer of the behaviour suite: every story runs on each backend, SQLite always
//! and PostgreSQL when a test server is given (`KEUKENTAFEL_TEST_PG`, see
//! scripts/pg-test-server; in CI a missing server fails the suite), each in a fresh database.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::auth::Session;
use keukentafel::clock::{Clock, FixedClock};
use keukentafel::model::admin::DatabaseKind;
use keukentafel::store::Backend;
use keukentafel::store::location::Location;
use tempfile::TempDir;

/// Monday 23 November 2026, 09:00 UTC: the suite's fixed now.
pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ))
}

/// The suite's today.
pub fn today() -> NaiveDate {
    clock().today()
}

/// A fresh database on one backend, with what keeps it alive.
pub struct Db {
    /// "sqlite" or "postgres", for assertion messages.
    pub backend: &'static str,
    /// Where it lives (a file, or a database on the test server).
    pub location: Location,
    /// The temporary directory (the SQLite file, exports).
    pub dir: TempDir,
}

impl Db {
    /// Creates the database.
    pub fn create(&self, kind: DatabaseKind) -> Box<dyn Backend> {
        keukentafel::store::create(&self.location, kind, clock())
            .unwrap_or_else(|e| panic!("{}: create: {e}", self.backend))
    }

    /// Opens it again (another workstation).
    pub fn open(&self) -> Box<dyn Backend> {
        keukentafel::store::open(&self.location, clock())
            .unwrap_or_else(|e| panic!("{}: open: {e}", self.backend))
    }

    /// The `--db` value for the command line.
    pub fn arg(&self) -> String {
        match &self.location {
            Location::File(p) => p.display().to_string(),
            Location::Server(url) => url.secret().to_string(),
        }
    }
}

/// The PostgreSQL test server, if one is given; in CI its absence fails.
#[cfg(feature = "postgres")]
pub fn pg_server() -> Option<String> {
    let server = keukentafel::store::postgres::testing::server();
    if server.is_none() && std::env::var_os("CI").is_some() {
        panic!("KEUKENTAFEL_TEST_PG is not set: CI must run the suite on PostgreSQL too");
    }
    server
}

/// A fresh database on every backend.
pub fn databases() -> Vec<Db> {
    let mut out = Vec::new();
    let dir = TempDir::new().unwrap();
    out.push(Db {
        backend: "sqlite",
        location: Location::File(dir.path().join("keukentafel.db")),
        dir,
    });
    #[cfg(feature = "postgres")]
    if let Some(server) = pg_server() {
        let url = keukentafel::store::postgres::testing::fresh_database(&server).unwrap();
        out.push(Db {
            backend: "postgres",
            location: Location::Server(url),
            dir: TempDir::new().unwrap(),
        });
    }
    out
}

/// Runs `story` on a fresh database of every backend.
pub fn each_backend(story: impl Fn(&Db)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(&db);
    }
}

/// A production database with a beheerder `beheer` (password `beheerder-wachtwoord`), teams
/// "Noord" and "Zuid", a professional per team and a backoffice user (password
/// `wachtwoord-123`): `anna` (Noord), `bram` (Zuid), `bo` (backoffice, all teams), `tl`
/// (teamleider, Noord). Returns the store and the beheerder's session.
pub fn staffed(db: &Db) -> (Box<dyn Backend>, Session) {
    use keukentafel::domain::user::Role;
    use keukentafel::model::users::NewUser;
    let mut store = db.create(DatabaseKind::Production);
    store
        .create_first_admin("beheer", "beheerder-wachtwoord", "test")
        .unwrap();
    let admin = store
        .authenticate("beheer", "beheerder-wachtwoord", "test")
        .unwrap();
    for team in ["Noord", "Zuid"] {
        store.create_team(&admin, team).unwrap();
    }
    for (name, role, team) in [
        ("anna", Role::Professional, Some("Noord")),
        ("bram", Role::Professional, Some("Zuid")),
        ("bo", Role::Backoffice, None),
        ("tl", Role::Teamleider, Some("Noord")),
    ] {
        store
            .create_user(
                &admin,
                &NewUser {
                    username: name,
                    display_name: "",
                    role,
                    team,
                    phone: None,
                    password: "wachtwoord-123",
                },
            )
            .unwrap_or_else(|e| panic!("{}: user {name}: {e}", db.backend));
    }
    (store, admin)
}

/// Logs `name` in with the password of [`staffed`].
pub fn login(store: &dyn Backend, name: &str) -> Session {
    store
        .authenticate(name, "wachtwoord-123", "test")
        .unwrap_or_else(|e| panic!("login {name}: {e}"))
}
