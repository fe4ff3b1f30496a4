//! Fuzzes what a user types into the finder: the query words never carry anything but letters
//! and digits into the index query (they are quoted into an FTS5 expression), and
//! `find_households` answers every text without an error or a panic.
//!
//! This is also the pattern for a target that feeds typed text to the store: build a small
//! database once (a `OnceLock`), then run the input against it. Copy it for the command
//! palette (typed command lines) and for each CSV importer (whole files); see fuzz/README.md.

#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{TimeZone, Utc};
use keukentafel::auth::Session;
use keukentafel::clock::FixedClock;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::store::sqlite::search::query_words;
use keukentafel::model::users::NewUser;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::store::Store;
use libfuzzer_sys::fuzz_target;

const PASSWORD: &str = "lang-genoeg-wachtwoord";

/// A database with one professional and two households, made once per fuzzing process.
fn world() -> &'static Mutex<(Store, Session)> {
    static WORLD: OnceLock<Mutex<(Store, Session)>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir: PathBuf = std::env::temp_dir().join(format!("kt-fuzz-finder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()));
        let mut store =
            Store::create(&dir.join("k.db"), DatabaseKind::Production, clock).expect("create");
        store.create_first_admin("beheer", PASSWORD, "fuzz").expect("admin");
        let beheer = store.authenticate("beheer", PASSWORD, "fuzz").expect("beheer");
        let team = store.create_team(&beheer, "Overvecht").expect("team").id;
        let anna = NewUser {
            username: "anna",
            display_name: "",
            role: Role::Professional,
            team: Some("Overvecht"),
            phone: None,
            password: PASSWORD,
        };
        store.create_user(&beheer, &anna).expect("anna");
        let anna = store.authenticate("anna", PASSWORD, "fuzz").expect("anna");
        for (label, name, street, postcode) in [
            ("Fam. El Amrani", "Fatima El Amrani", "Zamenhofdreef", "3562ab"),
            ("Fam. de Vries-Jansen", "Jan de Vries", "Kanaalweg", "3526kl"),
        ] {
            let new = NewHousehold {
                label: label.into(),
                address: Address::parse(street, "12a", postcode, "Utrecht").expect("address"),
                team_id: team,
                regisseur_id: anna.user_id,
                opened_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 3).expect("date"),
            };
            let first = PersonFields::parse(name, chrono::NaiveDate::from_ymd_opt(1985, 4, 1), "ouder", Some("111222333"), None)
                .expect("person");
            store.create_household(&anna, &new, &first).expect("household");
        }
        Mutex::new((store, anna))
    })
}

fuzz_target!(|text: &str| {
    for word in query_words(text) {
        assert!(!word.is_empty(), "empty word from {text:?}");
        assert!(
            word.chars().all(char::is_alphanumeric),
            "word {word:?} from {text:?} carries more than letters and digits"
        );
    }
    let mut guard = world().lock().unwrap_or_else(|e| e.into_inner());
    let (store, anna) = &mut *guard;
    if let Err(e) = store.find_households(anna, text, 50) {
        panic!("the finder refused {text:?}: {e}");
    }
});
