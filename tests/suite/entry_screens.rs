//! Snapshots of every form and overlay of the dashboard at 80×24 (and the ZRM grid and samen
//! kijken at 160×48), opened by their keys on the El Amrani family's dashboard.
//! Regenerate with `INSTA_UPDATE=always cargo test --test entry_screens` and review the diff.

use crate::support;

use support::{Harness, each_harness, render};

fn at_the_table_on(mut h: Harness) -> Harness {
    h.keys("anna<Enter>demo<Enter>/amr<Enter>");
    h
}

/// `keys` typed at the table on `h`'s database, and the 80×24 screen after them.
fn shot_on(h: Harness, keys: &str) -> (Harness, String) {
    let mut h = at_the_table_on(h);
    h.keys(keys);
    let screen = render(&h.app, 80, 24);
    (h, screen)
}

#[test]
fn contact_form() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "c");
        assert!(screen.contains("Contactmoment"), "{screen}");
        insta::assert_snapshot!("form_contact_80x24", screen);
    });
}

#[test]
fn agreement_form_shows_the_date_a_shorthand_means() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "aFatima belt het budgetteam<Tab>vr");
        assert!(screen.contains("vr 27-11-2026"), "{screen}");
        insta::assert_snapshot!("form_agreement_80x24", screen);
    });
}

#[test]
fn agreement_form_with_errors_next_to_the_fields() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "a<Tab>31-02<Enter>");
        assert!(screen.contains("✗"), "{screen}");
        insta::assert_snapshot!("form_agreement_errors_80x24", screen);
    });
}

#[test]
fn member_form() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "m");
        insta::assert_snapshot!("form_member_80x24", screen);
    });
}

#[test]
fn goal_form() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "g");
        insta::assert_snapshot!("form_goal_80x24", screen);
    });
}

#[test]
fn zrm_grid_shows_the_change_live() {
    each_harness(|h| {
        let (h, screen) = shot_on(h, "z4");
        assert!(screen.contains("↑2"), "Financiën 2 → 4 shows ↑2:\n{screen}");
        insta::assert_snapshot!("zrm_grid_80x24", screen);
        let large = render(&h.app, 160, 48);
        let grid: Vec<&str> = large.lines().filter(|l| l.contains('║')).collect();
        for domain in &h.app.reference.zrm.domains {
            assert!(
                grid.iter().any(|l| l.contains(domain.name.as_str())),
                "{} in full in the grid:\n{large}",
                domain.name
            );
        }
        insta::assert_snapshot!("zrm_grid_160x48", large);
    });
}

#[test]
fn flag_catalogue_with_letters() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "f");
        assert!(screen.contains("s ● Schuldhulptraject"), "{screen}");
        insta::assert_snapshot!("flags_80x24", screen);
    });
}

#[test]
fn samen_kijken_speaks_client_language_and_hides_flags_and_bsn() {
    each_harness(|h| {
        let (h, screen) = shot_on(h, "s");
        assert!(screen.contains("Geldzaken"), "{screen}");
        assert!(
            !screen.contains("Financiën"),
            "professional wording stays out"
        );
        assert!(!screen.to_lowercase().contains("schuldhulp"), "no flags");
        assert!(!screen.contains("BSN"), "no BSN");
        insta::assert_snapshot!("samen_kijken_80x24", screen);
        insta::assert_snapshot!("samen_kijken_160x48", render(&h.app, 160, 48));
    });
}

#[test]
fn command_palette() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, ":sig");
        assert!(screen.contains("signaal"), "{screen}");
        insta::assert_snapshot!("palette_80x24", screen);
    });
}

#[test]
fn new_household_form() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>n");
        insta::assert_snapshot!("form_new_household_80x24", render(&h.app, 80, 24));
    });
}

#[test]
fn discard_question() {
    each_harness(|h| {
        let (_, screen) = shot_on(h, "aIets<Esc>");
        assert!(screen.contains("Wijzigingen weggooien?"), "{screen}");
    });
}

#[test]
fn consent_in_force_is_visible_on_the_dashboard() {
    each_harness(|mut h| {
        // Anna records the consent at another workstation before she logs in here.
        let mut store = h.db.open();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        let id = store
            .find_households(&anna, "El Amrani", 10)
            .unwrap()
            .into_iter()
            .find(|hit| hit.label == "Fam. El Amrani")
            .expect("El Amrani")
            .id;
        let given = chrono::NaiveDate::from_ymd_opt(2026, 9, 3).unwrap();
        store
            .add_consent(&anna, id, None, "Gegevens delen met de school", given)
            .unwrap();
        drop(store);
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        let small = render(&h.app, 80, 24);
        assert!(small.contains("toestemming: 1"), "{small}");
        let large = render(&h.app, 160, 48);
        assert!(
            large.contains("Gegevens delen met de school (sinds 03-09-2026)"),
            "{large}"
        );
    });
}

#[test]
fn backoffice_worklist_and_providers_screens() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        let small = render(&h.app, 80, 24);
        assert!(small.contains("Wacht op beschikking"), "{small}");
        insta::assert_snapshot!("worklist_80x24", small);
        insta::assert_snapshot!("worklist_160x48", render(&h.app, 160, 48));
        h.keys("*<Enter>");
        insta::assert_snapshot!("worklist_bulk_form_80x24", render(&h.app, 80, 24));
        h.keys("<Esc><Esc><Esc>a");
        let providers = render(&h.app, 80, 24);
        assert!(providers.contains("Aanbieders"), "{providers}");
        insta::assert_snapshot!("providers_80x24", providers);
    });
}
