//! The backoffice at work: carla starts on the worklists, filters as she types, selects with
//! Ctrl-Space and `*`, and grants and assigns many provisions in one go after reading what will happen.

use crate::support;

use keukentafel::app::state::{Overlay, Screen};
use support::{Harness, each_harness, render};

/// Twelve requested provisions (Begeleiding bij financiën) for the first twelve households'
/// first members, with BSNs, and one provider contracted for the product; the demo's own
/// provisions and providers are set aside so every count is known.
fn with_requests_on(h: Harness) -> Harness {
    h.sql(
        "DELETE FROM provision; DELETE FROM contract; DELETE FROM provider;
         UPDATE person SET bsn = '111222333' WHERE bsn IS NULL;
         INSERT INTO provider (name, agb_code, created_at) VALUES ('Buurtzorg Utrecht', '73051234', '2026-01-01T00:00:00Z');
         INSERT INTO contract (provider_id, product_code, tariff_cents, unit, valid_from)
             SELECT id, '02A05', 6250, 'uur', '2026-01-01' FROM provider WHERE agb_code = '73051234';
         INSERT INTO provision (household_id, person_id, law, category, product_code, start_on,
             end_on, volume, unit, frequency, financing, eigen_bijdrage, status, requested_by, requested_at)
         SELECT h.id, (SELECT min(p.id) FROM person p WHERE p.household_id = h.id), 'wmo', '02', '02A05',
             '2026-12-01', '2027-05-31', 3, 'uur', 'per_week', 'zin', TRUE, 'aangevraagd', 1,
             '2026-11-20T10:00:00Z'
         FROM household h ORDER BY h.id LIMIT 12;",
    );
    h
}

fn status_count(h: &Harness, status: &str) -> i64 {
    h.count(&format!(
        "SELECT count(*) FROM provision WHERE status = '{status}'"
    ))
}

#[test]
fn carla_grants_a_selection_and_assigns_it_in_one_go() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        h.keys("carla<Enter>demo<Enter>");
        assert_eq!(
            h.screen_name(),
            "worklist",
            "the backoffice starts on the worklists"
        );
        let screen = render(&h.app, 120, 30);
        assert!(screen.contains("Wacht op beschikking"), "{screen}");
        assert!(screen.contains("12 van 12"), "{screen}");

        // Filter as you type: a household label narrows the list.
        let label = h.text("SELECT label FROM household ORDER BY id LIMIT 1");
        let word = label.split_whitespace().last().unwrap().to_lowercase();
        h.keys(&word);
        let Screen::Worklist { view, .. } = &h.app.screen else {
            unreachable!()
        };
        let narrowed = view.rows();
        assert!((1..12).contains(&narrowed), "{word}: {narrowed}");
        for _ in 0..word.chars().count() {
            h.keys("<BS>");
        }

        // Ctrl-Space selects one row, * selects every row shown, Enter opens the bulk form.
        h.keys("<C-Space><Down><C-Space>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            unreachable!()
        };
        assert_eq!(view.selected.len(), 2);
        h.keys("*<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the bulk form")
        };
        assert!(form.summary.is_none(), "no number yet, no summary");
        h.keys("<Tab><Tab>B-2026-100");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the bulk form")
        };
        assert_eq!(
            form.summary.as_deref(),
            Some(
                "12 voorzieningen toekennen met beschikking B-2026-100-1 t/m B-2026-100-12 van 23-11-2026."
            )
        );
        let audit = h.count("SELECT count(*) FROM audit_log WHERE object = 'provision'");
        // The first Enter shows what will happen and changes nothing; the second carries it out.
        h.keys("<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the bulk form waits for a second Enter")
        };
        assert!(form.confirming);
        let screen = render(&h.app, 120, 30);
        assert!(
            screen.contains("12 voorzieningen toekennen met beschikking B-2026-100-1 t/m"),
            "{screen}"
        );
        assert!(screen.contains("Enter = uitvoeren"), "{screen}");
        assert_eq!(status_count(&h, "toegekend"), 0, "nothing changed yet");
        h.keys("<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        assert_eq!(status_count(&h, "toegekend"), 12);
        assert_eq!(
            h.count("SELECT count(*) FROM audit_log WHERE object = 'provision'"),
            audit + 12,
            "one audit row per provision"
        );

        // The next list: granted, not yet assigned. Select all and assign to the provider.
        h.keys("<Tab>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            unreachable!()
        };
        assert_eq!(view.matching, Some(12));
        h.keys("*<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the assign form")
        };
        assert_eq!(
            form.fields.get("provider").map(|f| f.shown()),
            Some("Buurtzorg Utrecht")
        );
        h.keys("<Enter><Enter>");
        assert_eq!(status_count(&h, "toegewezen"), 12);
        assert_eq!(
        h.count(
            "SELECT count(DISTINCT toewijzing_number) FROM provision WHERE status = 'toegewezen'"
        ),
        12
    );
    });
}

#[test]
fn a_bulk_action_the_store_refuses_keeps_the_form_and_changes_nothing() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        // One member without BSN: a beschikking for it needs one.
        h.sql(
        "UPDATE person SET bsn = NULL WHERE id = (SELECT person_id FROM provision ORDER BY id LIMIT 1)",
    );
        h.keys("carla<Enter>demo<Enter>*<Enter><Tab><Tab>B-1<Enter><Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the form stays")
        };
        assert!(
            form.error.as_deref().is_some_and(|e| e.contains("BSN")),
            "{:?}",
            form.error
        );
        assert_eq!(status_count(&h, "toegekend"), 0, "all or nothing");
    });
}

#[test]
fn on_the_demo_database_carla_grants_what_waits_and_assigns_it() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        let waiting = status_count(&h, "aangevraagd");
        assert!(waiting > 5, "the demo has requests waiting: {waiting}");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        assert_eq!(view.matching, Some(waiting as usize));
        let granted = status_count(&h, "toegekend");
        h.keys("*<Enter><Tab><Tab>B-2026-500<Enter><Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        assert_eq!(status_count(&h, "aangevraagd"), 0);
        assert_eq!(status_count(&h, "toegekend"), granted + waiting);
        // Every demo provider is contracted for every product: all of it goes to one provider.
        h.keys("<Tab>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        let to_assign = view.rows() as i64;
        assert!(to_assign > 0);
        let assigned = status_count(&h, "toegewezen");
        h.keys("*<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the assign form")
        };
        assert!(
            form.fields
                .get("provider")
                .is_some_and(|f| !f.code().is_empty()),
            "a provider covers every product"
        );
        h.keys("<Enter><Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        assert_eq!(status_count(&h, "toegewezen"), assigned + to_assign);
    });
}

#[test]
fn carla_registers_a_provider_and_its_contract_on_the_providers_screen() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter><Esc>a");
        assert_eq!(h.screen_name(), "providers");
        let before = h.count("SELECT count(*) FROM provider");
        // A wrong AGB is named next to its field and nothing is written.
        h.keys("nWijkzorg Noord<Tab>1234567<Enter>");
        let error = match &h.app.overlay {
            Some(Overlay::Form(f)) => f.fields.get("agb").and_then(|f| f.error.clone()),
            _ => None,
        };
        assert!(error.is_some_and(|e| e.contains("8 cijfers")));
        assert_eq!(h.count("SELECT count(*) FROM provider"), before);
        h.keys("9<Tab>030 111 2222<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        assert_eq!(h.count("SELECT count(*) FROM provider"), before + 1);
        // Select it (providers are listed by name) and add a contract of 62,50 per hour.
        let Screen::Providers { view, .. } = &h.app.screen else {
            panic!("providers")
        };
        let index = view
            .providers
            .as_ref()
            .and_then(|p| p.iter().position(|p| p.name == "Wijkzorg Noord"))
            .expect("listed");
        for _ in 0..index {
            h.keys("<Down>");
        }
        h.keys("c<Tab>62,50<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        let tariff = h.count(
            "SELECT c.tariff_cents FROM contract c JOIN provider p ON p.id = c.provider_id
         WHERE p.name = 'Wijkzorg Noord'",
        );
        assert_eq!(tariff, 6250);
        let screen = render(&h.app, 100, 30);
        assert!(screen.contains("€ 62,50"), "{screen}");
    });
}

#[test]
fn ctrl_e_exports_the_rows_shown_for_dutch_excel() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        let shown = view.rows();
        h.keys("<C-e>");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("Geëxporteerd naar"), "{notice}");
        let path = h
            .dir()
            .join("uitvoer")
            .join("exporten")
            .join("werklijst-beschikking-20261123.csv");
        let bytes = std::fs::read(&path).expect("the export");
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "UTF-8 with BOM for Excel"
        );
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.lines().next().is_some_and(|l| l.contains(';')),
            "semicolons"
        );
        assert_eq!(
            text.lines().count(),
            shown + 1,
            "a header and the rows shown"
        );
        // Every household in it has the export in its own access log, once.
        let households = h.count(
            "SELECT count(DISTINCT v.household_id) FROM provision v
         JOIN household h ON h.id = v.household_id
         WHERE v.status = 'aangevraagd' AND h.erased_on IS NULL",
        );
        assert_eq!(
            h.count(
                "SELECT count(*) FROM audit_log WHERE action = 'export' AND object = 'worklist'
             AND detail = 'werklijst beschikking'"
            ),
            households,
            "one export row per household of the rows shown"
        );
        // A second export the same day, of fewer rows, gets its own file; the first stays whole.
        h.keys("02a");
        h.keys("<C-e>");
        let second = path.with_file_name("werklijst-beschikking-20261123-2.csv");
        assert!(second.exists(), "{second:?}");
        assert_eq!(std::fs::read(&path).expect("the first export"), bytes);
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("-2.csv"), "{notice}");
    });
}

#[test]
fn a_bulk_grant_needs_two_enters_and_ctrl_z_takes_it_back_as_one_audited_step() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        h.keys("carla<Enter>demo<Enter>");
        h.keys("*<Enter><Tab><Tab>B-2026-100<Enter>");
        assert_eq!(
            status_count(&h, "toegekend"),
            0,
            "one Enter only shows the summary"
        );
        // Esc goes back to the fields, still nothing written.
        h.keys("<Esc>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the form stays")
        };
        assert!(!form.confirming);
        h.keys("<Enter><Enter>");
        assert_eq!(status_count(&h, "toegekend"), 12);
        let undone = "SELECT count(*) FROM audit_log WHERE object = 'provision' AND detail = 'ongedaan: bulkactie'";
        assert_eq!(h.count(undone), 0);

        h.keys("<C-z>");
        assert_eq!(status_count(&h, "toegekend"), 0, "every one taken back");
        assert_eq!(status_count(&h, "aangevraagd"), 12);
        assert_eq!(
            h.count("SELECT count(*) FROM provision WHERE beschikking_number IS NOT NULL"),
            0
        );
        assert_eq!(
            h.count(undone),
            12,
            "one correcting audit row per provision"
        );
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(
            notice.contains("Bulkactie ongedaan gemaakt: 12"),
            "{notice}"
        );
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        assert_eq!(view.matching, Some(12), "back on the list");

        // Nothing left to undo.
        h.keys("<C-z>");
        assert_eq!(status_count(&h, "aangevraagd"), 12);
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("geen bulkactie"), "{notice}");
    });
}

#[test]
fn a_bulk_action_changed_since_is_not_undone_and_nothing_changes() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        h.keys("carla<Enter>demo<Enter>*<Enter><Tab><Tab>B-7<Enter><Enter>");
        assert_eq!(status_count(&h, "toegekend"), 12);
        // A colleague assigns one of them in the meantime.
        h.sql(
            "UPDATE provision SET status = 'toegewezen' WHERE id = (SELECT min(id) FROM provision)",
        );
        h.keys("<C-z>");
        assert_eq!(status_count(&h, "toegekend"), 11, "all or nothing");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("nog gewijzigd"), "{notice}");
    });
}

#[test]
fn the_worklist_filter_takes_a_space_and_ctrl_space_selects() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        h.keys("carla<Enter>demo<Enter>");
        h.keys("02a05 uur");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        assert_eq!(view.filter.as_str(), "02a05 uur", "the space is text");
        assert!(view.selected.is_empty(), "and selects nothing");
        h.keys("<C-u><C-Space>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        assert!(view.filter.is_empty());
        assert_eq!(view.selected.len(), 1);
    });
}

#[test]
fn the_selected_row_is_shown_in_full_above_the_table() {
    each_harness(|h| {
        let mut h = with_requests_on(h);
        h.keys("carla<Enter>demo<Enter>");
        let Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        let first = view.item(0).cloned().expect("a row");
        let screen = render(&h.app, 80, 24);
        let detail = screen
            .lines()
            .find(|l| l.starts_with(" ▸ "))
            .unwrap_or_default();
        assert!(detail.contains(&first.person), "{detail}");
        assert!(detail.contains(&first.household), "{detail}");
    });
}
