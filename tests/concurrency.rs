//! Several terminals on one database: processes that save at the same moment all get their
//! saves in, none is told "database is locked"; a save that cannot get in within the busy limit
//! fails with a clear Dutch message and writes nothing.

mod processes;

use std::time::Duration;

use chrono::Utc;
use keukentafel::domain::contact::ContactFields;
use keukentafel::store::{Store, StoreError};
use processes::*;
use rusqlite::Connection;

/// Processes saving at once.
const PROCESSES: usize = 5;
/// Saves per process.
const SAVES: usize = 60;

#[test]
#[ignore = "a child process of the concurrency test; started by it"]
fn concurrency_child() {
    child_saves();
}

#[test]
fn five_processes_saving_at_once_all_get_their_saves_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    saving_at_once(db.to_str().unwrap(), PROCESSES, SAVES);
}

/// On a server: 8 workstations × 200 saves at the same moment.
#[test]
fn eight_workstations_saving_200_times_at_once_on_a_server_lose_nothing() {
    let Some(db) = server_database() else { return };
    saving_at_once(&db, 8, 200);
}

/// `processes` children save `saves` times each, all starting at one moment: none is told
/// the database is busy, every printed save is there, each in its own row, and the audit
/// chain is sound.
fn saving_at_once(db: &str, processes: usize, saves: usize) {
    let (household, person) = small_database(db);
    // Every child opens the database and logs in first, then all start saving at this moment.
    let start_at = Utc::now().timestamp_millis() + 2_000;
    let env = [
        (ENV_DB, db.to_string()),
        (ENV_HOUSEHOLD, household.to_string()),
        (ENV_PERSON, person.to_string()),
        (ENV_SAVES, saves.to_string()),
        (ENV_START_AT, start_at.to_string()),
    ];
    let children: Vec<_> = (0..processes)
        .map(|_| {
            child("concurrency_child", &env)
                .spawn()
                .expect("start a child")
        })
        .collect();
    let mut saved = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().expect("wait for a child");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains("locked") && !text.contains("bezet"),
                "process {i} was told the database is busy:\n{text}"
            );
        }
        assert!(
            output.status.success(),
            "process {i} failed:\n{stdout}\n{stderr}"
        );
        let ids = saved_ids(&output.stdout);
        assert_eq!(ids.len(), saves, "process {i} printed {} saves", ids.len());
        saved.extend(ids);
    }
    assert!(missing(db, &saved).is_empty(), "a save is missing");
    let mut distinct = saved.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        processes * saves,
        "every save got its own row"
    );
    let location = keukentafel::store::location::Location::parse(db).expect("location");
    let report = keukentafel::store::open(
        &location,
        std::sync::Arc::new(keukentafel::clock::SystemClock),
    )
    .expect("open")
    .check()
    .expect("check");
    assert!(report.is_sound(), "{report:?}");
    eprintln!(
        "{processes} processes × {saves} saves: all {} present, chain sound",
        saved.len()
    );
}

#[test]
fn a_save_waits_for_a_colleague_who_holds_the_database_briefly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    let (household, _) = small_database(db.to_str().unwrap());
    let mut store = Store::open(&db).expect("open");
    let anna = store.authenticate("anna", PASSWORD, "ws").expect("anna");
    let fields = ContactFields::new(today(), "telefoon", 5, None).expect("contact");

    let holder = Connection::open(&db).expect("second connection");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        holder.execute_batch("COMMIT").expect("release");
    });
    let contact = store
        .record_contact(&anna, household, &fields)
        .expect("the save waits and then succeeds");
    release.join().expect("holder thread");
    let count: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM contact WHERE id = ?1",
            [contact.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn a_database_that_stays_busy_gives_a_dutch_message_and_saves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    let (household, _) = small_database(db.to_str().unwrap());
    let mut store = Store::open(&db).expect("open");
    store
        .set_busy_limit(Duration::from_millis(300))
        .expect("busy limit");
    let anna = store.authenticate("anna", PASSWORD, "ws").expect("anna");
    let fields = ContactFields::new(today(), "telefoon", 5, None).expect("contact");
    let contacts = || -> i64 {
        Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
            .unwrap()
    };
    let before = contacts();

    let holder = Connection::open(&db).expect("second connection");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let err = store
        .record_contact(&anna, household, &fields)
        .expect_err("the database stays busy");
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("bezet") && message.contains("niets opgeslagen"),
        "{message}"
    );
    assert!(!message.contains("locked"), "{message}");
    holder.execute_batch("ROLLBACK").expect("release");
    assert_eq!(contacts(), before, "nothing was saved");

    // Once the colleague is done, the same save goes through.
    store
        .record_contact(&anna, household, &fields)
        .expect("save after the lock is gone");
    assert_eq!(contacts(), before + 1);
}
