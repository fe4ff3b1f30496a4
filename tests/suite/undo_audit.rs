//! Undo and audit as a user sees them: undoing a new flag leaves no flag at all, an undone
//! object's id is never given to the next one (so an audit row's object id names one object),
//! and a refusal in the app writes the same `refused` audit row the CLI writes.

use crate::support;

use keukentafel::app::state::Screen;
use support::{Harness, each_harness, harness};

fn at_the_table_on(mut h: Harness) -> Harness {
    h.keys("anna<Enter>demo<Enter>/amr<Enter>");
    assert_eq!(h.screen_name(), "dashboard");
    h
}

fn household(h: &Harness) -> i64 {
    match &h.app.screen {
        Screen::Dashboard(v) => v.data.household.id,
        _ => panic!("not on the dashboard"),
    }
}

fn last_id(h: &Harness, table: &str) -> i64 {
    h.count(&format!("SELECT coalesce(max(id), 0) FROM {table}"))
}

#[test]
fn undoing_a_new_flag_removes_it_entirely_and_its_id_is_not_given_again() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let any = format!(
            "SELECT count(*) FROM flag WHERE household_id = {id} AND kind = 'huurachterstand'"
        );
        assert_eq!(h.count(&any), 0);
        h.keys("fh");
        assert_eq!(h.count(&any), 1);
        let first = last_id(&h, "flag");
        h.keys("u");
        assert_eq!(
            h.count(&any),
            0,
            "no flag left behind, not even an ended one"
        );
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("Ongedaan gemaakt"), "{notice}");
        let Screen::Dashboard(view) = &h.app.screen else {
            panic!("dashboard")
        };
        assert!(
            view.data.flags.iter().all(|f| f.kind != "huurachterstand"),
            "the dashboard shows no such flag"
        );
        // The audit log keeps both: created, then removed as an undo.
        let rows = h.count(&format!(
            "SELECT count(*) FROM audit_log WHERE object = 'flag' AND object_id = {first}"
        ));
        assert_eq!(rows, 2);
        // Set again: a new id, so the two audit rows above still name only the undone flag.
        h.keys("fh");
        let second = last_id(&h, "flag");
        assert!(second > first, "{second} after {first}");
    });
}

#[test]
fn an_undone_contact_leaves_its_id_behind_for_good() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        h.keys("c<Enter>");
        let first = last_id(&h, "contact");
        h.keys("u");
        assert!(last_id(&h, "contact") < first, "the contact is gone");
        h.keys("c<Enter>");
        let second = last_id(&h, "contact");
        assert!(second > first, "{second} after {first}");
        let actions: Vec<String> = crate::common::query_rows(
        &h.db,
        &format!(
            "SELECT action FROM audit_log WHERE object = 'contact' AND object_id = {first} ORDER BY id"
        ),
    )
    .into_iter()
    .map(|r| r[0].clone().unwrap_or_default())
    .collect();
        assert_eq!(actions, ["create", "delete"], "one object per id");
    });
}

#[test]
fn every_table_an_undo_deletes_from_hands_out_ids_once_and_the_migration_kept_every_row_sqlite() {
    let h = harness();
    let conn = h.raw();
    for table in [
        "person",
        "zrm_assessment",
        "agreement",
        "flag",
        "contact",
        "plan_goal",
        "provision",
    ] {
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains("AUTOINCREMENT"), "{table}: {sql}");
    }
    // Running the rebuild again on a filled database keeps every row, id and reference.
    let before: Vec<(i64, i64)> = ["person", "agreement", "flag", "contact", "provision"]
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*), sum(id) FROM {t}"), [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
        })
        .collect();
    // Schema version 6 is the one before the rebuild (migration 008); the migrations after it
    // run again too, and leave what they find.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(version > 6, "the rebuild is in this schema");
    conn.pragma_update(None, "user_version", 6).unwrap();
    drop(conn);
    let store = keukentafel::store::Store::open(&h.db_path()).unwrap();
    drop(store);
    let conn = h.raw();
    let after: Vec<(i64, i64)> = ["person", "agreement", "flag", "contact", "provision"]
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*), sum(id) FROM {t}"), [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
        })
        .collect();
    assert_eq!(before, after);
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    let fk: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_foreign_key_list('zrm_assessment') WHERE \"table\" = 'person'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fk, 1, "the ZRM rows still point at person");
}

#[test]
fn a_backoffice_user_pressing_c_on_a_household_writes_the_refused_audit_row_the_cli_writes() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        h.send(keukentafel::app::Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('f'),
            crossterm::event::KeyModifiers::CONTROL,
        )));
        h.keys("amr<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        let id = household(&h);
        let refused = format!(
            "SELECT count(*) FROM audit_log WHERE action = 'refused' AND object = 'household' AND household_id = {id} AND detail = 'write' AND username = 'carla'"
        );
        assert_eq!(h.count(&refused), 0);
        let contacts = h.count("SELECT count(*) FROM contact");
        h.keys("c");
        assert!(h.app.overlay.is_none(), "no form for backoffice");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("administratieve gegevens"), "{notice}");
        assert_eq!(h.count(&refused), 1, "one refused row, as the CLI writes");
        assert_eq!(h.count("SELECT count(*) FROM contact"), contacts);
    });
}

#[test]
fn the_first_demo_household_is_id_1_the_el_amrani_family_as_the_readme_says() {
    each_harness(|h| {
        let label = h.text("SELECT label FROM household WHERE id = 1");
        assert_eq!(label, "Fam. El Amrani");
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        assert!(
            readme.contains("The first household (id 1"),
            "README names id 1"
        );
        assert!(
            !readme.contains("Household 0"),
            "no household 0 in the README"
        );
    });
}
