//! End-to-end tests of the `keukentafel` command line: every test runs the real binary in its
//! own temporary directories and checks what a user would notice: the exit code, the Dutch
//! message on stderr, the output, and that the database is left alone when a command refuses.
//!
//! What a command does to a database runs on every backend (`each_backend`: the binary gets
//! the test's database, a file or a fresh database on the PostgreSQL test server). What is
//! about files runs on SQLite only: the default file in the data directory, file modes and
//! folders, files that are not ours, and tampering with the file (`sqlite_file`).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use keukentafel::store::audit::AuditRow;
use keukentafel::store::location::Location;
use predicates::prelude::*;
use predicates::str::contains;
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

use crate::common::{Db, each_backend, each_backend_twice, keukentafel, stdin_lines, succeed};

const ADMIN: &str = "hanneke";
const ADMIN_PASSWORD: &str = "keukentafel-2024";
const PRO_PASSWORD: &str = "wachtwoord-anna";

// ---------------------------------------------------------------- helpers

/// One isolated installation: config and data directories inside a temp dir of its own. On a
/// test's database ([`Env::on`]) every command gets that database (`KEUKENTAFEL_DB`, as `--db`
/// would; an explicit `--db` still wins); [`Env::new`] names none, so commands use the default
/// file in the data directory.
struct Env<'a> {
    root: PathBuf,
    db: Option<&'a Db>,
    _dir: Option<TempDir>,
}

impl Env<'static> {
    /// An installation whose commands use the default database file.
    fn new() -> Env<'static> {
        let dir = tempfile::tempdir().expect("temp dir");
        Env {
            root: dir.path().to_path_buf(),
            db: None,
            _dir: Some(dir),
        }
    }
}

impl<'a> Env<'a> {
    /// An installation in `db`'s temp dir whose commands use `db`.
    fn on(db: &'a Db) -> Env<'a> {
        Env {
            root: db.dir.path().to_path_buf(),
            db: Some(db),
            _dir: None,
        }
    }

    fn root(&self) -> &Path {
        &self.root
    }

    fn config_dir(&self) -> PathBuf {
        self.root().join("config")
    }

    fn data_dir(&self) -> PathBuf {
        self.root().join("data")
    }

    /// The database file ordinary commands use when no `--db` is given.
    fn db(&self) -> PathBuf {
        self.data_dir().join("keukentafel.db")
    }

    /// The database commands use.
    fn location(&self) -> Location {
        match self.db {
            Some(db) => db.location.clone(),
            None => Location::File(self.db()),
        }
    }

    /// "sqlite" or "postgres", for assertion messages.
    fn backend(&self) -> &'static str {
        self.db.map_or("sqlite", |db| db.backend)
    }

    /// A path in the temp dir, for `--db`.
    fn path(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    /// The binary, pointed at this installation (and its database) and never at a real home.
    fn cmd(&self) -> Command {
        let mut cmd = keukentafel(self.root());
        if let Some(db) = self.db {
            cmd.env("KEUKENTAFEL_DB", db.arg());
        }
        cmd
    }

    /// `args` run as `user`, with the given password lines on stdin.
    fn as_user(&self, user: &str, passwords: &[&str], args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.args(args)
            .args(["--user", user, "--password-stdin"])
            .write_stdin(stdin_lines(passwords));
        cmd
    }

    /// `args` run as the first beheerder; `more` are the password lines after the login.
    fn as_admin(&self, more: &[&str], args: &[&str]) -> Command {
        let mut passwords = vec![ADMIN_PASSWORD];
        passwords.extend_from_slice(more);
        self.as_user(ADMIN, &passwords, args)
    }

    /// `keukentafel init` as the first beheerder, wherever the configuration points.
    fn run_init(&self) {
        self.cmd()
            .args(["init", "--admin", ADMIN, "--password-stdin"])
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
            .assert()
            .success();
    }

    /// `keukentafel init` on this installation's database (a file must be there after it).
    fn init_db(&self) {
        self.run_init();
        if let Location::File(path) = self.location() {
            assert!(path.is_file(), "init made no database");
        }
    }

    /// `keukentafel init` at the default path; returns the database file.
    fn init_db_file(&self) -> PathBuf {
        assert!(self.db.is_none(), "the default file is for Env::new");
        self.init_db();
        self.db()
    }

    fn add_team(&self, name: &str) {
        self.as_admin(&[], &["team", "add", name])
            .assert()
            .success()
            .stdout(contains(format!("Team {name} toegevoegd.")));
    }

    fn add_user(&self, name: &str, role: &str, team: Option<&str>, password: &str) {
        let mut args = vec!["user", "add", name, "--role", role];
        if let Some(team) = team {
            args.extend(["--team", team]);
        }
        self.as_admin(&[password], &args)
            .assert()
            .success()
            .stdout(contains(format!(
                "Medewerker {name} toegevoegd als {role}."
            )));
    }

    /// A database with a team and a professional `anna` in it.
    fn db_with_professional(&self) {
        self.init_db();
        self.add_team("Overvecht");
        self.add_user("anna", "professional", Some("Overvecht"), PRO_PASSWORD);
    }

    /// The `user list` output as seen by the beheerder.
    fn user_list(&self) -> String {
        succeed(self.as_admin(&[], &["user", "list"]))
    }

    /// The number of audit rows according to `keukentafel check` on this database.
    fn audit_rows(&self) -> u64 {
        let mut cmd = self.cmd();
        cmd.arg("check");
        audit_rows_in(&succeed(cmd))
    }

    /// The number of audit rows according to `keukentafel check` on the file `db`.
    fn audit_rows_of(&self, db: &Path) -> u64 {
        audit_rows_in(&succeed(self.check(db)))
    }

    fn check(&self, db: &Path) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("check").arg("--db").arg(db);
        cmd
    }

    fn write_config(&self, text: &str) -> PathBuf {
        fs::create_dir_all(self.config_dir()).expect("config dir");
        let file = self.config_dir().join("config.toml");
        fs::write(&file, text).expect("write config.toml");
        file
    }

    /// `keukentafel demo` into this installation's database; returns stdout.
    fn demo(&self, households: u32, seed: u32) -> String {
        let mut cmd = self.cmd();
        cmd.args(["demo", "--households", &households.to_string()])
            .args(["--seed", &seed.to_string()]);
        succeed(cmd)
    }

    /// The number of households in this installation's database, through the store.
    fn household_count(&self) -> i64 {
        let db = self.db.expect("a test database");
        db.open()
            .household_count()
            .unwrap_or_else(|e| panic!("{}: {e}", db.backend))
    }

    /// What a user could notice about the database: on SQLite the file itself (its bytes,
    /// its mtime and what lies next to it); on every backend the users, the teams and the
    /// number of audit rows.
    fn state(&self) -> DbState {
        let users = self.user_list();
        let teams = succeed(self.as_admin(&[], &["team", "list"]));
        let audit_rows = self.audit_rows();
        let file = match self.location() {
            Location::File(path) => Some(file_state(&path)),
            Location::Server(_) => None,
        };
        DbState {
            file,
            users,
            teams,
            audit_rows,
        }
    }

    /// Nothing a user could notice about the database changed since `before`.
    fn assert_unchanged(&self, before: &DbState) {
        if let (Some(file), Location::File(path)) = (&before.file, self.location()) {
            assert_unchanged(&path, file);
        }
        assert_eq!(self.user_list(), before.users, "{}: users", self.backend());
        assert_eq!(
            succeed(self.as_admin(&[], &["team", "list"])),
            before.teams,
            "{}: teams",
            self.backend()
        );
        assert_eq!(
            self.audit_rows(),
            before.audit_rows,
            "{}: audit rows",
            self.backend()
        );
    }
}

/// See [`Env::state`].
struct DbState {
    file: Option<FileState>,
    users: String,
    teams: String,
    audit_rows: u64,
}

/// The audit row count in the output of `keukentafel check`.
fn audit_rows_in(text: &str) -> u64 {
    text.split(", ")
        .find_map(|part| part.strip_suffix(" auditregels"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no audit row count in {text:?}"))
}

/// A temp path as an argument; temp dirs have UTF-8 names.
fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Everything a user could notice about a file: its bytes, its mtime and what lies next to it.
struct FileState {
    bytes: Vec<u8>,
    modified: SystemTime,
    siblings: Vec<String>,
}

fn file_state(path: &Path) -> FileState {
    FileState {
        bytes: fs::read(path).expect("read file"),
        modified: fs::metadata(path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        siblings: listing(path.parent().expect("parent dir")),
    }
}

fn assert_unchanged(path: &Path, before: &FileState) {
    let after = file_state(path);
    assert!(
        after.bytes == before.bytes,
        "{} changed: {} bytes before, {} after",
        path.display(),
        before.bytes.len(),
        after.bytes.len()
    );
    assert_eq!(
        after.modified,
        before.modified,
        "{} was rewritten",
        path.display()
    );
    assert_eq!(
        after.siblings,
        before.siblings,
        "files appeared or vanished next to {}",
        path.display()
    );
}

/// The names in `dir`, sorted; empty when the directory does not exist.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn sql(db: &Path, statements: &str) {
    let conn = Connection::open(db).expect("open db");
    conn.execute_batch(statements).expect("run sql");
}

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open db")
}

/// A household's label and address.
type HouseholdRow = (String, String);
/// A member: household, name, birth date, role, BSN, phone.
type PersonRow = (i64, String, String, String, String, String);

/// Every household and every member of the demo database `db`, read back through the store as
/// the backoffice (carla) sees them: the administrative dashboard of each household.
fn households_and_persons(db: &Db) -> (Vec<HouseholdRow>, Vec<PersonRow>) {
    let mut store = db.open();
    let carla = store
        .authenticate("carla", "demo", "test")
        .unwrap_or_else(|e| panic!("{}: carla: {e}", db.backend));
    let count = store.household_count().expect("household count");
    let mut households = Vec::new();
    let mut persons = Vec::new();
    for id in 1..=count {
        let dashboard = store
            .load_dashboard(&carla, id)
            .unwrap_or_else(|e| panic!("{}: household {id}: {e}", db.backend));
        let h = &dashboard.household;
        households.push((h.label.clone(), format!("{:?}", h.address)));
        for p in &dashboard.members {
            persons.push((
                p.household_id,
                p.name.clone(),
                format!("{:?}", p.birth_date),
                format!("{:?}", p.role),
                format!("{:?}", p.bsn),
                format!("{:?}", p.phone),
            ));
        }
    }
    (households, persons)
}

/// A production database with five audit rows: its creation, the admin, then three teams.
fn db_with_five_audit_rows(env: &Env) -> PathBuf {
    let db = env.init_db_file();
    for team in ["Overvecht", "Zuid", "West"] {
        env.add_team(team);
    }
    assert_eq!(env.audit_rows_of(&db), 5);
    db
}

// ---------------------------------------------------------------- init

#[test]
fn init_creates_the_database_and_names_the_admin() {
    let env = Env::new();
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin"])
        .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
        .assert()
        .success()
        .stdout(contains("Database gemaakt"))
        .stdout(contains(env.db().display().to_string()))
        .stdout(contains(format!("beheerder: {ADMIN}")));
    assert!(env.db().is_file());
    assert_eq!(
        env.audit_rows_of(&env.db()),
        2,
        "the creation and the first admin are audited"
    );
}

#[cfg(unix)]
#[test]
fn init_creates_the_database_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let db = env.init_db_file();
    let mode = fs::metadata(&db).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}

#[test]
fn init_with_db_flag_creates_the_database_there_and_the_admin_can_log_in() {
    each_backend(|db| {
        let env = Env::on(db);
        // On SQLite a new file in a folder that is not there yet; on a server the database.
        let target = match &db.location {
            Location::File(_) => text(&env.path("elders/kt.db")).to_string(),
            Location::Server(_) => db.arg(),
        };
        env.cmd()
            .args([
                "init",
                "--admin",
                ADMIN,
                "--password-stdin",
                "--db",
                &target,
            ])
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
            .assert()
            .success();
        if let Location::File(own) = &db.location {
            assert!(env.path("elders/kt.db").is_file());
            assert!(!env.db().exists(), "the default database was made as well");
            assert!(
                !own.exists(),
                "the database of KEUKENTAFEL_DB was made as well"
            );
        }
        env.as_admin(&[], &["user", "list", "--db", &target])
            .assert()
            .success()
            .stdout(contains(ADMIN).and(contains("beheerder")));
    });
}

#[test]
fn init_refuses_when_a_database_exists_and_leaves_it_untouched() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let before = env.state();
        let already = match db.backend {
            "sqlite" => "Er staat al een database",
            _ => "is al in gebruik door keukentafel",
        };
        env.cmd()
            .args(["init", "--admin", "iemand", "--password-stdin"])
            .write_stdin(stdin_lines(&["een-ander-wachtwoord"]))
            .assert()
            .failure()
            .stderr(contains(already))
            .stderr(contains("die laat ik ongemoeid"))
            .stderr(contains(env.location().shown()));
        env.assert_unchanged(&before);
        assert!(!env.user_list().contains("iemand"), "{}", db.backend);
    });
}

#[test]
fn init_refuses_a_short_password_and_leaves_no_file() {
    let env = Env::new();
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin"])
        .write_stdin(stdin_lines(&["kort12345"]))
        .assert()
        .failure()
        .stderr(contains("te kort"))
        .stderr(contains("minstens 10"));
    assert!(!env.db().exists());
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
}

#[test]
fn init_refuses_an_invalid_admin_name_and_leaves_no_file() {
    let env = Env::new();
    for bad in ["1beheer", "a", "jan jansen", "jan@example.nl"] {
        env.cmd()
            .args(["init", "--admin", bad, "--password-stdin"])
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
            .assert()
            .failure()
            .stderr(contains("Ongeldige gebruikersnaam"));
    }
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
}

#[test]
fn init_without_a_password_on_stdin_is_refused_and_leaves_no_file() {
    let env = Env::new();
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin"])
        .write_stdin("")
        .assert()
        .failure()
        .stderr(contains("Geen wachtwoord op standaardinvoer"));
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
}

#[test]
fn init_speaks_english_when_the_config_says_so() {
    let env = Env::new();
    env.write_config("language = \"en\"\n");
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin"])
        .write_stdin(stdin_lines(&["short"]))
        .assert()
        .failure()
        .stderr(contains("too short"));
    assert!(!env.db().exists());
}

// ---------------------------------------------------------------- help and no command

#[test]
fn help_exits_zero_for_the_program_and_every_subcommand() {
    let env = Env::new();
    let cases: [&[&str]; 10] = [
        &["--help"],
        &["init", "--help"],
        &["user", "--help"],
        &["user", "add", "--help"],
        &["user", "list", "--help"],
        &["team", "--help"],
        &["team", "add", "--help"],
        &["team", "list", "--help"],
        &["demo", "--help"],
        &["check", "--help"],
    ];
    for args in cases {
        env.cmd()
            .args(args)
            .assert()
            .success()
            .stdout(contains("Gebruik:"))
            .stdout(
                contains("Usage")
                    .or(contains("Options:"))
                    .or(contains("Print help"))
                    .or(contains("[default:"))
                    .not(),
            );
    }
    env.cmd()
        .arg("--help")
        .assert()
        .stdout(contains("init").and(contains("user")).and(contains("team")))
        .stdout(contains("demo").and(contains("check")));
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
}

#[test]
fn no_command_without_a_terminal_exits_nonzero_with_a_message() {
    // Without a command keukentafel starts the terminal app; here stdin and stdout are pipes.
    let env = Env::new();
    env.cmd()
        .assert()
        .failure()
        .stderr(contains(
            "keukentafel: De terminal-app heeft een terminal nodig",
        ))
        .stderr(contains("keukentafel --help"));
    assert_eq!(
        listing(&env.data_dir()),
        Vec::<String>::new(),
        "nothing is created"
    );
}

#[test]
fn unknown_subcommand_is_refused() {
    let env = Env::new();
    env.cmd().arg("opruimen").assert().failure();
}

// ---------------------------------------------------------------- user add

#[test]
fn user_add_with_unknown_role_is_refused_and_changes_nothing() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Overvecht");
        let before = env.state();
        env.as_admin(&[PRO_PASSWORD], &["user", "add", "anna", "--role", "admin"])
            .args(["--team", "Overvecht"])
            .assert()
            .failure()
            .stderr(contains("Onbekende rol 'admin'"));
        env.assert_unchanged(&before);
    });
}

#[test]
fn user_add_with_unknown_team_is_refused_and_lists_the_teams() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Overvecht");
        let users_before = env.user_list();
        let rows_before = env.audit_rows();
        env.as_admin(
            &[PRO_PASSWORD],
            &["user", "add", "anna", "--role", "professional"],
        )
        .args(["--team", "Noord"])
        .assert()
        .failure()
        .stderr(contains("Onbekend team 'Noord'"))
        .stderr(contains("Overvecht"));
        assert_eq!(env.user_list(), users_before, "{}", db.backend);
        assert_eq!(env.audit_rows(), rows_before, "{}", db.backend);
    });
}

#[test]
fn user_add_with_short_new_password_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let before = env.state();
        env.as_admin(&["kort"], &["user", "add", "carla", "--role", "backoffice"])
            .assert()
            .failure()
            .stderr(contains("te kort"));
        env.assert_unchanged(&before);
        assert!(!env.user_list().contains("carla"));
    });
}

#[test]
fn user_add_professional_without_team_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Overvecht");
        let before = env.state();
        env.as_admin(
            &[PRO_PASSWORD],
            &["user", "add", "anna", "--role", "professional"],
        )
        .assert()
        .failure()
        .stderr(contains("hoort bij een team"))
        .stderr(contains("--team"));
        env.assert_unchanged(&before);
    });
}

#[test]
fn user_add_by_a_professional_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        let before = env.state();
        env.as_user(
            "anna",
            &[PRO_PASSWORD, "nieuw-wachtwoord"],
            &["user", "add", "bram", "--role", "beheerder"],
        )
        .assert()
        .failure()
        .stderr(contains("mag je niet"))
        .stderr(contains("professional"));
        env.assert_unchanged(&before);
        assert!(!env.user_list().contains("bram"));
    });
}

#[test]
fn user_add_with_wrong_password_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let rows = env.audit_rows();
        env.as_user(
            ADMIN,
            &["niet-het-wachtwoord", PRO_PASSWORD],
            &["user", "add", "carla", "--role", "backoffice"],
        )
        .assert()
        .failure()
        .stderr(contains("onjuist wachtwoord"));
        // The failed login is recorded (one audit row); nothing else changes.
        assert_eq!(env.audit_rows(), rows + 1, "{}", db.backend);
        assert!(!env.user_list().contains("carla"));
    });
}

#[test]
fn user_add_as_unknown_user_gets_the_same_answer_as_a_wrong_password() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.as_user(
            "niemand",
            &[ADMIN_PASSWORD, PRO_PASSWORD],
            &["user", "add", "carla", "--role", "backoffice"],
        )
        .assert()
        .failure()
        .stderr(contains("Onbekende gebruiker of onjuist wachtwoord"));
    });
}

#[test]
fn user_add_without_user_flag_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let before = env.state();
        env.cmd()
            .args([
                "user",
                "add",
                "carla",
                "--role",
                "backoffice",
                "--password-stdin",
            ])
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD, PRO_PASSWORD]))
            .assert()
            .failure()
            .stderr(contains("--user"));
        env.assert_unchanged(&before);
    });
}

#[test]
fn user_add_without_a_database_says_there_is_none_and_creates_nothing() {
    let env = Env::new();
    env.as_admin(
        &[PRO_PASSWORD],
        &["user", "add", "carla", "--role", "backoffice"],
    )
    .assert()
    .failure()
    .stderr(contains("Er is geen database"))
    .stderr(contains("keukentafel init"));
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
}

#[test]
fn user_add_of_an_existing_name_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        let rows_before = env.audit_rows();
        env.as_admin(
            &["nog-een-wachtwoord"],
            &["user", "add", "Anna", "--role", "backoffice"],
        )
        .assert()
        .failure()
        .stderr(contains("Er is al een medewerker 'anna'"));
        assert_eq!(env.audit_rows(), rows_before, "{}", db.backend);
    });
}

#[test]
fn user_add_shows_the_user_in_the_list_with_role_and_team() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Overvecht");
        let rows_before = env.audit_rows();
        env.as_admin(
            &[PRO_PASSWORD],
            &["user", "add", "anna", "--role", "professional"],
        )
        .args(["--team", "Overvecht", "--display-name", "Anna de Boer"])
        .assert()
        .success()
        .stdout(contains("Medewerker anna toegevoegd als professional."));
        assert_eq!(
            env.audit_rows(),
            rows_before + 1,
            "{}: the new user is audited",
            db.backend
        );
        let list = env.user_list();
        let line = list
            .lines()
            .find(|l| l.starts_with("anna "))
            .unwrap_or_else(|| panic!("anna not in {list:?}"));
        assert!(line.contains("Anna de Boer"), "{line}");
        assert!(line.contains("professional"), "{line}");
        assert!(line.contains("Overvecht"), "{line}");
        assert!(line.contains("actief"), "{line}");
        assert!(
            list.lines()
                .next()
                .is_some_and(|h| h.starts_with("GEBRUIKER")),
            "{list}"
        );
    });
}

#[test]
fn new_teamleider_can_log_in_and_list_users() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Zuid");
        env.add_user("dirk", "teamleider", Some("Zuid"), "wachtwoord-dirk");
        env.as_user("dirk", &["wachtwoord-dirk"], &["user", "list"])
            .assert()
            .success()
            .stdout(
                contains("dirk")
                    .and(contains("teamleider"))
                    .and(contains("Zuid")),
            )
            .stdout(contains(ADMIN));
    });
}

#[test]
fn professional_may_not_list_users() {
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        env.as_user("anna", &[PRO_PASSWORD], &["user", "list"])
            .assert()
            .failure()
            .stderr(contains("mag je niet"))
            .stdout(contains(ADMIN).not());
    });
}

// ---------------------------------------------------------------- teams

#[test]
fn team_add_then_team_list_shows_the_teams() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Zuid");
        env.add_team("Leidsche Rijn");
        env.as_admin(&[], &["team", "list"])
            .assert()
            .success()
            .stdout("Leidsche Rijn\nZuid\n");
    });
}

#[test]
fn duplicate_team_is_refused_and_changes_nothing() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Zuid");
        let before = env.state();
        env.as_admin(&[], &["team", "add", "Zuid"])
            .assert()
            .failure()
            .stderr(contains("Team 'Zuid' bestaat al"));
        env.assert_unchanged(&before);
    });
}

#[test]
fn team_add_by_a_professional_is_refused() {
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        let before = env.state();
        env.as_user("anna", &[PRO_PASSWORD], &["team", "add", "Noord"])
            .assert()
            .failure()
            .stderr(contains("mag je niet"));
        env.assert_unchanged(&before);
    });
}

// ---------------------------------------------------------------- configuration

#[test]
fn config_with_unknown_key_is_refused_naming_file_line_and_key() {
    let env = Env::new();
    let file = env.write_config("language = \"nl\"\ntaal = \"nl\"\n");
    let commands: [&[&str]; 4] = [
        &["check"],
        &["init", "--admin", ADMIN, "--password-stdin"],
        &["user", "list", "--user", ADMIN, "--password-stdin"],
        &["demo", "--households", "1"],
    ];
    for args in commands {
        env.cmd()
            .args(args)
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
            .assert()
            .failure()
            .stderr(contains(file.display().to_string()))
            .stderr(contains("regel 2"))
            .stderr(contains("onbekende sleutel 'taal'"))
            .stderr(contains("idle_lock_minutes"));
    }
    assert_eq!(
        listing(&env.data_dir()),
        Vec::<String>::new(),
        "a command ran anyway"
    );
}

#[test]
fn config_with_out_of_range_idle_lock_is_refused_naming_the_key() {
    let env = Env::new();
    let file = env.write_config("theme = \"default\"\nidle_lock_minutes = 45\n");
    env.cmd()
        .arg("check")
        .assert()
        .failure()
        .stderr(contains(file.display().to_string()))
        .stderr(contains("regel 2"))
        .stderr(contains("idle_lock_minutes"))
        .stderr(contains("45"));
}

#[test]
fn config_with_broken_toml_is_refused() {
    let env = Env::new();
    let file = env.write_config("[instellingen\n");
    env.cmd()
        .arg("check")
        .assert()
        .failure()
        .stderr(contains(file.display().to_string()))
        .stderr(contains("geen geldige TOML"));
}

#[test]
fn config_database_key_is_used_when_no_db_flag_is_given() {
    each_backend(|db| {
        // An installation that names no database but in its config.toml.
        let env = Env::new();
        let target = match &db.location {
            Location::File(_) => text(&env.path("uit-config.db")).to_string(),
            Location::Server(_) => db.arg(),
        };
        env.write_config(&format!("database = \"{target}\"\n"));
        env.run_init();
        let shown = match &db.location {
            Location::File(_) => {
                assert!(env.path("uit-config.db").is_file());
                target.clone()
            }
            Location::Server(url) => url.shown(),
        };
        assert!(!env.db().exists());
        env.cmd()
            .arg("check")
            .assert()
            .success()
            .stdout(contains("In orde").and(contains(shown)));
    });
}

#[test]
fn check_without_a_database_says_so_and_creates_nothing() {
    let env = Env::new();
    env.cmd()
        .arg("check")
        .assert()
        .failure()
        .stderr(contains("Er is geen database"))
        .stderr(contains(env.db().display().to_string()));
    assert_eq!(listing(&env.data_dir()), Vec::<String>::new());
    assert_eq!(listing(env.root()), Vec::<String>::new());
}

// ---------------------------------------------------------------- demo

#[test]
fn demo_creates_households_and_a_second_run_adds_more() {
    each_backend(|db| {
        let env = Env::on(db);
        let first = env.demo(50, 7);
        assert!(first.contains("50 huishoudens toegevoegd"), "{first}");
        assert!(first.contains("totaal 50"), "{first}");
        assert!(first.contains("wachtwoord 'demo'"), "{first}");
        let second = env.demo(50, 7);
        assert!(second.contains("50 huishoudens toegevoegd"), "{second}");
        assert!(second.contains("totaal 100"), "{second}");
        assert_eq!(env.household_count(), 100, "{}", db.backend);
        env.cmd()
            .arg("check")
            .assert()
            .success()
            .stdout(contains("In orde"));
    });
}

#[test]
fn demo_without_db_flag_uses_the_demo_file_in_the_data_dir() {
    let env = Env::new();
    env.cmd()
        .args(["demo", "--households", "3"])
        .assert()
        .success()
        .stdout(contains("keukentafel-demo.db"));
    assert_eq!(
        listing(&env.data_dir()),
        vec![
            "keukentafel-demo.db".to_string(),
            "keukentafel-demo.db.ketenkop".to_string(),
            "keukentafel-demo.db.ketensleutel".to_string()
        ]
    );
    assert!(
        !env.db().exists(),
        "demo must not touch the real database path"
    );
}

#[test]
fn demo_refuses_a_real_database_and_leaves_it_untouched() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let before = env.state();
        env.cmd()
            .args(["demo", "--households", "5"])
            .assert()
            .failure()
            .stderr(contains("geen demodatabase"));
        env.assert_unchanged(&before);
        assert_eq!(env.household_count(), 0, "{}", db.backend);
    });
}

#[test]
fn demo_with_the_same_seed_gives_the_same_households() {
    each_backend_twice(|a, b| {
        Env::on(a).demo(30, 7);
        Env::on(b).demo(30, 7);
        let (ha, pa) = households_and_persons(a);
        let (hb, pb) = households_and_persons(b);
        assert_eq!(ha.len(), 30, "{}", a.backend);
        assert_eq!(ha, hb);
        assert!(pa.len() >= 30, "{} persons", pa.len());
        assert_eq!(pa, pb);
    });
}

#[test]
fn demo_with_different_seeds_gives_different_households() {
    each_backend_twice(|a, b| {
        Env::on(a).demo(30, 7);
        Env::on(b).demo(30, 8);
        let (ha, pa) = households_and_persons(a);
        let (hb, pb) = households_and_persons(b);
        assert_ne!(ha, hb, "{}", a.backend);
        assert_ne!(pa, pb, "{}", a.backend);
    });
}

#[test]
fn demo_users_log_in_with_password_demo() {
    each_backend(|db| {
        let env = Env::on(db);
        env.demo(2, 1);
        env.as_user("beheer", &["demo"], &["user", "list"])
            .assert()
            .success()
            .stdout(contains("anna").and(contains("Anna de Boer")))
            .stdout(contains("dirk").and(contains("teamleider")))
            .stdout(contains("carla").and(contains("backoffice")));
        env.as_user("dirk", &["demo"], &["user", "list"])
            .assert()
            .success();
        env.as_user("anna", &["geen-demo"], &["team", "list"])
            .assert()
            .failure()
            .stderr(contains("onjuist wachtwoord"));
    });
}

// ---------------------------------------------------------------- check and the audit chain

#[test]
fn check_on_a_fresh_database_is_in_orde() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        let before = env.state();
        env.cmd()
            .arg("check")
            .assert()
            .success()
            .stdout(contains("In orde"))
            .stdout(contains("2 auditregels"))
            .stdout(contains("keten ongebroken"))
            .stdout(contains(ADMIN).not());
        env.assert_unchanged(&before);
    });
}

// ---------------------------------------------------------------- closed pipes

/// `args` as the beheerder with stdout a pipe whose reading end is closed before the command
/// writes (as `… | head -1` leaves it): the status and what the command said on stderr.
fn into_a_closed_pipe(env: &Env, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("keukentafel"));
    command
        .current_dir(env.root())
        .env("KEUKENTAFEL_CONFIG_DIR", env.config_dir())
        .env("KEUKENTAFEL_DATA_DIR", env.data_dir())
        .env_remove("KEUKENTAFEL_DB");
    if let Some(db) = env.db {
        command.env("KEUKENTAFEL_DB", db.arg());
    }
    let mut child = command
        .args(args)
        .args(["--user", ADMIN, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keukentafel runs");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{ADMIN_PASSWORD}").expect("password");
    drop(stdin);
    let output = child.wait_with_output().expect("it ends");
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn listing_commands_into_a_closed_pipe_end_quietly_without_a_panic() {
    use std::os::unix::process::ExitStatusExt as _;
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        for args in [
            &["team", "list"][..],
            &["user", "list"],
            &["retention", "--due"],
            &["audit", "--of-user", "anna"],
            &["check"],
        ] {
            let (status, stderr) = into_a_closed_pipe(&env, args);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert_ne!(status.code(), Some(101), "{args:?} panicked: {stderr}");
            // Ended by the broken pipe as `cat` or `ls` are, or finished before it noticed.
            assert!(
                status.signal() == Some(13) || status.success(),
                "{}: {args:?}: {status:?} {stderr}",
                db.backend
            );
        }
    });
}

#[test]
fn a_youth_care_flag_that_is_not_in_the_catalogue_is_refused_with_file_line_and_key() {
    each_backend(|db| {
        let env = Env::on(db);
        env.db_with_professional();
        fs::create_dir_all(env.config_dir()).unwrap();
        let before = env.state();
        let config = env.config_dir().join("config.toml");
        fs::write(
            &config,
            "language = \"nl\"\n\n[retention]\nyouth_care_flags = [\"jeugdhulp\", \"jeugdhlp\"]\n",
        )
        .unwrap();
        let assert = env
            .as_admin(&[], &["retention", "--due"])
            .assert()
            .failure();
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(err.contains("config.toml, regel 4:"), "{err}");
        assert!(err.contains("youth_care_flags noemt 'jeugdhlp'"), "{err}");
        assert!(
            err.contains("Bekende signalen:") && err.contains("jeugdhulp"),
            "{err}"
        );
        // Without the bad setting nothing was touched.
        fs::remove_file(&config).unwrap();
        env.assert_unchanged(&before);
    });
}

#[test]
fn clap_speaks_dutch_and_english_as_configured() {
    let env = Env::new();
    env.cmd()
        .args(["demo", "--help"])
        .assert()
        .success()
        .stdout(contains("[standaard: 2000]").and(contains("Toon de hulp")));
    env.cmd()
        .arg("--bogus")
        .assert()
        .code(2)
        .stderr(contains("fout: onbekend argument '--bogus'").and(contains("Gebruik:")));
    env.cmd()
        .arg("--help")
        .assert()
        .stdout(contains("Terminal-app voor buurtteams"));
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("config.toml"), "language = \"en\"\n").unwrap();
    env.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Usage:").and(contains("Terminal application for Dutch buurtteams")));
}

#[test]
fn escape_sequences_in_names_are_printed_escaped_never_raw() {
    each_backend(|db| {
        let env = Env::on(db);
        env.init_db();
        env.add_team("Overvecht");
        let sneaky = "Anna\u{1b}]0;gekaapt\u{7}\u{1b}[2J\u{202e}";
        env.as_admin(
            &[PRO_PASSWORD],
            &[
                "user",
                "add",
                "anna",
                "--role",
                "professional",
                "--team",
                "Overvecht",
                "--display-name",
                sneaky,
            ],
        )
        .assert()
        .success();
        let list = env.user_list();
        assert!(
            !list.contains('\u{1b}'),
            "no raw escape reaches the terminal: {list:?}"
        );
        assert!(
            !list.contains('\u{7}') && !list.contains('\u{202e}'),
            "{list:?}"
        );
        assert!(
            list.contains("Anna\\u{1b}]0;gekaapt\\u{7}\\u{1b}[2J\\u{202e}"),
            "shown escaped: {list:?}"
        );
    });
}

#[test]
fn limits_refuse_a_huge_demo_and_an_output_that_is_not_a_regular_file() {
    let env = Env::new();
    env.cmd()
        .args(["demo", "--households", "10000001"])
        .assert()
        .failure()
        .stderr(contains("hoogstens 10000000 huishoudens"));
    assert!(
        !env.data_dir().join("keukentafel-demo.db").exists(),
        "nothing made"
    );
    // -o never replaces a device, a folder or a symbolic link.
    env.db_with_professional();
    env.add_user("carla", "backoffice", None, PRO_PASSWORD);
    let target = env.path("elders.txt");
    fs::write(&target, "van iemand anders").unwrap();
    let link = env.path("koppeling.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let root = env.root().display().to_string();
    for out in [link.display().to_string(), root, "/dev/null".to_string()] {
        let assert = env
            .as_user(
                "carla",
                &[PRO_PASSWORD],
                &["export", "worklist", "beschikking", "-o", &out],
            )
            .assert()
            .failure();
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(err.contains("geen gewoon bestand"), "{out}: {err}");
    }
    // A new path is written as always.
    env.as_user(
        "carla",
        &[PRO_PASSWORD],
        &["export", "worklist", "beschikking", "-o", "nieuw.csv"],
    )
    .assert()
    .success();
    assert!(env.root().join("nieuw.csv").is_file());
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "van iemand anders");
    assert!(
        PathBuf::from("/dev/null")
            .metadata()
            .unwrap()
            .file_type()
            .is_char_device_like()
    );
}

trait CharDeviceLike {
    fn is_char_device_like(&self) -> bool;
}

impl CharDeviceLike for fs::FileType {
    fn is_char_device_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_char_device()
    }
}

#[test]
fn folders_keukentafel_makes_are_its_owners_only_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let db = env.path("nieuw").join("dieper").join("k.db");
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin", "--db"])
        .arg(&db)
        .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
        .assert()
        .success();
    for dir in [env.path("nieuw"), env.path("nieuw").join("dieper")] {
        let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
    }
    // A folder that was already there is left as it was.
    let shared = env.path("gedeeld");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
    env.cmd()
        .args(["init", "--admin", ADMIN, "--password-stdin", "--db"])
        .arg(shared.join("k.db"))
        .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
        .assert()
        .success();
    let mode = fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o755, "an existing folder keeps its mode");
}

// ---------------------------------------------------------------- SQLite only

/// What exists only for a database file: files that are not ours, a file from a newer version,
/// and an audit log tampered with in the file itself (the server's own tables are checked by
/// the suite's server stories).
mod sqlite_file {
    use super::*;

    #[test]
    fn text_file_is_not_a_keukentafel_database_and_stays_untouched() {
        let env = Env::new();
        let file = env.path("boodschappen.txt");
        fs::write(&file, "melk\nbrood\nkaas\n").expect("write");
        let before = file_state(&file);
        env.check(&file)
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"))
            .stderr(contains("boodschappen.txt"));
        env.as_admin(&[], &["user", "list", "--db", text(&file)])
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"));
        env.cmd()
            .args(["demo", "--households", "1", "--db"])
            .arg(&file)
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"));
        env.cmd()
            .args(["init", "--admin", ADMIN, "--password-stdin", "--db"])
            .arg(&file)
            .write_stdin(stdin_lines(&[ADMIN_PASSWORD]))
            .assert()
            .failure()
            .stderr(contains("Er staat al een database"));
        assert_unchanged(&file, &before);
    }

    #[test]
    fn sqlite_database_of_another_app_is_refused_and_stays_untouched() {
        let env = Env::new();
        let file = env.path("recepten.db");
        sql(
            &file,
            "CREATE TABLE recept (id INTEGER PRIMARY KEY, naam TEXT NOT NULL);
         INSERT INTO recept (naam) VALUES ('stamppot'), ('hutspot');",
        );
        let before = file_state(&file);
        env.check(&file)
            .assert()
            .failure()
            .stderr(contains("recepten.db is geen keukentafel-database"));
        env.as_admin(&[], &["user", "list", "--db", text(&file)])
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"));
        env.cmd()
            .args(["demo", "--households", "1", "--db"])
            .arg(&file)
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"));
        assert_unchanged(&file, &before);
    }

    #[test]
    fn database_from_a_newer_version_is_refused_and_stays_untouched() {
        let env = Env::new();
        let db = env.init_db_file();
        sql(&db, "PRAGMA user_version = 99;");
        let before = file_state(&db);
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("nieuwere versie"))
            .stderr(contains("schema 99"));
        env.as_admin(&[], &["user", "list"])
            .assert()
            .failure()
            .stderr(contains("nieuwere versie"));
        assert_unchanged(&db, &before);
    }

    #[test]
    fn check_detects_a_changed_audit_row() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        sql(
            &db,
            "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET detail = 'x' WHERE id = 2;",
        );
        let before = file_state(&db);
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("auditketen is verbroken"))
            .stderr(contains("auditregel 2"))
            .stdout(contains("In orde").not());
        assert_unchanged(&db, &before);
    }

    #[test]
    fn check_detects_a_deleted_last_audit_row() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        sql(
            &db,
            "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);",
        );
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("auditregel (5)"))
            .stderr(contains("ontbreekt"));
    }

    #[test]
    fn check_detects_a_deleted_middle_audit_row() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        sql(
            &db,
            "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE id = 2;",
        );
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("auditregel 2 ontbreekt"));
    }

    #[test]
    fn check_detects_a_forged_row_put_in_the_place_of_a_real_one() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        sql(
            &db,
            "DROP TRIGGER audit_log_no_delete;
         CREATE TEMP TABLE echt AS SELECT * FROM audit_log WHERE id = 3;
         DELETE FROM audit_log WHERE id = 3;
         UPDATE echt SET username = 'indringer', detail = 'vervalst';
         INSERT INTO audit_log SELECT * FROM echt;",
        );
        let count: i64 = read_only(&db)
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .expect("count");
        assert_eq!(count, 5, "the forgery keeps the number of rows");
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("auditregel 3"));
    }

    #[test]
    fn check_detects_a_rewritten_row_with_a_recomputed_hash_at_the_next_row() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        let conn = Connection::open(&db).expect("open db");
        let mut row = conn
            .query_row(
                "SELECT id, at, user_id, username, role, action, object, object_id, household_id,
                    person_id, workstation, on_behalf_of, detail, prev_hash, hash
             FROM audit_log WHERE id = 2",
                [],
                |r| {
                    Ok(AuditRow {
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
                },
            )
            .expect("row 2");
        assert_eq!(
            row.computed_hash(),
            row.hash,
            "row 2 is sound before the forgery"
        );
        row.detail = Some("vervalst".into());
        row.hash = row.computed_hash();
        conn.execute_batch("DROP TRIGGER audit_log_no_update;")
            .expect("drop trigger");
        conn.execute(
            "UPDATE audit_log SET detail = ?1, hash = ?2 WHERE id = 2",
            (&row.detail, &row.hash),
        )
        .expect("update");
        drop(conn);
        env.check(&db)
            .assert()
            .failure()
            .stderr(contains("auditregel 3 sluit niet aan"));
    }

    #[test]
    fn check_detects_a_wiped_audit_log() {
        let env = Env::new();
        let db = db_with_five_audit_rows(&env);
        sql(
            &db,
            "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log;
         DELETE FROM meta WHERE key = 'audit_head';",
        );
        env.check(&db).assert().failure().stderr(contains("audit"));
    }
}
