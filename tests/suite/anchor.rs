//! The audit chain anchored outside the database file (SQLite): a key beside the file
//! (`.ketensleutel`) keys every row, a witness (`.ketenkop`) records the chain head. A copy of the
//! file alone, with every plain hash recomputed and `meta` updated, cannot truncate, extend or
//! rewrite the log, replace the file, or flip its kind without `check` naming it.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use keukentafel::store::audit::AuditRow;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use rusqlite::{Connection, params};
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self) -> Command {
        crate::common::keukentafel(self.dir.path())
    }

    /// A production database made by `init` (beheerder `beheer`) with four teams: six audit
    /// rows.
    fn production(&self, name: &str) -> PathBuf {
        let db = self.path(name);
        let mut init = self.cmd();
        init.arg("--db")
            .arg(&db)
            .args(["init", "--admin", "beheer", "--password-stdin"])
            .write_stdin("beheerder-wachtwoord\n");
        crate::common::succeed(init);
        for team in ["Noord", "Zuid", "Oost", "West"] {
            crate::common::succeed(self.as_user(
                &db,
                "beheer",
                "beheerder-wachtwoord",
                &["team", "add", team],
            ));
        }
        db
    }

    /// A demo database with `households` households (password `demo`).
    fn demo(&self, name: &str, households: u32) -> PathBuf {
        let db = self.path(name);
        self.cmd()
            .args(["demo", "--households", &households.to_string(), "--db"])
            .arg(&db)
            .assert()
            .success();
        db
    }

    fn as_user(&self, db: &Path, user: &str, password: &str, args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--db")
            .arg(db)
            .args(["--user", user, "--password-stdin"])
            .args(args)
            .write_stdin(format!("{password}\n"));
        cmd
    }

    fn check(&self, db: &Path) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--db").arg(db).arg("check");
        cmd
    }
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

const COLUMNS: &str = "id, at, user_id, username, role, action, object, object_id, household_id, \
                       person_id, workstation, on_behalf_of, detail, prev_hash, hash";

fn rows(conn: &Connection) -> Vec<AuditRow> {
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))
        .expect("prepare");
    stmt.query_map([], |r| {
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
    })
    .expect("query")
    .collect::<rusqlite::Result<Vec<_>>>()
    .expect("rows")
}

/// What an attacker with a copy of the file does after any change: the triggers gone, every
/// plain hash from row `from` on recomputed in order, the head in `meta` set to the last row.
fn rechain(conn: &Connection, from: i64) {
    let all = rows(conn);
    let mut prev = all
        .iter()
        .find(|r| r.id == from - 1)
        .map(|r| r.hash.clone())
        .unwrap_or_else(|| keukentafel::store::audit::GENESIS.to_string());
    for mut row in all.into_iter().filter(|r| r.id >= from) {
        row.prev_hash = prev;
        row.hash = row.computed_hash();
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            params![row.prev_hash, row.hash, row.id],
        )
        .expect("rechain");
        prev = row.hash;
    }
    let head: String = conn
        .query_row(
            "SELECT id || ':' || hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("head: {e}; rows: {}", rows(conn).len()));
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
        [head],
    )
    .expect("head");
}

fn tamper(db: &Path) -> Connection {
    let conn = Connection::open(db).expect("open");
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         DROP TRIGGER audit_log_no_delete;",
    )
    .expect("drop triggers");
    conn
}

fn last_id(db: &Path) -> i64 {
    Connection::open(db)
        .expect("open")
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .expect("max")
}

#[test]
fn a_new_database_has_a_private_key_and_witness_and_check_says_anchored() {
    let env = Env::new();
    let db = env.production("k.db");
    let key = sidecar(&db, ".ketensleutel");
    let witness = sidecar(&db, ".ketenkop");
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&witness), 0o600);
    let text = fs::read_to_string(&key).expect("key");
    assert_eq!(text.trim().len(), 64, "32 bytes in hex");
    env.check(&db)
        .assert()
        .success()
        .stdout(contains("In orde"))
        .stdout(contains("Verankerd"));
    // Every row carries a keyed code.
    let unkeyed: i64 = Connection::open(&db)
        .expect("open")
        .query_row(
            "SELECT count(*) FROM audit_log WHERE mac IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(unkeyed, 0);
}

#[test]
fn check_names_a_truncated_log_whose_hashes_and_head_were_made_to_fit() {
    let env = Env::new();
    let db = env.production("k.db");
    let last = last_id(&db);
    {
        let conn = tamper(&db);
        conn.execute("DELETE FROM audit_log WHERE id > ?1", [last - 2])
            .expect("truncate");
        rechain(&conn, 1);
    }
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("ingekort"))
        .stderr(contains(format!("auditregel {last}")))
        .stdout(contains("In orde").not());
}

#[test]
fn check_names_a_forged_tail_with_correct_plain_hashes() {
    let env = Env::new();
    let db = env.production("k.db");
    let last = last_id(&db);
    {
        let conn = tamper(&db);
        for id in [last + 1, last + 2] {
            conn.execute(
                &format!(
                    "INSERT INTO audit_log ({COLUMNS}, mac)
                     SELECT ?1, at, user_id, username, role, 'read', 'household', 1, 1, NULL,
                            workstation, NULL, 'vervalst', hash, hash, 'ff'
                     FROM audit_log WHERE id = ?2"
                ),
                params![id, id - 1],
            )
            .expect("forge");
        }
        rechain(&conn, last + 1);
    }
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("vervalste staart"))
        .stderr(contains(format!("auditregel {}", last + 1)));
}

#[test]
fn check_names_a_row_rewritten_with_every_hash_recomputed() {
    let env = Env::new();
    let db = env.production("k.db");
    {
        let conn = tamper(&db);
        conn.execute(
            "UPDATE audit_log SET username = 'indringer', detail = 'herschreven' WHERE id = 2",
            [],
        )
        .expect("rewrite");
        rechain(&conn, 2);
    }
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("auditregel 2 is herschreven"));
}

#[test]
fn check_names_a_database_file_replaced_by_another() {
    let env = Env::new();
    let db = env.production("k.db");
    let other = env.production("ander.db");
    fs::copy(&other, &db).expect("replace the file");
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("databasebestand is vervangen"));
}

#[test]
fn a_kind_flipped_in_meta_is_named_by_check_and_demo_makes_no_demo_accounts() {
    let env = Env::new();
    let db = env.production("k.db");
    Connection::open(&db)
        .expect("open")
        .execute("UPDATE meta SET value = 'demo' WHERE key = 'kind'", [])
        .expect("flip");
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("soort database is gewijzigd"))
        .stderr(contains("gemaakt als productie"));
    env.cmd()
        .args(["demo", "--households", "2", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(contains("soort database is gewijzigd"));
    let accounts: i64 = Connection::open(&db)
        .expect("open")
        .query_row("SELECT count(*) FROM user", [], |r| r.get(0))
        .expect("count");
    assert_eq!(accounts, 1, "only the beheerder: no demo accounts");
}

/// A database as made before the anchor existed: no key file, no witness, no keyed codes.
fn unanchored(env: &Env, name: &str) -> PathBuf {
    let db = env.production(name);
    fs::remove_file(sidecar(&db, ".ketensleutel")).expect("key");
    fs::remove_file(sidecar(&db, ".ketenkop")).expect("witness");
    let conn = tamper(&db);
    conn.execute("UPDATE audit_log SET mac = NULL", [])
        .expect("unkey");
    conn.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    )
    .expect("triggers");
    db
}

#[test]
fn a_database_without_a_key_file_still_opens_and_check_says_it_is_not_anchored() {
    let env = Env::new();
    let db = unanchored(&env, "oud.db");
    env.as_user(&db, "beheer", "beheerder-wachtwoord", &["user", "list"])
        .assert()
        .success()
        .stdout(contains("beheer"));
    env.check(&db)
        .assert()
        .success()
        .stdout(contains("In orde"))
        .stdout(contains("niet verankerd"));
    assert!(
        !sidecar(&db, ".ketensleutel").exists(),
        "no key is made behind the user's back"
    );
}

#[test]
fn demo_makes_no_demo_accounts_in_an_unanchored_production_database_flipped_to_demo() {
    let env = Env::new();
    let db = unanchored(&env, "oud.db");
    Connection::open(&db)
        .expect("open")
        .execute("UPDATE meta SET value = 'demo' WHERE key = 'kind'", [])
        .expect("flip");
    env.cmd()
        .args(["demo", "--households", "2", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(contains("geen demo-account"));
    env.as_user(&db, "anna", "demo", &["user", "list"])
        .assert()
        .failure();
}

#[test]
fn a_missing_key_file_is_named_by_check() {
    let env = Env::new();
    let db = env.production("k.db");
    fs::remove_file(sidecar(&db, ".ketensleutel")).expect("key");
    env.check(&db)
        .assert()
        .failure()
        .stderr(contains("sleutelbestand (.ketensleutel) ontbreekt"));
}

#[test]
fn a_demo_database_is_anchored_too() {
    let env = Env::new();
    let db = env.demo("demo.db", 3);
    assert!(sidecar(&db, ".ketensleutel").exists());
    assert!(!env.path("demo.db.part.ketensleutel").exists());
    env.check(&db)
        .assert()
        .success()
        .stdout(contains("Verankerd"));
}

#[test]
fn the_key_goes_with_the_backup_and_a_restore_puts_it_back() {
    let env = Env::new();
    let db = env.demo("demo.db", 3);
    let backup = env.path("b.db");
    env.as_user(
        &db,
        "beheer",
        "demo",
        &["backup", backup.to_str().expect("utf-8")],
    )
    .assert()
    .success()
    .stdout(contains("Sleutel:"));
    assert_eq!(
        fs::read(sidecar(&backup, ".ketensleutel")).expect("key copy"),
        fs::read(sidecar(&db, ".ketensleutel")).expect("key")
    );
    assert_eq!(mode(&sidecar(&backup, ".ketensleutel")), 0o600);
    // Work after the backup, then the older backup restored over it: not a truncation.
    env.as_user(&db, "beheer", "demo", &["user", "list"])
        .assert()
        .success();
    env.as_user(
        &db,
        "beheer",
        "demo",
        &["restore", backup.to_str().expect("utf-8"), "--force"],
    )
    .assert()
    .success();
    env.check(&db)
        .assert()
        .success()
        .stdout(contains("Verankerd"));
    // Into an empty place: the key is put beside the restored database.
    let elsewhere = env.path("elders/nieuw.db");
    env.cmd()
        .arg("--db")
        .arg(&elsewhere)
        .args(["restore", backup.to_str().expect("utf-8")])
        .assert()
        .success();
    assert_eq!(mode(&sidecar(&elsewhere, ".ketensleutel")), 0o600);
    env.check(&elsewhere)
        .assert()
        .success()
        .stdout(contains("Verankerd"));
}

#[test]
fn a_restore_without_the_key_is_refused_clearly() {
    let env = Env::new();
    let db = env.demo("demo.db", 3);
    let backup = env.path("b.db");
    env.as_user(
        &db,
        "beheer",
        "demo",
        &["backup", backup.to_str().expect("utf-8")],
    )
    .assert()
    .success();
    fs::remove_file(sidecar(&backup, ".ketensleutel")).expect("lose the key copy");
    let elsewhere = env.path("nieuw.db");
    env.cmd()
        .arg("--db")
        .arg(&elsewhere)
        .args(["restore", backup.to_str().expect("utf-8")])
        .assert()
        .failure()
        .stderr(contains("sleutelbestand ontbreekt"))
        .stderr(contains("b.db.ketensleutel"));
    assert!(!elsewhere.exists());
}
