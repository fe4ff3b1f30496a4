//! Stories of households and their members, the finder, the dashboard with every change and
//! its undo, the records on it, home, the plan and the regisseur, on every backend (see
//! `common`).

use chrono::NaiveDate;
use keukentafel::auth::Session;
use keukentafel::auth::policy::Operation;
use keukentafel::domain::address::HouseNumber;
use keukentafel::domain::agreement::{Actor, AgreementFields, AgreementStatus};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::goal::GoalStatus;
use keukentafel::domain::household::{Address, HouseholdStatus, NewHousehold, PersonFields};
use keukentafel::domain::postcode::Postcode;
use keukentafel::domain::provision::{Financing, Frequency, Law, ProvisionFields, Unit};
use keukentafel::domain::zrm::{Score, Scores};
use keukentafel::model::changes::{Change, GoalFields, Undo};
use keukentafel::model::dashboard::DashboardAccess;
use keukentafel::store::{Backend, Missing, StoreError};

use crate::common::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Registers a household with one member (`name`, born `birth` as dd-mm-jjjj) for `who`'s team.
#[allow(clippy::too_many_arguments)]
fn register(
    store: &mut dyn Backend,
    who: &Session,
    label: &str,
    street: &str,
    number: &str,
    postcode: &str,
    name: &str,
    birth: &str,
    bsn: Option<&str>,
) -> i64 {
    let new = NewHousehold {
        label: label.into(),
        address: Address::parse(street, number, postcode, "Utrecht").unwrap(),
        team_id: who.team_id.unwrap(),
        regisseur_id: who.user_id,
        opened_on: date(2026, 1, 5),
    };
    let birth = NaiveDate::parse_from_str(birth, "%d-%m-%Y").ok();
    let first = PersonFields::parse(name, birth, "ouder", bsn, None).unwrap();
    store.create_household(who, &new, &first).unwrap().id
}

/// The labels `who` finds for `query`.
fn labels(store: &mut dyn Backend, who: &Session, query: &str) -> Vec<String> {
    store
        .find_households(who, query, 50)
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
        .into_iter()
        .map(|h| h.label)
        .collect()
}

/// The finder's households: five of Noord (anna's), one of Zuid (bram's).
fn finder_world(store: &mut dyn Backend, anna: &Session, bram: &Session) {
    for (label, street, number, postcode, name, birth, bsn, who) in [
        (
            "Fam. Jansen",
            "Kanaalweg",
            "3",
            "3521 AB",
            "Piet Jansen",
            "12-03-1980",
            None,
            anna,
        ),
        (
            "Fam. Jansen-Bakker",
            "Vleutenseweg",
            "40",
            "3532 HA",
            "Els Jansen",
            "01-01-1975",
            None,
            anna,
        ),
        (
            "Fam. De Vries",
            "Zamenhofdreef",
            "112",
            "3562 JT",
            "Jan de Vries",
            "15-06-1990",
            Some("111222333"),
            anna,
        ),
        (
            "Fam. Müller",
            "Biltstraat",
            "7a",
            "3572 BC",
            "Anke Müller",
            "03-09-1988",
            None,
            anna,
        ),
        (
            "Fam. Eénhoorn",
            "Rijnlaan",
            "12-2",
            "3522 BV",
            "Kees Eénhoorn",
            "30-11-1969",
            None,
            anna,
        ),
        (
            "Fam. Janssens",
            "Smaragdplein",
            "9",
            "3523 EA",
            "Jan Janssens",
            "05-05-1985",
            None,
            bram,
        ),
    ] {
        register(
            store, who, label, street, number, postcode, name, birth, bsn,
        );
    }
}

#[test]
fn the_finder_folds_matches_every_field_and_ranks_exact_words_first() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let (anna, bram) = (login(store.as_ref(), "anna"), login(store.as_ref(), "bram"));
        finder_world(store.as_mut(), &anna, &bram);
        let s = store.as_mut();
        let b = db.backend;
        assert_eq!(labels(s, &anna, "muller"), ["Fam. Müller"], "{b}");
        assert_eq!(labels(s, &anna, "MÜLLER"), ["Fam. Müller"], "{b}");
        assert_eq!(labels(s, &anna, "eenhoorn"), ["Fam. Eénhoorn"], "{b}");
        assert_eq!(labels(s, &anna, "de vries"), ["Fam. De Vries"], "{b}");
        assert_eq!(
            labels(s, &anna, "zamenhof"),
            ["Fam. De Vries"],
            "{b}: street prefix"
        );
        assert_eq!(
            labels(s, &anna, "3562 JT"),
            ["Fam. De Vries"],
            "{b}: postcode"
        );
        assert_eq!(
            labels(s, &anna, "3562jt"),
            ["Fam. De Vries"],
            "{b}: postcode without space"
        );
        assert_eq!(
            labels(s, &anna, "7a"),
            ["Fam. Müller"],
            "{b}: number with addition"
        );
        assert_eq!(
            labels(s, &anna, "15-06-1990"),
            ["Fam. De Vries"],
            "{b}: birth date"
        );
        assert_eq!(
            labels(s, &anna, "3-9-1988"),
            ["Fam. Müller"],
            "{b}: date without zeros"
        );
        assert_eq!(
            labels(s, &anna, "anke"),
            ["Fam. Müller"],
            "{b}: member name"
        );
        // Every word must match, each in any field.
        assert_eq!(labels(s, &anna, "jansen 3521"), ["Fam. Jansen"], "{b}");
        assert_eq!(
            labels(s, &anna, "jansen vleuten"),
            ["Fam. Jansen-Bakker"],
            "{b}"
        );
        assert!(labels(s, &anna, "jansen zamenhof").is_empty(), "{b}");
        // Exact words before prefixes.
        assert_eq!(
            labels(s, &anna, "jansen"),
            ["Fam. Jansen", "Fam. Jansen-Bakker"],
            "{b}"
        );
        assert_eq!(
            labels(s, &anna, "jan"),
            ["Fam. De Vries", "Fam. Jansen", "Fam. Jansen-Bakker"],
            "{b}: Jan de Vries has the whole word, the Jansens a prefix"
        );
        // A limit keeps the best tier.
        let first: Vec<String> = s
            .find_households(&anna, "jan", 1)
            .unwrap()
            .into_iter()
            .map(|h| h.label)
            .collect();
        assert_eq!(first, ["Fam. De Vries"], "{b}");
        // Team scope.
        assert!(
            labels(s, &anna, "janssens").is_empty(),
            "{b}: Zuid is invisible to anna"
        );
        assert_eq!(labels(s, &bram, "jan"), ["Fam. Janssens"], "{b}");
        assert!(
            labels(s, &anna, "t1").is_empty(),
            "{b}: no team word in the index"
        );
        assert!(labels(s, &anna, "t").is_empty(), "{b}");
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
            "'",
            "\\",
            "a & b | !c",
            "o'neil",
        ] {
            let result = s.find_households(&anna, query, 50);
            assert!(result.is_ok(), "{b}: {query:?}: {result:?}");
        }
        // A hit shows the address on one line and the members, oldest first.
        let hit = s.find_households(&anna, "müller", 5).unwrap().remove(0);
        assert_eq!(hit.address, "Biltstraat 7A, 3572 BC Utrecht", "{b}");
        assert_eq!(hit.members, ["Anke Müller"], "{b}");
        assert!(hit.open, "{b}");
    });
}

#[test]
fn a_bsn_is_found_exactly_only_and_the_lookup_is_audited_without_the_number() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        let (anna, bram) = (login(store.as_ref(), "anna"), login(store.as_ref(), "bram"));
        finder_world(store.as_mut(), &anna, &bram);
        let b = db.backend;
        let searches = |store: &mut dyn Backend| -> Vec<(String, Option<String>)> {
            store
                .user_trail(&admin, "anna")
                .unwrap()
                .into_iter()
                .filter(|r| r.action == "search")
                .map(|r| (r.object, r.detail))
                .collect()
        };
        assert_eq!(
            labels(store.as_mut(), &anna, "111222333"),
            ["Fam. De Vries"],
            "{b}"
        );
        assert_eq!(
            labels(store.as_mut(), &anna, "111 222 333"),
            ["Fam. De Vries"],
            "{b}"
        );
        assert!(
            labels(store.as_mut(), &anna, "11122233").is_empty(),
            "{b}: partial"
        );
        assert!(labels(store.as_mut(), &anna, "111222").is_empty(), "{b}");
        assert!(
            labels(store.as_mut(), &bram, "111222333").is_empty(),
            "{b}: another team's BSN is not found"
        );
        let rows = searches(store.as_mut());
        assert_eq!(
            rows,
            vec![
                ("bsn".to_string(), Some("1 gevonden".to_string())),
                ("bsn".to_string(), Some("1 gevonden".to_string())),
            ],
            "{b}: one row per BSN lookup, without the number; word searches are not audited"
        );
        labels(store.as_mut(), &anna, "jansen");
        assert_eq!(searches(store.as_mut()).len(), 2, "{b}");
        let trail = store.user_trail(&admin, "anna").unwrap();
        assert!(
            trail
                .iter()
                .all(|r| !r.detail.as_deref().unwrap_or("").contains("111222333")),
            "{b}"
        );
    });
}

#[test]
fn a_household_is_registered_in_the_own_team_only_and_warned_about_at_its_address() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let (anna, bram) = (login(store.as_ref(), "anna"), login(store.as_ref(), "bram"));
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. El Amrani",
            "Kanaalweg",
            "12",
            "3526 KL",
            "Fatima El Amrani",
            "01-02-1984",
            None,
        );
        let d = store.load_dashboard(&anna, id).unwrap();
        assert_eq!(d.household.label, "Fam. El Amrani", "{b}");
        assert_eq!(d.household.status, HouseholdStatus::Open, "{b}");
        assert_eq!(d.team_name, "Noord", "{b}");
        assert_eq!(d.regisseur.username, "anna", "{b}");
        assert_eq!(d.members.len(), 1, "{b}");
        assert_eq!(d.members[0].birth_date, Some(date(1984, 2, 1)), "{b}");
        // In another team: refused before anything is written.
        let new = NewHousehold {
            label: "Fam. Elders".into(),
            address: Address::parse("Kanaalweg", "14", "3526 KL", "Utrecht").unwrap(),
            team_id: bram.team_id.unwrap(),
            regisseur_id: bram.user_id,
            opened_on: today(),
        };
        let first = PersonFields::parse("Eva", None, "ouder", None, None).unwrap();
        let err = store.create_household(&anna, &new, &first).unwrap_err();
        assert!(matches!(err, StoreError::Denied { .. }), "{b}: {err:?}");
        assert!(labels(store.as_mut(), &bram, "elders").is_empty(), "{b}");
        // The address warning: open households there that the user may see.
        let postcode = Postcode::parse("3526KL").unwrap();
        let number = HouseNumber::parse("12").unwrap();
        assert_eq!(
            store.open_households_at(&anna, &postcode, &number).unwrap(),
            ["Fam. El Amrani"],
            "{b}"
        );
        assert!(
            store
                .open_households_at(&bram, &postcode, &number)
                .unwrap()
                .is_empty(),
            "{b}"
        );
        store
            .close_household(&anna, id, today(), "Doelen bereikt")
            .unwrap();
        assert!(
            store
                .open_households_at(&anna, &postcode, &number)
                .unwrap()
                .is_empty(),
            "{b}: closed"
        );
        // The audit: the creation and each address lookup.
        let log = store.household_access_log(&anna, id).unwrap();
        assert_eq!(
            (log[0].action.as_str(), log[0].object.as_str()),
            ("create", "household"),
            "{b}"
        );
    });
}

#[test]
fn the_dashboard_is_whole_for_the_team_administrative_for_the_backoffice_and_hidden_from_others() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let bram = login(store.as_ref(), "bram");
        let bo = login(store.as_ref(), "bo");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Bos",
            "Kanaalweg",
            "1",
            "3526 KL",
            "Ria Bos",
            "01-02-1984",
            None,
        );
        store
            .record_contact(
                &anna,
                id,
                &ContactFields::new(today(), "huisbezoek", 45, Some("goed gesprek")).unwrap(),
            )
            .unwrap();
        let full = store.load_dashboard(&anna, id).unwrap();
        assert_eq!(full.access, DashboardAccess::Full, "{b}");
        assert_eq!(full.contacts.len(), 1, "{b}");
        let admin_view = store.load_dashboard(&bo, id).unwrap();
        assert_eq!(admin_view.access, DashboardAccess::Administrative, "{b}");
        assert!(
            admin_view.contacts.is_empty(),
            "{b}: no content for the backoffice"
        );
        assert_eq!(admin_view.members, full.members, "{b}");
        let err = store.load_dashboard(&bram, id).unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Household(h)) if h == id),
            "{b}: {err:?}"
        );
        let err = store.load_dashboard(&admin, id).unwrap_err();
        assert!(
            matches!(err, StoreError::Denied { .. }),
            "{b}: a beheerder sees no household: {err:?}"
        );
        let err = store.load_dashboard(&anna, id + 100).unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Household(_))),
            "{b}: {err:?}"
        );
        store.record_together(&anna, id).unwrap();
        let log = store.household_access_log(&anna, id).unwrap();
        let seen: Vec<(String, String, Option<String>)> = log
            .into_iter()
            .map(|e| (e.username, e.action, e.detail))
            .collect();
        let row = |u: &str, a: &str, d: Option<&str>| {
            (u.to_string(), a.to_string(), d.map(str::to_string))
        };
        assert_eq!(
            seen,
            vec![
                row("anna", "create", None),
                row("anna", "create", None),
                row("anna", "read", Some("dashboard")),
                row("bo", "read", Some("dashboard administratief")),
                row("bram", "refused", Some("read")),
                row("beheer", "refused", Some("read_admin")),
                row("anna", "read", Some("samen kijken")),
            ],
            "{b}"
        );
    });
}

#[test]
fn every_dashboard_change_is_applied_with_the_fresh_dashboard_and_undone() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let tl = login(store.as_ref(), "tl");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Visser",
            "Kanaalweg",
            "5",
            "3526 KL",
            "Ria Visser",
            "01-02-1984",
            None,
        );
        let person = store.load_dashboard(&anna, id).unwrap().members[0].id;
        let apply = |store: &mut Box<dyn Backend>, change: Change| {
            store
                .apply(&anna, id, &change)
                .unwrap_or_else(|e| panic!("{b}: {change:?}: {e}"))
        };

        // Contact.
        let a = apply(
            &mut store,
            Change::Contact(ContactFields::new(today(), "huisbezoek", 60, None).unwrap()),
        );
        assert_eq!(
            a.dashboard.as_ref().unwrap().contacts[0].id,
            a.record_id,
            "{b}"
        );
        let a = apply(&mut store, Change::Undo(a.undo.unwrap()));
        assert!(a.dashboard.unwrap().contacts.is_empty(), "{b}");
        assert_eq!(a.undo, None, "{b}: an undo has no undo");

        // Agreement: add, edit and its undo, complete and reopen, cancel and reopen.
        let fields = AgreementFields::new(
            "Budgetcoach bellen",
            Actor::Client,
            Some(date(2026, 11, 27)),
            false,
            None,
        )
        .unwrap();
        let added = apply(&mut store, Change::AddAgreement(fields.clone()));
        let ag = added.record_id;
        let edited = AgreementFields::new(
            "Budgetcoach mailen",
            Actor::Professional,
            None,
            true,
            Some("financien".into()),
        )
        .unwrap();
        let e = apply(
            &mut store,
            Change::EditAgreement {
                id: ag,
                version: 1,
                fields: edited.clone(),
            },
        );
        assert_eq!(
            e.dashboard.unwrap().agreements[0].what,
            "Budgetcoach mailen",
            "{b}"
        );
        assert_eq!(
            e.undo,
            Some(Undo::RestoreAgreement {
                id: ag,
                fields: fields.clone()
            }),
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(e.undo.unwrap()));
        let back = &r.dashboard.unwrap().agreements[0];
        assert_eq!(
            (back.what.as_str(), back.who, back.due_on),
            (
                "Budgetcoach bellen",
                Actor::Client,
                Some(date(2026, 11, 27))
            ),
            "{b}"
        );
        let done = apply(
            &mut store,
            Change::CompleteAgreement {
                id: ag,
                on: today(),
            },
        );
        assert_eq!(
            done.dashboard.unwrap().agreements[0].status,
            AgreementStatus::Done { on: today() },
            "{b}"
        );
        let err = store
            .apply(
                &anna,
                id,
                &Change::CompleteAgreement {
                    id: ag,
                    on: today(),
                },
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "Deze afspraak is niet meer open.", "{b}");
        apply(&mut store, Change::Undo(done.undo.unwrap()));
        let err = store
            .apply(
                &anna,
                id,
                &Change::CancelAgreement {
                    id: ag,
                    on: today(),
                    reason: " ".into(),
                },
            )
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(_)),
            "{b}: a reason is required: {err:?}"
        );
        let c = apply(
            &mut store,
            Change::CancelAgreement {
                id: ag,
                on: today(),
                reason: "Niet meer nodig".into(),
            },
        );
        assert_eq!(
            c.dashboard.unwrap().agreements[0].status,
            AgreementStatus::Cancelled {
                on: today(),
                reason: "Niet meer nodig".into()
            },
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(c.undo.unwrap()));
        assert_eq!(
            r.dashboard.unwrap().agreements[0].status,
            AgreementStatus::Open,
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(added.undo.unwrap()));
        assert!(r.dashboard.unwrap().agreements.is_empty(), "{b}");
        let err = store
            .apply(&anna, id, &Change::Undo(Undo::RemoveAgreement(ag)))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Dit gegeven bestaat niet meer in dit huishouden.",
            "{b}"
        );

        // ZRM.
        let mut scores = Scores::new();
        scores.insert("financien".into(), Score::Level(2));
        scores.insert("justitie".into(), Score::NotScored);
        let z = apply(
            &mut store,
            Change::Zrm {
                person_id: person,
                on: today(),
                scores: scores.clone(),
            },
        );
        assert_eq!(z.dashboard.unwrap().assessments[0].scores, scores, "{b}");
        let err = store
            .apply(
                &anna,
                id,
                &Change::Zrm {
                    person_id: person + 100,
                    on: today(),
                    scores: scores.clone(),
                },
            )
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Person(_))),
            "{b}: {err:?}"
        );
        let r = apply(&mut store, Change::Undo(z.undo.unwrap()));
        assert!(r.dashboard.unwrap().assessments.is_empty(), "{b}");

        // Flag: set, refused twice, end, reopen, remove.
        let f = apply(
            &mut store,
            Change::SetFlag {
                kind: "schuldhulp".into(),
                since: date(2026, 9, 3),
            },
        );
        let err = store
            .apply(
                &anna,
                id,
                &Change::SetFlag {
                    kind: "schuldhulp".into(),
                    since: today(),
                },
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "Dit signaal staat al aan.", "{b}");
        let end = apply(
            &mut store,
            Change::EndFlag {
                id: f.record_id,
                on: today(),
                reason: "Traject klaar".into(),
            },
        );
        assert_eq!(
            end.dashboard.unwrap().flags[0].ended,
            Some((today(), "Traject klaar".into())),
            "{b}"
        );
        let err = store
            .apply(
                &anna,
                id,
                &Change::EndFlag {
                    id: f.record_id,
                    on: today(),
                    reason: "Nog eens".into(),
                },
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "Dit signaal is al beëindigd.", "{b}");
        let r = apply(&mut store, Change::Undo(end.undo.unwrap()));
        assert!(r.dashboard.unwrap().flags[0].is_active(), "{b}");
        let r = apply(&mut store, Change::Undo(f.undo.unwrap()));
        assert!(r.dashboard.unwrap().flags.is_empty(), "{b}");

        // Goal: add, edit, undo both.
        let goal = GoalFields {
            goal: "Overzicht over de rekeningen".into(),
            zrm_domain: Some("financien".into()),
            status: GoalStatus::Lopend,
        };
        let g = apply(&mut store, Change::AddGoal(goal.clone()));
        let reached = GoalFields {
            status: GoalStatus::Bereikt,
            ..goal.clone()
        };
        let e = apply(
            &mut store,
            Change::EditGoal {
                id: g.record_id,
                version: 1,
                fields: reached,
            },
        );
        assert_eq!(
            e.dashboard.unwrap().goals[0].status,
            GoalStatus::Bereikt,
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(e.undo.unwrap()));
        assert_eq!(
            r.dashboard.unwrap().goals[0].status,
            GoalStatus::Lopend,
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(g.undo.unwrap()));
        assert!(r.dashboard.unwrap().goals.is_empty(), "{b}");

        // Members: the finder follows every change of names and birth dates.
        let kees =
            PersonFields::parse("Kees Visser", Some(date(2015, 4, 1)), "kind", None, None).unwrap();
        let m = apply(&mut store, Change::AddMember(kees));
        assert_eq!(
            labels(store.as_mut(), &anna, "kees 01-04-2015"),
            ["Fam. Visser"],
            "{b}"
        );
        let renamed = PersonFields::parse("Karel Visser", None, "kind", None, None).unwrap();
        let e = apply(
            &mut store,
            Change::EditMember {
                id: m.record_id,
                version: 1,
                fields: renamed,
            },
        );
        assert!(
            labels(store.as_mut(), &anna, "kees").is_empty(),
            "{b}: the old name is gone"
        );
        assert_eq!(
            labels(store.as_mut(), &anna, "karel"),
            ["Fam. Visser"],
            "{b}"
        );
        apply(&mut store, Change::Undo(e.undo.unwrap()));
        assert_eq!(
            labels(store.as_mut(), &anna, "kees"),
            ["Fam. Visser"],
            "{b}: restored"
        );
        assert!(labels(store.as_mut(), &anna, "karel").is_empty(), "{b}");
        let r = apply(&mut store, Change::Undo(m.undo.unwrap()));
        assert_eq!(r.dashboard.unwrap().members.len(), 1, "{b}");
        assert!(
            labels(store.as_mut(), &anna, "kees").is_empty(),
            "{b}: removed from the index"
        );
        // A member with scores cannot be removed any more.
        let m = apply(
            &mut store,
            Change::AddMember(
                PersonFields::parse("Mila Visser", None, "kind", None, None).unwrap(),
            ),
        );
        apply(
            &mut store,
            Change::Zrm {
                person_id: m.record_id,
                on: today(),
                scores: scores.clone(),
            },
        );
        let err = store
            .apply(&anna, id, &Change::Undo(m.undo.unwrap()))
            .unwrap_err();
        assert!(
            err.to_string().starts_with("Dit gezinslid heeft al scores"),
            "{b}: {err}"
        );

        // Provision request and its withdrawal.
        let request = ProvisionFields {
            person_id: person,
            law: Law::Wmo,
            category: "02".into(),
            product: "02A05".into(),
            provider_id: None,
            start_on: date(2026, 12, 1),
            end_on: Some(date(2027, 5, 31)),
            volume: 3,
            unit: Unit::Uur,
            frequency: Frequency::PerWeek,
            financing: Financing::Zin,
            eigen_bijdrage: true,
            motivation: Some("Overzicht in de administratie".into()),
        };
        let p = apply(&mut store, Change::RequestProvision(request));
        let shown = &p.dashboard.unwrap().provisions;
        assert_eq!(
            (shown.len(), shown[0].id, shown[0].volume),
            (1, p.record_id, 3),
            "{b}"
        );
        let r = apply(&mut store, Change::Undo(p.undo.unwrap()));
        assert!(r.dashboard.unwrap().provisions.is_empty(), "{b}");

        // Close (not twice), reopen, and the undos of both.
        let closed = apply(
            &mut store,
            Change::Close {
                on: today(),
                reason: "Doelen bereikt".into(),
            },
        );
        assert_eq!(
            closed.dashboard.unwrap().household.status,
            HouseholdStatus::Closed {
                on: today(),
                reason: "Doelen bereikt".into()
            },
            "{b}"
        );
        let err = store
            .apply(
                &anna,
                id,
                &Change::Close {
                    on: today(),
                    reason: "Nog eens".into(),
                },
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "Dit huishouden is al afgesloten.", "{b}");
        let hit = store.find_households(&anna, "visser", 5).unwrap();
        assert!(!hit[0].open, "{b}: the finder shows it closed");
        let reopened = apply(&mut store, Change::Reopen);
        assert_eq!(
            reopened.undo,
            Some(Undo::Close {
                on: today(),
                reason: "Doelen bereikt".into()
            }),
            "{b}"
        );
        let err = store.apply(&anna, id, &Change::Reopen).unwrap_err();
        assert_eq!(err.to_string(), "Dit huishouden is al open.", "{b}");
        let again = apply(&mut store, Change::Undo(reopened.undo.unwrap()));
        assert!(
            matches!(
                again.dashboard.unwrap().household.status,
                HouseholdStatus::Closed { .. }
            ),
            "{b}"
        );
        let open = apply(&mut store, Change::Undo(Undo::Reopen));
        assert_eq!(
            open.dashboard.unwrap().household.status,
            HouseholdStatus::Open,
            "{b}"
        );

        // Regisseur: the teamleider hands over and gets no dashboard back; the backoffice may not.
        let bo = login(store.as_ref(), "bo");
        let err = store
            .apply(&bo, id, &Change::Regisseur(tl.user_id))
            .unwrap_err();
        assert!(matches!(err, StoreError::Denied { .. }), "{b}: {err:?}");
        let bram = login(store.as_ref(), "bram");
        let err = store
            .apply(&tl, id, &Change::Regisseur(bram.user_id))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "De regisseur moet een actieve medewerker van het team van dit huishouden zijn.",
            "{b}"
        );
        let handed = store
            .apply(&tl, id, &Change::Regisseur(tl.user_id))
            .unwrap();
        assert_eq!(
            handed.dashboard, None,
            "{b}: the teamleider sees no content"
        );
        assert_eq!(
            store.load_dashboard(&anna, id).unwrap().regisseur.username,
            "tl",
            "{b}"
        );
        store
            .apply(&tl, id, &Change::Undo(handed.undo.unwrap()))
            .unwrap();
        assert_eq!(
            store.load_dashboard(&anna, id).unwrap().regisseur.username,
            "anna",
            "{b}"
        );

        // Every change and every undo left its own audit row.
        let log = store.household_access_log(&anna, id).unwrap();
        let undone = log
            .iter()
            .filter(|e| e.detail.as_deref() == Some("ongedaan"))
            .count();
        assert_eq!(undone, 16, "{b}: one row per successful undo");
        let regisseur: Vec<_> = log
            .iter()
            .filter(|e| e.username == "tl")
            .map(|e| (e.action.as_str(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            regisseur,
            [("update", Some("regisseur")), ("update", Some("ongedaan"))],
            "{b}"
        );
    });
}

#[test]
fn a_change_is_refused_by_role_and_team_and_the_refusal_is_audited() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let bram = login(store.as_ref(), "bram");
        let bo = login(store.as_ref(), "bo");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Smit",
            "Kanaalweg",
            "7",
            "3526 KL",
            "Ria Smit",
            "01-02-1984",
            None,
        );
        let contact = Change::Contact(ContactFields::new(today(), "huisbezoek", 30, None).unwrap());
        let err = store.apply(&bo, id, &contact).unwrap_err();
        assert!(matches!(err, StoreError::Denied { .. }), "{b}: {err:?}");
        let err = store.apply(&bram, id, &contact).unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Household(_))),
            "{b}: {err:?}"
        );
        // Members are administrative data: the backoffice keeps them, and sees the result.
        let added = store
            .apply(
                &bo,
                id,
                &Change::AddMember(
                    PersonFields::parse("Tim Smit", None, "kind", None, None).unwrap(),
                ),
            )
            .unwrap();
        let d = added.dashboard.unwrap();
        assert_eq!(
            (d.access, d.members.len()),
            (DashboardAccess::Administrative, 2),
            "{b}"
        );
        // The app writes the refusal of what it did not offer; an allowed operation writes nothing.
        store
            .record_refusal(&bo, id, Operation::WriteHousehold)
            .unwrap();
        store
            .record_refusal(&anna, id, Operation::WriteHousehold)
            .unwrap();
        let log = store.household_access_log(&anna, id).unwrap();
        let rows: Vec<(&str, &str, Option<&str>)> = log
            .iter()
            .map(|e| (e.username.as_str(), e.action.as_str(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [
                ("anna", "create", None),
                ("bo", "refused", Some("write")),
                ("bram", "refused", Some("write")),
                ("bo", "create", None),
                ("bo", "refused", Some("write")),
            ],
            "{b}"
        );
        assert!(
            store.load_dashboard(&anna, id).unwrap().contacts.is_empty(),
            "{b}: nothing written"
        );
    });
}

#[test]
fn records_added_from_the_command_line_round_trip_through_the_dashboard() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let bram = login(store.as_ref(), "bram");
        let bo = login(store.as_ref(), "bo");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. El Amrani",
            "Kanaalweg",
            "12",
            "3526 KL",
            "Fatima El Amrani",
            "01-02-1984",
            None,
        );
        let person = store.load_dashboard(&anna, id).unwrap().members[0].id;
        let fields = AgreementFields::new(
            "Fatima belt het budgetteam",
            Actor::Client,
            Some(today()),
            true,
            None,
        )
        .unwrap();
        let a = store.add_agreement(&anna, id, &fields).unwrap();
        let later = AgreementFields::new(
            "Sportclub zoeken",
            Actor::Netwerk,
            Some(date(2026, 12, 7)),
            false,
            None,
        )
        .unwrap();
        let later = store.add_agreement(&anna, id, &later).unwrap();
        store.complete_agreement(&anna, a.id, today()).unwrap();
        assert!(
            store.complete_agreement(&anna, a.id, today()).is_err(),
            "{b}: done twice"
        );
        let err = store
            .complete_agreement(&bram, later.id, today())
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Agreement(x)) if x == later.id),
            "{b}: {err:?}"
        );
        let err = store
            .cancel_agreement(&bo, later.id, today(), "Waarom")
            .unwrap_err();
        assert!(matches!(err, StoreError::Denied { .. }), "{b}: {err:?}");
        let err = store
            .cancel_agreement(&anna, later.id + 100, today(), "Waarom")
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Agreement(_))),
            "{b}: {err:?}"
        );

        let mut scores = Scores::new();
        scores.insert("financien".into(), Score::Level(2));
        let z = store.record_zrm(&anna, person, today(), &scores).unwrap();
        let err = store
            .record_zrm(&anna, person + 100, today(), &scores)
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Person(_))),
            "{b}: {err:?}"
        );

        let f = store
            .set_flag(&anna, id, "schuldhulp", date(2026, 9, 3))
            .unwrap();
        assert!(
            store.set_flag(&anna, id, "schuldhulp", today()).is_err(),
            "{b}: already set"
        );
        store
            .end_flag(&anna, f.id, today(), "traject afgerond")
            .unwrap();
        store.set_flag(&anna, id, "schuldhulp", today()).unwrap();
        let err = store.end_flag(&bram, f.id, today(), "weg").unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Flag(_))),
            "{b}: {err:?}"
        );

        let c = store
            .record_contact(
                &anna,
                id,
                &ContactFields::new(today(), "huisbezoek", 60, Some("fijn gesprek")).unwrap(),
            )
            .unwrap();
        let g = store
            .add_goal(
                &anna,
                id,
                "We hebben overzicht over de rekeningen",
                Some("financien"),
            )
            .unwrap();
        store
            .set_goal_status(&anna, g.id, GoalStatus::Bereikt)
            .unwrap();
        let err = store
            .set_goal_status(&bram, g.id, GoalStatus::Gestopt)
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Goal(_))),
            "{b}: {err:?}"
        );
        let consent = store
            .add_consent(
                &anna,
                id,
                Some(person),
                "Informatie delen met school",
                today(),
            )
            .unwrap();
        assert!(
            store
                .withdraw_consent(&anna, consent.id, date(2026, 1, 1))
                .is_err(),
            "{b}: before given"
        );
        store.withdraw_consent(&anna, consent.id, today()).unwrap();
        let err = store
            .withdraw_consent(&bram, consent.id, today())
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Consent(_))),
            "{b}: {err:?}"
        );

        let d = store.load_dashboard(&anna, id).unwrap();
        assert_eq!(d.agreements.len(), 2, "{b}");
        assert_eq!(d.agreements[0].id, later.id, "{b}: open agreements first");
        assert_eq!(
            d.agreements[1].status,
            AgreementStatus::Done { on: today() },
            "{b}"
        );
        assert!(d.agreements[1].formal, "{b}");
        assert_eq!(d.assessments, vec![z], "{b}");
        assert_eq!(d.flags.len(), 2, "{b}");
        assert!(d.flags[0].is_active(), "{b}: active flags first");
        assert_eq!(
            d.flags[1].ended,
            Some((today(), "traject afgerond".into())),
            "{b}"
        );
        assert_eq!(d.contacts, vec![c], "{b}");
        assert_eq!(d.goals[0].status, GoalStatus::Bereikt, "{b}");
        assert_eq!(d.consents[0].withdrawn_on, Some(today()), "{b}");

        // Members from the command line, and closing and reopening.
        let kid = store
            .add_person(
                &anna,
                id,
                &PersonFields::parse(
                    "Yasmin El Amrani",
                    Some(date(2014, 5, 2)),
                    "kind",
                    None,
                    None,
                )
                .unwrap(),
            )
            .unwrap();
        assert_eq!(kid.name, "Yasmin El Amrani", "{b}");
        let changed = store
            .update_person(
                &anna,
                kid.id,
                &PersonFields::parse(
                    "Yasmina El Amrani",
                    Some(date(2014, 5, 2)),
                    "kind",
                    None,
                    Some("0612345678"),
                )
                .unwrap(),
            )
            .unwrap();
        assert_eq!(
            (changed.name.as_str(), changed.phone.is_some()),
            ("Yasmina El Amrani", true),
            "{b}"
        );
        assert_eq!(
            labels(store.as_mut(), &anna, "yasmina"),
            ["Fam. El Amrani"],
            "{b}"
        );
        let err = store
            .update_person(
                &anna,
                kid.id + 100,
                &PersonFields::parse("X", None, "kind", None, None).unwrap(),
            )
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Person(_))),
            "{b}: {err:?}"
        );
        assert!(
            store.close_household(&anna, id, today(), "").is_err(),
            "{b}: a reason is required"
        );
        store
            .close_household(&anna, id, today(), "Doelen bereikt")
            .unwrap();
        assert!(
            store
                .close_household(&anna, id, today(), "Nog eens")
                .is_err(),
            "{b}"
        );
        store.reopen_household(&anna, id).unwrap();
        assert_eq!(
            store.load_dashboard(&anna, id).unwrap().household.status,
            HouseholdStatus::Open,
            "{b}"
        );
    });
}

#[test]
fn contact_habits_follow_the_users_own_contacts() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let bram = login(store.as_ref(), "bram");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Kok",
            "Kanaalweg",
            "9",
            "3526 KL",
            "Ria Kok",
            "01-02-1984",
            None,
        );
        assert_eq!(store.last_contact_choice(&anna).unwrap(), None, "{b}");
        for (kind, minutes) in [
            ("telefonisch", 15),
            ("huisbezoek", 60),
            ("telefonisch", 15),
            ("huisbezoek", 45),
        ] {
            store
                .record_contact(
                    &anna,
                    id,
                    &ContactFields::new(today(), kind, minutes, None).unwrap(),
                )
                .unwrap();
        }
        assert_eq!(
            store.last_contact_choice(&anna).unwrap(),
            Some(("huisbezoek".into(), 45)),
            "{b}"
        );
        assert_eq!(
            store.contact_habits(&anna).unwrap(),
            [
                ("telefonisch".to_string(), 15, 2),
                ("huisbezoek".to_string(), 45, 1),
                ("huisbezoek".to_string(), 60, 1)
            ],
            "{b}: most often first, the more recent first on a tie"
        );
        assert!(store.contact_habits(&bram).unwrap().is_empty(), "{b}");
    });
}

#[test]
fn home_lists_my_open_households_most_urgent_first_with_the_agreements_due_this_week() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let b = db.backend;
        let quiet = register(
            store.as_mut(),
            &anna,
            "Fam. Alders",
            "Kanaalweg",
            "1",
            "3526 KL",
            "Ad Alders",
            "01-02-1984",
            None,
        );
        let busy = register(
            store.as_mut(),
            &anna,
            "Fam. Zwart",
            "Kanaalweg",
            "2",
            "3526 KL",
            "Zoë Zwart",
            "01-02-1984",
            None,
        );
        let closed = register(
            store.as_mut(),
            &anna,
            "Fam. Dicht",
            "Kanaalweg",
            "3",
            "3526 KL",
            "Dirk Dicht",
            "01-02-1984",
            None,
        );
        let soon = AgreementFields::new(
            "Formulier invullen",
            Actor::Client,
            Some(date(2026, 11, 25)),
            false,
            None,
        )
        .unwrap();
        let soon = store.add_agreement(&anna, busy, &soon).unwrap();
        let far = AgreementFields::new(
            "Evaluatie",
            Actor::Professional,
            Some(date(2027, 1, 10)),
            false,
            None,
        )
        .unwrap();
        store.add_agreement(&anna, busy, &far).unwrap();
        store
            .add_agreement(
                &anna,
                closed,
                &AgreementFields::new("Na sluiten", Actor::Client, Some(today()), false, None)
                    .unwrap(),
            )
            .unwrap();
        store
            .close_household(&anna, closed, today(), "Verhuisd")
            .unwrap();
        let home = store.load_home(&anna, today()).unwrap();
        assert_eq!(home.household_total, 2, "{b}");
        let listed: Vec<(i64, u32, Option<NaiveDate>)> = home
            .households
            .iter()
            .map(|h| (h.id, h.open_agreements, h.next_due))
            .collect();
        assert_eq!(
            listed,
            [(busy, 2, Some(date(2026, 11, 25))), (quiet, 0, None)],
            "{b}"
        );
        assert_eq!(home.households[0].address, "Kanaalweg 2", "{b}");
        let due: Vec<(i64, i64, &str)> = home
            .agreements
            .iter()
            .map(|a| (a.id, a.household_id, a.what.as_str()))
            .collect();
        assert_eq!(due, [(soon.id, busy, "Formulier invullen")], "{b}");
        let trail = store.user_trail(&admin, "anna").unwrap();
        let last = trail.iter().rfind(|r| r.object == "home").unwrap();
        assert_eq!(
            last.detail.as_deref(),
            Some("2 huishoudens, 1 afspraken"),
            "{b}"
        );
        assert!(
            store.load_home(&admin, today()).is_err(),
            "{b}: a beheerder has no home of households"
        );
    });
}

#[test]
fn the_regisseur_is_reassigned_by_the_teamleider_within_the_team_only() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let tl = login(store.as_ref(), "tl");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Mol",
            "Kanaalweg",
            "4",
            "3526 KL",
            "Mo Mol",
            "01-02-1984",
            None,
        );
        let bo = login(store.as_ref(), "bo");
        let err = store.reassign_regisseur(&bo, id, "tl").unwrap_err();
        assert!(matches!(err, StoreError::Denied { .. }), "{b}: {err:?}");
        let err = store.reassign_regisseur(&tl, id, "bram").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bram kan geen regisseur van dit huishouden zijn: alleen een actieve professional of teamleider van hetzelfde team.",
            "{b}"
        );
        let err = store.reassign_regisseur(&tl, id, "niemand").unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Username(_))),
            "{b}: {err:?}"
        );
        let user = store.reassign_regisseur(&tl, id, "TL").unwrap();
        assert_eq!(user.username, "tl", "{b}");
        assert_eq!(
            store.load_dashboard(&anna, id).unwrap().regisseur.username,
            "tl",
            "{b}"
        );
        assert!(
            store
                .load_home(&anna, today())
                .unwrap()
                .households
                .is_empty(),
            "{b}"
        );
        let trail = store.user_trail(&admin, "tl").unwrap();
        let detail = trail
            .iter()
            .rfind(|r| r.action == "update")
            .and_then(|r| r.detail.clone());
        assert_eq!(
            detail,
            Some(format!("regisseur {} -> {}", anna.user_id, tl.user_id)),
            "{b}"
        );
    });
}

#[test]
fn the_plan_shows_running_goals_open_tasks_active_flags_and_strengths_when_asked() {
    each_backend(|db| {
        let (mut store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let bram = login(store.as_ref(), "bram");
        let b = db.backend;
        let reference = keukentafel::domain::reference::ReferenceData::embedded();
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Peters",
            "Kanaalweg",
            "6",
            "3526 KL",
            "Piet Peters",
            "01-02-1984",
            None,
        );
        let person = store.load_dashboard(&anna, id).unwrap().members[0].id;
        store
            .add_goal(&anna, id, "Schulden op een rij", None)
            .unwrap();
        let stopped = store.add_goal(&anna, id, "Verhuizen", None).unwrap();
        store
            .set_goal_status(&anna, stopped.id, GoalStatus::Gestopt)
            .unwrap();
        store
            .add_agreement(
                &anna,
                id,
                &AgreementFields::new(
                    "Bank bellen",
                    Actor::Client,
                    Some(date(2026, 11, 30)),
                    false,
                    None,
                )
                .unwrap(),
            )
            .unwrap();
        store.set_flag(&anna, id, "schuldhulp", today()).unwrap();
        let mut scores = Scores::new();
        scores.insert("financien".into(), Score::Level(5));
        scores.insert("huisvesting".into(), Score::Level(2));
        store.record_zrm(&anna, person, today(), &scores).unwrap();
        store
            .record_contact(
                &anna,
                id,
                &ContactFields::new(date(2026, 11, 26), "huisbezoek", 60, None).unwrap(),
            )
            .unwrap();
        let plan = store.load_plan(&anna, id, &reference).unwrap();
        assert_eq!(plan.label, "Fam. Peters", "{b}");
        assert_eq!(plan.goals, ["Schulden op een rij"], "{b}");
        assert_eq!(plan.tasks.len(), 1, "{b}");
        assert_eq!(plan.flags.len(), 1, "{b}");
        assert_eq!(plan.strengths, None, "{b}: not asked");
        assert_eq!(
            plan.next_contact.as_ref().map(|n| n.on),
            Some(date(2026, 11, 26)),
            "{b}"
        );
        store.set_plan_show_strengths(&anna, id, true).unwrap();
        let plan = store.load_plan(&anna, id, &reference).unwrap();
        let strengths = plan.strengths.unwrap();
        assert_eq!(strengths.len(), 1, "{b}");
        assert_eq!(strengths[0].person, "Piet Peters", "{b}");
        assert_eq!(
            strengths[0]
                .domains
                .iter()
                .map(|(_, s)| *s)
                .collect::<Vec<_>>(),
            [5],
            "{b}"
        );
        let err = store.load_plan(&bram, id, &reference).unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(Missing::Household(_))),
            "{b}: {err:?}"
        );
        let log = store.household_access_log(&anna, id).unwrap();
        let details: Vec<&str> = log
            .iter()
            .filter_map(|e| e.detail.as_deref())
            .filter(|d| d.starts_with("plan"))
            .collect();
        assert_eq!(details, ["plan", "plan: wat gaat goed aan", "plan"], "{b}");
    });
}

#[test]
fn an_undone_flag_or_contact_is_gone_entirely_and_its_id_is_never_given_again() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        let b = db.backend;
        let id = register(
            store.as_mut(),
            &anna,
            "Fam. Wit",
            "Kanaalweg",
            "8",
            "3526 KL",
            "Wim Wit",
            "01-02-1984",
            None,
        );
        let flag = Change::SetFlag {
            kind: "huurachterstand".into(),
            since: today(),
        };
        let contact = Change::Contact(ContactFields::new(today(), "huisbezoek", 30, None).unwrap());
        for (change, object) in [(flag, "flag"), (contact, "contact")] {
            let first = store.apply(&anna, id, &change).unwrap();
            let undone = store
                .apply(&anna, id, &Change::Undo(first.undo.clone().unwrap()))
                .unwrap()
                .dashboard
                .unwrap();
            assert!(
                undone.flags.is_empty(),
                "{b}: no flag left, not even an ended one"
            );
            assert!(undone.contacts.is_empty(), "{b}");
            let second = store.apply(&anna, id, &change).unwrap();
            assert!(
                second.record_id > first.record_id,
                "{b}: {object} {} after {}",
                second.record_id,
                first.record_id
            );
            let actions: Vec<String> = store
                .user_trail(&admin, "anna")
                .unwrap()
                .into_iter()
                .filter(|r| r.object == object && r.object_id == Some(first.record_id))
                .map(|r| r.action)
                .collect();
            assert_eq!(actions, ["create", "delete"], "{b}: one {object} per id");
            store
                .apply(&anna, id, &Change::Undo(second.undo.unwrap()))
                .unwrap();
        }
    });
}
