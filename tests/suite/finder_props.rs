//! Property tests for the finder with the fuzz target's properties (fuzz/fuzz_targets/finder.rs):
//! whatever is typed, the query words hold only letters and digits, and the finder answers
//! without an error.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::clock::FixedClock;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::users::NewUser;
use keukentafel::store::Store;
use keukentafel::store::sqlite::search::query_words;
use proptest::prelude::*;

const PASSWORD: &str = "lang-genoeg-wachtwoord";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn query_words_hold_only_letters_and_digits(text in any::<String>()) {
        check_words(&text)?;
    }

    #[test]
    fn query_words_of_search_like_text_hold_only_letters_and_digits(
        text in "[a-zA-Zéëï0-9 \"'*:(){}^+\\-./]{0,24}"
    ) {
        check_words(&text)?;
    }
}

fn check_words(text: &str) -> Result<(), TestCaseError> {
    for word in query_words(text) {
        prop_assert!(!word.is_empty(), "empty word from {:?}", text);
        prop_assert!(
            word.chars().all(char::is_alphanumeric),
            "word {:?} from {:?}",
            word,
            text
        );
    }
    Ok(())
}

#[test]
fn the_finder_answers_any_text_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store =
        Store::create(&dir.path().join("k.db"), DatabaseKind::Production, clock).unwrap();
    store.create_first_admin("beheer", PASSWORD, "ws").unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws").unwrap();
    let team = store.create_team(&beheer, "Overvecht").unwrap().id;
    let new_user = NewUser {
        username: "anna",
        display_name: "",
        role: Role::Professional,
        team: Some("Overvecht"),
        phone: None,
        password: PASSWORD,
    };
    store.create_user(&beheer, &new_user).unwrap();
    let anna = store.authenticate("anna", PASSWORD, "ws").unwrap();
    let new = NewHousehold {
        label: "Fam. El Amrani".into(),
        address: Address::parse("Zamenhofdreef", "12a", "3562ab", "Utrecht").unwrap(),
        team_id: team,
        regisseur_id: anna.user_id,
        opened_on: NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
    };
    let first = PersonFields::parse(
        "Fatima El Amrani",
        NaiveDate::from_ymd_opt(1985, 4, 1),
        "ouder",
        Some("111222333"),
        None,
    )
    .unwrap();
    store.create_household(&anna, &new, &first).unwrap();

    let store = std::cell::RefCell::new(store);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(512));
    let strategy = prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 \"'*:(){}^+\\-./]{0,24}",
        Just("\"".to_string()),
        Just("amr*".to_string()),
        Just("NEAR(a b)".to_string()),
        Just("label:x".to_string()),
        Just("15-3-1985".to_string()),
        Just("111222333".to_string()),
    ];
    runner
        .run(&strategy, |text| {
            match store.borrow_mut().find_households(&anna, &text, 50) {
                Ok(_) => Ok(()),
                Err(e) => Err(TestCaseError::fail(format!("{text:?}: {e}"))),
            }
        })
        .unwrap();
}
