//! Stories of this area, on every backend (see `common`): users and teams, logging in with
//! its delay after failed attempts, the access log and a user's trail, the AVG export,
//! retention and erasure, the provider and flag imports, and the demo data.

use chrono::NaiveDate;
use keukentafel::auth::Session;
use keukentafel::domain::bsn::Bsn;
use keukentafel::domain::flag::FlagSource;
use keukentafel::domain::provision::{AgbCode, Unit};
use keukentafel::domain::retention::RetentionPolicy;
use keukentafel::domain::user::Role;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::demo::{DemoAgreement, DemoFlag, DemoHousehold, DemoPerson, DemoUser};
use keukentafel::model::imports::{FlagRow, ProviderRow};
use keukentafel::model::users::NewUser;
use keukentafel::store::{Backend, Missing, StoreError};

#[allow(unused_imports)]
use crate::common::*;

#[test]
fn a_staffed_database_logs_its_users_in_on_every_backend() {
    each_backend(|db| {
        let (store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        assert_eq!(anna.username, "anna", "{}", db.backend);
        let err = store
            .authenticate("anna", "fout-wachtwoord", "test")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Onbekende gebruiker of onjuist wachtwoord.",
            "{}",
            db.backend
        );
    });
}

fn new_user<'a>(username: &'a str, role: Role, team: Option<&'a str>) -> NewUser<'a> {
    NewUser {
        username,
        display_name: "",
        role,
        team,
        phone: None,
        password: "wachtwoord-123",
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The login rows of one user's trail, as their details.
fn login_details(store: &mut dyn Backend, admin: &Session, name: &str) -> Vec<String> {
    store
        .user_trail(admin, name)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "login")
        .filter_map(|r| r.detail)
        .collect()
}

#[test]
fn users_and_teams_are_unique_whatever_the_case_and_a_wrong_team_names_the_existing_ones() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = staffed(db);
        let err = store
            .create_user(&admin, &new_user("ANNA", Role::Professional, Some("Noord")))
            .unwrap_err();
        assert_eq!(err.to_string(), "Er is al een medewerker 'anna'.", "{b}");
        let err = store.create_team(&admin, "noord").unwrap_err();
        assert_eq!(err.to_string(), "Team 'noord' bestaat al.", "{b}");
        let err = store
            .create_user(&admin, &new_user("otto", Role::Professional, Some("Oost")))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Onbekend team 'Oost'. Bestaande teams: Noord, Zuid.",
            "{b}"
        );
        let err = store
            .create_user(&admin, &new_user("otto", Role::Professional, None))
            .unwrap_err();
        assert!(err.to_string().contains("hoort bij een team"), "{b}: {err}");
        let err = store
            .create_user(&admin, &new_user("otto", Role::Beheerder, Some("Noord")))
            .unwrap_err();
        assert!(err.to_string().contains("laat --team weg"), "{b}: {err}");
        // A team name in another case still finds the team.
        let otto = store
            .create_user(&admin, &new_user("otto", Role::Professional, Some("zuid")))
            .unwrap();
        assert_eq!(otto.team_name.as_deref(), Some("Zuid"), "{b}");

        let names: Vec<String> = store
            .list_users(&admin)
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(names, ["anna", "beheer", "bo", "bram", "otto", "tl"], "{b}");
        let teams: Vec<String> = store
            .list_teams(&admin)
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(teams, ["Noord", "Zuid"], "{b}");
        let tl = login(store.as_ref(), "tl");
        assert_eq!(store.list_users(&tl).unwrap().len(), 6, "{b}");
        assert!(store.may_manage_users(&tl).is_err(), "{b}");
        let anna = login(store.as_ref(), "anna");
        assert!(
            matches!(store.list_users(&anna), Err(StoreError::Denied { .. })),
            "{b}"
        );
        assert!(
            matches!(
                store.create_team(&anna, "Oost"),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        assert_eq!(
            store.current_user(&anna).unwrap().team_name.as_deref(),
            Some("Noord"),
            "{b}"
        );
        // Regisseurs: the active professionals and the teamleider of one's own team.
        let candidates: Vec<String> = store
            .regisseur_candidates(&anna)
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(candidates, ["anna", "tl"], "{b}");
        store.set_disabled(&admin, "tl", true).unwrap();
        let candidates = store.regisseur_candidates(&anna).unwrap();
        assert_eq!(
            candidates.len(),
            1,
            "{b}: a disabled colleague is no candidate"
        );
    });
}

#[test]
fn five_failures_make_a_name_wait_and_an_unknown_name_answers_exactly_alike() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = staffed(db);
        for name in ["anna", "niemand"] {
            let answers: Vec<String> = (0..7)
                .map(|_| {
                    store
                        .authenticate(name, "helemaal-fout", "test")
                        .unwrap_err()
                        .to_string()
                })
                .collect();
            for answer in &answers[..4] {
                assert_eq!(
                    answer, "Onbekende gebruiker of onjuist wachtwoord.",
                    "{b} {name}"
                );
            }
            assert!(answers[4].contains("30"), "{b} {name}: {answers:?}");
            assert_eq!(
                answers[5], answers[4],
                "{b} {name}: a refused try waits as long"
            );
        }
        // While waiting, even the right password is not checked.
        assert!(
            matches!(
                store.authenticate("anna", "wachtwoord-123", "test"),
                Err(StoreError::LoginDelayed { wait_seconds: 30 })
            ),
            "{b}"
        );
        let details = login_details(store.as_mut(), &admin, "anna");
        assert_eq!(
            details,
            [
                "mislukt: onjuist wachtwoord (1e keer)",
                "mislukt: onjuist wachtwoord (2e keer)",
                "mislukt: onjuist wachtwoord (3e keer)",
                "mislukt: onjuist wachtwoord (4e keer)",
                "mislukt: onjuist wachtwoord (5e keer)",
                "geweigerd: wachttijd",
                "geweigerd: wachttijd",
                "geweigerd: wachttijd",
            ],
            "{b}"
        );
        // A new password clears the wait; a successful login then writes no audit row.
        store
            .set_password(&admin, "anna", "nieuw-wachtwoord-1")
            .unwrap();
        store
            .authenticate("anna", "nieuw-wachtwoord-1", "test")
            .unwrap();
        let after = login_details(store.as_mut(), &admin, "anna");
        assert_eq!(after.len(), details.len(), "{b}: a success is not audited");
        // The trail itself is audited: the beheerder's own trail shows the reads.
        let reads = store
            .user_trail(&admin, "beheer")
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "read" && r.detail.as_deref() == Some("auditspoor"))
            .count();
        assert_eq!(reads, 2, "{b}");
        let bram = login(store.as_ref(), "bram");
        assert!(
            matches!(
                store.user_trail(&bram, "anna"),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        assert!(
            matches!(
                store.user_trail(&admin, "niemand"),
                Err(StoreError::NotFound(Missing::Username(_)))
            ),
            "{b}"
        );
    });
}

#[test]
fn twenty_parallel_wrong_passwords_get_no_more_checks_than_the_free_attempts() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = staffed(db);
        let errors: Vec<StoreError> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..20)
                .map(|_| {
                    s.spawn(|| {
                        let other = db.open();
                        other
                            .authenticate("anna", "helemaal-fout", "ws")
                            .unwrap_err()
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let details = login_details(store.as_mut(), &admin, "anna");
        let checked = details.iter().filter(|d| d.starts_with("mislukt")).count();
        let waited = details.iter().filter(|d| d.contains("wachttijd")).count();
        assert_eq!(checked, 5, "{b}: {details:?}");
        assert_eq!(
            checked + waited,
            20,
            "{b}: every try is audited: {details:?}"
        );
        let delayed = errors
            .iter()
            .filter(|e| matches!(e, StoreError::LoginDelayed { .. }))
            .count();
        assert_eq!(
            delayed, 16,
            "{b}: the fifth failure and every refused try say wait"
        );
    });
}

#[test]
fn a_disabled_account_is_told_so_only_with_the_right_password_and_enabling_lifts_a_wait() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        assert!(
            matches!(
                store.set_disabled(&anna, "bram", true),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        let err = store.set_disabled(&admin, "beheer", true).unwrap_err();
        assert!(
            err.to_string().contains("eigen account niet blokkeren"),
            "{b}: {err}"
        );
        store.set_disabled(&admin, "bram", true).unwrap();
        assert_eq!(
            store
                .authenticate("bram", "fout-wachtwoord", "test")
                .unwrap_err()
                .to_string(),
            "Onbekende gebruiker of onjuist wachtwoord.",
            "{b}"
        );
        assert!(
            matches!(
                store.authenticate("bram", "wachtwoord-123", "test"),
                Err(StoreError::AccountDisabled)
            ),
            "{b}"
        );
        for _ in 0..5 {
            let _ = store.authenticate("bram", "fout-wachtwoord", "test");
        }
        store.set_disabled(&admin, "bram", false).unwrap();
        login(store.as_ref(), "bram");
        let details = login_details(store.as_mut(), &admin, "bram");
        assert!(
            details.contains(&"geweigerd: account geblokkeerd".to_string()),
            "{b}: {details:?}"
        );
        let changes: Vec<String> = store
            .user_trail(&admin, "beheer")
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "update" && r.object == "user")
            .filter_map(|r| r.detail)
            .collect();
        assert_eq!(changes, ["geblokkeerd", "vrijgegeven"], "{b}");
    });
}

#[test]
fn passwords_change_own_or_by_the_beheerder_with_ten_characters_at_least() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let err = store.set_password(&anna, "anna", "kort").unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{b}: {err}");
        login(store.as_ref(), "anna");
        assert!(
            matches!(
                store.set_password(&anna, "bram", "nieuw-wachtwoord-1"),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        store
            .set_password(&anna, "anna", "eigen-wachtwoord-1")
            .unwrap();
        store
            .authenticate("anna", "eigen-wachtwoord-1", "test")
            .unwrap();
        store
            .set_password(&admin, "bram", "van-de-beheerder")
            .unwrap();
        store
            .authenticate("bram", "van-de-beheerder", "test")
            .unwrap();
        assert!(
            matches!(
                store.set_password(&admin, "niemand", "nieuw-wachtwoord-1"),
                Err(StoreError::NotFound(Missing::Username(_)))
            ),
            "{b}"
        );
    });
}

// Households for the privacy and import stories come from the demo loader: it is part of this
// area and writes households on every backend.

fn demo_users() -> Vec<DemoUser> {
    let user = |username: &'static str, role, team: Option<&'static str>| DemoUser {
        username: username.into(),
        display_name: username.into(),
        role,
        team: team.map(Into::into),
        phone: None,
    };
    vec![
        user("anna", Role::Professional, Some("Overvecht")),
        user("bram", Role::Professional, Some("Zuid")),
        user("carla", Role::Backoffice, None),
        user("dirk", Role::Teamleider, Some("Overvecht")),
        user("beheer", Role::Beheerder, None),
    ]
}

/// A household of two in `team`, its parent with `bsn`.
fn household(label: &str, team: &str, bsn: &str, closed: Option<NaiveDate>) -> DemoHousehold {
    let regisseur = if team == "Zuid" { "bram" } else { "anna" };
    DemoHousehold {
        label: label.to_string(),
        street: "Kanaalweg".into(),
        house_number: "12A".into(),
        postcode: "3526 KL".into(),
        city: "Utrecht".into(),
        team: team.into(),
        regisseur: regisseur.into(),
        opened_on: date(2008, 3, 1),
        closed: closed.map(|on| (on, "doelen bereikt".to_string())),
        members: vec![
            DemoPerson {
                name: format!("{label} ouder"),
                birth_date: date(1980, 5, 4),
                role: "ouder",
                bsn: Some(bsn.into()),
                phone: Some("06-12345678".into()),
            },
            DemoPerson {
                name: format!("{label} kind"),
                birth_date: date(2010, 9, 1),
                role: "kind",
                bsn: None,
                phone: None,
            },
        ],
        assessments: vec![(0, date(2009, 1, 10), "financien=2;huisvesting=3".into())],
        agreements: vec![DemoAgreement {
            what: "Schuldhulp aanvragen bij de gemeente".into(),
            who: "client",
            due_on: Some(date(2009, 2, 1)),
            formal: false,
            status: ("cancelled", Some(date(2009, 3, 1))),
            created_on: date(2009, 1, 10),
        }],
        flags: vec![DemoFlag {
            kind: "huiselijk_geweld".into(),
            since: date(2009, 1, 1),
            ended: Some((date(2009, 6, 1), "situatie veilig".into())),
        }],
        contacts: (1..=12)
            .map(|d| {
                (
                    date(2009, 1, d),
                    "huisbezoek".to_string(),
                    45,
                    Some(format!("Gesprek {d} over geld")),
                )
            })
            .collect(),
        goals: vec![("Rust in de financiën".into(), None, "lopend")],
        provisions: Vec::new(),
    }
}

const BSN_OPEN: &str = "111222333";
const BSN_OLD: &str = "123456782";

/// A demo database with households 1 (Overvecht, open), 2 (Zuid, open), 3 (Overvecht,
/// closed in 2010: its 15 years are over) and 4 (Overvecht, closed in 2020).
fn demo(db: &Db) -> (Box<dyn Backend>, Session) {
    let mut store = db.create(DatabaseKind::Demo);
    store
        .ensure_demo_accounts(&["Overvecht", "Zuid"], &demo_users(), "test")
        .unwrap_or_else(|e| panic!("{}: accounts: {e}", db.backend));
    store
        .insert_demo_batch(
            &[
                household("Fam. Jansen", "Overvecht", BSN_OPEN, None),
                household("Fam. Yilmaz", "Zuid", "100000009", None),
            ],
            "test",
        )
        .unwrap_or_else(|e| panic!("{}: batch: {e}", db.backend));
    store
        .insert_demo_batch(
            &[
                household("Fam. Oud", "Overvecht", BSN_OLD, Some(date(2010, 1, 5))),
                household(
                    "Fam. Recent",
                    "Overvecht",
                    "100000010",
                    Some(date(2020, 6, 1)),
                ),
            ],
            "test",
        )
        .unwrap_or_else(|e| panic!("{}: batch: {e}", db.backend));
    let admin = store.authenticate("beheer", "demo", "test").unwrap();
    (store, admin)
}

fn demo_login(store: &dyn Backend, name: &str) -> Session {
    store
        .authenticate(name, "demo", "test")
        .unwrap_or_else(|e| panic!("login {name}: {e}"))
}

#[test]
fn demo_data_goes_only_into_a_demo_database_and_accounts_are_made_once() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = demo(db);
        assert_eq!(store.household_count().unwrap(), 4, "{b}");
        store.require_demo().unwrap();
        store
            .ensure_demo_accounts(&["Overvecht", "Zuid"], &demo_users(), "test")
            .unwrap();
        assert_eq!(store.list_users(&admin).unwrap().len(), 5, "{b}");
        assert_eq!(store.list_teams(&admin).unwrap().len(), 2, "{b}");
        let err = store.begin_bulk_load().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Snel laden kan alleen in een lege demodatabase.",
            "{b}"
        );
        let mut more = household("Fam. Later", "Zuid", "100000022", None);
        more.regisseur = "niemand".into();
        assert!(store.insert_demo_batch(&[more], "test").is_err(), "{b}");
        assert_eq!(
            store.household_count().unwrap(),
            4,
            "{b}: a failed batch adds nothing"
        );

        let production = databases().into_iter().find(|d| d.backend == b).unwrap();
        let (mut production_store, _) = staffed(&production);
        let err = production_store.require_demo().unwrap_err();
        assert!(
            err.to_string().contains("is geen demodatabase"),
            "{b}: {err}"
        );
        assert!(
            production_store
                .insert_demo_batch(&[household("X", "Noord", BSN_OPEN, None)], "test")
                .is_err(),
            "{b}"
        );
        assert!(production_store.begin_bulk_load().is_err(), "{b}");
    });
}

#[test]
fn the_export_holds_everything_and_the_access_log_shows_who_looked_or_was_refused() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = demo(db);
        let anna = demo_login(store.as_ref(), "anna");
        let bram = demo_login(store.as_ref(), "bram");
        let carla = demo_login(store.as_ref(), "carla");
        let export = store.export_household(&anna, 1).unwrap();
        assert_eq!(export.household.label, "Fam. Jansen", "{b}");
        assert_eq!(export.team, "Overvecht", "{b}");
        assert_eq!(export.regisseur, "anna", "{b}");
        assert_eq!(export.exported_by, "anna", "{b}");
        let members: Vec<&str> = export.members.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            members,
            ["Fam. Jansen ouder", "Fam. Jansen kind"],
            "{b}: oldest first"
        );
        assert_eq!(
            export.members[0].bsn.as_ref().map(|b| b.as_str()),
            Some(BSN_OPEN),
            "{b}"
        );
        assert_eq!(
            export.contacts.len(),
            12,
            "{b}: every contact, not just the recent"
        );
        assert_eq!(
            export.contacts[0].contact_on,
            date(2009, 1, 12),
            "{b}: newest first"
        );
        assert_eq!(export.assessments.len(), 1, "{b}");
        assert_eq!(export.agreements.len(), 1, "{b}");
        assert_eq!(export.flags.len(), 1, "{b}");
        assert_eq!(export.goals.len(), 1, "{b}");
        assert!(export.access_log.is_empty(), "{b}: {:?}", export.access_log);

        // Another team's household does not exist for bram; backoffice may not export.
        assert!(
            matches!(
                store.export_household(&bram, 1),
                Err(StoreError::NotFound(Missing::Household(1)))
            ),
            "{b}"
        );
        assert!(
            matches!(
                store.export_household(&carla, 1),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        assert!(
            matches!(
                store.export_household(&anna, 99),
                Err(StoreError::NotFound(Missing::Household(99)))
            ),
            "{b}"
        );
        let log = store.household_access_log(&anna, 1).unwrap();
        let seen: Vec<(&str, &str, Option<&str>)> = log
            .iter()
            .map(|e| (e.username.as_str(), e.action.as_str(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("anna", "export", Some("json")),
                ("bram", "refused", Some("export")),
                ("carla", "refused", Some("export")),
            ],
            "{b}"
        );
        // The request itself is in the next one, and the beheerder may ask too.
        let log = store.household_access_log(&admin, 1).unwrap();
        assert_eq!(log.len(), 4, "{b}");
        assert_eq!(log[3].action, "read", "{b}");
        assert_eq!(log[3].detail.as_deref(), Some("inzageoverzicht"), "{b}");
        assert!(
            matches!(
                store.household_access_log(&bram, 1),
                Err(StoreError::NotFound(Missing::Household(1)))
            ),
            "{b}"
        );
        // The export's own access log holds the requests before it.
        let export = store.export_household(&anna, 1).unwrap();
        assert_eq!(export.access_log.len(), 6, "{b}: {:?}", export.access_log);
    });
}

#[test]
fn erasure_only_after_retention_by_a_beheerder_and_a_preview_changes_nothing() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = demo(db);
        let policy = RetentionPolicy::default();
        let today = today();
        let due = store.retention_due(&admin, &policy, today).unwrap();
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        assert_eq!(ids, [3], "{b}: only the household closed fifteen years ago");
        assert_eq!(due[0].team, "Overvecht", "{b}");
        assert_eq!(due[0].due_on, date(2025, 1, 5), "{b}");

        let anna = demo_login(store.as_ref(), "anna");
        assert!(
            matches!(
                store.erase_household(&anna, 3, "termijn verstreken", &policy, today, true),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        assert!(
            matches!(
                store.retention_due(&anna, &policy, today),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        let err = store
            .erase_household(&admin, 1, "termijn verstreken", &policy, today, true)
            .unwrap_err();
        assert!(err.to_string().contains("is nog open"), "{b}: {err}");
        let err = store
            .erase_household(&admin, 4, "termijn verstreken", &policy, today, true)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("loopt tot 01-06-2035. Er is niets gewist."),
            "{b}: {err}"
        );
        let err = store
            .erase_household(&admin, 3, "  ", &policy, today, true)
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{b}: {err}");

        // Youth care keeps a household twenty years.
        let mut youth = household(
            "Fam. Jeugd",
            "Overvecht",
            "100000046",
            Some(date(2010, 1, 5)),
        );
        youth.flags.push(DemoFlag {
            kind: "jeugdhulp".into(),
            since: date(2008, 3, 1),
            ended: None,
        });
        store.insert_demo_batch(&[youth], "test").unwrap();
        let youth_id = store.household_count().unwrap();
        let err = store
            .erase_household(&admin, youth_id, "termijn verstreken", &policy, today, true)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("de bewaartermijn (jeugdhulp) van 20 jaar loopt tot 05-01-2030"),
            "{b}: {err}"
        );
        let due = store.retention_due(&admin, &policy, today).unwrap();
        assert_eq!(due.len(), 1, "{b}: youth care is not due yet");

        let preview = store
            .erase_household(&admin, 3, "termijn verstreken", &policy, today, false)
            .unwrap();
        assert_eq!(preview.persons, 2, "{b}");
        let before = store.export_household(&anna, 3).unwrap();
        assert_eq!(
            before.members[0].name, "Fam. Oud ouder",
            "{b}: a preview erases nothing"
        );

        let erased = store
            .erase_household(&admin, 3, "termijn verstreken", &policy, today, true)
            .unwrap();
        assert_eq!(erased, preview, "{b}: the preview counted what was erased");
        // 12 notes, an agreement, a goal, a flag's end reason.
        assert_eq!(erased.texts, 15, "{b}");
        assert!(
            matches!(
                store.export_household(&anna, 3),
                Err(StoreError::NotFound(Missing::ErasedHousehold(3)))
            ),
            "{b}"
        );
        assert!(
            matches!(
                store.erase_household(&admin, 3, "nogmaals", &policy, today, true),
                Err(StoreError::NotFound(Missing::ErasedHousehold(3)))
            ),
            "{b}"
        );
        assert!(
            store
                .retention_due(&admin, &policy, today)
                .unwrap()
                .is_empty(),
            "{b}"
        );
        // The access log outlives the erasure and shows it, with the refusals before it.
        let log = store.household_access_log(&admin, 3).unwrap();
        let seen: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.username.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            seen,
            [("anna", "refused"), ("anna", "export"), ("beheer", "erase")],
            "{b}"
        );
        assert_eq!(
            log[2].detail.as_deref(),
            Some("2 personen, 15 teksten"),
            "{b}"
        );
        // The erased household's flags and persons no longer match an import by BSN.
        let carla = demo_login(store.as_ref(), "carla");
        let report = store
            .import_flags(&carla, &[flag_row(2, BSN_OLD, "schulden", None)])
            .unwrap();
        assert_eq!(report.unmatched, [2], "{b}");
        let check = store.check().unwrap();
        assert!(check.is_sound(), "{b}: {check:?}");
    });
}

fn flag_row(line: usize, bsn: &str, kind: &str, end: Option<NaiveDate>) -> FlagRow {
    FlagRow {
        line,
        bsn: Bsn::parse(bsn).unwrap(),
        kind: kind.into(),
        since: date(2026, 1, 1),
        source: "Suite".into(),
        end,
    }
}

#[test]
fn flags_are_set_and_ended_by_bsn_and_the_same_file_twice_changes_nothing() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, _admin) = demo(db);
        let carla = demo_login(store.as_ref(), "carla");
        let anna = demo_login(store.as_ref(), "anna");
        let file = [
            flag_row(2, BSN_OPEN, "schulden", None),
            flag_row(3, "100000034", "schulden", None),
            flag_row(4, BSN_OPEN, "huisuitzetting", None),
        ];
        let report = store.import_flags(&carla, &file).unwrap();
        assert_eq!((report.matched, report.set, report.ended), (2, 2, 0), "{b}");
        assert_eq!(report.unmatched, [3], "{b}");
        let again = store.import_flags(&carla, &file).unwrap();
        assert_eq!(
            (again.set, again.unchanged),
            (0, 2),
            "{b}: the same file changes nothing"
        );
        let ended = store
            .import_flags(
                &carla,
                &[flag_row(2, BSN_OPEN, "schulden", Some(date(2026, 3, 1)))],
            )
            .unwrap();
        assert_eq!(ended.ended, 1, "{b}");
        let flags = store.export_household(&anna, 1).unwrap().flags;
        let imported: Vec<(&str, bool)> = flags
            .iter()
            .filter(|f| f.source == FlagSource::Import)
            .map(|f| (f.kind.as_str(), f.ended.is_some()))
            .collect();
        assert_eq!(
            imported,
            [("huisuitzetting", false), ("schulden", true)],
            "{b}"
        );
        let log = store.household_access_log(&anna, 1).unwrap();
        let details: Vec<&str> = log
            .iter()
            .filter(|e| e.object == "flag")
            .filter_map(|e| e.detail.as_deref())
            .collect();
        assert_eq!(
            details,
            [
                "import uit Suite (regel 4): huisuitzetting sinds 01-01-2026",
                "import uit Suite (regel 2): schulden sinds 01-01-2026",
                "import uit Suite (regel 2): schulden beëindigd op 01-03-2026",
            ],
            "{b}"
        );
        assert!(
            matches!(
                store.import_flags(&anna, &file),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
    });
}

fn provider_row(line: usize, agb: &str, product: &str, tariff_cents: i64) -> ProviderRow {
    ProviderRow {
        line,
        name: format!("Zorg {agb}"),
        agb: AgbCode::parse(agb).unwrap(),
        contact: None,
        product: product.into(),
        tariff_cents,
        unit: Unit::Uur,
        valid_from: date(2026, 1, 1),
        valid_to: None,
    }
}

#[test]
fn providers_are_created_once_and_a_contract_with_other_terms_refuses_the_file() {
    each_backend(|db| {
        let b = db.backend;
        let (mut store, admin) = demo(db);
        let carla = demo_login(store.as_ref(), "carla");
        let file = [
            provider_row(2, "12345678", "45A01", 6500),
            provider_row(3, "12345678", "45A02", 7000),
            provider_row(4, "87654321", "45A01", 6400),
        ];
        let report = store.import_providers(&carla, &file, false).unwrap();
        assert_eq!(
            (
                report.providers_created,
                report.contracts_created,
                report.unchanged
            ),
            (2, 3, 0),
            "{b}"
        );
        let again = store.import_providers(&carla, &file, false).unwrap();
        assert_eq!(
            (
                again.providers_created,
                again.contracts_created,
                again.unchanged
            ),
            (0, 0, 3),
            "{b}"
        );
        let changed = [
            provider_row(2, "12345678", "45A01", 6600),
            provider_row(3, "11112222", "45A01", 6600),
        ];
        let err = store.import_providers(&carla, &changed, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Niets ingelezen: regel 2, kolom tarief: er is al een contract voor product 45A01 vanaf 01-01-2026 met andere voorwaarden; pas het in de app aan.",
            "{b}"
        );
        let skipped = store.import_providers(&carla, &changed, true).unwrap();
        assert_eq!(skipped.rejected.len(), 1, "{b}");
        assert_eq!(
            (skipped.providers_created, skipped.contracts_created),
            (1, 1),
            "{b}: the refused file added nothing, the skipping one the good row"
        );
        let anna = demo_login(store.as_ref(), "anna");
        assert!(
            matches!(
                store.import_providers(&anna, &file, false),
                Err(StoreError::Denied { .. })
            ),
            "{b}"
        );
        let created = store
            .user_trail(&admin, "carla")
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "create")
            .count();
        assert_eq!(
            created,
            2 + 3 + 1 + 1,
            "{b}: one audit row per provider and contract"
        );
    });
}
