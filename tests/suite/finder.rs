//! The finder as a user types: folding, fields, multi-word queries, ranking and team scope.

use chrono::NaiveDate;
use keukentafel::auth::Session;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::users::NewUser;
use keukentafel::store::Backend;

use crate::common::{Db, databases, query_rows};

const PASSWORD: &str = "lang-genoeg-wachtwoord";

struct Finder {
    db: Db,
    store: Box<dyn Backend>,
    anna: Session,
    bram: Session,
}

impl Finder {
    fn labels(&mut self, query: &str) -> Vec<String> {
        self.store
            .find_households(&self.anna, query, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.label)
            .collect()
    }
}

/// Runs `story` on the finder's households on every backend, each in a fresh database.
fn each_finder(story: impl Fn(Finder)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(finder(db));
    }
}

/// Households of team Overvecht (anna) and one of team Zuid (bram), in `db`.
fn finder(db: Db) -> Finder {
    let mut store = db.create(DatabaseKind::Production);
    store.create_first_admin("beheer", PASSWORD, "ws").unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws").unwrap();
    let mut teams = Vec::new();
    for (user, team) in [("anna", "Overvecht"), ("bram", "Zuid")] {
        teams.push(store.create_team(&beheer, team).unwrap().id);
        let new = NewUser {
            username: user,
            display_name: "",
            role: Role::Professional,
            team: Some(team),
            phone: None,
            password: PASSWORD,
        };
        store.create_user(&beheer, &new).unwrap();
    }
    let anna = store.authenticate("anna", PASSWORD, "ws").unwrap();
    let bram = store.authenticate("bram", PASSWORD, "ws").unwrap();
    let households = [
        (
            "Fam. Jansen",
            "Kanaalweg",
            "3",
            "3521 AB",
            "Piet Jansen",
            "12-03-1980",
            None,
            &anna,
            teams[0],
        ),
        (
            "Fam. Jansen-Bakker",
            "Vleutenseweg",
            "40",
            "3532 HA",
            "Els Jansen",
            "01-01-1975",
            None,
            &anna,
            teams[0],
        ),
        (
            "Fam. De Vries",
            "Zamenhofdreef",
            "112",
            "3562 JT",
            "Jan de Vries",
            "15-06-1990",
            Some("111222333"),
            &anna,
            teams[0],
        ),
        (
            "Fam. Müller",
            "Biltstraat",
            "7a",
            "3572 BC",
            "Anke Müller",
            "03-09-1988",
            None,
            &anna,
            teams[0],
        ),
        (
            "Fam. Eénhoorn",
            "Rijnlaan",
            "12-2",
            "3522 BV",
            "Kees Eénhoorn",
            "30-11-1969",
            None,
            &anna,
            teams[0],
        ),
        (
            "Fam. Janssens",
            "Smaragdplein",
            "9",
            "3523 EA",
            "Jan Janssens",
            "05-05-1985",
            None,
            &bram,
            teams[1],
        ),
    ];
    for (label, street, number, postcode, name, birth, bsn, who, team) in households {
        let new = NewHousehold {
            label: label.into(),
            address: Address::parse(street, number, postcode, "Utrecht").unwrap(),
            team_id: team,
            regisseur_id: who.user_id,
            opened_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        };
        let birth = NaiveDate::parse_from_str(birth, "%d-%m-%Y").ok();
        let first = PersonFields::parse(name, birth, "ouder", bsn, None).unwrap();
        store.create_household(who, &new, &first).unwrap();
    }
    Finder {
        db,
        store,
        anna,
        bram,
    }
}

#[test]
fn case_and_diacritics_are_folded() {
    each_finder(|mut f| {
        assert_eq!(f.labels("muller"), ["Fam. Müller"]);
        assert_eq!(f.labels("MÜLLER"), ["Fam. Müller"]);
        assert_eq!(f.labels("eenhoorn"), ["Fam. Eénhoorn"]);
        assert_eq!(f.labels("de vries"), ["Fam. De Vries"]);
    });
}

#[test]
fn every_field_is_searchable() {
    each_finder(|mut f| {
        assert_eq!(f.labels("zamenhof"), ["Fam. De Vries"], "street prefix");
        assert_eq!(
            f.labels("3562 JT"),
            ["Fam. De Vries"],
            "postcode with space"
        );
        assert_eq!(
            f.labels("3562jt"),
            ["Fam. De Vries"],
            "postcode without space"
        );
        assert_eq!(
            f.labels("7a"),
            ["Fam. Müller"],
            "house number with addition"
        );
        assert_eq!(
            f.labels("15-06-1990"),
            ["Fam. De Vries"],
            "birth date dd-mm-jjjj"
        );
        assert_eq!(
            f.labels("3-9-1988"),
            ["Fam. Müller"],
            "birth date without leading zeros"
        );
        assert_eq!(f.labels("anke"), ["Fam. Müller"], "member first name");
    });
}

#[test]
fn bsn_matches_exactly_only() {
    each_finder(|mut f| {
        assert_eq!(f.labels("111222333"), ["Fam. De Vries"]);
        assert_eq!(f.labels("111 222 333"), ["Fam. De Vries"]);
        assert!(
            f.labels("11122233").is_empty(),
            "a partial BSN finds nothing"
        );
        assert!(f.labels("111222").is_empty());
    });
}

#[test]
fn words_match_across_fields() {
    each_finder(|mut f| {
        assert_eq!(f.labels("jansen 3521"), ["Fam. Jansen"]);
        assert_eq!(f.labels("jansen vleuten"), ["Fam. Jansen-Bakker"]);
        assert!(f.labels("jansen zamenhof").is_empty());
    });
}

#[test]
fn exact_words_rank_before_prefixes() {
    each_finder(|mut f| {
        // "jansen" is a whole word of both Jansen labels; "Jansen-Bakker" also carries it whole.
        assert_eq!(f.labels("jansen"), ["Fam. Jansen", "Fam. Jansen-Bakker"]);
        // "jan": Jan de Vries has the exact word, the Jansens only a prefix.
        assert_eq!(
            f.labels("jan"),
            ["Fam. De Vries", "Fam. Jansen", "Fam. Jansen-Bakker"]
        );
    });
}

#[test]
fn a_full_list_holds_the_best_tiers_only_and_each_household_once() {
    each_finder(|mut f| {
        let first = |f: &mut Finder, query: &str, limit: usize| -> Vec<String> {
            f.store
                .find_households(&f.anna, query, limit)
                .unwrap()
                .into_iter()
                .map(|h| h.label)
                .collect()
        };
        // "jan": one exact word (Jan de Vries), then two label prefixes (the Jansens).
        assert_eq!(first(&mut f, "jan", 1), ["Fam. De Vries"]);
        let two = first(&mut f, "jan", 2);
        assert_eq!(two.len(), 2, "{two:?}");
        assert_eq!(two[0], "Fam. De Vries");
        assert!(two[1].starts_with("Fam. Jansen"), "{two:?}");
        // "jansen" is exact in both Jansen labels (and in their members' names): listed once each.
        assert_eq!(first(&mut f, "jansen", 1).len(), 1);
        assert_eq!(
            first(&mut f, "jansen", 10),
            ["Fam. Jansen", "Fam. Jansen-Bakker"]
        );
        assert!(first(&mut f, "jan", 0).is_empty());
    });
}

#[test]
fn a_professional_finds_only_their_own_team() {
    each_finder(|mut f| {
        assert!(
            f.labels("janssens").is_empty(),
            "Zuid's household is invisible to anna"
        );
        let bram: Vec<_> = f
            .store
            .find_households(&f.bram, "jan", 50)
            .unwrap()
            .into_iter()
            .map(|h| h.label)
            .collect();
        assert_eq!(bram, ["Fam. Janssens"]);
    });
}

#[test]
fn the_team_scope_word_is_not_searchable() {
    each_finder(|mut f| {
        assert!(
            f.labels("t1").is_empty(),
            "typing a team's index word finds nothing"
        );
        assert!(f.labels("t").is_empty());
    });
}

#[test]
fn any_typed_text_gives_results_or_none_never_an_error() {
    each_finder(|mut f| {
        for query in [
            "नमस्ते",
            "Ⓐ",
            "\"",
            "*",
            "jan:",
            "(",
            "NEAR",
            "a AND",
            "e\u{301}",
        ] {
            let result = f.store.find_households(&f.anna, query, 50);
            assert!(result.is_ok(), "{query:?}: {result:?}");
        }
    });
}

#[test]
fn a_bsn_lookup_is_audited_without_the_number() {
    each_finder(|mut f| {
        // The number of audit rows (as check counts them) and every row's detail.
        let audit_rows = |f: &Finder| -> (i64, String) {
            let rows = f.store.check().unwrap().chain.rows as i64;
            let details: Vec<String> =
                query_rows(&f.db, "SELECT detail FROM audit_log ORDER BY id")
                    .into_iter()
                    .map(|r| r[0].clone().unwrap_or_default())
                    .collect();
            (rows, details.join("|"))
        };
        let (before, _) = audit_rows(&f);
        assert_eq!(f.labels("111222333"), ["Fam. De Vries"]);
        let (after, details) = audit_rows(&f);
        assert_eq!(after, before + 1);
        assert!(
            !details.contains("111222333"),
            "the audit log does not hold the BSN"
        );
        f.labels("jansen");
        assert_eq!(
            audit_rows(&f).0,
            after,
            "word searches are not audited per keystroke"
        );
    });
}
