//! `keukentafel backup` and `keukentafel restore`: a checked copy made while others keep saving,
//! private to its owner; a restore that verifies first and leaves the existing database
//! untouched whenever it refuses.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use assert_cmd::Command;
use chrono::NaiveDate;
use keukentafel::domain::contact::ContactFields;
use keukentafel::store::Store;
use predicates::str::contains;
use rusqlite::Connection;
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

    /// A demo database (users anna, beheer, …, password `demo`) with `households` households.
    fn demo(&self, name: &str, households: u32) -> PathBuf {
        let db = self.path(name);
        self.cmd()
            .args(["demo", "--households", &households.to_string(), "--db"])
            .arg(&db)
            .assert()
            .success();
        db
    }

    /// `keukentafel --db DB --user USER --password-stdin ARGS` with password `demo`.
    fn as_user(&self, db: &Path, user: &str, args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--db")
            .arg(db)
            .args(["--user", user, "--password-stdin"])
            .args(args)
            .write_stdin("demo\n");
        cmd
    }

    fn check(&self, db: &Path) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--db").arg(db).arg("check");
        cmd
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn contacts(db: &Path) -> i64 {
    Connection::open(db)
        .expect("open")
        .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
        .expect("count contacts")
}

/// A file's content hash and mtime.
fn state(path: &Path) -> (String, std::time::SystemTime) {
    use sha2::{Digest, Sha256};
    (
        hex::encode(Sha256::digest(fs::read(path).expect("read"))),
        fs::metadata(path)
            .and_then(|m| m.modified())
            .expect("mtime"),
    )
}

#[test]
fn backup_while_a_colleague_keeps_saving_passes_check_and_is_private() {
    let env = Env::new();
    let db = env.demo("k.db", 200);
    let before = contacts(&db);

    // A colleague saves contacts the whole time.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut store = Store::open(&db).expect("open");
            let anna = store.authenticate("anna", "demo", "ws").expect("anna");
            let id = store
                .find_households(&anna, "fam", 1)
                .expect("find")
                .first()
                .expect("a household")
                .id;
            let fields = ContactFields::new(
                NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                "telefoon",
                5,
                None,
            )
            .expect("contact");
            let mut saved = 0u32;
            // A busy colleague, not a tight loop: SQLite's locks are not fair, and a process
            // that takes the write lock again the moment it lets go can starve another one.
            while !stop.load(Ordering::SeqCst) || saved < 5 {
                store
                    .record_contact(&anna, id, &fields)
                    .expect("save during the backup");
                saved += 1;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            saved
        })
    };

    let out = env.path("backups").join("k-backup.db");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    env.as_user(&db, "beheer", &["backup", text(&out)])
        .assert()
        .success()
        .stdout(contains("Back-up gemaakt"));
    stop.store(true, Ordering::SeqCst);
    let saved = writer.join().expect("writer thread");
    assert!(saved >= 5);

    env.check(&out)
        .assert()
        .success()
        .stdout(contains("In orde"));
    assert_eq!(mode(&out), 0o600, "the backup is private to its owner");
    assert_eq!(
        listing(out.parent().unwrap()),
        vec![
            "k-backup.db".to_string(),
            "k-backup.db.ketenkop".to_string(),
            "k-backup.db.ketensleutel".to_string()
        ],
        "no temporary or journal files next to the backup, only its key and witness"
    );
    let in_backup = contacts(&out);
    assert!(
        (before..=before + i64::from(saved)).contains(&in_backup),
        "the backup holds a consistent moment: {before} <= {in_backup} <= {}",
        before + i64::from(saved)
    );
    // The backup is recorded in the audit log as the beheerder's act.
    let audited: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE username = 'beheer' AND object = 'database' AND detail = 'backup k-backup.db'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn only_a_beheerder_makes_a_backup() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let out = env.path("b.db");
    env.as_user(&db, "anna", &["backup", text(&out)])
        .assert()
        .failure()
        .stderr(contains("Dat mag je niet"));
    assert!(!out.exists());
}

#[test]
fn a_backup_target_that_cannot_be_written_is_explained_and_leaves_nothing() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let missing = env.path("bestaat-niet").join("b.db");
    env.as_user(&db, "beheer", &["backup", text(&missing)])
        .assert()
        .failure()
        .stderr(contains("De back-up naar"))
        .stderr(contains("is niet gemaakt"))
        .stderr(contains("De database zelf is niet veranderd"));
    assert!(!missing.parent().unwrap().exists());

    // An existing file is never overwritten.
    let existing = env.path("al-daar.db");
    fs::write(&existing, "eerdere back-up").unwrap();
    env.as_user(&db, "beheer", &["backup", text(&existing)])
        .assert()
        .failure()
        .stderr(contains("bestaat al"));
    assert_eq!(fs::read_to_string(&existing).unwrap(), "eerdere back-up");
}

#[test]
fn restore_refuses_a_file_that_is_not_a_keukentafel_database() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let before = state(&db);
    let junk = env.path("boodschappen.txt");
    fs::write(&junk, "melk, brood, kaas\n".repeat(200)).unwrap();
    let plain_sqlite = env.path("ander.db");
    Connection::open(&plain_sqlite)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for file in [&junk, &plain_sqlite] {
        let before_dir = listing(env.dir.path());
        env.as_user(&db, "beheer", &["restore", text(file), "--force"])
            .assert()
            .failure()
            .stderr(contains("geen keukentafel-database"))
            .stderr(contains("De bestaande database is niet aangeraakt"));
        assert_eq!(state(&db), before, "the database is untouched");
        assert_eq!(
            listing(env.dir.path()),
            before_dir,
            "no temporary files left"
        );
    }
}

#[test]
fn restore_refuses_a_backup_that_fails_check_or_is_newer() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let backup = env.path("b.db");
    env.as_user(&db, "beheer", &["backup", text(&backup)])
        .assert()
        .success();
    let before = state(&db);

    let tampered = env.path("tampered.db");
    fs::copy(&backup, &tampered).unwrap();
    Connection::open(&tampered)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'niemand' WHERE id = 2;",
        )
        .unwrap();
    let before_dir = listing(env.dir.path());
    env.as_user(&db, "beheer", &["restore", text(&tampered), "--force"])
        .assert()
        .failure()
        .stderr(contains("auditketen is verbroken"));
    assert_eq!(state(&db), before);
    assert_eq!(
        listing(env.dir.path()),
        before_dir,
        "no temporary files left"
    );

    let newer = env.path("newer.db");
    fs::copy(&backup, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    env.as_user(&db, "beheer", &["restore", text(&newer), "--force"])
        .assert()
        .failure()
        .stderr(contains("nieuwere versie"));
    assert_eq!(state(&db), before);
}

#[test]
fn restore_over_a_database_needs_force_and_a_beheerder_then_brings_the_backup_back() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let backup = env.path("b.db");
    env.as_user(&db, "beheer", &["backup", text(&backup)])
        .assert()
        .success();
    let in_backup = contacts(&backup);
    // Work after the backup, which the restore takes back.
    {
        let mut store = Store::open(&db).unwrap();
        let anna = store.authenticate("anna", "demo", "ws").unwrap();
        let id = store.find_households(&anna, "fam", 1).unwrap()[0].id;
        let fields = ContactFields::new(
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            "telefoon",
            5,
            None,
        )
        .unwrap();
        store.record_contact(&anna, id, &fields).unwrap();
    }
    assert_eq!(contacts(&db), in_backup + 1);
    let before = state(&db);

    env.as_user(&db, "beheer", &["restore", text(&backup)])
        .assert()
        .failure()
        .stderr(contains("Er staat al een database"))
        .stderr(contains("--force"));
    assert_eq!(state(&db), before);

    env.as_user(&db, "anna", &["restore", text(&backup), "--force"])
        .assert()
        .failure()
        .stderr(contains("Dat mag je niet"));
    assert_eq!(state(&db), before);

    env.as_user(&db, "beheer", &["restore", text(&backup), "--force"])
        .assert()
        .success()
        .stdout(contains("Teruggezet"));
    assert_eq!(contacts(&db), in_backup, "the database is the backup again");
    env.check(&db).assert().success();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(
        listing(env.dir.path())
            .into_iter()
            .filter(|n| n.starts_with("k.db") || n.starts_with(".k.db"))
            .collect::<Vec<_>>(),
        vec![
            "k.db".to_string(),
            "k.db.ketenkop".to_string(),
            "k.db.ketensleutel".to_string()
        ],
        "no WAL, shared-memory or temporary files left, only the key and the witness"
    );
    let restored_by: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT on_behalf_of FROM audit_log WHERE object = 'database' AND detail = 'restore b.db'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restored_by, "beheer");
}

#[test]
fn restore_into_an_empty_place_needs_no_login() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let backup = env.path("b.db");
    env.as_user(&db, "beheer", &["backup", text(&backup)])
        .assert()
        .success();
    let fresh = env.path("nieuw").join("k.db");
    env.cmd()
        .arg("--db")
        .arg(&fresh)
        .args(["restore", text(&backup)])
        .assert()
        .success();
    env.check(&fresh).assert().success();
    assert_eq!(contacts(&fresh), contacts(&backup));
}

/// A contact saved by `anna` through `store`: whether the save said it was saved.
fn save_contact(store: &mut Store) -> bool {
    let Ok(anna) = store.authenticate("anna", "demo", "ws") else {
        return false;
    };
    let Ok(hits) = store.find_households(&anna, "fam", 1) else {
        return false;
    };
    let fields = ContactFields::new(
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        "telefoon",
        5,
        None,
    )
    .unwrap();
    store.record_contact(&anna, hits[0].id, &fields).is_ok()
}

#[test]
fn restore_waits_for_nobody_it_refuses_while_an_app_or_command_has_the_database_open() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let backup = env.path("b.db");
    env.as_user(&db, "beheer", &["backup", text(&backup)])
        .assert()
        .success();
    // A terminal app (or a command) that has the database open, and has saved once.
    let mut open_app = Store::open(&db).unwrap();
    assert!(save_contact(&mut open_app));
    let before = contacts(&db);
    env.as_user(&db, "beheer", &["restore", text(&backup), "--force"])
        .assert()
        .failure()
        .stderr(contains("is nog geopend door iemand anders"))
        .stderr(contains("er is niets teruggezet"));
    // The app keeps working on the same file: its saves are in the file.
    assert!(save_contact(&mut open_app));
    assert_eq!(contacts(&db), before + 1);
    drop(open_app);
    env.as_user(&db, "beheer", &["restore", text(&backup), "--force"])
        .assert()
        .success();
    assert_eq!(contacts(&db), contacts(&backup));
}

#[test]
fn an_app_whose_database_was_replaced_behind_its_back_refuses_to_save() {
    let env = Env::new();
    let db = env.demo("k.db", 20);
    let other = env.demo("ander.db", 20);
    let mut open_app = Store::open(&db).unwrap();
    assert!(save_contact(&mut open_app));
    // Someone moves another file over the database while the app runs.
    fs::rename(&other, &db).unwrap();
    let in_file = contacts(&db);
    let anna = open_app.authenticate("anna", "demo", "ws");
    let refused = match anna {
        Ok(anna) => {
            let fields = ContactFields::new(
                NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                "telefoon",
                5,
                None,
            )
            .unwrap();
            let id = open_app.find_households(&anna, "fam", 1).map(|h| h[0].id);
            id.and_then(|id| open_app.record_contact(&anna, id, &fields))
                .unwrap_err()
        }
        Err(e) => e,
    };
    assert!(
        refused
            .to_string()
            .contains("is vervangen nadat deze app hem opende"),
        "{refused}"
    );
    assert_eq!(
        contacts(&db),
        in_file,
        "no save reported that is not in the file"
    );
}
