//! Login hardening: growing delays after failed logins, disabled accounts and passwords, through
//! the store (with an injected clock) and through `keukentafel user passwd/disable/enable`.

use crate::common::{Cli, each_backend};
use crate::privacy_world;

use chrono::Duration;
use keukentafel::store::StoreError;
use predicates::str::contains;
use privacy_world::{PASSWORD, audit_rows, each_world, last_audit};

fn wrong(w: &privacy_world::World, name: &str) -> StoreError {
    w.store
        .authenticate(name, "helemaal-fout", "ws")
        .unwrap_err()
}

#[test]
fn five_failures_make_the_account_wait_and_the_wait_grows() {
    each_world(|w| {
        for _ in 0..4 {
            let err = wrong(&w, "anna");
            assert_eq!(
                err.to_string(),
                "Onbekende gebruiker of onjuist wachtwoord."
            );
        }
        let err = wrong(&w, "anna");
        assert!(
            matches!(err, StoreError::LoginDelayed { wait_seconds: 30 }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "Te veel mislukte inlogpogingen voor dit account. Probeer het over 30 seconden opnieuw."
        );
        // During the wait even the right password is refused, without being checked.
        let err = w.store.authenticate("anna", PASSWORD, "ws").unwrap_err();
        assert!(matches!(err, StoreError::LoginDelayed { .. }), "{err:?}");
        // Another user is not affected.
        assert!(w.store.authenticate("bram", PASSWORD, "ws").is_ok());
        // After the wait a wrong password makes the next wait twice as long.
        w.clock.advance(Duration::seconds(31));
        let err = wrong(&w, "anna");
        assert!(
            matches!(err, StoreError::LoginDelayed { wait_seconds: 60 }),
            "{err:?}"
        );
        w.clock.advance(Duration::seconds(61));
        let err = wrong(&w, "anna");
        assert!(err.to_string().contains("over 2 minuten"), "{err}");
        // After the wait the right password works and starts the count afresh.
        w.clock.advance(Duration::minutes(3));
        assert!(w.store.authenticate("anna", PASSWORD, "ws").is_ok());
        for _ in 0..4 {
            assert!(matches!(wrong(&w, "anna"), StoreError::Invalid(_)));
        }
    });
}

#[test]
fn every_failed_or_refused_login_is_audited_and_a_success_is_not() {
    each_world(|w| {
        let rows = audit_rows(&w);
        wrong(&w, "anna");
        assert_eq!(audit_rows(&w), rows + 1);
        let row = last_audit(&w);
        assert_eq!(
            (row.action.as_str(), row.username.as_str()),
            ("login", "anna")
        );
        assert!(row.detail.unwrap().starts_with("mislukt"));
        let _ = w.store.authenticate("niemand", PASSWORD, "ws");
        assert_eq!(audit_rows(&w), rows + 2);
        assert_eq!(last_audit(&w).username, "(onbekend)");
        w.store.authenticate("anna", PASSWORD, "ws").unwrap();
        assert_eq!(audit_rows(&w), rows + 2);
    });
}

#[test]
fn a_disabled_account_cannot_log_in_and_is_told_so_only_with_the_right_password() {
    each_world(|mut w| {
        let beheer = w.beheer.clone();
        w.store.set_disabled(&beheer, "anna", true).unwrap();
        let err = w.store.authenticate("anna", PASSWORD, "ws").unwrap_err();
        assert!(matches!(err, StoreError::AccountDisabled), "{err:?}");
        assert!(err.to_string().contains("geblokkeerd"), "{err}");
        assert_eq!(
            last_audit(&w).detail.as_deref(),
            Some("geweigerd: account geblokkeerd")
        );
        assert!(matches!(wrong(&w, "anna"), StoreError::Invalid(_)));
        w.store.set_disabled(&beheer, "anna", false).unwrap();
        assert!(w.store.authenticate("anna", PASSWORD, "ws").is_ok());
    });
}

#[test]
fn enabling_an_account_lifts_a_login_delay() {
    each_world(|mut w| {
        for _ in 0..5 {
            wrong(&w, "anna");
        }
        let beheer = w.beheer.clone();
        w.store.set_disabled(&beheer, "anna", false).unwrap();
        assert!(w.store.authenticate("anna", PASSWORD, "ws").is_ok());
    });
}

#[test]
fn only_a_beheerder_blocks_accounts_and_not_their_own() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        assert!(matches!(
            w.store.set_disabled(&anna, "bram", true),
            Err(StoreError::Denied { .. })
        ));
        let beheer = w.beheer.clone();
        let err = w.store.set_disabled(&beheer, "beheer", true).unwrap_err();
        assert!(err.to_string().contains("eigen account"), "{err}");
        assert!(w.store.authenticate("bram", PASSWORD, "ws").is_ok());
    });
}

#[test]
fn passwords_change_own_or_by_the_beheerder_with_ten_characters_at_least() {
    each_world(|mut w| {
        let anna = w.anna.clone();
        let err = w.store.set_password(&anna, "anna", "kort").unwrap_err();
        assert!(err.to_string().contains("minstens 10"), "{err}");
        assert!(matches!(
            w.store.set_password(&anna, "bram", "nieuw-wachtwoord"),
            Err(StoreError::Denied { .. })
        ));
        w.store
            .set_password(&anna, "anna", "nieuw-wachtwoord")
            .unwrap();
        assert!(w.store.authenticate("anna", PASSWORD, "ws").is_err());
        assert!(
            w.store
                .authenticate("anna", "nieuw-wachtwoord", "ws")
                .is_ok()
        );
        let beheer = w.beheer.clone();
        w.store
            .set_password(&beheer, "bram", "ander-wachtwoord")
            .unwrap();
        assert!(
            w.store
                .authenticate("bram", "ander-wachtwoord", "ws")
                .is_ok()
        );
        let row = last_audit(&w);
        assert_eq!(row.detail.as_deref(), Some("wachtwoord gewijzigd"));
    });
}

// ------------------------------------------------------------------ the commands

#[test]
fn user_disable_and_enable_from_the_command_line() {
    each_backend(|db| {
        let cli = Cli::on(db);
        cli.demo(10, 1);
        cli.as_user("beheer", &["demo"], &["user", "disable", "anna"])
            .assert()
            .success()
            .stdout(contains("Account anna is geblokkeerd"));
        cli.as_user("anna", &["demo"], &["audit", "--household", "1"])
            .assert()
            .failure()
            .stderr(contains("Dit account is geblokkeerd"));
        cli.as_user("beheer", &["demo"], &["user", "list"])
            .assert()
            .success()
            .stdout(predicates::str::is_match(r"anna .*geblokkeerd").unwrap());
        cli.as_user("bram", &["demo"], &["user", "enable", "anna"])
            .assert()
            .failure()
            .stderr(contains("Dat mag je niet met jouw rol (professional)"));
        cli.as_user("beheer", &["demo"], &["user", "enable", "anna"])
            .assert()
            .success()
            .stdout(contains("weer vrijgegeven"));
        cli.as_user("anna", &["demo"], &["audit", "--household", "1"])
            .assert()
            .success();
    });
}

#[test]
fn user_passwd_changes_your_own_and_refuses_someone_elses() {
    each_backend(|db| {
        let cli = Cli::on(db);
        cli.demo(10, 1);
        cli.as_user("anna", &["demo", "kort"], &["user", "passwd", "anna"])
            .assert()
            .failure()
            .stderr(contains("te kort"));
        cli.as_user(
            "anna",
            &["demo", "nieuw-wachtwoord"],
            &["user", "passwd", "bram"],
        )
        .assert()
        .failure()
        .stderr(contains("Dat mag je niet"));
        cli.as_user(
            "anna",
            &["demo", "nieuw-wachtwoord"],
            &["user", "passwd", "anna"],
        )
        .assert()
        .success()
        .stdout(contains("Wachtwoord van anna gewijzigd."));
        cli.as_user(
            "anna",
            &["nieuw-wachtwoord"],
            &["audit", "--household", "1"],
        )
        .assert()
        .success();
        cli.as_user(
            "beheer",
            &["demo", "ander-wachtwoord"],
            &["user", "passwd", "bram"],
        )
        .assert()
        .success();
        cli.as_user(
            "bram",
            &["ander-wachtwoord"],
            &["audit", "--household", "2"],
        )
        .assert()
        .success();
    });
}

#[test]
fn the_command_line_says_how_long_to_wait_after_five_wrong_passwords() {
    each_backend(|db| {
        let cli = Cli::on(db);
        cli.demo(10, 1);
        for _ in 0..4 {
            cli.as_user("anna", &["fout"], &["audit", "--household", "1"])
                .assert()
                .failure()
                .stderr(contains("Onbekende gebruiker of onjuist wachtwoord."));
        }
        cli.as_user("anna", &["fout"], &["audit", "--household", "1"])
            .assert()
            .failure()
            .stderr(contains("Probeer het over 30 seconden opnieuw."));
        cli.as_user("anna", &["demo"], &["audit", "--household", "1"])
            .assert()
            .failure()
            .stderr(contains("Te veel mislukte inlogpogingen"));
    });
}

/// The login details the audit log holds for `name`, oldest first.
fn login_details(w: &mut privacy_world::World, name: &str) -> Vec<String> {
    let beheer = w.beheer.clone();
    w.store
        .user_trail(&beheer, name)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "login")
        .filter_map(|r| r.detail)
        .collect()
}

#[test]
fn twenty_parallel_wrong_passwords_get_no_more_checks_than_the_free_attempts() {
    each_world(|mut w| {
        let location = w.db.location.clone();
        let threads: Vec<_> = (0..20)
            .map(|_| {
                let location = location.clone();
                let clock = w.clock.clone();
                std::thread::spawn(move || {
                    let store = keukentafel::store::open(&location, clock).unwrap();
                    store
                        .authenticate("anna", "helemaal-fout", "ws")
                        .unwrap_err()
                })
            })
            .collect();
        let errors: Vec<StoreError> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let details = login_details(&mut w, "anna");
        let checked = details.iter().filter(|d| d.starts_with("mislukt")).count();
        let waited = details.iter().filter(|d| d.contains("wachttijd")).count();
        assert_eq!(
            checked,
            keukentafel::store::sqlite::login::FREE_ATTEMPTS as usize,
            "{details:?}"
        );
        assert_eq!(checked + waited, 20, "every try is audited: {details:?}");
        let delayed = errors
            .iter()
            .filter(|e| matches!(e, StoreError::LoginDelayed { .. }))
            .count();
        assert_eq!(
            delayed, 16,
            "the fifth failure and every refused try say wait"
        );
        // The right password waits too until the delay is over.
        assert!(matches!(
            w.store.authenticate("anna", PASSWORD, "ws"),
            Err(StoreError::LoginDelayed { .. })
        ));
    });
}

#[test]
fn an_unknown_name_answers_exactly_as_a_known_one_at_every_attempt() {
    each_world(|w| {
        let known: Vec<String> = (0..7).map(|_| wrong(&w, "anna").to_string()).collect();
        let unknown: Vec<String> = (0..7).map(|_| wrong(&w, "niemand").to_string()).collect();
        assert_eq!(known, unknown);
        assert!(
            unknown[6].starts_with("Te veel mislukte inlogpogingen"),
            "{unknown:?}"
        );
        // The count of an unknown name also waits out and grows, like an account's.
        w.clock.advance(Duration::seconds(31));
        assert_eq!(
            wrong(&w, "niemand").to_string(),
            "Te veel mislukte inlogpogingen voor dit account. Probeer het over 1 minuut opnieuw."
        );
    });
}

#[test]
fn check_never_reports_a_broken_chain_while_four_colleagues_save() {
    each_world(|w| {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|_| {
                let (location, clock, stop) =
                    (w.db.location.clone(), w.clock.clone(), stop.clone());
                let (anna, household) = (w.anna.clone(), w.overvecht_household);
                std::thread::spawn(move || {
                    let mut store = keukentafel::store::open(&location, clock).unwrap();
                    let fields = keukentafel::domain::contact::ContactFields::new(
                        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                        "telefoon",
                        5,
                        None,
                    )
                    .unwrap();
                    let mut saved = 0u32;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        store.record_contact(&anna, household, &fields).unwrap();
                        saved += 1;
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    saved
                })
            })
            .collect();
        let mut alarms = Vec::new();
        for _ in 0..200 {
            let report = w.store.check().unwrap();
            if !report.is_sound() {
                alarms.push(report);
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let saved: u32 = writers.into_iter().map(|t| t.join().unwrap()).sum();
        assert!(saved > 0, "the colleagues saved meanwhile");
        assert!(
            alarms.is_empty(),
            "{} false alarms of 200, the first: {:?}",
            alarms.len(),
            alarms.first()
        );
        assert!(w.store.check().unwrap().is_sound());
    });
}
