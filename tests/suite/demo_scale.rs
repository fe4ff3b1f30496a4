//! The demo at municipal scale: caseloads and teams as a buurtteam has them, whatever the
//! number of households, and the default demo as it always was.

use std::collections::HashMap;

use keukentafel::demo::{self, CASELOAD, DemoCatalogue, NAMED_HOUSEHOLDS};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::user::Role;

use crate::common::*;

#[test]
fn a_large_demo_gives_every_colleague_about_forty_households_in_teams_of_ten_to_twenty() {
    let households = 250_000;
    let (teams, users) = demo::roster(households);
    let team_of: HashMap<&str, &str> = users
        .iter()
        .filter_map(|u| Some((u.username.as_ref(), u.team.as_deref()?)))
        .collect();
    // Households per regisseur, from where each household belongs.
    let mut caseload: HashMap<String, u64> = HashMap::new();
    for i in NAMED_HOUSEHOLDS..households {
        let slot = demo::slot(i).unwrap();
        *caseload
            .entry(demo::professional_name(slot.professional))
            .or_default() += 1;
    }
    let generated: Vec<_> = users
        .iter()
        .filter(|u| u.role == Role::Professional && u.username.starts_with("collega"))
        .collect();
    // One colleague per CASELOAD households; the last team may not be full yet.
    let needed = (households - NAMED_HOUSEHOLDS).div_ceil(CASELOAD) as usize;
    assert!(
        (needed..needed + 20).contains(&generated.len()),
        "{} colleagues for {needed}",
        generated.len()
    );
    for u in &generated {
        let n = caseload.get(u.username.as_ref()).copied().unwrap_or(0);
        assert!(n <= CASELOAD, "{}: {n}", u.username);
    }
    let full = generated
        .iter()
        .filter(|u| caseload.get(u.username.as_ref()) == Some(&CASELOAD))
        .count();
    assert!(
        full * 100 >= generated.len() * 98,
        "{full} of {}",
        generated.len()
    );
    // Teams of 10 to 20 professionals, each with a teamleider; as many as it takes.
    let mut size: HashMap<&str, (usize, usize)> = HashMap::new();
    for u in &users {
        if let Some(team) = u.team.as_deref() {
            let entry = size.entry(team).or_default();
            match u.role {
                Role::Professional => entry.0 += 1,
                Role::Teamleider => entry.1 += 1,
                _ => {}
            }
        }
    }
    let generated_teams: Vec<&String> = teams.iter().skip(demo::demo_teams().len()).collect();
    assert!(generated_teams.len() > 300, "{}", generated_teams.len());
    for team in generated_teams {
        let (pros, leaders) = size.get(team.as_str()).copied().unwrap_or_default();
        assert!((10..=20).contains(&pros), "{team}: {pros}");
        assert_eq!(leaders, 1, "{team}");
    }
    // A household's regisseur is of its team.
    let catalogue = DemoCatalogue::from_reference(&ReferenceData::embedded());
    for i in (0..households).step_by(997) {
        let h = demo::household(1, i, today(), &catalogue);
        assert_eq!(
            team_of.get(h.regisseur.as_str()),
            Some(&h.team.as_str()),
            "{i}"
        );
    }
}

#[test]
fn the_default_demo_keeps_its_named_accounts_and_households() {
    // Up to the default size, no generated colleague or team: the demo as it always was.
    let (teams, users) = demo::roster(NAMED_HOUSEHOLDS);
    assert_eq!(teams.len(), demo::demo_teams().len());
    assert_eq!(users.len(), demo::demo_users().len());
    let catalogue = DemoCatalogue::from_reference(&ReferenceData::embedded());
    let named: Vec<String> = demo::demo_users()
        .into_iter()
        .map(|u| u.username.into_owned())
        .collect();
    for i in 0..NAMED_HOUSEHOLDS {
        let h = demo::household(1, i, today(), &catalogue);
        assert!(named.contains(&h.regisseur), "{i}: {}", h.regisseur);
    }
}

#[test]
fn a_generated_colleague_logs_in_and_finds_forty_households_on_home_while_anna_keeps_hers() {
    each_backend(|db| {
        // The named households and one whole generated team (15 colleagues, 600 households).
        let mut store = demo_on(db, NAMED_HOUSEHOLDS + 15 * CASELOAD);
        let colleague = store.authenticate("collega1", "demo", "test").unwrap();
        let home = store.load_home(&colleague, today()).unwrap();
        let closed = (NAMED_HOUSEHOLDS..NAMED_HOUSEHOLDS + 15 * CASELOAD)
            .map(|i| {
                demo::household(
                    1,
                    i,
                    today(),
                    &DemoCatalogue::from_reference(&ReferenceData::embedded()),
                )
            })
            .filter(|h| h.regisseur == "collega1" && h.closed.is_some())
            .count() as u32;
        assert_eq!(home.household_total + closed, CASELOAD as u32);
        let user = store.current_user(&colleague).unwrap();
        assert_eq!(user.team_name.as_deref(), Some("Overvecht 2"));
        // Anna's caseload is that of the default demo.
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        let anna_home = store.load_home(&anna, today()).unwrap();
        let other = fresh_like(db);
        let mut small = demo_on(&other, NAMED_HOUSEHOLDS);
        let anna_small = small.authenticate("anna", "demo", "test").unwrap();
        assert_eq!(
            anna_home.household_total,
            small
                .load_home(&anna_small, today())
                .unwrap()
                .household_total
        );
    });
}
