//! The fixture layer of the behaviour suite: every story runs on each backend, SQLite always
//! and PostgreSQL when a test server is given (`KEUKENTAFEL_TEST_PG`, see
//! scripts/pg-test-server; in CI a missing server fails the suite), each in a fresh database.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
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
    /// The server database, dropped with this.
    #[cfg(feature = "postgres")]
    pub scratch: Option<keukentafel::store::postgres::testing::Scratch>,
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

    /// The database file (SQLite only).
    pub fn file(&self) -> &Path {
        match &self.location {
            Location::File(path) => path,
            Location::Server(_) => panic!("{}: a server database has no file", self.backend),
        }
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
#[cfg_attr(not(feature = "postgres"), allow(unused_mut))]
pub fn databases() -> Vec<Db> {
    let mut out = vec![sqlite()];
    #[cfg(feature = "postgres")]
    if let Some(server) = pg_server() {
        let scratch = keukentafel::store::postgres::testing::Scratch::new(&server).unwrap();
        out.push(Db {
            backend: "postgres",
            location: Location::Server(scratch.url().clone()),
            dir: TempDir::new().unwrap(),
            scratch: Some(scratch),
        });
    }
    out
}

/// Another fresh database on `db`'s backend.
pub fn fresh_like(db: &Db) -> Db {
    databases()
        .into_iter()
        .find(|other| other.backend == db.backend)
        .unwrap_or_else(|| panic!("no {} database", db.backend))
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

/// A household of `who`'s team with one member (BSN `bsn` when given), registered through the
/// Backend trait by `who`; its id and the member's id.
pub fn household_with_member(
    store: &mut dyn Backend,
    who: &Session,
    n: usize,
    bsn: Option<&str>,
) -> (i64, i64) {
    use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
    let new = NewHousehold {
        label: format!("Fam. Test {n}"),
        address: Address::parse("Teststraat", &format!("{}", n + 1), "3562ab", "Utrecht").unwrap(),
        team_id: who.team_id.expect("a team"),
        regisseur_id: who.user_id,
        opened_on: today(),
    };
    let first = PersonFields::parse(&format!("Persoon {n}"), None, "ouder", bsn, None).unwrap();
    let household = store
        .create_household(who, &new, &first)
        .unwrap_or_else(|e| panic!("household {n}: {e}"));
    let dashboard = store.load_dashboard(who, household.id).unwrap();
    (household.id, dashboard.members[0].id)
}

// ---------------------------------------------------------------- demo databases

/// The demo accounts (anna, bram, carla, dirk, beheer; password `demo`) and the first
/// `households` households of demo seed 1 in `store`, a new demo database: what every app,
/// screen and plan test starts from. Household 1 is the El Amrani family, Anna's. Beyond the
/// named households, the generated teams and colleagues they need (`demo::roster`).
pub fn fill_demo(store: &mut dyn Backend, households: u64) {
    use keukentafel::demo::{self, DemoCatalogue};
    use keukentafel::domain::reference::ReferenceData;
    let (teams, users) = demo::roster(households);
    let teams: Vec<&str> = teams.iter().map(String::as_str).collect();
    store
        .ensure_demo_accounts(&teams, &users, "test")
        .expect("demo accounts");
    let catalogue = DemoCatalogue::from_reference(&ReferenceData::embedded());
    let batch: Vec<_> = (0..households)
        .map(|i| demo::household(1, i, today(), &catalogue))
        .collect();
    store.insert_demo_batch(&batch, "test").expect("demo batch");
}

/// A demo database file at `path` with [`fill_demo`]'s accounts and households, for the
/// tests that look at the file itself.
pub fn demo_file(path: &Path, households: u64) -> keukentafel::store::Store {
    let mut store = keukentafel::store::Store::create(path, DatabaseKind::Demo, clock())
        .expect("demo database");
    fill_demo(&mut store, households);
    store
}

/// A demo database on `db`'s backend with [`fill_demo`]'s accounts and households.
pub fn demo_on(db: &Db, households: u64) -> Box<dyn Backend> {
    let mut store = db.create(DatabaseKind::Demo);
    fill_demo(store.as_mut(), households);
    store
}

// ---------------------------------------------------------------- the command line

/// The binary in an installation of its own: `root` is its working directory and holds its
/// `config/` and `data/` directories, so it never touches a real home or a database the
/// environment names. Without `--db` it uses the default file in `data/`.
pub fn keukentafel(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("keukentafel").expect("keukentafel binary");
    cmd.current_dir(root)
        .env("KEUKENTAFEL_CONFIG_DIR", root.join("config"))
        .env("KEUKENTAFEL_DATA_DIR", root.join("data"))
        .env_remove("KEUKENTAFEL_DB")
        .env_remove("KEUKENTAFEL_ISTANDAARDEN")
        .env_remove("SSH_CONNECTION");
    cmd
}

/// `lines` as what a user types on stdin, each ended by a newline.
pub fn stdin_lines(lines: &[&str]) -> String {
    lines.iter().flat_map(|l| [*l, "\n"]).collect()
}

/// Runs `cmd`, requires exit code 0 and returns what it printed on stdout.
pub fn succeed(mut cmd: Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs `cmd`, requires it to fail and returns what it said on stderr.
pub fn fail(mut cmd: Command) -> String {
    let out = cmd.assert().failure().get_output().stderr.clone();
    String::from_utf8_lossy(&out).into_owned()
}

/// The binary on the database of one backend: an installation in the database's temporary
/// directory whose every command gets that database (`KEUKENTAFEL_DB`, as `--db` would; an
/// explicit `--db` still wins).
pub struct Cli<'a> {
    pub db: &'a Db,
}

impl<'a> Cli<'a> {
    pub fn on(db: &'a Db) -> Cli<'a> {
        Cli { db }
    }

    /// The installation's root and working directory.
    pub fn root(&self) -> &Path {
        self.db.dir.path()
    }

    /// A path in the installation.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    pub fn config_dir(&self) -> PathBuf {
        self.root().join("config")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root().join("data")
    }

    /// Writes `config.toml`; returns its path.
    pub fn write_config(&self, text: &str) -> PathBuf {
        std::fs::create_dir_all(self.config_dir()).expect("config dir");
        let file = self.config_dir().join("config.toml");
        std::fs::write(&file, text).expect("write config.toml");
        file
    }

    /// The binary on this database.
    pub fn cmd(&self) -> Command {
        let mut cmd = keukentafel(self.root());
        cmd.env("KEUKENTAFEL_DB", self.db.arg());
        cmd
    }

    /// `args` as `user`, with `lines` (the password, then any more) on stdin.
    pub fn as_user(&self, user: &str, lines: &[&str], args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.args(args)
            .args(["--user", user, "--password-stdin"])
            .write_stdin(stdin_lines(lines));
        cmd
    }

    /// `args` as `user` must succeed; its stdout.
    pub fn run(&self, user: &str, lines: &[&str], args: &[&str]) -> String {
        succeed(self.as_user(user, lines, args))
    }

    /// `args` as `user` must fail; its stderr.
    pub fn refused(&self, user: &str, lines: &[&str], args: &[&str]) -> String {
        fail(self.as_user(user, lines, args))
    }

    /// `keukentafel demo` with `households` households of seed `seed` into this database
    /// (accounts anna, bram, carla, dirk, beheer; password `demo`); its stdout.
    pub fn demo(&self, households: u32, seed: u32) -> String {
        let mut cmd = self.cmd();
        cmd.args(["demo", "--households", &households.to_string()])
            .args(["--seed", &seed.to_string()]);
        succeed(cmd)
    }

    /// The number of audit rows `keukentafel check` counts (check itself writes none).
    pub fn audit_rows(&self) -> u64 {
        let mut cmd = self.cmd();
        cmd.arg("check");
        let text = succeed(cmd);
        text.split(", ")
            .find_map(|part| part.strip_suffix(" auditregels"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}: no audit row count in {text:?}", self.db.backend))
    }

    /// The database opened through the store, to read back what a command did.
    pub fn store(&self) -> Box<dyn Backend> {
        self.db.open()
    }
}

/// A fresh SQLite database, for what exists only for a file (its modes, its WAL, its bytes).
pub fn sqlite() -> Db {
    let dir = TempDir::new().unwrap();
    Db {
        backend: "sqlite",
        location: Location::File(dir.path().join("keukentafel.db")),
        dir,
        #[cfg(feature = "postgres")]
        scratch: None,
    }
}

/// Runs `story` on two fresh databases of every backend (a comparison of two runs).
pub fn each_backend_twice(story: impl Fn(&Db, &Db)) {
    for (a, b) in databases().into_iter().zip(databases()) {
        eprintln!("-- on {}", a.backend);
        story(&a, &b);
    }
}

/// Runs `statements` on `db` behind keukentafel's back: for a test's setup that no command
/// offers (a household closed long ago). Reading back goes through the store or the binary.
pub fn execute_sql(db: &Db, statements: &str) {
    match &db.location {
        Location::File(path) => rusqlite::Connection::open(path)
            .and_then(|conn| conn.execute_batch(statements))
            .unwrap_or_else(|e| panic!("sqlite: {statements}: {e}")),
        #[cfg(feature = "postgres")]
        Location::Server(url) => postgres::Client::connect(url.secret(), postgres::NoTls)
            .and_then(|mut client| client.batch_execute(statements))
            .unwrap_or_else(|e| panic!("postgres: {statements}: {e}")),
        #[cfg(not(feature = "postgres"))]
        Location::Server(_) => panic!("this build has no PostgreSQL backend"),
    }
}

/// The one text `query` selects on `db`, for what the store no longer shows by design (the
/// label an erasure left behind).
pub fn query_text(db: &Db, query: &str) -> String {
    match &db.location {
        Location::File(path) => rusqlite::Connection::open(path)
            .and_then(|conn| conn.query_row(query, [], |r| r.get(0)))
            .unwrap_or_else(|e| panic!("sqlite: {query}: {e}")),
        #[cfg(feature = "postgres")]
        Location::Server(url) => postgres::Client::connect(url.secret(), postgres::NoTls)
            .and_then(|mut client| client.query_one(query, &[]))
            .map(|row| row.get(0))
            .unwrap_or_else(|e| panic!("postgres: {query}: {e}")),
        #[cfg(not(feature = "postgres"))]
        Location::Server(_) => panic!("this build has no PostgreSQL backend"),
    }
}

/// The rows `query` selects on `db`, each column as text (NULL as `None`; the query casts
/// what is not text, `CAST(x AS TEXT)`, which both backends know): for what the database keeps
/// that no command shows, such as what an erasure leaves behind.
pub fn query_rows(db: &Db, query: &str) -> Vec<Vec<Option<String>>> {
    match &db.location {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut stmt = conn
                .prepare(query)
                .unwrap_or_else(|e| panic!("sqlite: {query}: {e}"));
            let n = stmt.column_count();
            stmt.query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Option<String>>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|e| panic!("sqlite: {query}: {e}"))
        }
        #[cfg(feature = "postgres")]
        Location::Server(url) => postgres::Client::connect(url.secret(), postgres::NoTls)
            .and_then(|mut client| client.query(query, &[]))
            .map(|rows| {
                rows.iter()
                    .map(|row| (0..row.len()).map(|i| row.get(i)).collect())
                    .collect()
            })
            .unwrap_or_else(|e| panic!("postgres: {query}: {e}")),
        #[cfg(not(feature = "postgres"))]
        Location::Server(_) => panic!("this build has no PostgreSQL backend"),
    }
}

/// The one row `query` selects on `db`, as [`query_rows`] gives it.
pub fn query_row(db: &Db, query: &str) -> Vec<Option<String>> {
    let mut rows = query_rows(db, query);
    assert_eq!(rows.len(), 1, "{}: {query}: {rows:?}", db.backend);
    rows.swap_remove(0)
}
