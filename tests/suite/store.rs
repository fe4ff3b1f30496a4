//! Store tests: migrations, round trips per aggregate, the audit log and team scope.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::auth::Session;
use keukentafel::clock::FixedClock;
use keukentafel::domain::agreement::{Actor, AgreementFields, AgreementStatus};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::goal::GoalStatus;
use keukentafel::domain::household::{Address, HouseholdStatus, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::domain::zrm::{Score, Scores};
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::users::NewUser;
use keukentafel::store::location::Location;
use keukentafel::store::sqlite::audit;
use keukentafel::store::sqlite::migrations;
use keukentafel::store::{Backend, Store, StoreError};
use rusqlite::Connection;
use tempfile::TempDir;

use crate::common::{Db, databases, sqlite};

const PASSWORD: &str = "lang-genoeg-wachtwoord";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

struct World {
    db: Db,
    /// The database file on SQLite; on a server a path that does not exist.
    path: std::path::PathBuf,
    store: Box<dyn Backend>,
    anna: Session,
    bram: Session,
    overvecht: i64,
}

/// A database with a beheerder, two teams and a professional in each, on SQLite.
fn world() -> World {
    world_on(sqlite())
}

/// Runs `story` on the world on every backend, each in a fresh database.
fn each_world(story: impl Fn(World)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(world_on(db));
    }
}

/// The world in `db`.
fn world_on(db: Db) -> World {
    let path = match &db.location {
        Location::File(path) => path.clone(),
        Location::Server(_) => db.dir.path().join("on-a-server"),
    };
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store = keukentafel::store::create(&db.location, DatabaseKind::Production, clock)
        .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
    store
        .create_first_admin("beheer", PASSWORD, "ws-1")
        .unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws-1").unwrap();
    let overvecht = store.create_team(&beheer, "Overvecht").unwrap().id;
    store.create_team(&beheer, "Zuid").unwrap();
    for (name, team) in [("anna", "Overvecht"), ("bram", "Zuid")] {
        let new = NewUser {
            username: name,
            display_name: "",
            role: Role::Professional,
            team: Some(team),
            phone: None,
            password: PASSWORD,
        };
        store.create_user(&beheer, &new).unwrap();
    }
    let anna = store.authenticate("anna", PASSWORD, "ws-1").unwrap();
    let bram = store.authenticate("bram", PASSWORD, "ws-2").unwrap();
    World {
        db,
        path,
        store,
        anna,
        bram,
        overvecht,
    }
}

fn el_amrani(w: &mut World) -> i64 {
    let new = NewHousehold {
        label: "Fam. El Amrani".into(),
        address: Address::parse("Zamenhofdreef", "12a", "3562ab", "Utrecht").unwrap(),
        team_id: w.overvecht,
        regisseur_id: w.anna.user_id,
        opened_on: NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
    };
    let first = PersonFields::parse(
        "Fatima El Amrani",
        NaiveDate::from_ymd_opt(1985, 4, 1),
        "ouder",
        Some("111222333"),
        Some("06 1234 5678"),
    )
    .unwrap();
    w.store.create_household(&w.anna, &new, &first).unwrap().id
}

/// The number of audit rows in the file at `path` (SQLite).
fn audit_rows(path: &std::path::Path) -> i64 {
    let conn = Connection::open(path).unwrap();
    audit::count(&conn).unwrap()
}

/// The number of audit rows, as `check` counts them on any backend (a check writes none).
fn audit_count(w: &World) -> i64 {
    w.store.check().unwrap().chain.rows as i64
}

#[test]
fn fresh_database_reaches_the_latest_schema_and_reopening_changes_nothing() {
    let w = world();
    let path = w.path.clone();
    drop(w.store);
    let conn = Connection::open(&path).unwrap();
    assert_eq!(migrations::version(&conn).unwrap(), migrations::LATEST);
    let schema = |c: &Connection| -> Vec<String> {
        let mut s = c
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = schema(&conn);
    drop(conn);
    let store = Store::open(&path).unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    assert_eq!(schema(&conn), before);
    assert_eq!(migrations::version(&conn).unwrap(), migrations::LATEST);
}

#[test]
fn database_from_a_newer_version_is_refused_and_left_alone() {
    let w = world();
    let path = w.path.clone();
    drop(w.store);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("nieuwere versie"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_ours_is_refused() {
    let dir = TempDir::new().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "boodschappenlijst\n".repeat(100)).unwrap();
    assert!(matches!(Store::open(&text), Err(StoreError::NotOurs(_))));
    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(Store::open(&other), Err(StoreError::NotOurs(_))));
    assert!(matches!(
        Store::open(&dir.path().join("missing.db")),
        Err(StoreError::Missing(_))
    ));
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let w = world();
    let mode = std::fs::metadata(&w.path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn database_is_in_wal_mode() {
    let w = world();
    drop(w.store);
    let conn = Connection::open(&w.path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn household_and_members_round_trip_and_are_found() {
    each_world(|mut w| {
        let id = el_amrani(&mut w);
        let youssef = PersonFields::parse(
            "Youssef El Amrani",
            NaiveDate::from_ymd_opt(2014, 5, 2),
            "kind",
            None,
            None,
        )
        .unwrap();
        w.store.add_person(&w.anna, id, &youssef).unwrap();
        let d = w.store.load_dashboard(&w.anna, id).unwrap();
        assert_eq!(d.household.label, "Fam. El Amrani");
        assert_eq!(
            d.household.address.one_line(),
            "Zamenhofdreef 12A, 3562 AB Utrecht"
        );
        assert_eq!(d.household.status, HouseholdStatus::Open);
        assert_eq!(d.team_name, "Overvecht");
        assert_eq!(d.regisseur.username, "anna");
        let names: Vec<_> = d.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Fatima El Amrani", "Youssef El Amrani"]);
        assert_eq!(
            d.members[0].bsn.as_ref().map(|b| b.as_str()),
            Some("111222333")
        );
        assert_eq!(
            d.members[0].phone.as_ref().map(|p| p.as_str()),
            Some("0612345678")
        );

        for query in [
            "amr",
            "el amrani",
            "fatima 3562",
            "zamenhof",
            "3562ab",
            "youssef",
            "01-04-1985",
            "111222333",
        ] {
            let hits = w.store.find_households(&w.anna, query, 10).unwrap();
            assert_eq!(
                hits.iter().map(|h| h.id).collect::<Vec<_>>(),
                [id],
                "query {query}"
            );
        }
        assert!(
            w.store
                .find_households(&w.anna, "jansen", 10)
                .unwrap()
                .is_empty()
        );

        let mut edited = youssef.clone();
        edited.name = "Youssef Müller".into();
        let person = d.members[1].id;
        w.store.update_person(&w.anna, person, &edited).unwrap();
        assert_eq!(
            w.store
                .find_households(&w.anna, "muller", 10)
                .unwrap()
                .len(),
            1
        );
        let hits = w
            .store
            .find_households(&w.anna, "youssef muller", 10)
            .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].members, ["Fatima El Amrani", "Youssef Müller"]);

        w.store
            .close_household(&w.anna, id, today(), "doelen bereikt")
            .unwrap();
        let d = w.store.load_dashboard(&w.anna, id).unwrap();
        assert_eq!(
            d.household.status,
            HouseholdStatus::Closed {
                on: today(),
                reason: "doelen bereikt".into()
            }
        );
        w.store.reopen_household(&w.anna, id).unwrap();
        assert_eq!(
            w.store
                .load_dashboard(&w.anna, id)
                .unwrap()
                .household
                .status,
            HouseholdStatus::Open
        );
    });
}

#[test]
fn records_round_trip_through_the_dashboard() {
    each_world(|mut w| {
        let id = el_amrani(&mut w);
        let person = w.store.load_dashboard(&w.anna, id).unwrap().members[0].id;

        let fields = AgreementFields::new(
            "Fatima belt het budgetteam",
            Actor::Client,
            Some(today()),
            true,
            None,
        )
        .unwrap();
        let a = w.store.add_agreement(&w.anna, id, &fields).unwrap();
        let later = AgreementFields::new(
            "Sportclub zoeken",
            Actor::Netwerk,
            NaiveDate::from_ymd_opt(2026, 12, 7),
            false,
            None,
        )
        .unwrap();
        let b = w.store.add_agreement(&w.anna, id, &later).unwrap();
        w.store.complete_agreement(&w.anna, a.id, today()).unwrap();
        assert!(
            w.store.complete_agreement(&w.anna, a.id, today()).is_err(),
            "done twice"
        );

        let mut scores = Scores::new();
        scores.insert("financien".into(), Score::Level(2));
        scores.insert("justitie".into(), Score::NotScored);
        let z = w
            .store
            .record_zrm(&w.anna, person, today(), &scores)
            .unwrap();

        let f = w
            .store
            .set_flag(
                &w.anna,
                id,
                "schuldhulp",
                NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
            )
            .unwrap();
        assert!(
            w.store
                .set_flag(&w.anna, id, "schuldhulp", today())
                .is_err(),
            "already set"
        );
        w.store
            .end_flag(&w.anna, f.id, today(), "traject afgerond")
            .unwrap();
        w.store
            .set_flag(&w.anna, id, "schuldhulp", today())
            .unwrap();

        let c = w
            .store
            .record_contact(
                &w.anna,
                id,
                &ContactFields::new(today(), "huisbezoek", 60, Some("fijn gesprek")).unwrap(),
            )
            .unwrap();
        let g = w
            .store
            .add_goal(
                &w.anna,
                id,
                "We hebben overzicht over de rekeningen",
                Some("financien"),
            )
            .unwrap();
        w.store
            .set_goal_status(&w.anna, g.id, GoalStatus::Bereikt)
            .unwrap();
        let consent = w
            .store
            .add_consent(
                &w.anna,
                id,
                Some(person),
                "Informatie delen met school",
                today(),
            )
            .unwrap();
        assert!(
            w.store
                .withdraw_consent(
                    &w.anna,
                    consent.id,
                    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                )
                .is_err()
        );
        w.store
            .withdraw_consent(&w.anna, consent.id, today())
            .unwrap();

        let d = w.store.load_dashboard(&w.anna, id).unwrap();
        assert_eq!(d.agreements.len(), 2);
        assert_eq!(d.agreements[0].id, b.id, "open agreements first");
        assert_eq!(
            d.agreements[1].status,
            AgreementStatus::Done { on: today() }
        );
        assert!(d.agreements[1].formal);
        assert_eq!(d.assessments, vec![z]);
        assert_eq!(d.flags.len(), 2);
        assert!(d.flags[0].is_active(), "active flags first");
        assert_eq!(d.flags[1].ended, Some((today(), "traject afgerond".into())));
        assert_eq!(d.contacts, vec![c]);
        assert_eq!(d.goals[0].status, GoalStatus::Bereikt);
        assert_eq!(d.consents[0].withdrawn_on, Some(today()));
    });
}

#[test]
fn a_read_and_a_write_each_add_exactly_one_audit_row_with_the_nen7513_fields() {
    each_world(|mut w| {
        let id = el_amrani(&mut w);
        let before = audit_count(&w);
        w.store.load_dashboard(&w.anna, id).unwrap();
        assert_eq!(audit_count(&w), before + 1);
        w.store
            .record_contact(
                &w.anna,
                id,
                &ContactFields::new(today(), "telefoon", 15, None).unwrap(),
            )
            .unwrap();
        assert_eq!(audit_count(&w), before + 2);

        let row = crate::common::query_row(
            &w.db,
            "SELECT at, username, role, action, object, CAST(household_id AS TEXT), workstation
         FROM audit_log ORDER BY id DESC LIMIT 1",
        );
        let [at, user, role, action, object, household, ws]: [String; 7] = row
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        let household: i64 = household.parse().unwrap();
        assert_eq!(at, "2026-11-23T09:00:00.000Z");
        assert_eq!(
            (
                user.as_str(),
                role.as_str(),
                action.as_str(),
                object.as_str()
            ),
            ("anna", "professional", "create", "contact")
        );
        assert_eq!((household, ws.as_str()), (id, "ws-1"));
        assert!(w.store.check().unwrap().is_sound());
    });
}

#[test]
fn a_refused_read_or_write_changes_nothing_but_records_the_refusal() {
    each_world(|mut w| {
        let id = el_amrani(&mut w);
        let before = audit_count(&w);
        // Bram works in another team: for him the household does not exist.
        let err = w.store.load_dashboard(&w.bram, id).unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        let err = w
            .store
            .record_contact(
                &w.bram,
                id,
                &ContactFields::new(today(), "telefoon", 15, None).unwrap(),
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        assert!(
            w.store
                .find_households(&w.bram, "amrani", 10)
                .unwrap()
                .is_empty()
        );
        // One audit row per refused attempt on the household (the finder's miss is no attempt).
        assert_eq!(audit_count(&w), before + 2);
        assert!(
            w.store
                .load_dashboard(&w.anna, id)
                .unwrap()
                .contacts
                .is_empty()
        );
    });
}

#[test]
fn changing_one_byte_of_any_audit_row_is_detected_and_named() {
    let mut w = world();
    let id = el_amrani(&mut w);
    w.store.load_dashboard(&w.anna, id).unwrap();
    let rows = audit_rows(&w.path);
    let columns = [
        "at",
        "username",
        "role",
        "action",
        "object",
        "workstation",
        "detail",
        "prev_hash",
        "hash",
        "on_behalf_of",
        "user_id",
        "object_id",
        "household_id",
        "person_id",
    ];
    let integer = ["user_id", "object_id", "household_id", "person_id"];
    for target in 1..=rows {
        for column in columns {
            let copy =
                w.db.dir
                    .path()
                    .join(format!("tampered-{target}-{column}.db"));
            std::fs::copy(&w.path, &copy).unwrap();
            // The store was never closed: copy the WAL too so the copy holds every row.
            let wal = format!("{}-wal", w.path.display());
            if std::path::Path::new(&wal).exists() {
                std::fs::copy(&wal, format!("{}-wal", copy.display())).unwrap();
            }
            let conn = Connection::open(&copy).unwrap();
            conn.execute_batch("DROP TRIGGER audit_log_no_update")
                .unwrap();
            // Integer columns are re-pointed (another user, household, …); text columns get
            // one character changed.
            let sql = if integer.contains(&column) {
                format!("UPDATE audit_log SET {column} = coalesce({column}, 0) + 1 WHERE id = ?1")
            } else {
                format!(
                    "UPDATE audit_log SET {column} = CASE WHEN {column} IS NULL THEN 'x' \
                     ELSE substr({column}, 1, length({column}) - 1) || \
                     CASE WHEN substr({column}, -1) = 'a' THEN 'b' ELSE 'a' END END WHERE id = ?1"
                )
            };
            conn.execute(&sql, [target]).unwrap();
            drop(conn);
            let report = Store::open(&copy).unwrap().check().unwrap();
            let broken = report
                .chain
                .broken
                .unwrap_or_else(|| panic!("row {target} column {column} not detected"));
            assert_eq!(
                broken.id, target,
                "row {target} column {column}: {:?}",
                broken.kind
            );
        }
    }
}

#[test]
fn removing_or_inserting_an_audit_row_is_detected() {
    let mut w = world();
    let id = el_amrani(&mut w);
    w.store.load_dashboard(&w.anna, id).unwrap();
    let rows = audit_rows(&w.path);
    drop(w.store);

    let removed_last = w.db.dir.path().join("removed-last.db");
    std::fs::copy(&w.path, &removed_last).unwrap();
    let conn = Connection::open(&removed_last).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_delete")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE id = ?1", [rows])
        .unwrap();
    drop(conn);
    let broken = Store::open(&removed_last)
        .unwrap()
        .check()
        .unwrap()
        .chain
        .broken
        .unwrap();
    assert_eq!(broken.id, rows);

    let removed_middle = w.db.dir.path().join("removed-middle.db");
    std::fs::copy(&w.path, &removed_middle).unwrap();
    let conn = Connection::open(&removed_middle).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_delete")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE id = 2", [])
        .unwrap();
    drop(conn);
    let broken = Store::open(&removed_middle)
        .unwrap()
        .check()
        .unwrap()
        .chain
        .broken
        .unwrap();
    assert_eq!(broken.id, 2);

    // A forged row appended with a valid-looking id but a made-up hash.
    let inserted = w.db.dir.path().join("inserted.db");
    std::fs::copy(&w.path, &inserted).unwrap();
    let conn = Connection::open(&inserted).unwrap();
    conn.execute(
        "INSERT INTO audit_log (id, at, username, role, action, object, workstation, prev_hash, hash)
         SELECT id + 1, at, username, role, action, object, workstation, hash, hash FROM audit_log WHERE id = ?1",
        [rows],
    )
    .unwrap();
    drop(conn);
    let broken = Store::open(&inserted)
        .unwrap()
        .check()
        .unwrap()
        .chain
        .broken
        .unwrap();
    assert_eq!(broken.id, rows + 1);
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let w = world();
    drop(w.store);
    let conn = Connection::open(&w.path).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET detail = 'x' WHERE id = 1", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE id = 1", [])
            .is_err()
    );
}

#[test]
fn a_beheerder_sees_no_household_and_a_professional_manages_no_users() {
    each_world(|mut w| {
        let id = el_amrani(&mut w);
        let beheer = w.store.authenticate("beheer", PASSWORD, "ws").unwrap();
        assert!(matches!(
            w.store.load_dashboard(&beheer, id),
            Err(StoreError::Denied { .. })
        ));
        assert!(matches!(
            w.store.create_team(&w.anna, "Oost"),
            Err(StoreError::Denied { .. })
        ));
        assert!(matches!(
            w.store.list_users(&w.anna),
            Err(StoreError::Denied { .. })
        ));
    });
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer() {
    each_world(|w| {
        let wrong = w
            .store
            .authenticate("anna", "fout-wachtwoord", "ws")
            .unwrap_err()
            .to_string();
        let unknown = w
            .store
            .authenticate("nobody", PASSWORD, "ws")
            .unwrap_err()
            .to_string();
        assert_eq!(wrong, unknown);
        assert!(wrong.contains("onjuist wachtwoord"));
    });
}
