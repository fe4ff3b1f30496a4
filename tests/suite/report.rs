//! Steering figures on a small hand-built database where every figure is known: the
//! arithmetic, small-cell suppression (including totals minus the rest), and access per role.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use keukentafel::auth::Session;
use keukentafel::clock::FixedClock;
use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::household::{Address, NewHousehold, PersonFields};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::user::Role;
use keukentafel::domain::zrm::{Score, Scores};
use keukentafel::export::report::{ReportFormat, render};
use keukentafel::i18n::Lang;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::model::report::Report;
use keukentafel::model::report::ReportRequest;
use keukentafel::model::users::NewUser;
use keukentafel::store::{Backend, StoreError};

use crate::common::{Db, databases, execute_sql, query_row, query_rows};

const PASSWORD: &str = "lang-genoeg-wachtwoord";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct World {
    db: Db,
    store: Box<dyn Backend>,
    reference: ReferenceData,
}

impl World {
    fn login(&self, name: &str) -> Session {
        self.store.authenticate(name, PASSWORD, "ws").unwrap()
    }

    fn report(&mut self, who: &str, team: Option<&str>) -> Result<Report, StoreError> {
        let session = self.login(who);
        let request = ReportRequest {
            from: d(2026, 1, 1),
            to: d(2026, 12, 31),
            team: team.map(str::to_string),
        };
        self.store
            .steering_report(&session, &request, &self.reference, Lang::Nl)
    }
}

fn household(
    store: &mut dyn Backend,
    who: &Session,
    team: i64,
    n: usize,
    opened: NaiveDate,
) -> i64 {
    let new = NewHousehold {
        label: format!("Fam. Test {n}"),
        address: Address::parse("Teststraat", &format!("{}", n + 1), "3562ab", "Utrecht").unwrap(),
        team_id: team,
        regisseur_id: who.user_id,
        opened_on: opened,
    };
    let first = PersonFields::parse(&format!("Persoon {n}"), None, "ouder", None, None).unwrap();
    store.create_household(who, &new, &first).unwrap().id
}

/// Runs `story` on the world on every backend, each in a fresh database.
fn each_world(story: impl Fn(World)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(world(db));
    }
}

fn scores(pairs: &[(&str, u8)]) -> Scores {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Score::Level(*v)))
        .collect()
}

/// Team Overvecht (anna, dirk): 12 households opened in 2026 and 2 in 2025; 5 of the 2026 ones
/// closed on 1 June after 120, 119, 118, 117 and 116 days. Team Zuid (bram): 3 households
/// opened in 2026, one closed after 92 days. In `db`.
fn world(db: Db) -> World {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ));
    let mut store = keukentafel::store::create(&db.location, DatabaseKind::Production, clock)
        .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
    store.create_first_admin("beheer", PASSWORD, "ws").unwrap();
    let beheer = store.authenticate("beheer", PASSWORD, "ws").unwrap();
    let overvecht = store.create_team(&beheer, "Overvecht").unwrap().id;
    let zuid = store.create_team(&beheer, "Zuid").unwrap().id;
    for (name, role, team) in [
        ("anna", Role::Professional, Some("Overvecht")),
        ("bram", Role::Professional, Some("Zuid")),
        ("dirk", Role::Teamleider, Some("Overvecht")),
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
    let bram = store.authenticate("bram", PASSWORD, "ws").unwrap();

    let a: Vec<i64> = (0..12)
        .map(|i| {
            household(
                store.as_mut(),
                &anna,
                overvecht,
                i,
                d(2026, 2, 1) + Duration::days(i as i64),
            )
        })
        .collect();
    for i in 12..14 {
        household(store.as_mut(), &anna, overvecht, i, d(2025, 6, 1));
    }
    for &h in &a[..5] {
        store
            .close_household(&anna, h, d(2026, 6, 1), "doelen bereikt")
            .unwrap();
    }
    let b: Vec<i64> = (0..3)
        .map(|i| household(store.as_mut(), &bram, zuid, 20 + i, d(2026, 3, 1)))
        .collect();
    store
        .close_household(&bram, b[0], d(2026, 6, 1), "verhuisd")
        .unwrap();

    // Contacts: huisbezoek in households 0..6 (60 min) and a second one in household 0 (30);
    // kantoor in 0..5 (45); telefoon in 0..2 (10); one 2025 contact that falls outside.
    let contact = |store: &mut dyn Backend, h: i64, on: NaiveDate, kind: &str, minutes: u32| {
        let f = ContactFields::new(on, kind, minutes, None).unwrap();
        store.record_contact(&anna, h, &f).unwrap();
    };
    for &h in &a[..6] {
        contact(store.as_mut(), h, d(2026, 4, 1), "huisbezoek", 60);
    }
    contact(store.as_mut(), a[0], d(2026, 5, 1), "huisbezoek", 30);
    for &h in &a[..5] {
        contact(store.as_mut(), h, d(2026, 4, 2), "kantoor", 45);
    }
    for &h in &a[..2] {
        contact(store.as_mut(), h, d(2026, 4, 3), "telefoon", 10);
    }
    contact(store.as_mut(), a[0], d(2025, 12, 31), "huisbezoek", 60);

    // Agreements: one in each of households 0..6, all made today; 0..5 done on 20 November;
    // the one in household 5 was due on 1 November and is still open.
    for (i, &h) in a[..6].iter().enumerate() {
        let due = if i == 5 {
            d(2026, 11, 1)
        } else {
            d(2026, 12, 15)
        };
        let f =
            AgreementFields::new("Iets regelen", Actor::Client, Some(due), false, None).unwrap();
        let agreement = store.add_agreement(&anna, h, &f).unwrap();
        if i < 5 {
            store
                .complete_agreement(&anna, agreement.id, d(2026, 11, 20))
                .unwrap();
        }
    }

    // ZRM Financiën, first (March) and last (October) assessment of the 12 first members:
    // six up (+1 +1 +2 +1 +3 +1), four the same, two down (-1 -2): mean +6/12 = +0.5.
    // Werk & opleiding is scored twice for three persons only; Huisvesting only in March.
    let changes = [1, 1, 2, 1, 3, 1, 0, 0, 0, 0, -1, -2];
    for (i, &h) in a.iter().enumerate() {
        let person: i64 = query_row(
            &db,
            &format!("SELECT CAST(id AS TEXT) FROM person WHERE household_id = {h}"),
        )[0]
        .as_deref()
        .and_then(|id| id.parse().ok())
        .expect("the household's member");
        let before: i32 = if changes[i] < 0 { 3 } else { 2 };
        let (before, after) = (before as u8, (before + changes[i]) as u8);
        let mut first = scores(&[("financien", before), ("huisvesting", 3)]);
        let mut last = scores(&[("financien", after)]);
        if i < 3 {
            first.insert("werk_opleiding".into(), Score::Level(3));
            last.insert("werk_opleiding".into(), Score::Level(3));
        }
        store
            .record_zrm(&anna, person, d(2026, 3, 1), &first)
            .unwrap();
        store
            .record_zrm(&anna, person, d(2026, 10, 1), &last)
            .unwrap();
    }

    // Flags: Schuldhulptraject in households 0..5, WW-uitkering in household 0.
    for &h in &a[..5] {
        store
            .set_flag(&anna, h, "schuldhulp", d(2026, 3, 1))
            .unwrap();
    }
    store
        .set_flag(&anna, a[0], "ww_uitkering", d(2026, 3, 1))
        .unwrap();

    // Provisions: Begeleiding (02, ZIN) granted in households 0..6 from April; Hulp bij het
    // huishouden (01, PGB) granted in households 0..2; one still only requested (not counted);
    // one 2025 provision that ended before the period; one in Zuid (another team).
    let provision =
        |h: i64, category: &str, financing: &str, status: &str, start: &str, end: &str| {
            let by = anna.user_id;
            execute_sql(
                &db,
                &format!(
                    "INSERT INTO provision (household_id, person_id, law, category, product_code,
                         start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage,
                         status, requested_by, requested_at)
                     SELECT {h}, p.id, 'wmo', '{category}', '{category}A01', '{start}', '{end}', 3,
                         'uur', 'per_week', '{financing}', TRUE, '{status}', {by},
                         '2026-01-01T00:00:00Z' FROM person p WHERE p.household_id = {h}"
                ),
            );
        };
    for &h in &a[..6] {
        provision(h, "02", "zin", "gestart", "2026-04-01", "2026-12-31");
    }
    for &h in &a[..2] {
        provision(h, "01", "pgb", "toegekend", "2026-05-01", "2027-04-30");
    }
    provision(a[7], "02", "zin", "aangevraagd", "2026-06-01", "2026-12-31");
    provision(a[8], "02", "zin", "beeindigd", "2025-01-01", "2025-06-30");
    provision(b[1], "02", "zin", "gestart", "2026-04-01", "2026-12-31");

    World {
        db,
        store,
        reference: ReferenceData::embedded(),
    }
}

fn show(report: &Report, section: &str, row: &str, column: &str) -> String {
    report
        .section(section)
        .unwrap_or_else(|| panic!("no section {section}"))
        .cell(row, column)
        .unwrap_or_else(|| panic!("no cell {section}/{row}/{column}"))
        .display()
}

#[test]
fn teamleider_sees_every_figure_of_his_team_computed_right() {
    each_world(|mut w| {
        let r = w.report("dirk", None).unwrap();
        assert_eq!(r.scope, "Overvecht");
        // Households (every count rounded down to a multiple of five: 12 shows as 10).
        assert_eq!(show(&r, "households", "Overvecht", "opened"), "10");
        assert_eq!(show(&r, "households", "Overvecht", "closed"), "5");
        // Contacts: Huisbezoek 7 contacts, 390 minutes, 6 households; the total 14 / 635 / 6;
        // shown rounded down (minutes to whole hours).
        assert_eq!(show(&r, "contacts", "Huisbezoek", "contacts"), "5");
        assert_eq!(show(&r, "contacts", "Huisbezoek", "minutes"), "360");
        assert_eq!(show(&r, "contacts", "Huisbezoek", "households"), "5");
        assert_eq!(show(&r, "contacts", "Totaal", "contacts"), "10");
        assert_eq!(show(&r, "contacts", "Totaal", "minutes"), "600");
        assert_eq!(show(&r, "contacts", "Totaal", "households"), "5");
        // Agreements.
        assert_eq!(show(&r, "agreements", "gemaakt", "count"), "5");
        assert_eq!(show(&r, "agreements", "gedaan", "count"), "5");
        assert_eq!(show(&r, "agreements", "te laat", "count"), "<5");
        // ZRM Financiën: 12 persons (shown as 10), mean +0.5, 50% better.
        assert_eq!(show(&r, "zrm", "Financiën", "persons"), "10");
        assert_eq!(show(&r, "zrm", "Financiën", "mean_change"), "+0.5");
        assert_eq!(show(&r, "zrm", "Financiën", "improved"), "50%");
        // Three persons only: the whole domain is hidden; a domain never scored twice is absent.
        assert_eq!(show(&r, "zrm", "Werk & opleiding", "mean_change"), "<5");
        assert!(
            r.section("zrm")
                .unwrap()
                .cell("Huisvesting", "persons")
                .is_none()
        );
        // Flags.
        assert_eq!(show(&r, "flags", "Schuldhulptraject", "households"), "5");
        assert_eq!(show(&r, "flags", "WW-uitkering", "households"), "<5");
        // Duration: (120 + 119 + 118 + 117 + 116) / 5 = 118 days.
        assert_eq!(
            show(&r, "duration", "afgesloten in de periode", "mean_days"),
            "118"
        );
        // Provisions in force in the period: the six Begeleiding ZIN; the two PGBs are hidden.
        let begeleiding = "Wmo / 02 Begeleiding / zorg in natura";
        assert_eq!(show(&r, "provisions", begeleiding, "count"), "5");
        assert_eq!(show(&r, "provisions", begeleiding, "households"), "5");
        let pgb = "Wmo / 01 Hulp bij het huishouden / PGB";
        assert_eq!(show(&r, "provisions", pgb, "count"), "<5");
        assert_eq!(
            r.section("provisions").unwrap().rows.len(),
            2,
            "requested and ended-before are out"
        );
    });
}

#[test]
fn a_hidden_cell_cannot_be_recomputed_from_the_total_minus_the_rest() {
    each_world(|mut w| {
        let r = w.report("dirk", None).unwrap();
        // Telefoon (2 households) is hidden; with only it hidden, 14 - 7 - 5 would give it away,
        // so the next smallest kind (Gesprek op kantoor, 5 households) is hidden with it.
        assert_eq!(show(&r, "contacts", "Telefoon", "contacts"), "<5");
        assert_eq!(show(&r, "contacts", "Gesprek op kantoor", "contacts"), "<5");
        assert_eq!(show(&r, "contacts", "Gesprek op kantoor", "minutes"), "<5");
        // ZRM Financiën: worse (2) and the same (4) are both hidden; 50% better stays.
        assert_eq!(show(&r, "zrm", "Financiën", "worsened"), "<5");
        assert_eq!(show(&r, "zrm", "Financiën", "stable"), "<5");

        // All teams: Zuid opened 3 (hidden), so Overvecht's 12 must go too, or 15 - 12 = 3.
        let all = w.report("beheer", None).unwrap();
        assert_eq!(all.scope, "alle teams");
        assert_eq!(show(&all, "households", "Zuid", "opened"), "<5");
        assert_eq!(show(&all, "households", "Overvecht", "opened"), "<5");
        assert_eq!(show(&all, "households", "Totaal", "opened"), "15");
        // Duration over both teams: (590 + 92) / 6 = 113.7 days.
        assert_eq!(
            show(&all, "duration", "afgesloten in de periode", "mean_days"),
            "114"
        );
    });
}

#[test]
fn json_marks_every_suppressed_figure_and_shows_no_value_for_it() {
    each_world(|mut w| {
        let r = w.report("dirk", None).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&render(&r, ReportFormat::Json, Lang::Nl)).unwrap();
        let contacts = json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "contacts")
            .unwrap();
        let telefoon = contacts["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == "Telefoon")
            .unwrap();
        assert_eq!(telefoon["figures"]["contacts"]["suppressed"], true);
        assert_eq!(
            telefoon["figures"]["contacts"]["value"],
            serde_json::Value::Null
        );
        assert_eq!(telefoon["figures"]["contacts"]["display"], "<5");
        let huisbezoek = contacts["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == "Huisbezoek")
            .unwrap();
        assert_eq!(huisbezoek["figures"]["minutes"]["value"], 360.0);
        assert_eq!(huisbezoek["figures"]["minutes"]["suppressed"], false);
        // Nothing in any format names a household.
        for format in [ReportFormat::Table, ReportFormat::Csv, ReportFormat::Json] {
            let text = render(&r, format, Lang::Nl);
            assert!(!text.contains("Fam. Test"), "{text}");
            assert!(!text.contains("Persoon"), "{text}");
        }
    });
}

#[test]
fn access_follows_the_role() {
    each_world(|mut w| {
        // Professionals see their own team's figures.
        assert_eq!(w.report("anna", None).unwrap().scope, "Overvecht");
        let zuid = w.report("bram", None).unwrap();
        assert_eq!(zuid.scope, "Zuid");
        assert_eq!(show(&zuid, "households", "Zuid", "opened"), "<5");
        // Teamleider and professional: not another team.
        assert!(matches!(
            w.report("dirk", Some("Zuid")),
            Err(StoreError::Denied { .. })
        ));
        assert!(matches!(
            w.report("anna", Some("Zuid")),
            Err(StoreError::Denied { .. })
        ));
        assert_eq!(
            w.report("dirk", Some("overvecht")).unwrap().scope,
            "Overvecht"
        );
        // Beheerder: any team.
        assert_eq!(w.report("beheer", Some("Zuid")).unwrap().scope, "Zuid");
        // Backoffice: only the provisions figures.
        let carla = w.report("carla", None).unwrap();
        let keys: Vec<&str> = carla.sections.iter().map(|s| s.key).collect();
        assert_eq!(keys, vec!["provisions", "care"]);
        assert_eq!(
            show(
                &carla,
                "provisions",
                "Wmo / 02 Begeleiding / zorg in natura",
                "count"
            ),
            "5",
            "all teams (7, rounded down)"
        );
    });
}

#[test]
fn bad_requests_are_refused_in_dutch() {
    each_world(|mut w| {
        let err = w.report("beheer", Some("Atlantis")).unwrap_err();
        assert_eq!(err.to_string(), "Team 'Atlantis' niet gevonden.");
        let session = w.login("dirk");
        let backwards = ReportRequest {
            from: d(2026, 12, 31),
            to: d(2026, 1, 1),
            team: None,
        };
        let err = w
            .store
            .steering_report(&session, &backwards, &w.reference, Lang::Nl)
            .unwrap_err();
        assert!(err.to_string().contains("ligt vóór de begindatum"), "{err}");
    });
}

#[test]
fn a_report_is_one_audit_row_without_a_household() {
    each_world(|mut w| {
        let before = query_row(&w.db, "SELECT CAST(max(id) AS TEXT) FROM audit_log")[0]
            .clone()
            .expect("audit rows");
        w.report("dirk", None).unwrap();
        let rows = query_rows(
            &w.db,
            &format!(
                "SELECT action, object, CAST(household_id AS TEXT), detail FROM audit_log
             WHERE id > {before}"
            ),
        );
        assert_eq!(rows.len(), 1, "{rows:?}");
        let [action, object, household, detail] = rows[0].as_slice() else {
            panic!("{rows:?}")
        };
        assert_eq!(
            (action.as_deref(), object.as_deref(), household.as_deref()),
            (Some("read"), Some("report"), None)
        );
        assert_eq!(
            detail.as_deref(),
            Some("stuurcijfers 2026-01-01..2026-12-31 team=Overvecht")
        );
    });
}

/// The overlapping-period attack: Overvecht opened one household a day from 1 February. Two
/// reports over 1 February to day N and to day N + 1 would differ by exactly the household
/// opened on day N + 1, although every figure in both is five or more. Periods snap to whole
/// months, so every such pair is the same report, and says so.
#[test]
fn reports_over_periods_a_day_apart_cannot_be_subtracted_to_one_household() {
    each_world(|mut w| {
        let dirk = w.login("dirk");
        let report = |w: &mut World, to: NaiveDate| {
            let request = ReportRequest {
                from: d(2026, 2, 1),
                to,
                team: None,
            };
            let r = w
                .store
                .steering_report(&dirk, &request, &w.reference, Lang::Nl)
                .unwrap();
            render(&r, ReportFormat::Csv, Lang::Nl)
        };
        let first = report(&mut w, d(2026, 2, 5));
        for day in 6..=28 {
            assert_eq!(
                report(&mut w, d(2026, 2, day)),
                first,
                "1 to {day} February differs from 1 to 5 February"
            );
        }
        let json = {
            let request = ReportRequest {
                from: d(2026, 2, 3),
                to: d(2026, 2, 9),
                team: None,
            };
            let r = w
                .store
                .steering_report(&dirk, &request, &w.reference, Lang::Nl)
                .unwrap();
            render(&r, ReportFormat::Json, Lang::Nl)
        };
        assert!(
            json.contains("2026-02-01") && json.contains("2026-02-28"),
            "the report names the whole month it covers: {json}"
        );
        // A whole month more is a different report: the months are counted, not hidden.
        assert_ne!(report(&mut w, d(2026, 3, 1)), first);
    });
}

/// What a shown cell tells about its true value: the smallest and largest count it can be.
/// `<5` is 0 to 4; a shown count `n` is `n` to `n + width - 1`.
fn bounds(cell: &keukentafel::model::report::Cell, width: i64) -> (i64, i64) {
    match cell.value {
        _ if cell.suppressed => (0, 4),
        Some(v) => (v as i64, v as i64 + width - 1),
        None => panic!("a cell without a value"),
    }
}

/// The overlapping-period attack: April to May minus April is May. In May alone Huisbezoek
/// has one contact in one household (30 minutes), shown as `<5`. Before rounding, 7 - 6 = 1
/// contact and 390 - 360 = 30 minutes gave it away; now every value from 1 to 4 (and no
/// time at all) fits both reports, so the difference never tells how many below five.
#[test]
fn two_reports_over_overlapping_periods_cannot_be_subtracted_to_a_hidden_count() {
    each_world(|mut w| {
        let dirk = w.login("dirk");
        let mut report = |from: NaiveDate, to: NaiveDate| {
            let request = ReportRequest {
                from,
                to,
                team: None,
            };
            w.store
                .steering_report(&dirk, &request, &w.reference, Lang::Nl)
                .unwrap()
        };
        let both = report(d(2026, 4, 1), d(2026, 5, 31));
        let april = report(d(2026, 4, 1), d(2026, 4, 30));
        let may = report(d(2026, 5, 1), d(2026, 5, 31));
        let cell = |r: &Report, row: &str, column: &str| {
            *r.section("contacts").unwrap().cell(row, column).unwrap()
        };
        assert!(cell(&may, "Huisbezoek", "contacts").suppressed);
        assert!(cell(&may, "Huisbezoek", "households").suppressed);
        // What May really holds: one Huisbezoek of 30 minutes in one household.
        for (row, column, truth) in [
            ("Huisbezoek", "contacts", 1.0),
            ("Huisbezoek", "households", 1.0),
            ("Huisbezoek", "minutes", 30.0),
            ("Totaal", "contacts", 1.0),
            ("Totaal", "households", 1.0),
            ("Totaal", "minutes", 30.0),
        ] {
            let difference =
                cell(&both, row, column).value.unwrap() - cell(&april, row, column).value.unwrap();
            assert_ne!(
                difference, truth,
                "{row}/{column}: the difference is May's figure"
            );
        }
        for (row, column) in [
            ("Huisbezoek", "contacts"),
            ("Huisbezoek", "households"),
            ("Totaal", "contacts"),
            ("Totaal", "households"),
        ] {
            let (lo_both, hi_both) = bounds(&cell(&both, row, column), 5);
            let (lo_april, hi_april) = bounds(&cell(&april, row, column), 5);
            let (lo, hi) = (lo_both - hi_april, hi_both - lo_april);
            assert!(
                lo <= 1 && hi >= 4,
                "{row}/{column}: May is narrowed to {lo}..{hi}, more than <5 says"
            );
        }
        let (lo_both, hi_both) = bounds(&cell(&both, "Huisbezoek", "minutes"), 60);
        let (lo_april, hi_april) = bounds(&cell(&april, "Huisbezoek", "minutes"), 60);
        assert!(
            lo_both - hi_april <= 0 && hi_both - lo_april >= 30,
            "the minutes of May's one household are not told apart from none"
        );
    });
}

/// The method behind it, for every pair of counts: when the longer of two overlapping reports
/// adds a hidden 1 to 4, the two shown figures always leave every value from 1 to 4 possible.
/// (Crossing a multiple of five can show that the difference is not zero: rounding tells
/// that something happened, never how much below five.)
#[test]
fn rounding_down_to_five_leaves_every_hidden_difference_open() {
    use keukentafel::domain::suppression::{THRESHOLD, round_shown};
    let shown = |n: i64| {
        if n < THRESHOLD {
            (0, 4)
        } else {
            (round_shown(n), round_shown(n) + 4)
        }
    };
    for smaller in 0..500 {
        for hidden in 1..THRESHOLD {
            let (lo_big, hi_big) = shown(smaller + hidden);
            let (lo_small, hi_small) = shown(smaller);
            assert!(
                lo_big - hi_small <= 1 && hi_big - lo_small >= 4,
                "{} and {smaller} pin the difference",
                smaller + hidden
            );
        }
    }
}
