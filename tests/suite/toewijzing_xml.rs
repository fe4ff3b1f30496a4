//! The 301 toewijzing message: a fixed dataset rendered and compared field by field with the
//! hand-checked fixture, which passes the official XSD and rule checks; the rules that refuse a
//! product; and the export through the store and the command line (one message per client and
//! provider, what rule OP087 asks, changes as changes, nothing marked when a file cannot be
//! written).

use crate::exchange_world;

use chrono::NaiveDate;
use exchange_world::*;
use keukentafel::domain::provision::{Frequency, Law, Unit};
use keukentafel::exchange::toewijzing::{
    Address, AssignedProduct, ChangeReason, Client, Header, render,
};
use keukentafel::model::worklists::BulkAction;
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
        change: None,
        volume: 3,
        unit: Unit::Uur,
        frequency: Frequency::PerWeek,
    }
}

/// The fixed dataset of the fixture.
fn dataset() -> (Header, Client) {
    let header = Header {
        law: Law::Wmo,
        gemeente: "0344".into(),
        agb: "73051234".into(),
        identification: "KT0000000001".into(),
        dagtekening: d(2026, 11, 24),
    };
    let mut woning = product("100000003", "13A01", d(2027, 1, 1), Some(d(2027, 6, 30)));
    woning.volume = 2500;
    woning.unit = Unit::Euro;
    woning.frequency = Frequency::Totaal;
    woning.change = Some(ChangeReason::Shortened);
    let client = Client {
        bsn: "111222333".into(),
        birth_date: Some(d(1985, 4, 1)),
        name: "Fatima van der Berg & Zn".into(),
        address: Address::from_household("Zamenhofdreef", "12a", "3562 ab", "Utrecht").unwrap(),
        products: vec![
            product("100000001", "02A05", d(2026, 12, 1), Some(d(2027, 5, 31))),
            woning,
        ],
    };
    (header, client)
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
    let (header, client) = dataset();
    let xml = render(&header, &client).unwrap();
    let fixture = include_str!("../fixtures/wmo301_expected.xml");
    if let Some(schemas) = official() {
        assert_official(&schemas, Law::Wmo, 301, fixture);
        assert_official(&schemas, Law::Wmo, 301, &xml);
    }
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
    assert_eq!(get("Bericht/Client/Bsn"), ["111222333"]);
    let product = "Bericht/Client/ToegewezenProducten/ToegewezenProduct";
    assert_eq!(
        get(&format!("{product}/ToewijzingNummer")),
        ["100000001", "100000003"]
    );
    assert_eq!(get(&format!("{product}/Omvang/Eenheid")), ["04", "83"]);
    assert_eq!(get(&format!("{product}/Omvang/Frequentie")), ["2", "6"]);
    assert_eq!(get(&format!("{product}/RedenWijziging")), ["05"]);
    assert_eq!(
        get("Bericht/Client/Contactgegevens/Contact/Adres/Postcode"),
        ["3562AB"]
    );
    assert_eq!(
        get("Bericht/Client/Naam/Geslachtsnaam/Achternaam"),
        ["Berg & Zn"]
    );
    // The shared types' children are in the basisschema namespace.
    let basis = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";
    for name in [
        "Identificatie",
        "Datum",
        "Achternaam",
        "Postcode",
        "Code",
        "Volume",
    ] {
        let node = ours
            .descendants()
            .find(|n| n.tag_name().name() == name)
            .unwrap();
        assert_eq!(node.tag_name().namespace(), Some(basis), "{name}");
    }
}

#[test]
fn a_youth_message_is_a_jw301_with_code_436() {
    let (mut header, mut client) = dataset();
    header.law = Law::Jeugdwet;
    for p in &mut client.products {
        p.category = "45".into();
    }
    client.products[0].code = "45A01".into();
    client.products[1].code = "45A02".into();
    let xml = render(&header, &client).unwrap();
    if let Some(schemas) = official() {
        assert_official(&schemas, Law::Jeugdwet, 301, &xml);
    }
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.istandaarden.nl/ijw/3_2/jw301/schema")
    );
    assert!(xml.contains("<BerichtCode>436</BerichtCode>"));
}

#[test]
fn what_the_message_cannot_carry_is_refused_by_name() {
    let (header, client) = dataset();
    let refuse = |change: &dyn Fn(&mut Header, &mut Client)| {
        let (mut h, mut c) = (header.clone(), client.clone());
        change(&mut h, &mut c);
        render(&h, &c).unwrap_err().nl
    };
    assert!(refuse(&|h, _| h.gemeente = "344".into()).contains("gemeentecode"));
    assert!(refuse(&|_, c| c.bsn = "123456789".into()).contains("BSN *****6789"));
    assert!(
        refuse(&|_, c| c.products[0].number = "20260000001".into()).contains("1 tot 9 cijfers")
    );
    assert!(refuse(&|_, c| c.products[1].end_on = None).contains("einddatum nodig"));
    assert!(refuse(&|_, c| c.products[1].frequency = Frequency::PerDag).contains("CS338"));
    assert!(refuse(&|_, c| c.products[0].end_on = None).contains("CD076"));
    // Rule TR302: the same product twice in overlapping periods.
    assert!(
        refuse(&|_, c| {
            let mut twin = c.products[0].clone();
            twin.number = "100000009".into();
            twin.start_on = d(2027, 3, 1);
            c.products.push(twin);
        })
        .contains("TR302")
    );
    assert!(refuse(&|_, c| c.products.clear()).contains("geen toewijzing"));
}

fn products_of(xml: &str) -> Vec<String> {
    leaves(xml)
        .into_iter()
        .filter(|(p, _)| {
            p == "Bericht/Client/ToegewezenProducten/ToegewezenProduct/ToewijzingNummer"
        })
        .map(|(_, t)| t)
        .collect()
}

fn only_file(dir: &std::path::Path) -> (String, String) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        1,
        "one message in {}: {files:?}",
        dir.display()
    );
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    (name, std::fs::read_to_string(&files[0]).unwrap())
}

#[test]
fn op087_a_second_toewijzing_goes_out_with_the_first_one() {
    let schemas = official();
    each_world(|mut w| {
        let provider = contracted_provider(&mut w);
        let fatima = wmo(w.fatima);
        let first = request(&mut w, fatima.clone());
        let mut later = fatima;
        later.start_on = date(2027, 6, 1);
        later.end_on = Some(date(2027, 12, 31));
        let second = request(&mut w, later);
        grant(&mut w, &[first, second]);
        assign(&mut w, &[first], provider);
        let dir = tempfile::tempdir().unwrap();

        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "--provider", AGB, "-o", "een"])
            .assert()
            .success()
            .stdout(contains(
                "WMO301 KT0000000001 aan Buurtzorg Utrecht (73051234): 1 toewijzing(en), 1 nieuw",
            ));
        let (name, xml) = only_file(&dir.path().join("een"));
        assert_eq!(
            name, "KT0000000001.xml",
            "named by its BerichtIdentificatie"
        );
        assert_eq!(products_of(&xml), [format!("{first:09}")]);
        if let Some(s) = &schemas {
            assert_official(s, Law::Wmo, 301, &xml);
        }

        // Nothing new: no message.
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "-o", "niets"])
            .assert()
            .success()
            .stdout(contains("Geen nieuwe of gewijzigde toewijzingen"));
        assert_eq!(
            std::fs::read_dir(dir.path().join("niets")).unwrap().count(),
            0
        );

        // The second one: the message carries both, the first unchanged (no RedenWijziging).
        assign(&mut w, &[second], provider);
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "-o", "twee"])
            .assert()
            .success()
            .stdout(contains("KT0000000002"))
            .stdout(contains("2 toewijzing(en), 1 nieuw, 0 gewijzigd"));
        let (_, xml) = only_file(&dir.path().join("twee"));
        assert_eq!(
            products_of(&xml),
            [format!("{first:09}"), format!("{second:09}")]
        );
        assert!(!xml.contains("RedenWijziging"));
        if let Some(s) = &schemas {
            assert_official(s, Law::Wmo, 301, &xml);
        }

        // --all sends the current ones again without a change.
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "--all", "-o", "alles"])
            .assert()
            .success();
        let (_, all) = only_file(&dir.path().join("alles"));
        assert_eq!(products_of(&all).len(), 2);

        // Every message is one audit row on the client's household.
        let exports = crate::common::query_row(
            &w.db,
            &format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log
             WHERE action = 'export' AND object = 'toewijzing' AND household_id = {}",
                w.overvecht_household
            ),
        );
        assert_eq!(exports, [Some("3".to_string())]);
    });
}

#[test]
fn an_ended_toewijzing_goes_out_as_a_change_and_one_ended_before_today_not_as_new() {
    let schemas = official();
    each_world(|mut w| {
        let provider = contracted_provider(&mut w);
        let fatima = w.fatima;
        let sent = request(&mut w, wmo(fatima));
        let mut old = wmo(fatima);
        old.start_on = date(2026, 1, 5);
        old.end_on = Some(date(2026, 6, 30));
        let past = request(&mut w, old);
        grant(&mut w, &[sent, past]);
        assign(&mut w, &[sent, past], provider);
        let dir = tempfile::tempdir().unwrap();
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "-o", "een"])
            .assert()
            .success();
        let (_, xml) = only_file(&dir.path().join("een"));
        assert_eq!(
            products_of(&xml),
            [format!("{sent:09}")],
            "the toewijzing that ended in June is not sent as new"
        );

        // The backoffice ends it early: the next message says so with RedenWijziging 05.
        let carla = w.carla.clone();
        w.store
            .bulk(
                &carla,
                &[sent],
                &BulkAction::End {
                    on: date(2027, 2, 28),
                    reason: "Doel bereikt".into(),
                },
            )
            .unwrap();
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "-o", "twee"])
            .assert()
            .success()
            .stdout(contains("1 toewijzing(en), 0 nieuw, 1 gewijzigd"));
        let (_, xml) = only_file(&dir.path().join("twee"));
        let got = leaves(&xml);
        let product = "Bericht/Client/ToegewezenProducten/ToegewezenProduct";
        assert!(got.contains(&(format!("{product}/Einddatum"), "2027-02-28".into())));
        assert!(got.contains(&(format!("{product}/RedenWijziging"), "05".into())));
        if let Some(s) = &schemas {
            assert_official(s, Law::Wmo, 301, &xml);
        }
    });
}

#[test]
fn a_failed_write_marks_nothing_and_an_unknown_provider_is_named() {
    each_world(|mut w| {
        let provider = contracted_provider(&mut w);
        let fatima = wmo(w.fatima);
        let id = request(&mut w, fatima);
        grant(&mut w, &[id]);
        assign(&mut w, &[id], provider);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bezet"), "een bestand, geen map").unwrap();
        cli(&w, "carla", dir.path())
            .args(["export", "toewijzingen", "-o", "bezet"])
            .assert()
            .failure()
            .stderr(contains("De map bezet kan niet gemaakt worden"));
        std::fs::create_dir(dir.path().join("alleen-lezen")).unwrap();
        let readonly = dir.path().join("alleen-lezen");
        let mut perms = std::fs::metadata(&readonly).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o500);
        std::fs::set_permissions(&readonly, perms).unwrap();
        let writable = tempfile::NamedTempFile::new_in(&readonly).is_ok();
        if !writable {
            cli(&w, "carla", dir.path())
                .args(["export", "toewijzingen", "-o", "alleen-lezen"])
                .assert()
                .failure()
                .stderr(contains("Er is niets als verzonden gemarkeerd"));
        }
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
            .args(["export", "toewijzingen", "--provider", AGB, "-o", "goed"])
            .assert()
            .success()
            .stdout(contains("1 toewijzing(en), 1 nieuw"));
    });
}
