//! Worklists as CSV for Dutch Excel, opened back the way Excel would: semicolons, a UTF-8
//! byte-order mark, CRLF, dates dd-mm-jjjj, quoted fields intact; the file private and whole.

use crate::exchange_world;

use exchange_world::*;
use keukentafel::exchange::csv;
use keukentafel::exchange::worklist_csv::HEADER;
use predicates::str::contains;
use proptest::prelude::*;

#[test]
fn the_toewijzing_worklist_opens_in_dutch_excel() {
    each_world(|mut w| {
        contracted_provider(&mut w);
        // A label with the separator and quotes, and one that a spreadsheet would run as a formula.
        let carla = w.carla.clone();
        let anna = w.anna.clone();
        let team = anna.team_id.unwrap();
        let (h2, p2) = household(
            w.store.as_mut(),
            &anna,
            team,
            "Fam. \"de\" Bruin; Jansen",
            "=Jan de Bruin",
            "123456782",
        );
        let fatima = wmo(w.fatima);
        let first = request(&mut w, fatima);
        let mut fields = wmo(p2);
        fields.end_on = None;
        let second = w
            .store
            .apply(
                &anna,
                h2,
                &keukentafel::model::changes::Change::RequestProvision(fields),
            )
            .unwrap()
            .record_id;
        grant(&mut w, &[first, second]);
        drop(carla);

        let dir = tempfile::tempdir().unwrap();
        cli(&w, "carla", dir.path())
            .args(["export", "worklist", "toewijzing", "-o", "lijst.csv"])
            .assert()
            .success()
            .stdout(contains("(2 rijen)"));
        let path = dir.path().join("lijst.csv");
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "UTF-8 byte-order mark");
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(
            text.matches("\r\n").count(),
            text.matches('\n').count(),
            "CRLF only"
        );
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("voorziening;huishouden;gezinslid;bsn;wet")
        );

        let (table, columns) = csv::read(&bytes, &HEADER, &[]).unwrap();
        assert_eq!((table.separator, columns), (';', HEADER.len()));
        let rows: Vec<_> = table.records.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
        let fatima = &rows[0].fields;
        assert_eq!(fatima[col("huishouden")], "Fam. El Amrani");
        assert_eq!(fatima[col("bsn")], "111222333");
        assert_eq!(fatima[col("begindatum")], "01-12-2026");
        assert_eq!(fatima[col("einddatum")], "31-05-2027");
        assert_eq!(fatima[col("beschikkingsdatum")], "23-11-2026");
        assert_eq!(fatima[col("beschikkingsnummer")], "B-2026-1-1");
        assert_eq!(fatima[col("status")], "toegekend");
        assert_eq!(fatima[col("frequentie")], "per week");
        assert_eq!(fatima[col("financiering")], "zorg in natura");
        assert_eq!(fatima[col("eigen bijdrage")], "ja");
        let bruin = &rows[1].fields;
        assert_eq!(bruin[col("huishouden")], "Fam. \"de\" Bruin; Jansen");
        assert_eq!(bruin[col("gezinslid")], "'=Jan de Bruin", "no formula runs");
        assert_eq!(bruin[col("einddatum")], "");

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // The read is in the audit log.
        let detail = crate::common::query_row(
            &w.db,
            "SELECT detail FROM audit_log WHERE object = 'worklist' AND action = 'read'
         ORDER BY id DESC LIMIT 1",
        );
        assert_eq!(detail, [Some("toewijzing: 2".to_string())]);
        // Each household whose row left in the file reads it in its own access log.
        let first_household = w.overvecht_household;
        for household in [first_household, h2] {
            let log = w.store.household_access_log(&anna, household).unwrap();
            let exported = log
                .iter()
                .filter(|e| {
                    e.describe(keukentafel::i18n::Lang::Nl)
                        .contains("werklijst geëxporteerd")
                })
                .count();
            assert_eq!(exported, 1, "household {household}: {log:?}");
        }
    });
}

#[test]
fn an_unknown_worklist_or_a_professional_gets_no_file() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        cli(&w, "carla", dir.path())
        .args(["export", "worklist", "wachtrij", "-o", "x.csv"])
        .assert()
        .failure()
        .stderr(contains(
            "Onbekende werklijst 'wachtrij'. Kies uit: beschikking, toewijzing, zonder-start, svb, cak, einde.",
        ));
        cli(&w, "anna", dir.path())
            .args(["export", "worklist", "beschikking", "-o", "x.csv"])
            .assert()
            .failure()
            .stderr(contains("over voorzieningen beslissen"));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no file, no temp file"
        );
    });
}

proptest! {
    /// Whatever the text, a written table reads back field for field.
    #[test]
    fn csv_write_then_read_round_trips(
        rows in prop::collection::vec(prop::collection::vec("[^\u{feff}]{0,12}", 3), 0..6)
    ) {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .filter(|r: &Vec<String>| !(r.iter().all(String::is_empty)))
            .collect();
        let text = csv::write(&["a", "b", "c"], &rows);
        let (table, _) = csv::read(text.as_bytes(), &["a", "b", "c"], &[]).unwrap();
        let back: Vec<Vec<String>> = table.records.into_iter().map(|r| r.unwrap().fields).collect();
        prop_assert_eq!(back, rows);
    }
}
