//! `import providers` and `import flags` as a backoffice user runs them: separators and BOM,
//! wrong headers, every bad-row case named by line and column, all or nothing unless
//! --skip-bad-rows, idempotence, the audit with the source, and who may import.

use crate::exchange_world;

use std::path::Path;

use crate::common::{query_row, query_rows};
use exchange_world::*;
use predicates::str::contains;

fn file(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

/// The one number `sql` selects, on the world's backend.
fn count(w: &World, sql: &str) -> i64 {
    let row = query_row(&w.db, &format!("SELECT CAST(({sql}) AS TEXT)"));
    row[0]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{sql}: {row:?}"))
}

/// Every flag: household, kind, since, ended on, source.
fn flags(w: &World) -> Vec<(i64, String, String, Option<String>, String)> {
    query_rows(
        &w.db,
        "SELECT CAST(household_id AS TEXT), kind, CAST(since AS TEXT), CAST(ended_on AS TEXT),
                source
         FROM flag ORDER BY id",
    )
    .into_iter()
    .map(|r| {
        let text = |i: usize| r[i].clone().unwrap_or_default();
        (
            text(0).parse().unwrap(),
            text(1),
            text(2),
            r[3].clone(),
            text(4),
        )
    })
    .collect()
}

const PROVIDERS: &str = "\u{feff}naam,agb,contact,product,tarief,eenheid,ingang,einde\r\n\
Buurtzorg Utrecht,73051234,030 123 4567,02A05,\"62,50\",uur,01-01-2026,\r\n\
Buurtzorg Utrecht,73051234,,01A01,\"41,00\",uur,01-01-2026,31-12-2026\r\n\
\"Zorg & Co; Jeugd\",12345678,info@zorgenco.nl,45A01,95,uur,2026-01-01,\r\n";

#[test]
fn providers_are_created_once_and_the_same_file_twice_changes_nothing() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path(), "aanbieders.csv", PROVIDERS);
        cli(&w, "carla", dir.path())
            .args(["import", "providers", &f])
            .assert()
            .success()
            .stdout(contains(
                "2 aanbieder(s) en 3 contract(en) nieuw, 0 rij(en) stonden er al",
            ));
        assert_eq!(count(&w, "SELECT COUNT(*) FROM provider"), 2);
        assert_eq!(
            count(
                &w,
                "SELECT tariff_cents FROM contract WHERE product_code = '02A05'"
            ),
            6250
        );
        let name = query_row(
            &w.db,
            "SELECT name FROM provider WHERE agb_code = '12345678'",
        );
        assert_eq!(name, [Some("Zorg & Co; Jeugd".to_string())]);
        let audited = count(
            &w,
            "SELECT COUNT(*) FROM audit_log WHERE object IN ('provider', 'contract')",
        );
        assert_eq!(audited, 5);

        cli(&w, "carla", dir.path())
            .args(["import", "providers", &f])
            .assert()
            .success()
            .stdout(contains(
                "0 aanbieder(s) en 0 contract(en) nieuw, 3 rij(en) stonden er al",
            ));
        assert_eq!(count(&w, "SELECT COUNT(*) FROM contract"), 3);
        assert_eq!(
            count(
                &w,
                "SELECT COUNT(*) FROM audit_log WHERE object IN ('provider', 'contract')"
            ),
            audited
        );
    });
}

#[test]
fn a_wrong_header_or_separator_is_refused_naming_what_was_expected() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let tabs = file(
            dir.path(),
            "tab.csv",
            "naam\tagb\tcontact\tproduct\ttarief\teenheid\tingang\teinde\n",
        );
        cli(&w, "carla", dir.path())
            .args(["import", "providers", &tabs])
            .assert()
            .failure()
            .stderr(contains(
                "Verkeerd scheidingsteken (tab): gebruik ; (puntkomma) of , (komma)",
            ))
            .stderr(contains(
                "naam;agb;contact;product;tarief;eenheid;ingang;einde",
            ));
        let wrong = file(dir.path(), "kop.csv", "bsn;signaal;sinds;bron;notitie\n");
        cli(&w, "carla", dir.path())
        .args(["import", "flags", &wrong])
        .assert()
        .failure()
        .stderr(contains("Verkeerde kopregel `bsn;signaal;sinds;bron;notitie`; verwacht `bsn;signaal;sinds;bron;[einde]`"));
        assert_eq!(count(&w, "SELECT COUNT(*) FROM provider"), 0);
    });
}

#[test]
fn a_file_without_a_header_never_echoes_its_first_row() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let rows = file(
            dir.path(),
            "zonder-kop.csv",
            "111222333;schuldhulp;01-03-2026;Kredietbank\n",
        );
        let assert = cli(&w, "carla", dir.path())
            .args(["import", "flags", &rows])
            .assert()
            .failure()
            .stderr(contains("De eerste regel is geen kopregel"))
            .stderr(contains("bsn;signaal;sinds;bron"));
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(!err.contains("111222333"), "the BSN is never shown: {err}");
        assert!(
            !err.contains("Kredietbank"),
            "nothing of the row is shown: {err}"
        );
    });
}

#[test]
fn bad_provider_rows_are_named_and_nothing_is_imported_unless_skipped() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let f = file(
            dir.path(),
            "a.csv",
            "naam;agb;contact;product;tarief;eenheid;ingang;einde\n\
         Goed;73051234;;02A05;62,50;uur;01-01-2026;\n\
         Kort;7305123;;02A05;62,50;uur;01-01-2026;\n\
         Onbekend;11112222;;99Z99;62,50;uur;01-01-2026;\n\
         Datum;22223333;;02A05;62,50;uur;31-02-2026;\n\
         Bedrag;33334444;;02A05;veel;uur;01-01-2026;\n",
        );
        cli(&w, "carla", dir.path())
            .args(["import", "providers", &f])
            .assert()
            .failure()
            .stderr(contains("4 foute rij(en); er is niets ingelezen"))
            .stderr(contains(
                "regel 3, kolom agb: Een AGB-code heeft 8 cijfers; '7305123' heeft er 7.",
            ))
            .stderr(contains("regel 4, kolom product: onbekend product '99Z99'"))
            .stderr(contains(
                "regel 5, kolom ingang: '31-02-2026' is geen datum",
            ))
            .stderr(contains("regel 6, kolom tarief: 'veel' is geen bedrag"));
        assert_eq!(count(&w, "SELECT COUNT(*) FROM provider"), 0);

        cli(&w, "carla", dir.path())
            .args(["import", "providers", &f, "--skip-bad-rows"])
            .assert()
            .success()
            .stderr(contains("Overgeslagen rijen:"))
            .stderr(contains("regel 3, kolom agb"))
            .stdout(contains(
                "1 aanbieder(s) en 1 contract(en) nieuw, 0 rij(en) stonden er al, 4 overgeslagen",
            ));
        assert_eq!(count(&w, "SELECT COUNT(*) FROM provider"), 1);
    });
}

#[test]
fn a_contract_with_other_terms_refuses_the_whole_file() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let first = file(dir.path(), "a.csv", PROVIDERS);
        cli(&w, "carla", dir.path())
            .args(["import", "providers", &first])
            .assert()
            .success();
        let changed = file(
            dir.path(),
            "b.csv",
            "naam;agb;contact;product;tarief;eenheid;ingang;einde\n\
         Nieuw;55556666;;02A05;50;uur;01-01-2026;\n\
         Buurtzorg Utrecht;73051234;;02A05;70,00;uur;01-01-2026;\n",
        );
        cli(&w, "carla", dir.path())
        .args(["import", "providers", &changed])
        .assert()
        .failure()
        .stderr(contains("Niets ingelezen: regel 3, kolom tarief: er is al een contract voor product 02A05 vanaf 01-01-2026 met andere voorwaarden"));
        assert_eq!(
            count(&w, "SELECT COUNT(*) FROM provider"),
            2,
            "Nieuw not created"
        );
    });
}

#[test]
fn a_professional_may_not_import() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path(), "a.csv", PROVIDERS);
        cli(&w, "anna", dir.path())
            .args(["import", "providers", &f])
            .assert()
            .failure()
            .stderr(contains("aanbieders en contracten beheren"));
        let g = file(
            dir.path(),
            "s.csv",
            "bsn;signaal;sinds;bron\n111222333;bijstand;01-10-2026;Suite\n",
        );
        cli(&w, "anna", dir.path())
            .args(["import", "flags", &g])
            .assert()
            .failure()
            .stderr(contains("signalen uit gemeentelijke systemen inlezen"));
        assert!(flags(&w).iter().all(|f| f.1 != "bijstand"));
    });
}

/// Fatima (Overvecht) gets a WW-uitkering, Petra's (Zuid) schuldhulp ends, one BSN is unknown.
const FLAGS: &str = "bsn;signaal;sinds;bron;einde\n\
111222333;ww_uitkering;01-10-2026;UWV;\n\
123456782;schuldhulp;01-01-2026;Schuldhulp Utrecht;30-11-2026\n\
111111110;bijstand;01-10-2026;Suite;\n";

#[test]
fn flags_are_set_and_ended_by_bsn_and_the_same_file_twice_changes_nothing() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path(), "signalen.csv", FLAGS);
        let before = flags(&w);
        cli(&w, "carla", dir.path())
        .args(["import", "flags", &f])
        .assert()
        .success()
        .stdout(contains(
            "Gevonden: 2 rij(en); niet gevonden: 1 rij(en) (regel 4); afgewezen: 0. Signalen aangezet: 1, beëindigd: 1, stonden al zo: 0.",
        ));
        let after = flags(&w);
        assert_eq!(after.len(), before.len() + 1);
        assert!(after.contains(&(
            w.overvecht_household,
            "ww_uitkering".into(),
            "2026-10-01".into(),
            None,
            "import".into()
        )));
        let ended = after
            .iter()
            .find(|f| f.0 == w.zuid_household && f.1 == "schuldhulp")
            .unwrap();
        assert_eq!(ended.3.as_deref(), Some("2026-11-30"));
        // Each change audited with its household and the source system.
        let details: Vec<(i64, String)> = query_rows(
            &w.db,
            "SELECT CAST(household_id AS TEXT), detail FROM audit_log
         WHERE object = 'flag' AND detail LIKE 'import%' ORDER BY id",
        )
        .into_iter()
        .map(|r| {
            (
                r[0].as_deref().unwrap().parse().unwrap(),
                r[1].clone().unwrap(),
            )
        })
        .collect();
        assert_eq!(details.len(), 2);
        assert!(details.contains(&(
            w.overvecht_household,
            "import uit UWV (regel 2): ww_uitkering sinds 01-10-2026".into()
        )));
        assert!(
            details
                .iter()
                .any(|(h, d)| *h == w.zuid_household && d.contains("Schuldhulp Utrecht"))
        );

        let audit = count(&w, "SELECT COUNT(*) FROM audit_log WHERE object = 'flag'");
        cli(&w, "carla", dir.path())
            .args(["import", "flags", &f])
            .assert()
            .success()
            .stdout(contains(
                "Signalen aangezet: 0, beëindigd: 0, stonden al zo: 2.",
            ));
        assert_eq!(flags(&w), after, "idempotent");
        assert_eq!(
            count(&w, "SELECT COUNT(*) FROM audit_log WHERE object = 'flag'"),
            audit
        );
    });
}

#[test]
fn every_bad_flag_row_is_named_and_nothing_is_imported_unless_skipped() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let f = file(
            dir.path(),
            "s.csv",
            "\u{feff}bsn,signaal,sinds,bron\n\
         111222333,ww_uitkering,01-10-2026,UWV\n\
         123456789,bijstand,01-10-2026,Suite\n\
         1112223,bijstand,01-10-2026,Suite\n\
         111222333,loterij,01-10-2026,Suite\n\
         111222333,bijstand,gisteren,Suite\n\
         111222333,bijstand,01-10-2026,\n\
         111222333,bijstand,01-10-2026\n",
        );
        let before = flags(&w);
        cli(&w, "carla", dir.path())
            .args(["import", "flags", &f])
            .assert()
            .failure()
            .stderr(contains("6 foute rij(en); er is niets ingelezen"))
            .stderr(contains("regel 3, kolom bsn:"))
            .stderr(contains("regel 4, kolom bsn:"))
            .stderr(contains(
                "regel 5, kolom signaal: onbekend signaal 'loterij'",
            ))
            .stderr(contains("regel 6, kolom sinds: 'gisteren' is geen datum"))
            .stderr(contains("regel 7, kolom bron:"))
            .stderr(contains("regel 8, kolom -: 3 velden, verwacht 4"));
        assert_eq!(flags(&w), before);

        cli(&w, "carla", dir.path())
            .args(["import", "flags", &f, "--skip-bad-rows"])
            .assert()
            .success()
            .stderr(contains("Overgeslagen rijen:"))
            .stdout(contains("afgewezen: 6. Signalen aangezet: 1"));
        assert_eq!(flags(&w).len(), before.len() + 1);
    });
}

#[test]
fn a_file_that_sets_and_ends_one_flag_for_two_members_stays_idempotent() {
    // Two members of one household in one file: one row says the flag is on, one that it
    // ended. The household's flag follows "on"; a second run changes nothing.
    each_world(|mut w| {
        let reference = keukentafel::domain::reference::ReferenceData::embedded();
        let text = "bsn;signaal;sinds;bron;einde\n\
                111222333;bijstand;01-10-2026;Suite;\n\
                111222333;bijstand;01-09-2026;Suite;30-09-2026\n";
        let parsed =
            keukentafel::exchange::import::parse_flags(text.as_bytes(), &reference.flags).unwrap();
        assert!(parsed.rejected.is_empty());
        let carla = w.carla.clone();
        let first = w.store.import_flags(&carla, &parsed.rows).unwrap();
        assert_eq!((first.matched, first.set, first.ended), (2, 1, 0));
        let snapshot = flags(&w);
        let second = w.store.import_flags(&carla, &parsed.rows).unwrap();
        assert_eq!((second.set, second.ended, second.unchanged), (0, 0, 1));
        assert_eq!(flags(&w), snapshot);
    });
}

/// Issue 16's printing attack: a `bron` with terminal escapes in an imported flag file goes
/// into the audit detail, and the beheerder's trail of the importing user shows it escaped,
/// never raw.
#[test]
fn an_escape_sequence_in_an_imported_bron_is_printed_escaped() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        // No ';' in it: that is the file's separator.
        let sneaky = "UWV\u{1b}]0:gekaapt\u{7}\u{1b}[2J\u{202e}";
        let text =
            format!("bsn;signaal;sinds;bron;einde\n111222333;ww_uitkering;01-10-2026;{sneaky};\n");
        let f = file(dir.path(), "signalen.csv", &text);
        let imported = cli(&w, "carla", dir.path())
            .args(["import", "flags", &f])
            .output()
            .unwrap();
        assert!(imported.status.success(), "{imported:?}");
        let shown = cli(&w, "beheer", dir.path())
            .args(["audit", "--of-user", "carla"])
            .output()
            .unwrap();
        assert!(shown.status.success(), "{shown:?}");
        let stdout = String::from_utf8_lossy(&shown.stdout);
        for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(
                !stdout.contains(raw) && !String::from_utf8_lossy(&imported.stdout).contains(raw),
                "{raw:?} reached the terminal: {stdout}"
            );
        }
        assert!(
            stdout.contains("UWV\\u{1b}]0:gekaapt\\u{7}\\u{1b}[2J\\u{202e}"),
            "the bron shown escaped: {stdout}"
        );
    });
}
