//! The 301 toewijzing message: a fixed dataset rendered and compared field by field with the
//! hand-checked fixture; the rules that refuse a product; and the export through the store and
//! the command line (only new toewijzingen by default, all with --all, nothing marked when the
//! file cannot be written).

mod exchange_world;

use chrono::NaiveDate;
use exchange_world::*;
use keukentafel::domain::provision::{Frequency, Law, Unit};
use keukentafel::exchange::toewijzing::{AssignedProduct, Client, Header, render};
use predicates::str::contains;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn product(number: &str, code: &str, start: NaiveDate, end: Option<NaiveDate>) -> AssignedProduct {
    AssignedProduct {
        number: number.into(),
        category: code[..2].into(),
        code: code.into(),
        assigned_on: d(2026, 11, 24),
        start_on: start,
        end_on: end,
        volume: 3,
        unit: Unit::Uur,
        frequency: Frequency::PerWeek,
    }
}

/// The fixed dataset of the fixture.
fn dataset() -> (Header, Vec<Client>) {
    let header = Header {
        law: Law::Wmo,
        gemeente: "0344".into(),
        agb: "73051234".into(),
        identification: "KT0000000001".into(),
        dagtekening: d(2026, 11, 24),
    };
    let mut woning = product("100000003", "13A01", d(2027, 1, 1), Some(d(2027, 12, 31)));
    woning.volume = 2500;
    woning.unit = Unit::Euro;
    woning.frequency = Frequency::Totaal;
    let mut minutes = product("100000002", "02A05", d(2026, 12, 1), None);
    minutes.volume = 120;
    minutes.unit = Unit::Minuut;
    minutes.frequency = Frequency::PerDag;
    let clients = vec![
        Client {
            bsn: "111222333".into(),
            birth_date: Some(d(1985, 4, 1)),
            name: "Fatima El Amrani".into(),
            products: vec![
                product("100000001", "02A05", d(2026, 12, 1), Some(d(2027, 5, 31))),
                woning,
            ],
        },
        Client {
            bsn: "123456782".into(),
            birth_date: None,
            name: "Jan van der Berg & Zn".into(),
            products: vec![minutes],
        },
    ];
    (header, clients)
}

/// Every element with text, as (path, text), in document order.
fn leaves(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut out = Vec::new();
    fn walk(node: roxmltree::Node<'_, '_>, path: &str, out: &mut Vec<(String, String)>) {
        for child in node.children().filter(|c| c.is_element()) {
            let p = format!("{path}/{}", child.tag_name().name());
            if child.children().any(|c| c.is_element()) {
                walk(child, &p, out);
            } else {
                out.push((p, child.text().unwrap_or_default().to_string()));
            }
        }
    }
    let root = doc.root_element();
    walk(root, root.tag_name().name(), &mut out);
    out
}

#[test]
fn the_message_matches_the_hand_checked_fixture_field_by_field() {
    let (header, clients) = dataset();
    let xml = render(&header, &clients).unwrap();
    let fixture = include_str!("fixtures/wmo301_expected.xml");
    let ours = roxmltree::Document::parse(&xml).unwrap();
    let theirs = roxmltree::Document::parse(fixture).unwrap();
    assert_eq!(
        ours.root_element().tag_name().namespace(),
        theirs.root_element().tag_name().namespace()
    );
    assert_eq!(
        ours.root_element().tag_name().namespace(),
        Some("http://www.istandaarden.nl/iwmo/3_2/wmo301/schema")
    );
    let (got, want) = (leaves(&xml), leaves(fixture));
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "element {i}");
    }
    assert_eq!(got.len(), want.len(), "same number of elements");

    // The fields the provider's system keys on, spelled out.
    let get = |path: &str| -> Vec<&str> {
        got.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    assert_eq!(get("Bericht/Header/BerichtCode"), ["414"]);
    assert_eq!(get("Bericht/Header/BerichtVersie"), ["3"]);
    assert_eq!(get("Bericht/Header/BerichtSubversie"), ["2"]);
    assert_eq!(get("Bericht/Header/Afzender"), ["0344"]);
    assert_eq!(get("Bericht/Header/Ontvanger"), ["73051234"]);
    assert_eq!(get("Bericht/Client/Bsn"), ["111222333", "123456782"]);
    let product = "Bericht/Client/ToegewezenProducten/ToegewezenProduct";
    assert_eq!(
        get(&format!("{product}/ToewijzingNummer")),
        ["100000001", "100000003", "100000002"]
    );
    assert_eq!(
        get(&format!("{product}/Omvang/Eenheid")),
        ["04", "83", "01"]
    );
    assert_eq!(
        get(&format!("{product}/Omvang/Frequentie")),
        ["2", "6", "1"]
    );
    assert_eq!(
        get(&format!("{product}/Einddatum")),
        ["2027-05-31", "2027-12-31"],
        "no end date, no element"
    );
    assert_eq!(
        get("Bericht/Client/Naam/Geslachtsnaam/Achternaam"),
        ["El Amrani", "Berg & Zn"]
    );
}

#[test]
fn a_youth_message_is_a_jw301_with_code_436() {
    let (mut header, clients) = dataset();
    header.law = Law::Jeugdwet;
    let xml = render(&header, &clients).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.istandaarden.nl/ijw/3_2/jw301/schema")
    );
    assert!(xml.contains("<BerichtCode>436</BerichtCode>"));
}

#[test]
fn what_the_message_cannot_carry_is_refused_by_name() {
    let (header, clients) = dataset();
    let refuse = |change: &dyn Fn(&mut Header, &mut Vec<Client>)| {
        let (mut h, mut c) = (header.clone(), clients.clone());
        change(&mut h, &mut c);
        render(&h, &c).unwrap_err().nl
    };
    assert!(refuse(&|h, _| h.gemeente = "344".into()).contains("gemeentecode"));
    assert!(refuse(&|_, c| c[1].bsn = "123456789".into()).contains("BSN *****6789"));
    assert!(
        refuse(&|_, c| c[0].products[0].number = "20260000001".into()).contains("1 tot 9 cijfers")
    );
    assert!(refuse(&|_, c| c[0].products[1].end_on = None).contains("einddatum nodig"));
    assert!(refuse(&|_, c| c[0].products[1].frequency = Frequency::PerDag).contains("CS338"));
}

#[test]
fn the_export_sends_each_toewijzing_once_and_all_again_on_request() {
    let mut w = world();
    let provider = contracted_provider(&mut w);
    let fatima = wmo(w.fatima);
    let first = request(&mut w, fatima.clone());
    let second = request(&mut w, fatima);
    grant(&mut w, &[first, second]);
    assign(&mut w, &[first], provider);
    let dir = tempfile::tempdir().unwrap();

    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "--provider", AGB, "-o", "t.xml"])
        .assert()
        .success()
        .stdout(contains(
            "WMO301 KT0000000001 aan Buurtzorg Utrecht (73051234): 1 toewijzing(en)",
        ));
    let xml = std::fs::read_to_string(dir.path().join("t.xml")).unwrap();
    let got = leaves(&xml);
    assert!(got.contains(&("Bericht/Header/Afzender".into(), "0344".into())));
    assert!(got.contains(&("Bericht/Client/Bsn".into(), "111222333".into())));
    assert_eq!(xml.matches("<ToegewezenProduct>").count(), 1);

    // Nothing new: no file.
    cli(&w, "carla", dir.path())
        .args([
            "export",
            "toewijzingen",
            "--provider",
            AGB,
            "-o",
            "again.xml",
        ])
        .assert()
        .success()
        .stdout(contains("Geen nieuwe toewijzingen"));
    assert!(!dir.path().join("again.xml").exists());

    // The second one assigned: only it goes; with --all both.
    assign(&mut w, &[second], provider);
    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "--provider", AGB, "-o", "new.xml"])
        .assert()
        .success()
        .stdout(contains("KT0000000002"));
    let new = std::fs::read_to_string(dir.path().join("new.xml")).unwrap();
    assert_eq!(new.matches("<ToegewezenProduct>").count(), 1);
    cli(&w, "carla", dir.path())
        .args([
            "export",
            "toewijzingen",
            "--provider",
            AGB,
            "--all",
            "-o",
            "all.xml",
        ])
        .assert()
        .success();
    let all = std::fs::read_to_string(dir.path().join("all.xml")).unwrap();
    assert_eq!(all.matches("<ToegewezenProduct>").count(), 2);

    // Every household whose data left is in the audit log.
    let conn = rusqlite::Connection::open(&w.path).unwrap();
    let exports: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object = 'toewijzing' AND household_id = ?1",
            [w.overvecht_household],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(exports, 3);
}

#[test]
fn a_failed_write_marks_nothing_and_an_unknown_provider_is_named() {
    let mut w = world();
    let provider = contracted_provider(&mut w);
    let fatima = wmo(w.fatima);
    let id = request(&mut w, fatima);
    grant(&mut w, &[id]);
    assign(&mut w, &[id], provider);
    let dir = tempfile::tempdir().unwrap();
    cli(&w, "carla", dir.path())
        .args([
            "export",
            "toewijzingen",
            "--provider",
            AGB,
            "-o",
            "missing/t.xml",
        ])
        .assert()
        .failure()
        .stderr(contains("Er is niets als verzonden gemarkeerd"));
    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "--provider", "12345678"])
        .assert()
        .failure()
        .stderr(contains("AGB-code 12345678"));
    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "--provider", "1234"])
        .assert()
        .failure()
        .stderr(contains("Een AGB-code heeft 8 cijfers"));
    // Still new: the next export sends it.
    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "--provider", AGB, "-o", "t.xml"])
        .assert()
        .success()
        .stdout(contains("1 toewijzing(en)"));
}
