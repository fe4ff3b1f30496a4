//! Exporting a 1,000-row worklist as CSV for Excel: the audited worklist read, the rendering,
//! the private atomic file write, and the whole; plus 1,000 301 messages (one per client).
//! Prints medians (and p90) over repeated runs: `cargo bench --bench exchange`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use keukentafel::clock::FixedClock;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::provision::{Financing, Frequency, Law, ProvisionFields, Unit};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::user::Role;
use keukentafel::exchange::toewijzing::{self, AssignedProduct, Client, Header};
use keukentafel::exchange::worklist_csv;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::changes::Change;
use keukentafel::model::users::NewUser;
use keukentafel::model::worklists::Worklist;
use keukentafel::store::Store;

const PASSWORD: &str = "lang-genoeg-wachtwoord";
const RUNS: usize = 30;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// 250 households with 4 requested provisions each: 1,000 rows awaiting a beschikking.
fn build(path: &std::path::Path) -> Store {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store = Store::create(path, DatabaseKind::Production, clock).unwrap();
    store.create_first_admin("beheer", PASSWORD, "ws").unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws").unwrap();
    let team = store.create_team(&beheer, "Overvecht").unwrap().id;
    for (name, role, team) in [
        ("anna", Role::Professional, Some("Overvecht")),
        ("carla", Role::Backoffice, None),
    ] {
        let new = NewUser {
            username: name,
            display_name: "",
            role,
            team,
            phone: None,
            password: PASSWORD,
        };
        store.create_user(&beheer, &new).unwrap();
    }
    let anna = store.authenticate("anna", PASSWORD, "ws").unwrap();
    for i in 0..250u32 {
        let new = NewHousehold {
            label: format!("Fam. Jansen-{i}; \"Overvecht\""),
            address: Address::parse("Zamenhofdreef", "12a", "3562ab", "Utrecht").unwrap(),
            team_id: team,
            regisseur_id: anna.user_id,
            opened_on: date(2026, 9, 3),
        };
        let person = PersonFields::parse(
            &format!("Fatima El Amrani {i}"),
            NaiveDate::from_ymd_opt(1985, 4, 1),
            "ouder",
            Some("111222333"),
            None,
        )
        .unwrap();
        let h = store.create_household(&anna, &new, &person).unwrap();
        let person_id = store.load_dashboard(&anna, h.id).unwrap().members[0].id;
        for k in 0..4u32 {
            let fields = ProvisionFields {
                person_id,
                law: Law::Wmo,
                category: "02".into(),
                product: "02A05".into(),
                provider_id: None,
                start_on: date(2026, 12, 1 + k),
                end_on: Some(date(2027, 5, 31)),
                volume: 3,
                unit: Unit::Uur,
                frequency: Frequency::PerWeek,
                financing: Financing::Zin,
                eigen_bijdrage: k % 2 == 0,
                motivation: Some("Overzicht in de administratie".into()),
            };
            store
                .apply(&anna, h.id, &Change::RequestProvision(fields))
                .unwrap();
        }
    }
    store
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    println!(
        "{name:<44} median {:>9.3} ms   p90 {:>9.3} ms   ({} runs)",
        median.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        times.len()
    );
}

fn time(mut f: impl FnMut()) -> Vec<Duration> {
    f(); // warm-up
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let t = Instant::now();
    let mut store = build(&path);
    println!(
        "setup: 1,000 provisions in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let carla = store.authenticate("carla", PASSWORD, "ws").unwrap();
    let reference = ReferenceData::embedded();
    let today = date(2026, 11, 23);
    let items = store
        .worklist(&carla, Worklist::AwaitingBeschikking, today)
        .unwrap();
    assert_eq!(items.len(), 1000);
    let out = dir.path().join("werklijst.csv");

    report(
        "worklist read (1,000 rows, audited)",
        time(|| {
            store
                .worklist(&carla, Worklist::AwaitingBeschikking, today)
                .unwrap();
        }),
    );
    report(
        "CSV render (1,000 rows)",
        time(|| {
            std::hint::black_box(worklist_csv::render(&items, &reference.products));
        }),
    );
    let text = worklist_csv::render(&items, &reference.products);
    println!("CSV size: {} bytes", text.len());
    report(
        "private atomic write (fsync + rename)",
        time(|| keukentafel::private_file::write_private(&out, text.as_bytes()).unwrap()),
    );
    report(
        "whole export: read + render + write",
        time(|| {
            let items = store
                .worklist(&carla, Worklist::AwaitingBeschikking, today)
                .unwrap();
            let text = worklist_csv::render(&items, &reference.products);
            keukentafel::private_file::write_private(&out, text.as_bytes()).unwrap();
        }),
    );

    let header = Header {
        law: Law::Wmo,
        gemeente: "0344".into(),
        agb: "73051234".into(),
        identification: "KT0000000001".into(),
        dagtekening: today,
    };
    // One message per client and provider: 1,000 messages of one toewijzing each.
    let address =
        toewijzing::Address::from_household("Kanaalstraat", "12a", "3531 AB", "Utrecht").unwrap();
    let clients: Vec<Client> = items
        .iter()
        .map(|i| Client {
            bsn: "111222333".into(),
            birth_date: Some(date(1985, 4, 1)),
            name: i.person.clone(),
            address: address.clone(),
            products: vec![AssignedProduct {
                number: i.provision.id.to_string(),
                category: i.provision.category.clone(),
                code: i.provision.product.clone(),
                assigned_on: today,
                start_on: i.provision.start_on,
                end_on: i.provision.end_on,
                change: None,
                volume: i.provision.volume,
                unit: i.provision.unit,
                frequency: i.provision.frequency,
            }],
        })
        .collect();
    report(
        "301 XML render (1,000 messages of one toewijzing)",
        time(|| {
            for client in &clients {
                std::hint::black_box(toewijzing::render(&header, client).unwrap());
            }
        }),
    );
}
