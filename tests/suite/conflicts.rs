//! Two people on one household, on every backend: an edit of an agreement, a goal or a member
//! that a colleague changed after it was shown is refused with who changed it; the record
//! keeps the colleague's version; an edit of the version now shown passes.

use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::goal::GoalStatus;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::user::Role;
use keukentafel::model::changes::{Change, GoalFields};
use keukentafel::model::users::NewUser;
use keukentafel::store::StoreError;

use crate::common::*;

#[test]
fn an_edit_of_a_record_a_colleague_changed_since_is_refused_with_who_and_nothing_saved() {
    each_backend(|db| {
        let (mut store, admin) = staffed(db);
        store
            .create_user(
                &admin,
                &NewUser {
                    username: "ayse",
                    display_name: "Ayşe Yılmaz",
                    role: Role::Professional,
                    team: Some("Noord"),
                    phone: None,
                    password: "wachtwoord-123",
                },
            )
            .unwrap();
        let anna = login(store.as_ref(), "anna");
        let ayse = login(store.as_ref(), "ayse");
        let household = store
            .create_household(
                &anna,
                &NewHousehold {
                    label: "Fam. Bakker".into(),
                    address: Address::parse("Dorpsstraat", "1", "1234ab", "Utrecht").unwrap(),
                    team_id: anna.team_id.unwrap(),
                    regisseur_id: anna.user_id,
                    opened_on: today(),
                },
                &PersonFields::parse("Els Bakker", None, "ouder", None, None).unwrap(),
            )
            .unwrap();
        let h = household.id;
        let agreement = |what: &str| {
            AgreementFields::new(what, Actor::Client, Some(today()), false, None).unwrap()
        };
        store
            .apply(
                &anna,
                h,
                &Change::AddAgreement(agreement("Els belt de schuldhulp")),
            )
            .unwrap();
        store
            .apply(
                &anna,
                h,
                &Change::AddGoal(GoalFields {
                    goal: "Rust in de financiën".into(),
                    zrm_domain: None,
                    status: GoalStatus::Lopend,
                }),
            )
            .unwrap();
        // What both see.
        let shown = store.load_dashboard(&anna, h).unwrap();
        let (a, g, p) = (&shown.agreements[0], &shown.goals[0], &shown.members[0]);

        // Ayşe changes all three first.
        let edit_agreement = |version, what: &str| Change::EditAgreement {
            id: a.id,
            version,
            fields: agreement(what),
        };
        let edit_goal = |version, goal: &str| Change::EditGoal {
            id: g.id,
            version,
            fields: GoalFields {
                goal: goal.into(),
                zrm_domain: None,
                status: GoalStatus::Lopend,
            },
        };
        let edit_member = |version, name: &str| Change::EditMember {
            id: p.id,
            version,
            fields: PersonFields::parse(name, None, "ouder", None, None).unwrap(),
        };
        for change in [
            edit_agreement(a.version, "Els belt zelf de corporatie"),
            edit_goal(g.version, "Schulden op een rij"),
            edit_member(p.version, "Els de Bakker"),
        ] {
            store
                .apply(&ayse, h, &change)
                .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
        }

        // Anna saves on what she was shown: each is refused, naming Ayşe.
        for change in [
            edit_agreement(a.version, "Anna belt"),
            edit_goal(g.version, "Anna's doel"),
            edit_member(p.version, "Anna's naam"),
        ] {
            match store.apply(&anna, h, &change) {
                Err(e @ StoreError::Conflict { .. }) => {
                    let text = e.to_string();
                    assert!(
                        text.contains("intussen gewijzigd door Ayşe Yılmaz"),
                        "{}: {text}",
                        db.backend
                    );
                    assert!(text.contains("Er is niets opgeslagen"), "{text}");
                }
                other => panic!("{}: expected a conflict, got {other:?}", db.backend),
            }
        }
        let now = store.load_dashboard(&anna, h).unwrap();
        assert_eq!(
            now.agreements[0].what, "Els belt zelf de corporatie",
            "{}",
            db.backend
        );
        assert_eq!(now.goals[0].goal, "Schulden op een rij");
        assert_eq!(now.members[0].name, "Els de Bakker");

        // On the version now shown, her edit passes (and bumps the version again).
        store
            .apply(
                &anna,
                h,
                &edit_agreement(now.agreements[0].version, "Anna belt"),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
        let after = store.load_dashboard(&anna, h).unwrap();
        assert_eq!(after.agreements[0].what, "Anna belt");
        assert!(after.agreements[0].version > now.agreements[0].version);
        // Completing counts as a change too: an edit on the version before is refused.
        store
            .complete_agreement(&ayse, a.id, today())
            .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
        assert!(matches!(
            store.apply(
                &anna,
                h,
                &edit_agreement(after.agreements[0].version, "nog eens")
            ),
            Err(StoreError::Conflict { .. })
        ));
    });
}
