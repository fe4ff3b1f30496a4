//! AVG rights through the store: the export of one household, erasure after the retention
//! period, and the list of what is due.

use crate::privacy_world;

use crate::common::query_row;
use keukentafel::domain::retention::RetentionPolicy;
use keukentafel::model::avg::ERASED;
use keukentafel::store::StoreError;
use privacy_world::{
    World, audit_rows, content_snapshot, date, each_world, last_audit, today, world,
};

fn close(w: &mut World, on: chrono::NaiveDate) {
    let anna = w.anna.clone();
    w.store
        .close_household(&anna, w.overvecht_household, on, "doelen bereikt")
        .unwrap();
}

fn erase(
    w: &mut World,
    on: chrono::NaiveDate,
) -> Result<keukentafel::model::avg::Erased, StoreError> {
    let beheer = w.beheer.clone();
    w.store.erase_household(
        &beheer,
        w.overvecht_household,
        "bewaartermijn verstreken",
        &RetentionPolicy::default(),
        on,
        true,
    )
}

#[test]
fn the_export_holds_everything_about_the_household_and_is_audited() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        let export = w
            .store
            .export_household(&anna, w.overvecht_household)
            .unwrap();
        assert_eq!(export.household.label, "Fam. El Amrani");
        assert_eq!(
            export.members[0].bsn.as_ref().unwrap().as_str(),
            "111222333"
        );
        assert_eq!(
            export.contacts[0].note.as_deref(),
            Some("geheime notitie over Fatima El Amrani")
        );
        assert_eq!(export.assessments.len(), 1);
        assert_eq!(export.agreements.len(), 1);
        assert_eq!(export.flags.len(), 1);
        assert_eq!(export.goals.len(), 1);
        assert_eq!(export.consents[0].purpose, "informatie delen met school");
        assert!(
            export
                .access_log
                .iter()
                .any(|e| e.action == "create" && e.object == "contact")
        );
        let row = last_audit(&w);
        assert_eq!(
            (row.action.as_str(), row.username.as_str()),
            ("export", "anna")
        );
        assert_eq!(row.household_id, Some(w.overvecht_household));
    });
}

#[test]
fn the_export_lists_every_contact_not_just_the_recent_ones() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        for day in 1..=14 {
            let fields = keukentafel::domain::contact::ContactFields::new(
                date(2026, 10, day),
                "telefoon",
                5,
                None,
            )
            .unwrap();
            w.store
                .record_contact(&anna, w.overvecht_household, &fields)
                .unwrap();
        }
        let export = w
            .store
            .export_household(&anna, w.overvecht_household)
            .unwrap();
        assert_eq!(export.contacts.len(), 15);
    });
}

#[test]
fn erasing_an_open_household_is_refused_audited_and_changes_nothing() {
    each_world(|mut w| {
        let before = content_snapshot(&w);
        let rows = audit_rows(&w);
        let err = erase(&mut w, today()).unwrap_err();
        assert!(err.to_string().contains("is nog open"), "{err}");
        assert!(err.to_string().contains("Er is niets gewist"), "{err}");
        assert_eq!(content_snapshot(&w), before);
        assert_eq!(audit_rows(&w), rows + 1);
        let row = last_audit(&w);
        assert_eq!(row.action, "refused");
        assert_eq!(row.detail.as_deref(), Some("retention: open"));
    });
}

#[test]
fn erasing_before_the_retention_period_is_refused_with_the_date_it_ends() {
    each_world(|mut w| {
        close(&mut w, date(2012, 6, 1));
        let before = content_snapshot(&w);
        let rows = audit_rows(&w);
        // The household has a jeugdhulp-free flag set (schuldhulp): 15 years, so due on 1-6-2027.
        let err = erase(&mut w, date(2027, 5, 31)).unwrap_err();
        assert!(err.to_string().contains("loopt tot 01-06-2027"), "{err}");
        assert_eq!(content_snapshot(&w), before);
        assert_eq!(audit_rows(&w), rows + 1);
        assert_eq!(last_audit(&w).action, "refused");
    });
}

#[test]
fn youth_care_keeps_a_household_twenty_years() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        w.store
            .set_flag(&anna, w.overvecht_household, "jeugdhulp", date(2005, 1, 1))
            .unwrap();
        close(&mut w, date(2006, 6, 1));
        let err = erase(&mut w, date(2026, 5, 31)).unwrap_err();
        assert!(err.to_string().contains("(jeugdhulp) van 20 jaar"), "{err}");
        assert!(erase(&mut w, date(2026, 6, 1)).is_ok());
    });
}

#[test]
fn a_jeugdwet_provision_counts_as_youth_care_and_its_motivation_is_erased_sqlite() {
    let mut w = world();
    let conn = rusqlite::Connection::open(&w.path).unwrap();
    conn.execute(
        "INSERT INTO provision (household_id, person_id, law, category, product_code, start_on,
             volume, unit, frequency, financing, eigen_bijdrage, motivation, status, requested_by,
             requested_at)
         VALUES (?1, ?2, 'jeugdwet', '45', '45A01', '2005-01-01', 2, 'uur', 'per_week', 'zin', 0,
             'Begeleiding na de scheiding van de ouders', 'beeindigd', ?3, '2005-01-01T00:00:00Z')",
        rusqlite::params![w.overvecht_household, w.fatima, w.anna.user_id],
    )
    .unwrap();
    close(&mut w, date(2006, 6, 1));
    let err = erase(&mut w, date(2026, 5, 31)).unwrap_err();
    assert!(err.to_string().contains("(jeugdhulp) van 20 jaar"), "{err}");
    erase(&mut w, date(2026, 6, 1)).unwrap();
    let (law, motivation): (String, Option<String>) = conn
        .query_row(
            "SELECT law, motivation FROM provision WHERE household_id = ?1",
            [w.overvecht_household],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(law, "jeugdwet", "kept for the figures");
    assert_eq!(motivation, None, "free text erased");
}

#[test]
fn only_a_beheerder_may_erase_and_a_refusal_is_audited() {
    each_world(|mut w| {
        close(&mut w, date(2000, 1, 1));
        let before = content_snapshot(&w);
        for who in [w.anna.clone(), w.carla.clone(), w.dirk.clone()] {
            let rows = audit_rows(&w);
            let result = w.store.erase_household(
                &who,
                w.overvecht_household,
                "weg ermee",
                &RetentionPolicy::default(),
                today(),
                true,
            );
            assert!(
                matches!(result, Err(StoreError::Denied { .. })),
                "{}",
                who.username
            );
            assert_eq!(audit_rows(&w), rows + 1);
        }
        assert_eq!(content_snapshot(&w), before);
    });
}

#[test]
fn erasure_removes_identifying_data_keeps_the_figures_and_the_chain() {
    each_world(|mut w| {
        close(&mut w, date(2010, 1, 1));
        let erased = erase(&mut w, today()).unwrap();
        assert_eq!(erased.persons, 1);
        assert!(erased.texts >= 4, "{erased:?}");
        let row = last_audit(&w);
        assert_eq!(
            (row.action.as_str(), row.username.as_str()),
            ("erase", "beheer")
        );

        // What the database keeps, read directly: no command shows an erased household.
        let row = |sql: String| query_row(&w.db, &sql);
        let h = w.overvecht_household;
        let household = row(format!(
            "SELECT label, street, postcode, close_reason FROM household WHERE id = {h}"
        ));
        let [label, street, postcode, reason] = household.as_slice() else {
            panic!("{household:?}")
        };
        let label = label.as_deref().unwrap_or_default();
        assert!(!label.contains("Amrani"), "{label}");
        assert_eq!(street.as_deref(), Some(""));
        assert_eq!(postcode.as_deref(), Some(""));
        assert_eq!(reason.as_deref(), Some(ERASED));
        let person = row(format!(
            "SELECT name, CAST(birth_date AS TEXT), bsn, phone FROM person WHERE id = {}",
            w.fatima
        ));
        assert_eq!(
            person,
            vec![Some(format!("Persoon {}", w.fatima)), None, None, None]
        );
        let note = row(format!("SELECT note FROM contact WHERE household_id = {h}"));
        assert_eq!(note, vec![None]);
        for (table, column) in [
            ("agreement", "what"),
            ("plan_goal", "goal"),
            ("consent", "purpose"),
        ] {
            let text = row(format!(
                "SELECT {column} FROM {table} WHERE household_id = {h}"
            ));
            assert_eq!(text, vec![Some(ERASED.to_string())], "{table}.{column}");
        }
        // What the figures need stays: the contact's kind and minutes, the ZRM score, the flag kind.
        let contact = row(format!(
            "SELECT kind, CAST(minutes AS TEXT) FROM contact WHERE household_id = {h}"
        ));
        assert_eq!(
            contact,
            vec![Some("huisbezoek".to_string()), Some("60".to_string())]
        );
        let scores = row(format!(
            "SELECT scores FROM zrm_assessment WHERE person_id = {}",
            w.fatima
        ));
        let scores = scores[0].as_deref().unwrap_or_default();
        assert!(scores.contains("financien=2"), "{scores}");

        // The household cannot be found or opened any more, and the chain is intact.
        let anna = w.anna.clone();
        assert!(
            w.store
                .find_households(&anna, "amrani", 10)
                .unwrap()
                .is_empty()
        );
        assert!(
            w.store
                .find_households(&anna, "111222333", 10)
                .unwrap()
                .is_empty()
        );
        let err = w
            .store
            .load_dashboard(&anna, w.overvecht_household)
            .unwrap_err();
        assert!(err.to_string().contains("gewist"), "{err}");
        assert!(erase(&mut w, today()).is_err(), "erasing twice");
        let report = w.store.check().unwrap();
        assert!(report.is_sound(), "{report:?}");
    });
}

#[test]
fn after_erasure_the_names_are_not_left_in_the_database_file() {
    let mut w = world();
    close(&mut w, date(2010, 1, 1));
    erase(&mut w, today()).unwrap();
    drop(w.store);
    let mut bytes = std::fs::read(&w.path).unwrap();
    let wal = w.path.with_extension("db-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    for needle in [
        "Fatima El Amrani",
        "El Amrani",
        "111222333",
        "notitie over Fatima",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} still in the file"
        );
    }
}

#[test]
fn retention_lists_only_closed_households_past_their_period() {
    each_world(|mut w| {
        close(&mut w, date(2011, 11, 23));
        let bram = w.bram.clone();
        w.store
            .close_household(&bram, w.zuid_household, date(2012, 1, 1), "verhuisd")
            .unwrap();
        let beheer = w.beheer.clone();
        let policy = RetentionPolicy::default();
        let due = w.store.retention_due(&beheer, &policy, today()).unwrap();
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].id, w.overvecht_household);
        assert_eq!(due[0].due_on, date(2026, 11, 23));
        assert_eq!(due[0].team, "Overvecht");
        let shorter = RetentionPolicy {
            years: 10,
            ..RetentionPolicy::default()
        };
        assert_eq!(
            w.store
                .retention_due(&beheer, &shorter, today())
                .unwrap()
                .len(),
            2
        );
        erase(&mut w, today()).unwrap();
        assert!(
            w.store
                .retention_due(&beheer, &policy, today())
                .unwrap()
                .is_empty()
        );
        let anna = w.anna.clone();
        assert!(matches!(
            w.store.retention_due(&anna, &policy, today()),
            Err(StoreError::Denied { .. })
        ));
    });
}

#[test]
fn an_erasure_without_apply_counts_what_it_would_erase_and_changes_nothing() {
    each_world(|mut w| {
        close(&mut w, date(2000, 1, 1));
        let before = content_snapshot(&w);
        let beheer = w.beheer.clone();
        let preview = w
            .store
            .erase_household(
                &beheer,
                w.overvecht_household,
                "bewaartermijn verstreken",
                &RetentionPolicy::default(),
                today(),
                false,
            )
            .unwrap();
        assert_eq!(content_snapshot(&w), before, "a preview erases nothing");
        let erased = erase(&mut w, today()).unwrap();
        assert_eq!(
            preview, erased,
            "the preview counts what the erasure removes"
        );
        assert!(erased.persons > 0);
    });
}

#[test]
fn another_teams_consent_and_a_teamleiders_refusal_read_as_for_an_id_that_does_not_exist() {
    each_world(|mut w| {
        let (anna, bram, dirk) = (w.anna.clone(), w.bram.clone(), w.dirk.clone());
        let consent = w
            .store
            .add_consent(
                &anna,
                w.overvecht_household,
                None,
                "gegevens delen met de huisarts",
                today(),
            )
            .unwrap();
        let missing = consent.id + 1000;
        let other_team = w
            .store
            .withdraw_consent(&bram, consent.id, today())
            .unwrap_err();
        let nowhere = w
            .store
            .withdraw_consent(&bram, missing, today())
            .unwrap_err();
        assert_eq!(
            other_team.to_string(),
            format!("Toestemming {} niet gevonden.", consent.id)
        );
        assert_eq!(
            other_team.to_string().replace(&consent.id.to_string(), "N"),
            nowhere.to_string().replace(&missing.to_string(), "N"),
            "another team's consent reads as one that does not exist"
        );
        let leader_existing = w
            .store
            .withdraw_consent(&dirk, consent.id, today())
            .unwrap_err();
        let leader_missing = w
            .store
            .withdraw_consent(&dirk, missing, today())
            .unwrap_err();
        assert_eq!(leader_existing.to_string(), leader_missing.to_string());
        assert!(
            leader_existing.to_string().starts_with("Dat mag je niet"),
            "{leader_existing}"
        );
    });
}
