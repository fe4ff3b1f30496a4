//! Messages from providers (iWmo/iJw 3.2 305, 307, 315, 317) read with `import berichten`:
//! hand-built valid messages give exactly the expected changes; every bad input is refused
//! with a Dutch message naming the file and the element, and changes nothing; the same file
//! twice changes nothing the second time. Requests land on the worklist "Verzoeken van
//! aanbieders"; granting sends a 301, refusing a 319, both passing the official checks. And
//! the round trip over the whole demo database: every 301 passes both checks, and a 305 made
//! from each imports cleanly and sets the start of care.

use crate::exchange_world;

use std::path::{Path, PathBuf};

use crate::common::{execute_sql, query_row, query_rows};
use exchange_world::*;
use keukentafel::domain::provision::Law;
use predicates::str::contains;

const GEMEENTE: &str = "0344";
const FATIMA_BSN: &str = "111222333";

fn ns(law: Law, number: u16) -> (String, String, &'static str) {
    let (prefix, root) = match law {
        Law::Wmo => ("iwmo", "http://www.istandaarden.nl/iwmo/3_2"),
        Law::Jeugdwet => ("ijw", "http://www.istandaarden.nl/ijw/3_2"),
    };
    let name = match law {
        Law::Wmo => format!("wmo{number}"),
        Law::Jeugdwet => format!("jw{number}"),
    };
    (
        format!("{root}/{name}/schema"),
        format!("{root}/basisschema/schema"),
        prefix,
    )
}

fn code(law: Law, number: u16) -> &'static str {
    match (law, number) {
        (Law::Wmo, 305) => "418",
        (Law::Wmo, 307) => "420",
        (Law::Wmo, 315) => "444",
        (Law::Wmo, 317) => "480",
        (Law::Jeugdwet, 305) => "438",
        (Law::Jeugdwet, 307) => "440",
        (Law::Jeugdwet, 315) => "446",
        (Law::Jeugdwet, 317) => "486",
        _ => unreachable!(),
    }
}

/// A provider's message: header from `agb` to `gemeente` with `id`, then `client` (the XML of
/// the `Client` element's children, with `b:` for the basisschema).
/// The date of the hand-built messages: a start or stop may not be after it (rule TR134), a
/// wished start of a new product must be after it (TR380).
fn dagtekening(number: u16) -> &'static str {
    if matches!(number, 305 | 307) {
        "2027-06-30"
    } else {
        "2026-11-30"
    }
}

fn message(law: Law, number: u16, agb: &str, gemeente: &str, id: &str, client: &str) -> String {
    message_of(law, number, agb, gemeente, id, dagtekening(number), client)
}

fn message_of(
    law: Law,
    number: u16,
    agb: &str,
    gemeente: &str,
    id: &str,
    dag: &str,
    client: &str,
) -> String {
    let (message_ns, basis_ns, _) = ns(law, number);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="{message_ns}" xmlns:b="{basis_ns}">
  <Header>
    <BerichtCode>{code}</BerichtCode><BerichtVersie>3</BerichtVersie><BerichtSubversie>2</BerichtSubversie>
    <Afzender>{agb}</Afzender><Ontvanger>{gemeente}</Ontvanger>
    <BerichtIdentificatie><b:Identificatie>{id}</b:Identificatie><b:Dagtekening>{dag}</b:Dagtekening></BerichtIdentificatie>
    <XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></XsdVersie>
  </Header>
  <Client>
{client}
  </Client>
</Bericht>
"#,
        code = code(law, number)
    )
}

fn person(bsn: &str) -> String {
    format!(
        "<Bsn>{bsn}</Bsn><Geboortedatum><b:Datum>1985-04-01</b:Datum></Geboortedatum><Geslacht>0</Geslacht>\
         <Naam><b:Geslachtsnaam><b:Achternaam>El Amrani</b:Achternaam></b:Geslachtsnaam><b:Voorletters>F</b:Voorletters></Naam>"
    )
}

fn start(
    law: Law,
    id: &str,
    bsn: &str,
    number: i64,
    product: &str,
    begin: &str,
    status: u8,
) -> String {
    let client = format!(
        "{}<StartProducten><StartProduct><ToewijzingNummer>{number}</ToewijzingNummer>\
         <Product><b:Categorie>{}</b:Categorie><b:Code>{product}</b:Code></Product>\
         <Begindatum>{begin}</Begindatum><StatusAanlevering>{status}</StatusAanlevering></StartProduct></StartProducten>",
        person(bsn),
        &product[..2]
    );
    message(law, 305, AGB, GEMEENTE, id, &client)
}

#[allow(clippy::too_many_arguments)]
fn stop(
    law: Law,
    id: &str,
    number: i64,
    product: &str,
    begin: &str,
    end: &str,
    reason: &str,
) -> String {
    let client = format!(
        "{}<StopProducten><StopProduct><ToewijzingNummer>{number}</ToewijzingNummer>\
         <Product><b:Categorie>{}</b:Categorie><b:Code>{product}</b:Code></Product>\
         <Begindatum>{begin}</Begindatum><RedenBeeindiging>{reason}</RedenBeeindiging><Einddatum>{end}</Einddatum>\
         <StatusAanlevering>1</StatusAanlevering></StopProduct></StopProducten>",
        person(FATIMA_BSN),
        &product[..2]
    );
    message(law, 307, AGB, GEMEENTE, id, &client)
}

fn request_315(law: Law, id: &str, reference: &str, product: &str, from: &str, to: &str) -> String {
    let client = format!(
        "{}<AangevraagdeProducten><AangevraagdProduct><ReferentieAanbieder>{reference}</ReferentieAanbieder>\
         <Product><b:Categorie>{}</b:Categorie><b:Code>{product}</b:Code></Product>\
         <ToewijzingIngangsdatum>{from}</ToewijzingIngangsdatum><ToewijzingEinddatum>{to}</ToewijzingEinddatum>\
         <Omvang><b:Volume>2</b:Volume><b:Eenheid>04</b:Eenheid><b:Frequentie>2</b:Frequentie></Omvang>\
         <Verwijzer><b:Type>02</b:Type><b:ZorgverlenerCode>01012345</b:ZorgverlenerCode></Verwijzer>\
         </AangevraagdProduct></AangevraagdeProducten>",
        person(FATIMA_BSN),
        &product[..2]
    );
    message(law, 315, AGB, GEMEENTE, id, &client)
}

fn request_317(law: Law, id: &str, reference: &str, number: i64) -> String {
    let client = format!(
        "<Bsn>{FATIMA_BSN}</Bsn><Verzoek><ReferentieAanbieder>{reference}</ReferentieAanbieder><RedenVerzoek>2</RedenVerzoek>\
         <TeWijzigenProducten><TeWijzigenProduct><ToewijzingNummer>{number}</ToewijzingNummer>\
         <GewensteIngangsdatum>2027-02-01</GewensteIngangsdatum><Einddatum>2027-05-31</Einddatum>\
         <Omvang><b:Volume>5</b:Volume><b:Eenheid>04</b:Eenheid><b:Frequentie>2</b:Frequentie></Omvang>\
         </TeWijzigenProduct></TeWijzigenProducten></Verzoek>"
    );
    message(law, 317, AGB, GEMEENTE, id, &client)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// What a message may change, as text: every provision's status and care dates, and the
/// counts of messages and requests.
fn state(w: &World) -> String {
    let provisions: Vec<String> = query_rows(
        &w.db,
        "SELECT CAST(id AS TEXT), status, CAST(care_started_on AS TEXT),
                CAST(care_ended_on AS TEXT), care_end_reason, CAST(ended_on AS TEXT),
                CAST(volume AS TEXT)
         FROM provision ORDER BY id",
    )
    .into_iter()
    .map(|row| {
        row.into_iter()
            .map(|v| v.unwrap_or_else(|| "-".into()))
            .collect::<Vec<_>>()
            .join(":")
    })
    .collect();
    let counts = query_row(
        &w.db,
        "SELECT CAST((SELECT COUNT(*) FROM incoming_message) AS TEXT),
                CAST((SELECT COUNT(*) FROM provider_request) AS TEXT),
                CAST((SELECT COUNT(*) FROM audit_log WHERE object = 'bericht') AS TEXT)",
    );
    format!("{} | {counts:?}", provisions.join(" "))
}

/// A provision's status and actual care (start, end, end reason).
fn care(w: &World, id: i64) -> (String, Option<String>, Option<String>, Option<String>) {
    let row = query_row(
        &w.db,
        &format!(
            "SELECT status, CAST(care_started_on AS TEXT), CAST(care_ended_on AS TEXT),
                    care_end_reason
             FROM provision WHERE id = {id}"
        ),
    );
    (
        row[0].clone().unwrap_or_default(),
        row[1].clone(),
        row[2].clone(),
        row[3].clone(),
    )
}

/// The world with one Wmo (02A05) and one Jeugdwet (45A01) toewijzing for Fatima, sent.
fn assigned_world_on(mut w: World) -> (World, i64, i64, tempfile::TempDir) {
    let provider = contracted_provider(&mut w);
    let fatima = w.fatima;
    let wmo_id = request(&mut w, wmo(fatima));
    let mut youth = wmo(fatima);
    youth.law = Law::Jeugdwet;
    youth.category = "45".into();
    youth.product = "45A01".into();
    let jw_id = request(&mut w, youth);
    grant(&mut w, &[wmo_id, jw_id]);
    assign(&mut w, &[wmo_id, jw_id], provider);
    let dir = tempfile::tempdir().unwrap();
    cli(&w, "carla", dir.path())
        .args(["export", "toewijzingen", "-o", "uit"])
        .assert()
        .success();
    (w, wmo_id, jw_id, dir)
}

#[test]
fn start_and_stop_set_the_actual_care_for_both_laws_and_twice_changes_nothing() {
    let Some(_) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        let files = [
            write(
                d,
                "start-wmo.xml",
                &start(Law::Wmo, "S1", FATIMA_BSN, wmo_id, "02A05", "2026-12-03", 1),
            ),
            write(
                d,
                "start-jw.xml",
                &start(
                    Law::Jeugdwet,
                    "S2",
                    FATIMA_BSN,
                    jw_id,
                    "45A01",
                    "2026-12-01",
                    1,
                ),
            ),
        ];
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .args(&files)
            .assert()
            .success()
            .stdout(contains(
                "start-wmo.xml: WMO305 S1 ingelezen: 1 start(s) vastgelegd",
            ))
            .stdout(contains("start-jw.xml: JW305 S2 ingelezen"))
            .stdout(contains("2 bericht(en) ingelezen, 0 geweigerd."));
        assert_eq!(
            care(&w, wmo_id),
            ("gestart".into(), Some("2026-12-03".into()), None, None)
        );
        assert_eq!(care(&w, jw_id).1.as_deref(), Some("2026-12-01"));

        // The same file again: refused as read before, nothing changes.
        let before = state(&w);
        cli_checked(&w, "carla", d)
        .args(["import", "berichten"])
        .arg(&files[0])
        .assert()
        .failure()
        .stderr(contains("start-wmo.xml: geweigerd, er is niets gewijzigd: /Bericht/Header/BerichtIdentificatie: bericht S1 van AGB 73051234 is al ingelezen"));
        assert_eq!(state(&w), before);

        // A stop ends the care with its reason and the toewijzing, which the next 301 carries as a
        // change initiated by the provider (RedenWijziging 12).
        let stop_file = write(
            d,
            "stop-wmo.xml",
            &stop(
                Law::Wmo,
                "E1",
                wmo_id,
                "02A05",
                "2026-12-03",
                "2027-03-31",
                "19",
            ),
        );
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(&stop_file)
            .assert()
            .success()
            .stdout(contains("WMO307 E1 ingelezen: 1 stop(s) vastgelegd"));
        assert_eq!(
            care(&w, wmo_id),
            (
                "beeindigd".into(),
                Some("2026-12-03".into()),
                Some("2027-03-31".into()),
                Some("19".into())
            )
        );
        cli_checked(&w, "carla", d)
            .args(["export", "toewijzingen", "--law", "wmo", "-o", "na-stop"])
            .assert()
            .success()
            .stdout(contains("1 gewijzigd"));
        let files: Vec<_> = std::fs::read_dir(d.join("na-stop")).unwrap().collect();
        assert_eq!(files.len(), 1);
        let xml = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(xml.contains("<Einddatum>2027-03-31</Einddatum>"), "{xml}");
        assert!(xml.contains("<RedenWijziging>12</RedenWijziging>"), "{xml}");
        if let Some(s) = official() {
            assert_official(&s, Law::Wmo, 301, &xml);
        }

        // The steering figures count the care by start and by end with its reason (one
        // household here, so the numbers are suppressed, but the rows are there).
        cli(&w, "carla", d)
            .args(["report", "--from", "2026-01-01", "--to", "2027-12-31"])
            .assert()
            .success()
            .stdout(contains(
                "Zorg volgens de aanbieders: gestart en beëindigd (met reden)",
            ))
            .stdout(contains("Wmo / zorg gestart"))
            .stdout(contains("Jeugdwet / zorg gestart"))
            .stdout(contains(
                "Wmo / zorg beëindigd: 19 Levering volgens plan beëindigd",
            ));

        // One audit row per message, on the household, naming the message.
        let details: Vec<String> = query_rows(
            &w.db,
            &format!(
                "SELECT detail FROM audit_log WHERE object = 'bericht' AND household_id = {}
             ORDER BY id",
                w.overvecht_household
            ),
        )
        .into_iter()
        .map(|r| r[0].clone().unwrap_or_default())
        .collect();
        assert_eq!(details.len(), 3, "{details:?}");
        assert!(details[0].starts_with("WMO305 S1 van AGB 73051234"));
        assert!(details[2].starts_with("WMO307 E1 van AGB 73051234"));
    });
}

#[test]
fn a_toewijzing_without_a_start_message_goes_on_the_worklist_after_n_days() {
    let Some(_) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        // Assigned on 24-11-2026; the command line uses the machine's date, which is later: with
        // a wait of one day both are on the list; after a start message only the other one.
        std::fs::create_dir_all(w.db.dir.path().join("config")).unwrap();
        std::fs::write(
            w.db.dir.path().join("config/config.toml"),
            "zonder_startbericht_dagen = 1\n",
        )
        .unwrap();
        cli(&w, "carla", d)
            .args(["export", "worklist", "zonder-start", "-o", "voor.csv"])
            .assert()
            .success()
            .stdout(contains("Zonder startbericht (2 rijen)"));
        let csv = std::fs::read_to_string(d.join("voor.csv")).unwrap();
        assert!(
            csv.contains("zorg gestart;zorg gestopt;reden einde zorg"),
            "{csv}"
        );
        let file = write(
            d,
            "start.xml",
            &start(Law::Wmo, "Z1", FATIMA_BSN, wmo_id, "02A05", "2026-12-03", 1),
        );
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(&file)
            .assert()
            .success();
        cli(&w, "carla", d)
            .args(["export", "worklist", "zonder-start", "-o", "na.csv"])
            .assert()
            .success()
            .stdout(contains("Zonder startbericht (1 rijen)"));
        let csv = std::fs::read_to_string(d.join("na.csv")).unwrap();
        assert!(csv.contains(&format!("\r\n{jw_id};")), "{csv}");
        assert!(!csv.contains(&format!("\r\n{wmo_id};")), "{csv}");
        // A much longer wait keeps them off the list (while the year has not passed).
        let today = chrono::Local::now().date_naive();
        if today < date(2027, 11, 24) {
            std::fs::write(
                w.db.dir.path().join("config/config.toml"),
                "zonder_startbericht_dagen = 365\n",
            )
            .unwrap();
            cli(&w, "carla", d)
                .args(["export", "worklist", "zonder-start", "-o", "lang.csv"])
                .assert()
                .success()
                .stdout(contains("Zonder startbericht (0 rijen)"));
        }
        // Out of range is refused with the file and the line.
        std::fs::write(
            w.db.dir.path().join("config/config.toml"),
            "zonder_startbericht_dagen = 0\n",
        )
        .unwrap();
        cli(&w, "carla", d)
        .args(["export", "worklist", "zonder-start"])
        .assert()
        .failure()
        .stderr(contains(
            "zonder_startbericht_dagen moet een aantal dagen van 1 tot en met 365 zijn, niet 0.",
        ));
    });
}

#[test]
fn every_bad_message_is_refused_by_file_and_element_and_changes_nothing() {
    let Some(_) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, _jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        let outgoing = std::fs::read_dir(d.join("uit"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let other_gemeente = message(
            Law::Wmo,
            305,
            AGB,
            "0363",
            "B3",
            &format!(
                "{}<StartProducten><StartProduct><ToewijzingNummer>{wmo_id}</ToewijzingNummer>\
             <Begindatum>2026-12-03</Begindatum><StatusAanlevering>1</StatusAanlevering></StartProduct></StartProducten>",
                person(FATIMA_BSN)
            ),
        );
        let other_client = format!(
            "/Bericht/Client/StartProducten/StartProduct/ToewijzingNummer: toewijzing {wmo_id} is onbekend voor deze cliënt bij deze aanbieder (Wmo)"
        );
        let never = format!(
            "/Bericht/Client/StopProducten/StopProduct: toewijzing {wmo_id} is nooit gestart (er is geen startbericht)"
        );
        let mixed = format!(
            "toewijzing {wmo_id} is onbekend voor deze cliënt bij deze aanbieder (Jeugdwet)"
        );
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "geen-xml.xml",
                "Dit is geen XML maar een brief.".into(),
                "regel 1, kolom 1: het bestand is geen (geldige) XML",
            ),
            (
                "verkeerd-type.xml",
                std::fs::read_to_string(&outgoing).unwrap(),
                "/Bericht: verkeerd berichttype: dit is WMO301",
            ),
            (
                "andere-gemeente.xml",
                other_gemeente,
                "/Bericht/Header/Ontvanger: het bericht is voor gemeente 0363, niet voor deze gemeente (0344)",
            ),
            (
                "te-vroeg.xml",
                start(Law::Wmo, "B4", FATIMA_BSN, wmo_id, "02A05", "2026-11-20", 1),
                "/Bericht/Client/StartProducten/StartProduct/Begindatum: de begindatum 20-11-2026 ligt voor de ingangsdatum van toewijzing",
            ),
            (
                "stop-zonder-start.xml",
                stop(
                    Law::Wmo,
                    "B5",
                    wmo_id,
                    "02A05",
                    "2026-12-03",
                    "2027-01-31",
                    "19",
                ),
                &never,
            ),
            (
                "elfproef.xml",
                start(
                    Law::Wmo,
                    "B6",
                    "111222334",
                    wmo_id,
                    "02A05",
                    "2026-12-03",
                    1,
                ),
                "/Bericht/Client/Bsn: regel CS002: het BSN voldoet niet aan de elfproef",
            ),
            (
                "onbekende-client.xml",
                start(
                    Law::Wmo,
                    "B7",
                    "999999990",
                    wmo_id,
                    "02A05",
                    "2026-12-03",
                    1,
                ),
                "/Bericht/Client/Bsn: er is geen cliënt met BSN *****9990",
            ),
            // Petra Vos is a client, but toewijzing 1 is not hers.
            (
                "andere-client.xml",
                start(
                    Law::Wmo,
                    "B11",
                    "123456782",
                    wmo_id,
                    "02A05",
                    "2026-12-03",
                    1,
                ),
                &other_client,
            ),
            (
                "onbekende-toewijzing.xml",
                start(Law::Wmo, "B8", FATIMA_BSN, 999, "02A05", "2026-12-03", 1),
                "/Bericht/Client/StartProducten/StartProduct/ToewijzingNummer: toewijzing 999 is onbekend",
            ),
            (
                "wet-door-elkaar.xml",
                start(
                    Law::Jeugdwet,
                    "B9",
                    FATIMA_BSN,
                    wmo_id,
                    "45A01",
                    "2026-12-03",
                    1,
                ),
                &mixed,
            ),
            (
                "xsd.xml",
                start(
                    Law::Wmo,
                    "B10",
                    FATIMA_BSN,
                    wmo_id,
                    "02A05",
                    "3 december",
                    1,
                ),
                "WMO305 haalt de officiële controle niet:",
            ),
        ];
        let before = state(&w);
        for (name, text, expected) in &cases {
            let file = write(d, name, text);
            cli_checked(&w, "carla", d)
                .args(["import", "berichten"])
                .arg(&file)
                .assert()
                .failure()
                .stderr(contains(format!(
                    "{name}: geweigerd, er is niets gewijzigd: "
                )))
                .stderr(contains(*expected))
                .stderr(contains("0 bericht(en) ingelezen, 1 geweigerd."));
            assert_eq!(state(&w), before, "{name} changed something");
        }
        // The XSD refusal names the line and the element.
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(d.join("xsd.xml"))
            .assert()
            .failure()
            .stderr(contains("element Begindatum: voldoet niet aan WMO305.xsd"));

        // A batch is all or nothing per message: the good file goes in, the bad ones do not.
        let good = write(
            d,
            "goed.xml",
            &start(Law::Wmo, "G1", FATIMA_BSN, wmo_id, "02A05", "2026-12-03", 1),
        );
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(d.join("te-vroeg.xml"))
            .arg(&good)
            .assert()
            .failure()
            .stdout(contains("goed.xml: WMO305 G1 ingelezen"))
            .stderr(contains("1 bericht(en) ingelezen, 1 geweigerd."));
        assert_eq!(care(&w, wmo_id).1.as_deref(), Some("2026-12-03"));

        // Without the official checks nothing is read.
        cli(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(&good)
            .assert()
            .failure()
            .stderr(contains(
                "Zonder de officiële controle wordt geen bericht ingelezen",
            ));
        // Only the backoffice.
        cli_checked(&w, "anna", d)
            .args(["import", "berichten"])
            .arg(&good)
            .assert()
            .failure()
            .stderr(contains("Dat mag je niet met jouw rol"));
    });
}

#[test]
fn requests_go_on_the_worklist_and_are_granted_with_a_301_or_refused_with_a_319() {
    let Some(schemas) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        let files = [
            write(
                d,
                "315-wmo.xml",
                &request_315(
                    Law::Wmo,
                    "R1",
                    "REF-W-1",
                    "02A05",
                    "2027-06-01",
                    "2027-11-30",
                ),
            ),
            write(
                d,
                "315-jw.xml",
                &request_315(
                    Law::Jeugdwet,
                    "R2",
                    "REF-J-1",
                    "45A01",
                    "2027-01-04",
                    "2027-06-30",
                ),
            ),
            write(
                d,
                "317-wmo.xml",
                &request_317(Law::Wmo, "R3", "REF-W-2", wmo_id),
            ),
            write(
                d,
                "317-jw.xml",
                &request_317(Law::Jeugdwet, "R4", "REF-J-2", jw_id),
            ),
        ];
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .args(&files)
            .assert()
            .success()
            .stdout(contains(
                "WMO315 R1 ingelezen: 1 verzoek(en) om toewijzing op de werklijst",
            ))
            .stdout(contains(
                "JW317 R4 ingelezen: verzoek om wijziging op de werklijst (1 te wijzigen, 0 nieuw)",
            ));
        cli(&w, "carla", d)
        .arg("verzoeken")
        .assert()
        .success()
        .stdout(contains("Verzoeken van aanbieders: 4"))
        .stdout(contains("toewijzing Jeugdwet  Buurtzorg Utrecht (73051234)  Fam. El Amrani / Fatima El Amrani  ref REF-J-1  [nieuw 45A01 2 uur per week 04-01-2027 t/m 30-06-2027, verwijzer huisarts AGB 01012345]  open"))
        .stdout(contains(format!("ref REF-W-2  [wijzig toewijzing {wmo_id:09} 5 uur per week 01-02-2027 t/m 31-05-2027]")));
        // The professional does not see the worklist.
        cli(&w, "anna", d).arg("verzoeken").assert().failure();

        // Grant the Wmo 315: a new toewijzing, sent at once in a 301 with the running one.
        cli_checked(&w, "carla", d)
            .args(["verzoek", "toekennen", "1", "-o", "toegekend"])
            .assert()
            .success()
            .stdout(contains(
                "Verzoek 1 (REF-W-1) is toegekend: 1 toewijzing(en)",
            ))
            .stdout(contains("2 toewijzing(en), 1 nieuw, 0 gewijzigd"));
        let granted: Vec<PathBuf> = std::fs::read_dir(d.join("toegekend"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(granted.len(), 1);
        let xml = std::fs::read_to_string(&granted[0]).unwrap();
        assert_official(&schemas, Law::Wmo, 301, &xml);
        assert!(xml.contains("<Ingangsdatum>2027-06-01</Ingangsdatum>"));
        // A request that would overlap a running toewijzing of the same product is not granted.
        let before = state(&w);
        cli_checked(&w, "carla", d)
            .args(["verzoek", "toekennen", "2", "-o", "overlap"])
            .assert()
            .failure()
            .stderr(contains(format!(
                "overlapt met toewijzing {jw_id:09} voor hetzelfde product 45A01"
            )));
        assert_eq!(state(&w), before);
        // A second decision on the same request is refused.
        cli(&w, "carla", d)
            .args(["verzoek", "afwijzen", "1", "--reden", "3"])
            .assert()
            .failure()
            .stderr(contains("Verzoek 1 is al toegekend."));

        // Grant the Wmo 317: the old toewijzing ends on 31-01-2027, a new one runs from 01-02-2027.
        cli_checked(&w, "carla", d)
            .args(["verzoek", "toekennen", "3", "-o", "wijziging"])
            .assert()
            .success()
            .stdout(contains("1 gewijzigd"));
        let changed: Vec<PathBuf> = std::fs::read_dir(d.join("wijziging"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let xml = std::fs::read_to_string(&changed[0]).unwrap();
        assert_official(&schemas, Law::Wmo, 301, &xml);
        assert!(
            xml.contains(
                "<Einddatum>2027-01-31</Einddatum>\n        <RedenWijziging>12</RedenWijziging>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<Ingangsdatum>2027-02-01</Ingangsdatum>"));
        assert!(xml.contains("<iwmo:Volume>5</iwmo:Volume>"));

        // Refuse both Jeugdwet requests: a JW319 each, with the reason.
        for (id, reason, label) in [(2, "3", "Geen contract"), (4, "stapeling", "Stapeling")] {
            cli_checked(&w, "carla", d)
                .args([
                    "verzoek",
                    "afwijzen",
                    &id.to_string(),
                    "--reden",
                    reason,
                    "-o",
                    "afgewezen",
                ])
                .assert()
                .success()
                .stdout(contains(format!(
                    "Verzoek {id} is afgewezen ({label}); JW319"
                )));
        }
        let mut answers: Vec<PathBuf> = std::fs::read_dir(d.join("afgewezen"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        answers.sort();
        assert_eq!(answers.len(), 2);
        for (path, (reference, code)) in answers.iter().zip([("REF-J-1", "3"), ("REF-J-2", "6")]) {
            let xml = std::fs::read_to_string(path).unwrap();
            assert_official(&schemas, Law::Jeugdwet, 319, &xml);
            assert!(xml.contains(&format!(
                "<ReferentieAanbieder>{reference}</ReferentieAanbieder>"
            )));
            assert!(xml.contains("<VerzoekAntwoord>1</VerzoekAntwoord>"));
            assert!(xml.contains(&format!(
                "<RedenAfwijzingVerzoek>{code}</RedenAfwijzingVerzoek>"
            )));
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(xml.contains(&format!(
                "<ijw:Identificatie>{}</ijw:Identificatie>",
                name.trim_end_matches(".xml")
            )));
        }
        cli(&w, "carla", d)
            .args(["verzoek", "afwijzen", "4", "--reden", "12"])
            .assert()
            .failure()
            .stderr(contains("Onbekende reden van afwijzing '12'"));
        cli(&w, "carla", d)
            .args(["verzoeken", "--all"])
            .assert()
            .success()
            .stdout(contains("afgewezen (Stapeling)"));

        // Every decision is audited on the household.
        let decisions = query_row(
            &w.db,
            &format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log
             WHERE object = 'verzoek' AND household_id = {}",
                w.overvecht_household
            ),
        );
        assert_eq!(decisions, [Some("4".to_string())]);
    });
}

/// One 301 read back: (file, law, BSN, [(toewijzingnummer, ingangsdatum, product)]).
type Sent = (String, Law, String, Vec<(String, String, String)>);

/// The 301s of a folder, parsed.
fn toewijzingen_in(dir: &Path) -> Vec<Sent> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let law = if doc
            .root_element()
            .tag_name()
            .namespace()
            .unwrap()
            .contains("/ijw/")
        {
            Law::Jeugdwet
        } else {
            Law::Wmo
        };
        let find = |n: roxmltree::Node<'_, '_>, name: &str| {
            n.descendants()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_string()
        };
        let bsn = find(doc.root_element(), "Bsn");
        let products = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "ToegewezenProduct")
            .map(|p| {
                (
                    find(p, "ToewijzingNummer"),
                    find(p, "Ingangsdatum"),
                    find(p, "Code"),
                )
            })
            .collect();
        out.push((path.display().to_string(), law, bsn, products));
    }
    out
}

#[test]
fn round_trip_over_the_demo_every_301_passes_and_a_305_made_from_it_sets_the_start() {
    let Some(schemas) = official() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("demo.db");
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("keukentafel").unwrap();
        cmd.current_dir(d)
            .env("KEUKENTAFEL_CONFIG_DIR", d.join("config"))
            .env("KEUKENTAFEL_DATA_DIR", d.join("data"))
            .env(
                "KEUKENTAFEL_ISTANDAARDEN",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/istandaarden"),
            )
            .env_remove("KEUKENTAFEL_DB")
            .arg("--db")
            .arg(&db)
            .args(args);
        cmd
    };
    run(&["demo"]).assert().success();
    run(&[
        "--user",
        "carla",
        "--password-stdin",
        "export",
        "toewijzingen",
        "-o",
        "uit",
    ])
    .write_stdin("demo\n")
    .assert()
    .success();
    let messages = toewijzingen_in(&d.join("uit"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    // Every provider with a toewijzing gets messages, under both laws.
    let providers: i64 = conn
        .query_row(
            "SELECT COUNT(DISTINCT provider_id) FROM provision WHERE toewijzing_message_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let with_toewijzing: i64 = conn
        .query_row(
            "SELECT COUNT(DISTINCT provider_id) FROM provision WHERE toewijzing_number IS NOT NULL
               AND (COALESCE(ended_on, end_on) IS NULL OR COALESCE(ended_on, end_on) >= date('now'))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        providers, with_toewijzing,
        "every provider with a current toewijzing got a message"
    );
    assert!(messages.iter().any(|m| m.1 == Law::Wmo));
    assert!(messages.iter().any(|m| m.1 == Law::Jeugdwet));
    assert!(messages.len() > 50, "{} messages", messages.len());
    for (file, law, _, _) in &messages {
        assert_official(&schemas, *law, 301, &std::fs::read_to_string(file).unwrap());
    }

    // The provider answers every toewijzing with a start on its first day.
    std::fs::create_dir(d.join("in")).unwrap();
    let agb_of: std::collections::HashMap<String, String> = conn
        .prepare("SELECT m.identification, a.agb_code FROM outgoing_message m JOIN provider a ON a.id = m.provider_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut numbers = Vec::new();
    let mut files = Vec::new();
    for (i, (file, law, bsn, products)) in messages.iter().enumerate() {
        let identification = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let agb = &agb_of[&identification];
        let lines: String = products
            .iter()
            .map(|(number, start, code)| {
                numbers.push(number.parse::<i64>().unwrap());
                format!(
                    "<StartProduct><ToewijzingNummer>{number}</ToewijzingNummer>\
                     <Product><b:Categorie>{}</b:Categorie><b:Code>{code}</b:Code></Product>\
                     <ToewijzingIngangsdatum>{start}</ToewijzingIngangsdatum><Begindatum>{start}</Begindatum>\
                     <StatusAanlevering>1</StatusAanlevering></StartProduct>",
                    &code[..2]
                )
            })
            .collect();
        let client = format!("{}<StartProducten>{lines}</StartProducten>", person(bsn));
        // Rule TR134: a start is reported on or after its first day.
        let dag = products
            .iter()
            .map(|p| p.1.clone())
            .max()
            .unwrap_or_default()
            .max("2026-12-01".into());
        let text = message_of(
            *law,
            305,
            agb,
            GEMEENTE,
            &format!("ST{i:06}"),
            &dag,
            &client,
        );
        assert_official(&schemas, *law, 305, &text);
        files.push(write(&d.join("in"), &format!("start-{i:04}.xml"), &text));
    }
    run(&["--user", "carla", "--password-stdin", "import", "berichten"])
        .args(&files)
        .write_stdin("demo\n")
        .assert()
        .success()
        .stdout(contains(format!(
            "{} bericht(en) ingelezen, 0 geweigerd.",
            files.len()
        )));
    let mut stmt = conn
        .prepare("SELECT care_started_on = start_on FROM provision WHERE CAST(toewijzing_number AS INTEGER) = ?1")
        .unwrap();
    for number in &numbers {
        let set: bool = stmt.query_row([number], |r| r.get(0)).unwrap();
        assert!(set, "toewijzing {number} has its start of care");
    }
    // The steering figures count them by the actual start.
    let started: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM provision WHERE law = 'wmo' AND care_started_on IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(started >= 5, "{started} Wmo starts");
    run(&[
        "--user",
        "carla",
        "--password-stdin",
        "report",
        "--from",
        "2000-01-01",
        "--to",
        "2040-12-31",
        "--format",
        "csv",
    ])
    .write_stdin("demo\n")
    .assert()
    .success()
    // Shown rounded down to a multiple of five, as every count of the report.
    .stdout(contains(format!(
        "care,Wmo / zorg gestart,count,{},false",
        started - started % 5
    )));
    // The same files again change nothing.
    run(&["--user", "carla", "--password-stdin", "import", "berichten"])
        .args(&files[..3])
        .write_stdin("demo\n")
        .assert()
        .failure()
        .stderr(contains("is al ingelezen"))
        .stderr(contains("0 bericht(en) ingelezen, 3 geweigerd."));
}

#[test]
fn a_stored_number_longer_than_the_message_allows_is_answered_by_the_id_it_went_out_as() {
    let Some(_) = official() else { return };
    each_world(|mut w| {
        let provider = contracted_provider(&mut w);
        let fatima = w.fatima;
        let id = request(&mut w, wmo(fatima));
        grant(&mut w, &[id]);
        assign(&mut w, &[id], provider);
        // A number stored by an older version, longer than the message's field.
        execute_sql(
            &w.db,
            &format!("UPDATE provision SET toewijzing_number = '20260000001' WHERE id = {id}"),
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        cli_checked(&w, "carla", d)
            .args(["export", "toewijzingen", "-o", "uit"])
            .assert()
            .success();
        let sent: Vec<_> = std::fs::read_dir(d.join("uit")).unwrap().collect();
        let xml = std::fs::read_to_string(sent[0].as_ref().unwrap().path()).unwrap();
        assert!(
            xml.contains(&format!("<ToewijzingNummer>{id}</ToewijzingNummer>")),
            "{xml}"
        );
        let file = write(
            d,
            "start.xml",
            &start(Law::Wmo, "L1", FATIMA_BSN, id, "02A05", "2026-12-03", 1),
        );
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(&file)
            .assert()
            .success();
        assert_eq!(care(&w, id).1.as_deref(), Some("2026-12-03"));
    });
}

#[test]
fn a_withdrawal_takes_back_a_start_or_a_stop() {
    let Some(_) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, _jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        let import = |name: &str, text: &str| {
            let file = write(d, name, text);
            cli_checked(&w, "carla", d)
                .args(["import", "berichten"])
                .arg(&file)
                .assert()
        };
        import(
            "s1.xml",
            &start(Law::Wmo, "W1", FATIMA_BSN, wmo_id, "02A05", "2026-12-03", 1),
        )
        .success();
        // A second start while care runs is refused; a withdrawal (status 3) takes it back.
        import(
            "s2.xml",
            &start(Law::Wmo, "W2", FATIMA_BSN, wmo_id, "02A05", "2026-12-04", 1),
        )
        .failure()
        .stderr(contains(
            "heeft al een startbericht (begindatum 03-12-2026)",
        ));
        import(
            "s3.xml",
            &start(Law::Wmo, "W3", FATIMA_BSN, wmo_id, "02A05", "2026-12-04", 3),
        )
        .failure()
        .stderr(contains(
            "er is geen startbericht met begindatum 04-12-2026",
        ));
        import(
            "s4.xml",
            &start(Law::Wmo, "W4", FATIMA_BSN, wmo_id, "02A05", "2026-12-03", 3),
        )
        .success()
        .stdout(contains("0 start(s) vastgelegd, 1 verwijderd"));
        assert_eq!(care(&w, wmo_id), ("toegewezen".into(), None, None, None));
        import(
            "s5.xml",
            &start(Law::Wmo, "W5", FATIMA_BSN, wmo_id, "02A05", "2026-12-07", 1),
        )
        .success();
        // A stop with a wrong first day is refused; the right one ends care and toewijzing; its
        // withdrawal brings both back.
        import(
            "e1.xml",
            &stop(
                Law::Wmo,
                "W6",
                wmo_id,
                "02A05",
                "2026-12-03",
                "2027-02-28",
                "21",
            ),
        )
        .failure()
        .stderr(contains(
            "de begindatum 03-12-2026 wijkt af van de start die de aanbieder meldde (07-12-2026)",
        ));
        import(
            "e2.xml",
            &stop(
                Law::Wmo,
                "W7",
                wmo_id,
                "02A05",
                "2026-12-07",
                "2027-06-15",
                "21",
            ),
        )
        .failure()
        .stderr(contains(
            "de einddatum 15-06-2027 ligt na het einde van toewijzing",
        ));
        import(
            "e3.xml",
            &stop(
                Law::Wmo,
                "W8",
                wmo_id,
                "02A05",
                "2026-12-07",
                "2027-02-28",
                "21",
            ),
        )
        .success();
        assert_eq!(
            care(&w, wmo_id),
            (
                "beeindigd".into(),
                Some("2026-12-07".into()),
                Some("2027-02-28".into()),
                Some("21".into())
            )
        );
        let withdraw = stop(
            Law::Wmo,
            "W9",
            wmo_id,
            "02A05",
            "2026-12-07",
            "2027-02-28",
            "21",
        )
        .replace(
            "<StatusAanlevering>1</StatusAanlevering>",
            "<StatusAanlevering>3</StatusAanlevering>",
        );
        import("e4.xml", &withdraw)
            .success()
            .stdout(contains("0 stop(s) vastgelegd, 1 verwijderd"));
        assert_eq!(
            care(&w, wmo_id),
            ("gestart".into(), Some("2026-12-07".into()), None, None)
        );
    });
}

#[test]
fn a_change_request_for_a_later_end_and_a_new_product_is_granted_as_such() {
    let Some(schemas) = official() else { return };
    each_world(|w| {
        let (w, wmo_id, _jw_id, dir) = assigned_world_on(w);
        let d = dir.path();
        let client = format!(
            "<Bsn>{FATIMA_BSN}</Bsn><Verzoek><ReferentieAanbieder>REF-V</ReferentieAanbieder><RedenVerzoek>1</RedenVerzoek>\
         <TeWijzigenProducten><TeWijzigenProduct><ToewijzingNummer>{wmo_id}</ToewijzingNummer>\
         <GewensteIngangsdatum>2027-06-01</GewensteIngangsdatum><Einddatum>2027-11-30</Einddatum>\
         </TeWijzigenProduct></TeWijzigenProducten>\
         <NieuweProducten><NieuwProduct><Product><b:Categorie>02</b:Categorie><b:Code>02A05</b:Code></Product>\
         <GewensteIngangsdatum>2027-12-01</GewensteIngangsdatum><Einddatum>2028-05-31</Einddatum>\
         <Omvang><b:Volume>1</b:Volume><b:Eenheid>04</b:Eenheid><b:Frequentie>2</b:Frequentie></Omvang>\
         </NieuwProduct></NieuweProducten></Verzoek>"
        );
        let file = write(
            d,
            "317.xml",
            &message(Law::Wmo, 317, AGB, GEMEENTE, "V317", &client),
        );
        cli_checked(&w, "carla", d)
            .args(["import", "berichten"])
            .arg(&file)
            .assert()
            .success()
            .stdout(contains("(1 te wijzigen, 1 nieuw)"));
        cli_checked(&w, "carla", d)
            .args(["verzoek", "toekennen", "1", "-o", "toegekend"])
            .assert()
            .success()
            .stdout(contains("2 toewijzing(en), 1 nieuw, 1 gewijzigd"));
        let files: Vec<_> = std::fs::read_dir(d.join("toegekend")).unwrap().collect();
        let xml = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert_official(&schemas, Law::Wmo, 301, &xml);
        assert!(
            xml.contains(
                "<Einddatum>2027-11-30</Einddatum>\n        <RedenWijziging>12</RedenWijziging>"
            ),
            "the later end as a change by the provider: {xml}"
        );
        assert!(
            xml.contains("<Ingangsdatum>2027-12-01</Ingangsdatum>"),
            "{xml}"
        );
    });
}
