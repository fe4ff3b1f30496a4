//! The worklist "Verzoeken van aanbieders" in the terminal app: a provider's requests (315)
//! are listed; `t` grants one (the toewijzing is made and the client's 301 written to
//! `uitgaand/` in the output folder), `a` refuses one with a reason (a 319 is written), `i` reads message files and
//! lists what each did; all through the real executor on a demo database.

use crate::support;

use std::path::Path;

use keukentafel::auth::Session;
use keukentafel::domain::provision::Law;
use keukentafel::exchange::berichten;
use keukentafel::exchange::official::Schemas;
use support::*;

/// The official checks beside the repository, or `None` outside CI when they are missing.
fn official() -> Option<Schemas> {
    let schemas =
        Schemas::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/istandaarden"));
    match schemas.available() {
        Ok(()) => Some(schemas),
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "required in CI: {why}");
            eprintln!("SKIPPED (official checks): {why}");
            None
        }
    }
}

fn request_315(agb: &str, bsn: &str, reference: &str, product: &str, id: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo315/schema" xmlns:b="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">
  <Header><BerichtCode>444</BerichtCode><BerichtVersie>3</BerichtVersie><BerichtSubversie>2</BerichtSubversie>
    <Afzender>{agb}</Afzender><Ontvanger>0344</Ontvanger>
    <BerichtIdentificatie><b:Identificatie>{id}</b:Identificatie><b:Dagtekening>2026-11-20</b:Dagtekening></BerichtIdentificatie>
    <XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></XsdVersie></Header>
  <Client><Bsn>{bsn}</Bsn><Geboortedatum><b:Datum>1980-01-01</b:Datum></Geboortedatum><Geslacht>0</Geslacht>
    <Naam><b:Geslachtsnaam><b:Achternaam>X</b:Achternaam></b:Geslachtsnaam></Naam>
    <AangevraagdeProducten><AangevraagdProduct><ReferentieAanbieder>{reference}</ReferentieAanbieder>
      <Product><b:Categorie>{cat}</b:Categorie><b:Code>{product}</b:Code></Product>
      <ToewijzingIngangsdatum>2030-01-07</ToewijzingIngangsdatum><ToewijzingEinddatum>2030-06-30</ToewijzingEinddatum>
      <Omvang><b:Volume>2</b:Volume><b:Eenheid>04</b:Eenheid><b:Frequentie>2</b:Frequentie></Omvang>
      <Verwijzer><b:Type>01</b:Type></Verwijzer></AangevraagdProduct></AangevraagdeProducten></Client>
</Bericht>
"#,
        cat = &product[..2]
    )
}

#[test]
fn requests_are_granted_refused_and_messages_read_from_the_screen() {
    let schemas = official();
    each_harness(|fresh| {
        let Harness {
            db,
            app,
            exec,
            quit,
        } = fresh;
        let exec = exec.with_messages(
            "0344".into(),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/istandaarden"),
        );
        let mut h = Harness {
            db,
            app,
            exec,
            quit,
        };
        // A Wmo client and a provider contracted for a Wmo product the client does not get there.
        let [bsn, agb, product]: [String; 3] = h
        .row(
            "SELECT p.bsn, a.agb_code, c.product_code
             FROM person p CROSS JOIN provider a JOIN contract c ON c.provider_id = a.id
             WHERE p.bsn IS NOT NULL AND c.valid_to IS NULL AND c.valid_from <= '2030-01-07'
               AND CAST(substr(c.product_code, 1, 2) AS INTEGER) BETWEEN 1 AND 10
               AND NOT EXISTS (SELECT 1 FROM provision v WHERE v.person_id = p.id AND v.provider_id = a.id
                               AND v.product_code = c.product_code)
             ORDER BY p.id, a.id, c.id LIMIT 1",
        )
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
        // Two requests arrive (applied as `import berichten` does, after its checks).
        let clock = std::sync::Arc::new(keukentafel::clock::FixedClock::new(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap(),
        ));
        let mut store = keukentafel::store::open(&h.db.location, clock).unwrap();
        let carla: Session = store.authenticate("carla", "demo", "test").unwrap();
        for (reference, id) in [("REF-GOED", "V1"), ("REF-NEE", "V2")] {
            let xml = request_315(&agb, &bsn, reference, &product, id);
            if let Some(s) = &schemas {
                assert!(s.check(Law::Wmo, 315, xml.as_bytes()).is_empty());
            }
            let message = berichten::parse(xml.as_bytes()).unwrap();
            store
                .apply_message(&carla, "v.xml", &message, "0344")
                .unwrap();
        }

        h.keys("carla<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "worklist");
        h.keys("<C-v>");
        assert_eq!(h.screen_name(), "requests");
        let screen = render(&h.app, 160, 30);
        assert!(screen.contains("Verzoeken van aanbieders"), "{screen}");
        assert!(screen.contains("ref REF-GOED"), "{screen}");
        assert!(screen.contains("ref REF-NEE"), "{screen}");
        assert!(
            screen.contains("t toekennen (301)"),
            "the status bar names the keys: {screen}"
        );

        // Grant the first: a confirmation, then the toewijzing and its 301.
        h.keys("t");
        let confirm = render(&h.app, 120, 30);
        assert!(confirm.contains("Verzoek toekennen 1"), "{confirm}");
        h.keys("<Enter>");
        let after = render(&h.app, 160, 30);
        assert!(after.contains("Verzoek 1 toegekend; 301 KT"), "{after}");
        assert!(
            !after.contains("ref REF-GOED"),
            "a decided request leaves the list: {after}"
        );
        assert_eq!(
            h.count("SELECT COUNT(*) FROM provider_request WHERE status = 'toegekend'"),
            1
        );
        let outgoing = h.dir().join("uitvoer").join("uitgaand");
        let files: Vec<_> = std::fs::read_dir(&outgoing)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let xml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(xml.contains(&format!("<Bsn>{bsn}</Bsn>")));
        assert!(xml.contains("<Ingangsdatum>2030-01-07</Ingangsdatum>"));
        if let Some(s) = &schemas {
            assert!(s.check(Law::Wmo, 301, xml.as_bytes()).is_empty());
        }

        // Refuse the second with reason 6 (stapeling): a 319.
        h.keys("a<Right><Right><Right>");
        assert!(render(&h.app, 120, 30).contains("Verzoek afwijzen 2"));
        h.keys("<Enter>");
        let after = render(&h.app, 160, 30);
        assert!(
            after.contains("Verzoek 2 afgewezen (Stapeling); 319 KT"),
            "{after}"
        );
        assert!(after.contains("Geen open verzoeken."), "{after}");
        let answer = h.text("SELECT identification FROM outgoing_answer");
        let xml = std::fs::read_to_string(outgoing.join(format!("{answer}.xml"))).unwrap();
        assert!(
            xml.contains("<RedenAfwijzingVerzoek>6</RedenAfwijzingVerzoek>"),
            "{xml}"
        );
        if let Some(s) = &schemas {
            assert!(s.check(Law::Wmo, 319, xml.as_bytes()).is_empty());
        }

        // Read a folder of messages: each file is named with what it did.
        let inbox = h.dir().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        std::fs::write(inbox.join("brief.xml"), "geen xml").unwrap();
        h.keys("i");
        h.keys(&inbox.display().to_string());
        h.keys("<Enter>");
        let after = render(&h.app, 160, 30);
        if schemas.is_some() {
            assert!(
                after.contains("brief.xml: geweigerd, er is niets gewijzigd"),
                "{after}"
            );
            assert!(
                after.contains("0 bericht(en) ingelezen, 1 geweigerd."),
                "{after}"
            );
        } else {
            assert!(after.contains("Zonder de officiële controle"), "{after}");
        }
        // A path that does not exist is named next to the field, and the form stays.
        h.keys("i/bestaat/niet<Enter>");
        let form = render(&h.app, 120, 30);
        assert!(form.contains("/bestaat/niet bestaat niet."), "{form}");
        h.keys("<Esc><Esc><Esc>");
        assert_eq!(h.screen_name(), "worklist");
    });
}

#[test]
fn the_dashboard_and_the_worklist_show_the_actual_care() {
    each_harness(|mut h| {
        // A toegewezen provision whose provider reported the start of care.
        let row = h.row(
            "SELECT CAST(v.id AS TEXT), p.bsn FROM provision v JOIN person p ON p.id = v.person_id
         WHERE v.status = 'toegewezen' AND p.bsn IS NOT NULL ORDER BY v.id LIMIT 1",
        );
        let id = row[0].clone().unwrap();
        let bsn = row[1].clone().unwrap();
        h.sql(&format!(
            "UPDATE provision SET care_started_on = '2026-11-02' WHERE id = {id}"
        ));
        h.keys("carla<Enter>demo<Enter>");
        // The worklist "Zonder startbericht" does not hold it; at 160 columns every list shows
        // the care column.
        let list = render(&h.app, 160, 48);
        assert!(list.contains("Zorg (aanbieder)"), "{list}");
        h.keys(&format!("<C-f>{bsn}<Enter>"));
        assert_eq!(h.screen_name(), "dashboard");
        let dashboard = render(&h.app, 160, 48);
        assert!(dashboard.contains("▸02-11-26"), "{dashboard}");
    });
}
