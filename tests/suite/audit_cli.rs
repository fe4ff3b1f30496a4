//! The audit trail and the AVG commands on the command line: `audit --household` (the
//! inzageverzoek), `audit --of-user`, `export household`, `erase household`, `retention --due`,
//! `check` against tampering, and the modes of the files keukentafel creates. On every backend
//! but what is about the SQLite file itself (`sqlite_file`).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{Cli, Db, each_backend, execute_sql, query_text, sqlite};

/// A demo database with 10 households on `db`: anna (Overvecht, household 1 is hers), bram
/// (other team), carla (backoffice), dirk (teamleider), beheer; password `demo`.
fn demo(db: &Db) -> Cli<'_> {
    let cli = Cli::on(db);
    cli.demo(10, 1);
    cli
}

/// `args` as `user` (password `demo`) must succeed; its stdout.
fn run(cli: &Cli, user: &str, args: &[&str]) -> String {
    cli.run(user, &["demo"], args)
}

/// `args` as `user` (password `demo`) must fail; its stderr.
fn refused(cli: &Cli, user: &str, args: &[&str]) -> String {
    cli.refused(user, &["demo"], args)
}

/// Household `id`'s label, read back through the store as anna (an audited read itself).
fn label(cli: &Cli, id: i64) -> String {
    let mut store = cli.store();
    let anna = store.authenticate("anna", "demo", "test").unwrap();
    store.load_dashboard(&anna, id).unwrap().household.label
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn audit_household_answers_who_looked_at_my_file() {
    each_backend(|db| {
        let env = demo(db);
        run(
            &env,
            "anna",
            &["export", "household", "1", "-o", "uit.json"],
        );
        refused(&env, "bram", &["export", "household", "1"]);
        refused(&env, "carla", &["export", "household", "1"]);
        let text = run(&env, "anna", &["audit", "--household", "1"]);
        assert!(
            text.starts_with("Inzageoverzicht van huishouden 1"),
            "{text}"
        );
        assert!(
            text.contains("WANNEER") && text.contains("WIE") && text.contains("WAT"),
            "{text}"
        );
        let export = text
            .lines()
            .find(|l| l.contains("geëxporteerd"))
            .expect(&text);
        assert!(export.contains("Anna de Boer (anna)"), "{export}");
        assert!(export.contains("buurtteammedewerker"), "{export}");
        let tried = text
            .lines()
            .filter(|l| l.contains("probeerde de gegevens te exporteren; dat is geweigerd"))
            .count();
        assert_eq!(tried, 2, "{text}");
        assert!(text.contains("administratie (backoffice)"), "{text}");
        // The log shows people and acts, not the household's content.
        assert!(!text.contains(&label(&env, 1)), "{text}");
        // The beheerder (privacy officer) may ask as well; the request is itself logged.
        let again = run(&env, "beheer", &["audit", "--household", "1"]);
        assert!(
            again.contains("heeft dit inzageoverzicht opgevraagd"),
            "{again}"
        );
    });
}

#[test]
fn audit_household_outside_scope_is_refused_and_audited() {
    each_backend(|db| {
        let env = demo(db);
        for (user, message) in [
            ("bram", "Huishouden 1 niet gevonden."),
            ("carla", "Dat mag je niet met jouw rol (backoffice)"),
            ("dirk", "Dat mag je niet met jouw rol (teamleider)"),
        ] {
            let before = env.audit_rows();
            let err = refused(&env, user, &["audit", "--household", "1"]);
            assert!(err.contains(message), "{user}: {err}");
            assert_eq!(env.audit_rows(), before + 1, "{user}");
        }
    });
}

#[test]
fn audit_of_a_user_is_for_the_beheerder_only() {
    each_backend(|db| {
        let env = demo(db);
        refused(&env, "bram", &["export", "household", "1"]);
        let text = run(&env, "beheer", &["audit", "--of-user", "bram"]);
        assert!(text.starts_with("Auditspoor van bram"), "{text}");
        assert!(
            text.contains("geweigerd") && text.contains("export"),
            "{text}"
        );
        let err = refused(&env, "anna", &["audit", "--of-user", "bram"]);
        assert!(
            err.contains("Dat mag je niet met jouw rol (professional)"),
            "{err}"
        );
        let err = refused(&env, "beheer", &["audit", "--of-user", "niemand"]);
        assert!(err.contains("Medewerker 'niemand' niet gevonden"), "{err}");
        env.cmd()
            .args(["audit", "--user", "beheer", "--password-stdin"])
            .write_stdin("demo\n")
            .assert()
            .failure()
            .stderr(contains("--household"));
    });
}

#[test]
fn export_writes_a_private_json_file_with_everything() {
    each_backend(|db| {
        let env = demo(db);
        // Read before counting: reading the label back is an audited read itself.
        let shown = label(&env, 1);
        let before = env.audit_rows();
        let out = run(
            &env,
            "anna",
            &["export", "household", "1", "--format", "json"],
        );
        assert!(out.contains("huishouden-1.json"), "{out}");
        let path = env.root().join("huishouden-1.json");
        assert_eq!(mode(&path), 0o600);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(json["format"], "keukentafel-huishouden/1");
        assert_eq!(json["household"]["label"], shown.as_str());
        for key in [
            "members",
            "assessments",
            "agreements",
            "flags",
            "goals",
            "contacts",
            "consents",
            "access_log",
        ] {
            assert!(json[key].is_array(), "{key}");
        }
        assert!(!json["members"].as_array().unwrap().is_empty());
        assert_eq!(env.audit_rows(), before + 1);
    });
}

#[test]
fn export_outside_scope_is_refused_audited_and_writes_no_file() {
    each_backend(|db| {
        let env = demo(db);
        for user in ["bram", "carla", "dirk", "beheer"] {
            let before = env.audit_rows();
            refused(&env, user, &["export", "household", "1", "-o", "weg.json"]);
            assert_eq!(env.audit_rows(), before + 1, "{user}");
        }
        let files: Vec<_> = std::fs::read_dir(env.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains("json") || n.contains("part"))
            .collect();
        assert!(files.is_empty(), "{files:?}");
    });
}

#[test]
fn export_into_a_missing_directory_fails_and_leaves_nothing() {
    each_backend(|db| {
        let env = demo(db);
        let err = refused(
            &env,
            "anna",
            &["export", "household", "1", "-o", "nergens/uit.json"],
        );
        assert!(err.contains("kon niet geschreven worden"), "{err}");
        assert!(!env.root().join("nergens").exists());
    });
}

#[test]
fn erase_of_an_open_household_is_refused_and_audited() {
    each_backend(|db| {
        let env = demo(db);
        let shown = label(&env, 1);
        let before = env.audit_rows();
        let err = refused(
            &env,
            "beheer",
            &[
                "erase",
                "household",
                "1",
                "--reason",
                "bewaartermijn verstreken",
            ],
        );
        assert!(err.contains("Huishouden 1 is nog open"), "{err}");
        assert_eq!(env.audit_rows(), before + 1);
        assert_eq!(label(&env, 1), shown);
        let err = refused(&env, "anna", &["erase", "household", "1", "--reason", "x"]);
        assert!(err.contains("Dat mag je niet"), "{err}");
    });
}

#[test]
fn erase_after_the_retention_period_from_the_command_line() {
    each_backend(|db| {
        let env = demo(db);
        // Household 1 closed 16 years ago, with no youth-care flag.
        execute_sql(
            db,
            "UPDATE household SET closed_on = '2010-01-01', close_reason = 'verhuisd' WHERE id = 1;
         DELETE FROM flag WHERE household_id = 1 AND kind IN ('jeugdhulp', 'kinderbescherming');",
        );
        let due = run(&env, "beheer", &["retention", "--due"]);
        assert!(
            due.contains("Bewaartermijn: 15 jaar na afsluiten, 20 jaar bij jeugdhulp."),
            "{due}"
        );
        assert!(
            due.lines()
                .any(|l| l.starts_with("1 ") && l.contains("01-01-2010")),
            "{due}"
        );
        assert!(
            !due.contains(&label(&env, 1)),
            "the list shows no content: {due}"
        );
        let err = refused(&env, "anna", &["retention", "--due"]);
        assert!(err.contains("Dat mag je niet"), "{err}");
        // Without --yes it says what it would erase and erases nothing.
        let err = refused(
            &env,
            "beheer",
            &[
                "erase",
                "household",
                "1",
                "--reason",
                "bewaartermijn verstreken",
            ],
        );
        assert!(err.contains("herhaal de opdracht met --yes"), "{err}");
        assert_ne!(label(&env, 1), "Gewist huishouden 1");
        let out = run(
            &env,
            "beheer",
            &[
                "erase",
                "household",
                "1",
                "--reason",
                "bewaartermijn verstreken",
                "--yes",
            ],
        );
        assert!(out.contains("Huishouden 1 is gewist"), "{out}");
        // Through the store an erased household is not found for anyone; in the database its
        // label is gone.
        let mut store = env.store();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        assert!(
            matches!(
                store.load_dashboard(&anna, 1),
                Err(keukentafel::store::StoreError::NotFound(_))
            ),
            "{}",
            db.backend
        );
        drop(store);
        assert_eq!(
            query_text(db, "SELECT label FROM household WHERE id = 1"),
            "Gewist huishouden 1"
        );
        env.cmd()
            .arg("check")
            .assert()
            .success()
            .stdout(contains("keten ongebroken"));
        let text = run(&env, "beheer", &["audit", "--household", "1"]);
        assert!(text.contains("heeft de persoonsgegevens gewist"), "{text}");
    });
}

#[test]
fn a_retention_period_from_config_is_used() {
    each_backend(|db| {
        let env = demo(db);
        std::fs::create_dir_all(env.root().join("config")).unwrap();
        std::fs::write(
            env.root().join("config/config.toml"),
            "[retention]\nyears_after_closing = 7\n",
        )
        .unwrap();
        let due = run(&env, "beheer", &["retention", "--due"]);
        assert!(due.contains("Bewaartermijn: 7 jaar na afsluiten"), "{due}");
        std::fs::write(
            env.root().join("config/config.toml"),
            "[retention]\nyears_after_closing = 0\n",
        )
        .unwrap();
        let err = refused(&env, "beheer", &["retention", "--due"]);
        assert!(
            err.contains(
                "retention.years_after_closing moet een aantal jaren van 1 tot en met 100 zijn"
            ),
            "{err}"
        );
    });
}

#[test]
fn refusals_on_stderr_name_no_client_data() {
    each_backend(|db| {
        let env = demo(db);
        let label = label(&env, 1);
        for user in ["bram", "carla", "dirk"] {
            let err = refused(&env, user, &["export", "household", "1"]);
            assert!(!err.contains(&label), "{err}");
        }
    });
}

// ---------------------------------------------------------------- SQLite only

/// What exists only for a database file: bytes changed and rows added in the file behind
/// keukentafel's back, and the modes of the file and its WAL files.
mod sqlite_file {
    use super::*;

    #[test]
    fn check_detects_one_changed_byte_in_an_audit_row_on_disk() {
        let db = sqlite();
        let env = demo(&db);
        let file = db.file();
        run(
            &env,
            "anna",
            &["export", "household", "1", "-o", "uit.json"],
        );
        env.cmd().arg("check").assert().success();
        let mut bytes = std::fs::read(file).unwrap();
        // The export's audit row is the only place with the detail "json".
        let at = bytes
            .windows(4)
            .position(|w| w == b"json")
            .expect("the export's audit row");
        bytes[at + 3] = b'N';
        std::fs::write(file, &bytes).unwrap();
        env.cmd()
            .arg("check")
            .assert()
            .failure()
            .stderr(contains("de auditketen is verbroken").and(contains("is gewijzigd")));
    }

    #[test]
    fn check_detects_an_appended_row_even_with_a_valid_hash() {
        let db = sqlite();
        let env = demo(&db);
        let file = db.file();
        let conn = rusqlite::Connection::open(file).unwrap();
        let (id, hash): (i64, String) = conn
            .query_row(
                "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let mut row = keukentafel::store::audit::AuditRow {
            id: id + 1,
            at: "2026-01-01T00:00:00.000Z".into(),
            user_id: None,
            username: "vervalser".into(),
            role: "beheerder".into(),
            action: "read".into(),
            object: "household".into(),
            object_id: Some(1),
            household_id: Some(1),
            person_id: None,
            workstation: "ws".into(),
            on_behalf_of: None,
            detail: None,
            prev_hash: hash,
            hash: String::new(),
        };
        row.hash = row.computed_hash();
        conn.execute(
            "INSERT INTO audit_log (id, at, user_id, username, role, action, object, object_id,
            household_id, person_id, workstation, on_behalf_of, detail, prev_hash, hash)
         VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, NULL, NULL, ?10, ?11)",
            rusqlite::params![
                row.id,
                row.at,
                row.username,
                row.role,
                row.action,
                row.object,
                row.object_id,
                row.household_id,
                row.workstation,
                row.prev_hash,
                row.hash
            ],
        )
        .unwrap();
        drop(conn);
        env.cmd()
            .arg("check")
            .assert()
            .failure()
            .stderr(contains("de laatste auditregel"));
    }

    #[test]
    fn the_database_and_its_wal_files_are_private() {
        let db = sqlite();
        demo(&db);
        let file = db.file();
        assert_eq!(mode(file), 0o600);
        // While a store is open, SQLite's WAL and shared-memory files exist; they take the
        // database's mode.
        let store = keukentafel::store::Store::open(file).unwrap();
        let anna = store.authenticate("anna", "demo", "ws").unwrap();
        drop(anna);
        for suffix in ["-wal", "-shm"] {
            let mut name = file.as_os_str().to_os_string();
            name.push(suffix);
            let path = PathBuf::from(name);
            assert!(path.exists(), "{}", path.display());
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        drop(store);
    }
}
