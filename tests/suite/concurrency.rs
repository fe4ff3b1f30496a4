//! Several terminals on one database: processes that save at the same moment all get their
//! saves in, none is told "database is locked"; a save that cannot get in within the busy limit
//! fails with a clear Dutch message and writes nothing.

use crate::processes;

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
    let Some(server) = server_database() else {
        return;
    };
    saving_at_once(&server.arg(), 8, 200);
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
            child("concurrency::concurrency_child", &env)
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

/// Provisions in the large bulk action.
const BULK_ROWS: i64 = 10_000;
/// The child of the bulk test: which database it works on.
const ENV_BULK_DB: &str = "KEUKENTAFEL_TEST_BULK_DB";

/// Adds a backoffice user and `BULK_ROWS` households of one member with one requested
/// provision each, plus as many erased households, straight into the tables (one transaction;
/// going through the app would take an fsync per row).
fn bulk_database(db: &std::path::Path) {
    let mut store = Store::open(db).expect("open");
    let beheer = store
        .authenticate("beheer", PASSWORD, "ws")
        .expect("beheer");
    store
        .create_user(
            &beheer,
            &keukentafel::model::users::NewUser {
                username: "carla",
                display_name: "",
                role: keukentafel::domain::user::Role::Backoffice,
                team: None,
                phone: None,
                password: PASSWORD,
            },
        )
        .expect("carla");
    drop(store);
    let mut conn = Connection::open(db).expect("open");
    let tx = conn.transaction().expect("transaction");
    let numbers = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})",
        2 * BULK_ROWS
    );
    tx.execute_batch(&format!(
        "{numbers} INSERT INTO household (id, label, street, house_number, postcode, city, team_id,
                                regisseur_id, opened_on, closed_on, close_reason, erased_on)
         SELECT 1000 + i, 'Fam. Bulk ' || i, 'Dorpsstraat', i, '1234AB', 'Ergens',
                (SELECT id FROM team LIMIT 1), (SELECT id FROM user WHERE username = 'anna'),
                '2026-01-01',
                CASE WHEN i > {rows} THEN '2026-02-01' END,
                CASE WHEN i > {rows} THEN 'gewist' END,
                CASE WHEN i > {rows} THEN '2026-03-01' END
         FROM n;
         {numbers} INSERT INTO person (id, household_id, name, role, bsn)
         SELECT 1000 + i, 1000 + i, 'Persoon ' || i, 'ouder', printf('%09d', 100000000 + i)
         FROM n;
         {numbers} INSERT INTO provision (household_id, person_id, law, category, product_code, start_on,
                                volume, unit, frequency, financing, eigen_bijdrage, status,
                                requested_by, requested_at)
         SELECT 1000 + i, 1000 + i, 'wmo', '02', '02A05', '2026-12-01', 3, 'uur', 'per_week', 'zin',
                0, 'aangevraagd', (SELECT id FROM user WHERE username = 'anna'),
                '2026-11-20T09:00:00Z'
         FROM n WHERE i <= {rows};",
        rows = BULK_ROWS,
    ))
    .expect("insert the households");
    tx.commit().expect("commit");
}

#[test]
#[ignore = "a child process of the bulk test; started by it"]
fn bulk_child() {
    use keukentafel::model::worklists::{BulkAction, Worklist};
    use std::io::Write;
    let Some(db) = std::env::var_os(ENV_BULK_DB).map(std::path::PathBuf::from) else {
        return;
    };
    let mut store = Store::open(&db).expect("open the database");
    let carla = store
        .authenticate("carla", PASSWORD, "child")
        .expect("log in");
    let ids: Vec<i64> = store
        .worklist(&carla, Worklist::AwaitingBeschikking, today())
        .expect("the worklist")
        .iter()
        .map(|i| i.provision.id)
        .collect();
    let grant = BulkAction::Grant {
        on: today(),
        number: "B-2026-BULK".into(),
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "bulk begins {} {}",
        ids.len(),
        Utc::now().timestamp_millis()
    )
    .expect("print");
    out.flush().expect("flush");
    match store.bulk(&carla, &ids, &grant) {
        Ok(n) => writeln!(out, "bulk done {n} {}", Utc::now().timestamp_millis()),
        Err(e) => writeln!(out, "bulk failed {e}"),
    }
    .expect("print");
    out.flush().expect("flush");
}

#[test]
fn a_colleague_saves_while_a_bulk_action_of_ten_thousand_rows_runs() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    let (household, _) = small_database(db.to_str().unwrap());
    bulk_database(&db);
    let mut store = Store::open(&db).expect("open");
    let anna = store.authenticate("anna", PASSWORD, "ws").expect("anna");
    let fields = ContactFields::new(today(), "telefoon", 5, None).expect("contact");

    let mut bulk = child(
        "concurrency::bulk_child",
        &[(ENV_BULK_DB, db.display().to_string())],
    )
    .spawn()
    .expect("start the bulk process");
    let mut lines = std::io::BufReader::new(bulk.stdout.take().expect("stdout")).lines();
    let Some(begins) = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("bulk begins"))
    else {
        let output = bulk.wait_with_output().expect("wait for the bulk process");
        panic!(
            "the bulk process did not start its bulk action:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    assert!(
        begins.contains(&format!("bulk begins {BULK_ROWS} ")),
        "every live provision selected, none of the erased: {begins}"
    );
    // While the bulk runs, anna saves contacts, each with the normal busy limit, until the bulk
    // process says it is done.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let done: Vec<String> = lines.map_while(Result::ok).collect();
        let _ = done_tx.send(());
        done
    });
    let mut first_save_at = None;
    let mut saves = 0;
    loop {
        let finished = done_rx.try_recv().is_ok();
        let at = Utc::now().timestamp_millis();
        first_save_at.get_or_insert(at);
        let saved = store.record_contact(&anna, household, &fields);
        assert!(
            saved.is_ok(),
            "anna's save {saves} failed during the bulk: {saved:?}"
        );
        saves += 1;
        if finished {
            break;
        }
        // A colleague saves often, but not back to back: SQLite's lock has no queue, so a
        // loop without pauses could keep the bulk's transaction from starting at all.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let rest = reader.join().expect("reader");
    let status = bulk.wait().expect("wait for the bulk process");
    let mut stderr = String::new();
    if let Some(mut e) = bulk.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut stderr).expect("stderr");
    }
    assert!(
        status.success(),
        "the bulk process failed: {rest:?}\n{stderr}"
    );
    let done = rest
        .iter()
        .find(|l| l.contains("bulk done"))
        .unwrap_or_else(|| panic!("the bulk did not finish: {rest:?}"));
    let fields_of_done: Vec<&str> = done.split_whitespace().collect();
    assert_eq!(fields_of_done[2], BULK_ROWS.to_string(), "{done}");
    let done_at: i64 = fields_of_done[3].parse().expect("time");
    assert!(
        first_save_at.is_some_and(|at| at < done_at),
        "anna's first save started only after the bulk was done"
    );

    let conn = Connection::open(&db).expect("open");
    let granted: i64 = conn
        .query_row(
            "SELECT count(*) FROM provision WHERE status = 'toegekend'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(granted, BULK_ROWS, "the bulk is all in");
    let contacts: i64 = conn
        .query_row(
            "SELECT count(*) FROM contact WHERE household_id = ?1",
            [household],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(contacts, saves, "every save of anna's is in");
    let report = Store::open(&db).expect("open").check().expect("check");
    assert!(report.is_sound(), "{report:?}");
}

/// Issue 16's restore attack: a restore while a terminal app has the database open and four
/// command-line writers keep saving. Every attempt is refused, and every save a writer was told
/// about is in the file afterwards; once everyone has closed the database the restore works.
#[test]
fn a_restore_while_an_app_and_four_writers_save_is_refused_and_loses_no_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    let db_text = db.to_str().unwrap().to_string();
    let (household, person) = small_database(&db_text);
    let backup = dir.path().join("b.db");
    {
        let mut store = Store::open(&db).expect("open");
        let beheer = store
            .authenticate("beheer", PASSWORD, "ws")
            .expect("beheer");
        store.backup_to(&beheer, &backup).expect("backup");
    }
    // The terminal app: logged in, the database open.
    let app = Store::open(&db).expect("the app's store");
    let _anna = app.authenticate("anna", PASSWORD, "app").expect("anna");
    let start_at = Utc::now().timestamp_millis() + 1_500;
    let env = [
        (ENV_DB, db_text.clone()),
        (ENV_HOUSEHOLD, household.to_string()),
        (ENV_PERSON, person.to_string()),
        (ENV_SAVES, "80".to_string()),
        (ENV_START_AT, start_at.to_string()),
    ];
    let mut children: Vec<_> = (0..4)
        .map(|_| {
            child("concurrency::concurrency_child", &env)
                .spawn()
                .expect("start a writer")
        })
        .collect();
    let restore = || {
        let mut cmd = assert_cmd::Command::cargo_bin("keukentafel").expect("keukentafel binary");
        cmd.args(["--db", &db_text, "--user", "beheer", "--password-stdin"])
            .args(["restore", backup.to_str().unwrap(), "--force"])
            .write_stdin(format!("{PASSWORD}\n"));
        cmd.output().expect("run restore")
    };
    let mut attempts = 0;
    while children
        .iter_mut()
        .any(|c| c.try_wait().expect("a writer's state").is_none())
    {
        let out = restore();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "a restore got through while the database was open"
        );
        assert!(
            stderr.contains("is nog geopend door iemand anders"),
            "{stderr}"
        );
        attempts += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut saved = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().expect("wait for a writer");
        assert!(
            output.status.success(),
            "writer {i} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        saved.extend(saved_ids(&output.stdout));
    }
    assert!(
        attempts >= 3,
        "only {attempts} restores tried while the writers saved"
    );
    assert_eq!(saved.len(), 4 * 80, "every writer printed its saves");
    assert!(
        missing(&db_text, &saved).is_empty(),
        "a save told to a writer is missing"
    );
    drop(app);
    let out = restore();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{attempts} restores refused while 4 writers saved 320 times: none lost");
}

/// A bulk action of more rows than one batch: checked whole before anything changes, then a
/// batch per transaction (saying how far it is), undone as one; and when a colleague changes a
/// row of a later batch between two batches, the batches already done are taken back.
#[test]
fn a_bulk_larger_than_a_batch_shows_progress_and_stays_all_or_nothing() {
    use keukentafel::model::worklists::BulkAction;
    use keukentafel::store::sqlite::worklists::BULK_BATCH;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    small_database(db.to_str().unwrap());
    bulk_database(&db);
    let conn = Connection::open(&db).expect("open");
    let count = |status: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM provision WHERE status = ?1 AND household_id >= 1000",
            [status],
            |r| r.get(0),
        )
        .expect("count")
    };
    let rows = 2 * BULK_BATCH + 500;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM provision WHERE household_id >= 1000 ORDER BY id LIMIT ?1")
        .and_then(|mut s| {
            s.query_map([rows as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()
        })
        .expect("ids");
    assert_eq!(ids.len(), rows);
    let mut store = Store::open(&db).expect("open");
    let carla = store.authenticate("carla", PASSWORD, "ws").expect("carla");
    let grant = BulkAction::Grant {
        on: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        number: "B-9".into(),
    };

    // Batch by batch, then undone as one.
    let mut seen = Vec::new();
    let (n, undo) = store
        .bulk_with_progress(&carla, &ids, &grant, &mut |done, total| {
            seen.push((done, total))
        })
        .expect("bulk");
    assert_eq!(n, rows);
    assert_eq!(
        seen,
        vec![(BULK_BATCH, rows), (2 * BULK_BATCH, rows), (rows, rows)],
        "a progress report after each batch"
    );
    assert_eq!(count("toegekend") as usize, rows);
    store.undo_bulk(&carla, &undo).expect("undo");
    assert_eq!(count("toegekend"), 0, "one undo takes the whole back");

    // A member without a BSN in the last batch: named, and nothing changed at all.
    let last = ids[rows - 10];
    conn.execute(
        "UPDATE person SET bsn = NULL WHERE id = (SELECT person_id FROM provision WHERE id = ?1)",
        [last],
    )
    .expect("no bsn");
    let mut seen = Vec::new();
    let refused = store.bulk_with_progress(&carla, &ids, &grant, &mut |done, total| {
        seen.push((done, total))
    });
    let message = refused.expect_err("refused").to_string();
    assert!(message.contains("BSN"), "{message}");
    assert!(seen.is_empty(), "no batch was done: {seen:?}");
    assert_eq!(count("toegekend"), 0);
    conn.execute(
        "UPDATE person SET bsn = '123456782' WHERE id = (SELECT person_id FROM provision WHERE id = ?1)",
        [last],
    )
    .expect("bsn again");

    // A colleague refuses one of the second batch while the first is done: the first is taken
    // back, and the error names the row.
    let colleague = Connection::open(&db).expect("the colleague's connection");
    let theirs = ids[BULK_BATCH + 100];
    let refused = store.bulk_with_progress(&carla, &ids, &grant, &mut |done, _| {
        if done == BULK_BATCH {
            colleague
                .execute(
                    "UPDATE provision SET status = 'afgewezen' WHERE id = ?1",
                    [theirs],
                )
                .expect("the colleague's refusal");
        }
    });
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(count("toegekend"), 0, "the first batch is taken back");
    assert_eq!(count("afgewezen"), 1, "the colleague's refusal stays");
    let report = Store::open(&db).expect("open").check().expect("check");
    assert!(report.is_sound(), "{report:?}");
}
