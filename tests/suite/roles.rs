//! The role × operation matrix, walked through the store (not just the policy function): every
//! role, also a professional and a teamleider of the other team, tries every operation on the
//! Overvecht household, and the outcome is compared with the matrix in the README.

use crate::privacy_world;

use keukentafel::auth::Session;
use keukentafel::auth::policy::{self, Operation};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::household::PersonFields;
use keukentafel::domain::retention::RetentionPolicy;
use keukentafel::model::dashboard::DashboardAccess;
use keukentafel::model::worklists::Worklist;
use keukentafel::store::StoreError;
use privacy_world::{World, audit_rows, content_snapshot, each_world, last_audit, today};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Done.
    Allowed,
    /// Refused: the role may not do this.
    Denied,
    /// Refused: the household does not exist for this user (other team).
    Hidden,
}
use Outcome::*;

fn outcome<T>(result: Result<T, StoreError>) -> Outcome {
    match result {
        Ok(_) => Allowed,
        Err(StoreError::Denied { .. }) => Denied,
        Err(StoreError::NotFound(_)) => Hidden,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// Tries `op` as `who` on the Overvecht household, through the store.
fn attempt(w: &mut World, who: &Session, op: Operation, n: usize) -> Outcome {
    let h = w.overvecht_household;
    let store = &mut w.store;
    match op {
        Operation::FindHouseholds => match store.find_households(who, "amrani", 10) {
            Ok(hits) if hits.iter().any(|hit| hit.id == h) => Allowed,
            Ok(_) => Hidden,
            other => outcome(other),
        },
        Operation::ReadHousehold => match store.load_dashboard(who, h) {
            Ok(d) if d.access == DashboardAccess::Full => {
                assert!(!d.contacts.is_empty() && !d.flags.is_empty());
                Allowed
            }
            // The administrative part only: no content.
            Ok(d) => {
                assert!(d.contacts.is_empty() && d.assessments.is_empty() && d.flags.is_empty());
                assert!(d.goals.is_empty() && d.agreements.is_empty());
                Denied
            }
            other => outcome(other),
        },
        Operation::ReadAdministration => match store.load_dashboard(who, h) {
            Ok(d) => {
                assert!(
                    d.members[0].bsn.is_some(),
                    "administrative data holds the BSN"
                );
                assert!(!d.consents.is_empty());
                Allowed
            }
            other => outcome(other),
        },
        Operation::WriteHousehold => outcome(store.record_contact(
            who,
            h,
            &ContactFields::new(today(), "telefoon", 10, None).unwrap(),
        )),
        Operation::WriteAdministration => {
            let fields = PersonFields::parse(
                "Fatima El Amrani",
                chrono::NaiveDate::from_ymd_opt(1985, 4, 1),
                "ouder",
                Some("111222333"),
                Some("06 9999 0000"),
            )
            .unwrap();
            outcome(store.update_person(who, w.fatima, &fields))
        }
        Operation::ExportHousehold => outcome(store.export_household(who, h)),
        Operation::ReadAccessLog => outcome(store.household_access_log(who, h)),
        Operation::ReassignRegisseur => outcome(store.reassign_regisseur(who, h, "anna")),
        // The figures are the steering report's (a later change); the policy decides there.
        Operation::ReadFigures => match policy::allows(who, op, Some(1)) {
            true => Allowed,
            false if policy::role_allows(who.role, op) => Hidden,
            false => Denied,
        },
        Operation::ListUsers => outcome(store.list_users(who)),
        Operation::ManageUsers => outcome(store.create_team(who, &format!("Team {n}"))),
        Operation::ReadUserTrail => outcome(store.user_trail(who, "anna")),
        Operation::ManageRetention => {
            outcome(store.retention_due(who, &RetentionPolicy::default(), today()))
        }
        Operation::DecideProvision => {
            outcome(store.worklist(who, Worklist::AwaitingBeschikking, today()))
        }
        Operation::ManageDatabase => {
            if store.is_server() {
                // A server is backed up with its own tools: keukentafel has no act for it, so
                // on a server the policy answers (on SQLite the backup itself does).
                return if policy::role_allows(who.role, op) {
                    Allowed
                } else {
                    Denied
                };
            }
            // A backup exists for a file only: made through the SQLite store on the world's file.
            let target = w.path.with_file_name(format!("backup-{n}.db"));
            let mut file = keukentafel::store::Store::open_with_clock(&w.path, w.clock.clone())
                .expect("the world's file");
            outcome(file.backup_to(who, &target))
        }
        Operation::ManageProviders => outcome(store.add_provider(
            who,
            &format!("Aanbieder {n}"),
            &format!("{:08}", 73_000_000 + n),
            None,
        )),
        // An empty import changes nothing, so only the policy decides.
        Operation::ImportFlags => outcome(store.import_flags(who, &[])),
    }
}

/// The matrix of the README, written out by hand: for each operation, the outcome for
/// anna (professional, own team), bram (professional, other team), carla (backoffice),
/// dirk (teamleider, own team), wim (teamleider, other team), beheer (beheerder).
const MATRIX: [(Operation, [Outcome; 6]); 17] = [
    (
        Operation::FindHouseholds,
        [Allowed, Hidden, Allowed, Denied, Denied, Denied],
    ),
    (
        Operation::ReadHousehold,
        [Allowed, Hidden, Denied, Denied, Denied, Denied],
    ),
    (
        Operation::ReadAdministration,
        [Allowed, Hidden, Allowed, Denied, Denied, Denied],
    ),
    (
        Operation::WriteHousehold,
        [Allowed, Hidden, Denied, Denied, Denied, Denied],
    ),
    (
        Operation::WriteAdministration,
        [Allowed, Hidden, Allowed, Denied, Denied, Denied],
    ),
    (
        Operation::ExportHousehold,
        [Allowed, Hidden, Denied, Denied, Denied, Denied],
    ),
    (
        Operation::ReadAccessLog,
        [Allowed, Hidden, Denied, Denied, Denied, Allowed],
    ),
    (
        Operation::ReassignRegisseur,
        [Allowed, Hidden, Denied, Allowed, Hidden, Denied],
    ),
    (
        Operation::ReadFigures,
        [Allowed, Hidden, Allowed, Allowed, Hidden, Allowed],
    ),
    (
        Operation::ListUsers,
        [Denied, Denied, Denied, Allowed, Allowed, Allowed],
    ),
    (
        Operation::ManageUsers,
        [Denied, Denied, Denied, Denied, Denied, Allowed],
    ),
    (
        Operation::ReadUserTrail,
        [Denied, Denied, Denied, Denied, Denied, Allowed],
    ),
    (
        Operation::ManageRetention,
        [Denied, Denied, Denied, Denied, Denied, Allowed],
    ),
    (
        Operation::DecideProvision,
        [Denied, Denied, Allowed, Denied, Denied, Denied],
    ),
    (
        Operation::ManageProviders,
        [Denied, Denied, Allowed, Denied, Denied, Denied],
    ),
    (
        Operation::ManageDatabase,
        [Denied, Denied, Denied, Denied, Denied, Allowed],
    ),
    (
        Operation::ImportFlags,
        [Denied, Denied, Allowed, Denied, Denied, Denied],
    ),
];

#[test]
fn every_role_tries_every_operation_and_gets_what_the_matrix_says() {
    each_world(|mut w| {
        let who = [
            w.anna.clone(),
            w.bram.clone(),
            w.carla.clone(),
            w.dirk.clone(),
            w.wim.clone(),
            w.beheer.clone(),
        ];
        let mut n = 0;
        let mut wrong = Vec::new();
        for (op, expected) in MATRIX {
            for (session, want) in who.iter().zip(expected) {
                n += 1;
                let got = attempt(&mut w, session, op, n);
                if got != want {
                    wrong.push(format!(
                        "{} {op:?}: got {got:?}, want {want:?}",
                        session.username
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The matrix covers every operation.
        for op in Operation::ALL {
            assert!(MATRIX.iter().any(|(o, _)| *o == op), "{op:?} missing");
        }
    });
}

#[test]
fn a_refused_household_operation_writes_one_audit_row_and_changes_nothing() {
    each_world(|mut w| {
        let h = w.overvecht_household;
        let cases: [(&Session, Operation); 7] = [
            (&w.bram.clone(), Operation::WriteHousehold),
            (&w.bram.clone(), Operation::ReadHousehold),
            (&w.carla.clone(), Operation::WriteHousehold),
            (&w.carla.clone(), Operation::ExportHousehold),
            (&w.dirk.clone(), Operation::ReadAdministration),
            (&w.carla.clone(), Operation::ReassignRegisseur),
            (&w.beheer.clone(), Operation::WriteAdministration),
        ];
        for (who, op) in cases {
            let before_rows = audit_rows(&w);
            let before = content_snapshot(&w);
            let got = attempt(&mut w, who, op, 0);
            assert_ne!(got, Allowed, "{} {op:?}", who.username);
            assert_eq!(content_snapshot(&w), before, "{} {op:?}", who.username);
            assert_eq!(audit_rows(&w), before_rows + 1, "{} {op:?}", who.username);
            let row = last_audit(&w);
            assert_eq!(row.action, "refused");
            assert_eq!(row.username, who.username);
            assert_eq!(row.household_id, Some(h));
            assert!(row.detail.is_some());
        }
        assert!(w.store.check().unwrap().is_sound());
    });
}

#[test]
fn other_teams_households_do_not_exist_for_a_professional_even_by_bsn() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        let hits = w.store.find_households(&anna, "vos", 10).unwrap();
        assert!(hits.is_empty(), "{hits:?}");
        let hits = w.store.find_households(&anna, "123456782", 10).unwrap();
        assert!(hits.is_empty(), "{hits:?}");
        let err = w.store.load_dashboard(&anna, w.zuid_household).unwrap_err();
        // The same answer as for a household that does not exist at all.
        let missing = w.store.load_dashboard(&anna, 9999).unwrap_err();
        assert_eq!(
            err.to_string().replace(&w.zuid_household.to_string(), "N"),
            missing.to_string().replace("9999", "N")
        );
    });
}

#[test]
fn backoffice_gets_the_administrative_dashboard_marked_as_such() {
    each_world(|mut w| {
        let carla = w.carla.clone();
        let d = w.store.load_dashboard(&carla, w.zuid_household).unwrap();
        assert_eq!(d.access, DashboardAccess::Administrative);
        assert!(d.access.is_restricted());
        assert_eq!(
            d.access.notice(keukentafel::i18n::Lang::Nl),
            Some("Geen toegang tot inhoud: je rol ziet alleen de administratieve gegevens.")
        );
        assert_eq!(d.members[0].name, "Petra Vos");
        assert!(d.contacts.is_empty() && d.assessments.is_empty());
        let row = last_audit(&w);
        assert_eq!(
            (row.action.as_str(), row.detail.as_deref()),
            ("read", Some("dashboard administratief"))
        );
    });
}

#[test]
fn a_teamleider_reassigns_only_to_an_active_colleague_of_the_same_team() {
    each_world(|mut w| {
        let dirk = w.dirk.clone();
        let h = w.overvecht_household;
        let fenna = w.store.reassign_regisseur(&dirk, h, "fenna").unwrap();
        assert_eq!(fenna.username, "fenna");
        let anna = w.anna.clone();
        assert_eq!(
            w.store.load_dashboard(&anna, h).unwrap().regisseur.username,
            "fenna"
        );
        let before = content_snapshot(&w);
        let err = w.store.reassign_regisseur(&dirk, h, "bram").unwrap_err();
        assert!(err.to_string().contains("van hetzelfde team"), "{err}");
        assert!(w.store.reassign_regisseur(&dirk, h, "carla").is_err());
        assert!(w.store.reassign_regisseur(&dirk, h, "niemand").is_err());
        assert_eq!(content_snapshot(&w), before);
        let beheer = w.beheer.clone();
        w.store.set_disabled(&beheer, "anna", true).unwrap();
        assert!(w.store.reassign_regisseur(&dirk, h, "anna").is_err());
    });
}
