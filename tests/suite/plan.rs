//! The fridge plan on the fixed demo seed: golden txt and HTML, one PDF page, the audit row,
//! who may print it, and what never appears on it.

use std::path::Path;

use chrono::NaiveDate;
use keukentafel::auth::Session;
use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::export::plan::{PlanFormat, PlanOptions, render, write_plan};
use keukentafel::i18n::Lang;
use keukentafel::model::plan::PlanData;
use keukentafel::store::{Backend, StoreError};

use crate::common::{Db, databases, demo_on, execute_sql, query_rows};

/// The design's example household: index 0 of every demo seed, Anna's.
const EL_AMRANI: i64 = 1;

struct Demo {
    db: Db,
    store: Box<dyn Backend>,
    reference: ReferenceData,
}

impl Demo {
    fn login(&self, name: &str) -> Session {
        self.store.authenticate(name, "demo", "test").unwrap()
    }

    fn plan(&mut self, who: &str) -> Result<PlanData, StoreError> {
        let session = self.login(who);
        self.store.load_plan(&session, EL_AMRANI, &self.reference)
    }
}

/// Runs `story` on a demo database of 20 households on every backend.
fn each_demo(story: impl Fn(Demo)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        let store = demo_on(&db, 20);
        story(Demo {
            db,
            store,
            reference: ReferenceData::embedded(),
        });
    }
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_GOLDEN=1 to write it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs; check the change and run with UPDATE_GOLDEN=1 to accept it",
        path.display()
    );
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

fn with_strengths(d: &mut Demo) -> PlanData {
    let anna = d.login("anna");
    d.store
        .set_plan_show_strengths(&anna, EL_AMRANI, true)
        .unwrap();
    d.plan("anna").unwrap()
}

#[test]
fn txt_plan_matches_the_golden_file_and_stays_within_80_columns() {
    each_demo(|mut d| {
        let plan = with_strengths(&mut d);
        let txt = text(render(&plan, PlanFormat::Txt, Lang::Nl, &PlanOptions::default()).unwrap());
        for line in txt.lines() {
            assert!(line.chars().count() <= 80, "too wide: {line:?}");
        }
        golden("plan_el_amrani.txt", &txt);
    });
}

#[test]
fn html_plan_matches_the_golden_file() {
    each_demo(|mut d| {
        let plan = with_strengths(&mut d);
        let html =
            text(render(&plan, PlanFormat::Html, Lang::Nl, &PlanOptions::default()).unwrap());
        assert!(html.contains("@page { size: A4"));
        golden("plan_el_amrani.html", &html);
    });
}

#[test]
fn the_plan_says_who_does_what_and_whom_to_call_but_no_flags_or_scores() {
    each_demo(|mut d| {
        let plan = d.plan("anna").unwrap();
        let txt = text(render(&plan, PlanFormat::Txt, Lang::Nl, &PlanOptions::default()).unwrap());
        assert!(txt.contains("HET PLAN VAN FAM. EL AMRANI"), "{txt}");
        assert!(txt.contains("WIE DOET WAT"));
        assert!(txt.contains("Anna de Boer"));
        assert!(txt.contains("06-11223344"));
        // The household has not asked for "Wat gaat al goed".
        assert!(!txt.contains("WAT GAAT AL GOED"));
        assert!(!plan.flags.is_empty(), "the example household has a flag");
        for flag in &plan.flags {
            assert!(!txt.contains(flag.as_str()), "flag {flag} on the plan");
        }
        let asked = PlanOptions {
            show_scores: true,
            show_flags: true,
        };
        let full = text(render(&plan, PlanFormat::Txt, Lang::Nl, &asked).unwrap());
        assert!(full.contains(plan.flags[0].as_str()));
    });
}

/// The HTML page's root font size in points.
fn root_size(html: &str) -> f32 {
    let start = html.find("html { font-size: ").unwrap() + "html { font-size: ".len();
    let rest = &html[start..];
    rest[..rest.find("pt").unwrap()].parse().unwrap()
}

fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + "/Type /Page".len()..].starts_with('s'))
        .count()
}

#[test]
fn pdf_is_exactly_one_page_with_the_font_embedded() {
    each_demo(|mut d| {
        let plan = with_strengths(&mut d);
        let pdf = render(&plan, PlanFormat::Pdf, Lang::Nl, &PlanOptions::default()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(&pdf), 1);
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/FontFile2"), "no embedded TrueType font");
        assert!(raw.contains("DejaVuSans"));
    });
}

#[test]
fn a_very_long_plan_still_fits_one_pdf_page() {
    each_demo(|mut d| {
        let anna = d.login("anna");
        let short_html = text(
            render(
                &d.plan("anna").unwrap(),
                PlanFormat::Html,
                Lang::Nl,
                &PlanOptions::default(),
            )
            .unwrap(),
        );
        let due = NaiveDate::from_ymd_opt(2026, 12, 4);
        for i in 0..25 {
            let what = format!(
                "Afspraak {i}: Fatima belt samen met haar zus de woningcorporatie over de reparatie van de keukenkraan en de schimmel in de badkamer"
            );
            let f = AgreementFields::new(&what, Actor::Client, due, false, None).unwrap();
            d.store.add_agreement(&anna, EL_AMRANI, &f).unwrap();
            d.store
            .add_goal(&anna, EL_AMRANI, &format!("Doel {i}: een rustig en veilig huis voor iedereen in het gezin, ook voor de kinderen"), None)
            .unwrap();
        }
        let plan = d.plan("anna").unwrap();
        assert!(plan.tasks.len() > 25);
        // The HTML is set smaller so that it, too, prints on one page.
        let long_html =
            text(render(&plan, PlanFormat::Html, Lang::Nl, &PlanOptions::default()).unwrap());
        assert!(
            root_size(&long_html) < root_size(&short_html) * 0.8,
            "{} vs {}",
            root_size(&long_html),
            root_size(&short_html)
        );
        let pdf = render(&plan, PlanFormat::Pdf, Lang::Nl, &PlanOptions::default()).unwrap();
        assert_eq!(page_count(&pdf), 1);
        let txt = text(render(&plan, PlanFormat::Txt, Lang::Nl, &PlanOptions::default()).unwrap());
        assert!(
            txt.contains("En nog "),
            "the plan says that more agreements exist"
        );
    });
}

#[test]
fn each_plan_is_one_audited_read_of_the_household() {
    each_demo(|mut d| {
        let before = query_rows(&d.db, "SELECT CAST(max(id) AS TEXT) FROM audit_log")[0][0]
            .clone()
            .expect("audit rows");
        d.plan("anna").unwrap();
        let rows = query_rows(
            &d.db,
            &format!(
                "SELECT action, CAST(household_id AS TEXT), detail, username FROM audit_log
             WHERE id > {before}"
            ),
        );
        let text = |t: &str| Some(t.to_string());
        assert_eq!(
            rows,
            vec![vec![
                text("read"),
                Some(EL_AMRANI.to_string()),
                text("plan"),
                text("anna")
            ]]
        );
    });
}

#[test]
fn only_the_households_team_may_make_its_plan() {
    each_demo(|mut d| {
        assert!(matches!(d.plan("bram"), Err(StoreError::NotFound(_))));
        assert!(matches!(d.plan("dirk"), Err(StoreError::Denied { .. })));
        assert!(matches!(d.plan("carla"), Err(StoreError::Denied { .. })));
        assert!(matches!(d.plan("beheer"), Err(StoreError::Denied { .. })));
    });
}

#[test]
fn write_plan_leaves_no_file_when_the_directory_is_missing() {
    each_demo(|mut d| {
        let plan = d.plan("anna").unwrap();
        let target = d.db.dir.path().join("geen-map").join("plan.pdf");
        let err = write_plan(
            &target,
            &plan,
            PlanFormat::Pdf,
            Lang::Nl,
            &PlanOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("Kan "), "{err}");
        assert!(!target.exists());
        let ok = d.db.dir.path().join("plan.html");
        write_plan(
            &ok,
            &plan,
            PlanFormat::Html,
            Lang::Nl,
            &PlanOptions::default(),
        )
        .unwrap();
        assert!(
            std::fs::read_to_string(&ok)
                .unwrap()
                .contains("Fam. El Amrani")
        );
    });
}

#[test]
fn the_next_appointment_is_the_next_dated_agreement_or_contact_whoever_does_it() {
    each_demo(|mut d| {
        execute_sql(
            &d.db,
            "UPDATE agreement SET status = 'done', status_on = '2026-11-20' WHERE household_id = 1;
         INSERT INTO contact (household_id, contact_on, kind, minutes, recorded_by, recorded_at)
         VALUES (1, '2026-12-07', 'huisbezoek', 60, 1, '2026-11-23T09:00:00Z');
         INSERT INTO agreement (household_id, what, who, due_on, created_by, created_at)
         VALUES (1, 'Fatima belt de school', 'client', '2026-11-26', 1, '2026-11-23T09:00:00Z');",
        );
        let plan = d.plan("anna").unwrap();
        let next = plan.next_contact.expect("a next appointment");
        assert_eq!(next.on, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        assert_eq!(
            next.what, "Fatima belt de school",
            "the client's own agreement counts"
        );
        execute_sql(
            &d.db,
            "UPDATE agreement SET due_on = '2026-12-20' WHERE what = 'Fatima belt de school';",
        );
        let next = d.plan("anna").unwrap().next_contact.expect("the visit");
        assert_eq!(next.on, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(next.what, "Huisbezoek");
    });
}
