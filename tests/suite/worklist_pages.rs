//! The backoffice's long worklists: the store hands the first page and the counts, the rest
//! comes as carla scrolls; the filter and the sort run in the store over the whole list, so a
//! row beyond the first page is found; "select all" and the export reach every matching row,
//! loaded or not. On every backend.

use crate::support;

use keukentafel::app::state::{Overlay, Screen};
use keukentafel::app::worklist::{WorklistView, row_text};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::text::{dutch_cmp, fold};
use keukentafel::model::worklists::{PAGE_ROWS, SortKey};
use support::{Harness, each_harness, render};

/// How many requested provisions the list holds: more than two pages.
const ROWS: usize = 450;

/// Three requested provisions (with BSNs) for each of the 150 demo households, in household
/// order, the demo's own set aside; the last household is renamed "Zwartjes-Ünal", so its
/// three rows are the last of the list by start date.
fn with_long_list(h: Harness) -> Harness {
    h.sql(
        "DELETE FROM provision; DELETE FROM contract; DELETE FROM provider;
         UPDATE person SET bsn = '111222333' WHERE bsn IS NULL;
         UPDATE household SET label = 'Zwartjes-Ünal' WHERE id = (SELECT max(id) FROM household);
         INSERT INTO provision (household_id, person_id, law, category, product_code, start_on,
             end_on, volume, unit, frequency, financing, eigen_bijdrage, status, requested_by, requested_at)
         SELECT h.id, (SELECT min(p.id) FROM person p WHERE p.household_id = h.id), 'wmo', '02', '02A05',
             '2026-12-01', '2027-05-31', 3, 'uur', 'per_week', 'zin', TRUE, 'aangevraagd', 1,
             '2026-11-20T10:00:00Z'
         FROM household h CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) n
         ORDER BY h.id, n.k;",
    );
    assert_eq!(
        h.count("SELECT count(*) FROM provision") as usize,
        ROWS,
        "the demo has 150 households"
    );
    h
}

fn view(h: &Harness) -> &WorklistView {
    match &h.app.screen {
        Screen::Worklist { view, .. } => view,
        _ => panic!("not on the worklists: {}", h.screen_name()),
    }
}

fn status_count(h: &Harness, status: &str) -> i64 {
    h.count(&format!(
        "SELECT count(*) FROM provision WHERE status = '{status}'"
    ))
}

#[test]
fn a_long_list_opens_on_its_first_page_with_the_count_and_loads_the_rest_as_carla_scrolls() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.keys("carla<Enter>demo<Enter>");
        let v = view(&h);
        assert_eq!(v.matching, Some(ROWS));
        assert_eq!(v.total, ROWS);
        assert_eq!(v.loaded_rows(), PAGE_ROWS, "only the first page is loaded");
        let screen = render(&h.app, 120, 30);
        assert!(screen.contains(&format!("{ROWS} van {ROWS}")), "{screen}");

        // Page down past the loaded rows: the next page comes as the cursor nears it.
        for _ in 0..25 {
            h.keys("<PgDn>");
        }
        let v = view(&h);
        assert_eq!(v.cursor, 250);
        assert!(v.item(250).is_some(), "the second page is loaded");
        assert!(v.loaded_rows() <= 3 * PAGE_ROWS);

        // End: the last row, whose page is loaded now, is on the screen.
        h.keys("<End>");
        let v = view(&h);
        assert_eq!(v.cursor, ROWS - 1);
        let last = v.item(ROWS - 1).expect("the last page is loaded");
        assert_eq!(last.household, "Zwartjes-Ünal");
        let screen = render(&h.app, 120, 30);
        assert!(screen.contains("Zwartjes-Ünal"), "{screen}");
        assert!(!screen.contains("… laden"), "{screen}");
        h.keys("<Home>");
        assert_eq!(view(&h).cursor, 0);
    });
}

#[test]
fn the_filter_finds_rows_beyond_the_first_page_without_accents_and_keeps_the_list_count() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.keys("carla<Enter>demo<Enter>");
        assert!(
            (0..PAGE_ROWS).all(|i| view(&h).item(i).unwrap().household != "Zwartjes-Ünal"),
            "the household is not on the first page"
        );
        h.keys("unal");
        let v = view(&h);
        assert_eq!(v.matching, Some(3), "its three rows, found in the store");
        assert_eq!(v.item(0).unwrap().household, "Zwartjes-Ünal");
        let screen = render(&h.app, 120, 30);
        assert!(screen.contains(&format!("3 van {ROWS}")), "{screen}");
        // Two words: both must occur somewhere in the row.
        h.keys(" 02a05");
        assert_eq!(view(&h).matching, Some(3));
        h.keys(" pgb");
        assert_eq!(view(&h).matching, Some(0), "no PGB among them");
        h.keys("<C-u>");
        assert_eq!(
            view(&h).matching,
            Some(ROWS),
            "an empty filter shows everything"
        );
    });
}

#[test]
fn select_all_selects_every_matching_row_loaded_or_not_and_the_bulk_grants_them_all() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.keys("carla<Enter>demo<Enter>");
        // With a filter: exactly the rows it matches, though none of them is loaded yet.
        h.keys("zwartjes");
        h.keys("*");
        assert_eq!(view(&h).selected.len(), 3);
        h.keys("*");
        assert!(view(&h).selected.is_empty(), "* again deselects them");
        h.keys("<C-u>*");
        assert_eq!(
            view(&h).selected.len(),
            ROWS,
            "every row, not only the loaded ones"
        );
        let audit = h.count("SELECT count(*) FROM audit_log WHERE object = 'provision'");
        h.keys("<Enter>");
        let Some(Overlay::Form(_)) = &h.app.overlay else {
            panic!("the bulk form")
        };
        h.keys("<Tab><Tab>B-2026-900<Enter><Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        assert_eq!(status_count(&h, "toegekend") as usize, ROWS);
        assert_eq!(status_count(&h, "aangevraagd"), 0);
        assert_eq!(
            h.count("SELECT count(*) FROM audit_log WHERE object = 'provision'") as usize,
            audit as usize + ROWS,
            "one audit row per provision"
        );
        let v = view(&h);
        assert_eq!(v.matching, Some(0), "the list is reloaded: empty now");
        assert!(v.selected.is_empty());
    });
}

#[test]
fn the_sort_runs_in_the_store_in_dutch_order_both_ways() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.sql("UPDATE household SET label = 'Élise Aalbers' WHERE id = (SELECT min(id) + 7 FROM household)");
        h.keys("carla<Enter>demo<Enter>");
        let mut labels: Vec<String> = (0..150)
            .map(|i| {
                h.text(&format!(
                    "SELECT label FROM household ORDER BY id LIMIT 1 OFFSET {i}"
                ))
            })
            .collect();
        labels.sort_by(|a, b| dutch_cmp(a, b));
        // Ctrl-s twice: from the start date to the end date to the household.
        h.keys("<C-s><C-s>");
        let v = view(&h);
        assert_eq!(v.sort, SortKey::Household);
        assert_eq!(v.item(0).unwrap().household, labels[0]);
        assert_eq!(v.item(3).unwrap().household, labels[1]);
        h.keys("<C-r>");
        let v = view(&h);
        assert_eq!(v.item(0).unwrap().household, labels[149]);
        h.keys("<End>");
        let v = view(&h);
        assert_eq!(v.item(ROWS - 1).unwrap().household, labels[0]);
    });
}

#[test]
fn the_export_writes_and_audits_every_row_the_filter_matches_loaded_or_not() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.keys("carla<Enter>demo<Enter><C-e>");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("Geëxporteerd naar"), "{notice}");
        let dir = h.dir().join("uitvoer").join("exporten");
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "csv"))
            .expect("the csv");
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let rows = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(rows, ROWS + 1, "a header and every row");
        assert_eq!(
            h.count(
                "SELECT count(*) FROM audit_log WHERE action = 'export' AND object = 'worklist'"
            ),
            150,
            "every household once"
        );
    });
}

/// The store's filter matches exactly the rows the app's own reading of a row (every column as
/// text, folded) matches: the same words find the same rows on every backend.
#[test]
fn the_store_filter_matches_what_the_row_shows() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.sql(
            "UPDATE provision SET financing = 'pgb', start_on = '2026-12-15'
             WHERE id IN (SELECT id FROM provision ORDER BY id LIMIT 40);
             UPDATE provision SET product_code = '02A07', end_on = NULL
             WHERE id IN (SELECT id FROM provision ORDER BY id DESC LIMIT 30);
             UPDATE person SET name = 'Çelik Eénhoorn' WHERE id = (SELECT min(person_id) FROM provision)",
        );
        h.keys("carla<Enter>demo<Enter>");
        let reference = ReferenceData::embedded();
        // Every row of the list without a filter, as the store hands them out page by page.
        for _ in 0..ROWS / 10 {
            h.keys("<PgDn>");
        }
        let all: Vec<_> = (0..ROWS)
            .filter_map(|i| view(&h).item(i).cloned())
            .collect();
        assert_eq!(all.len(), ROWS, "scrolling loaded every page");
        for filter in [
            "celik",
            "EENHOORN",
            "pgb",
            "zorg in natura",
            "aangevraagd",
            "toegekend",
            "02a07",
            "begeleiding",
            "15-12",
            "2027",
            "31-05-2027",
            "wmo",
            "unal zwart",
            "111222",
            "zzzz",
        ] {
            let words: Vec<String> = fold(filter)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let expected = all
                .iter()
                .filter(|item| {
                    let hay = fold(&row_text(item, &reference));
                    words.iter().all(|w| hay.contains(w.as_str()))
                })
                .count();
            h.keys("<C-u>");
            h.keys(filter);
            assert_eq!(
                view(&h).matching,
                Some(expected),
                "{filter}: as the rows read"
            );
        }
    });
}

/// PostgreSQL folds in SQL (`kt_fold`, migration 006) exactly as the app folds in Rust, the
/// plain ASCII short way included; SQLite calls the app's own fold.
#[test]
fn the_servers_fold_is_the_apps_fold() {
    each_harness(|h| {
        if h.db.backend != "postgres" {
            return;
        }
        for text in [
            "Jansen",
            "de VRIES",
            "O`Brien",
            "Çelik Eénhoorn",
            "ĲSSELMEER ĳs",
            "Straße Œuvre Æsop",
            "Zwartjes-Ünal",
            "ŁÓDŹ Šťěpán Ğül",
            "’t Hoen",
        ] {
            let quoted = text.replace('\'', "''");
            let server = h.text(&format!("SELECT kt_fold('{quoted}')"));
            assert_eq!(server, fold(text), "{text}");
        }
    });
}

/// The filter is matched in an index of the list the store builds once (not per keystroke);
/// what colleagues change meanwhile still shows at the next keystroke: a row they add to the
/// list, a row they decide (off the list), a household they rename.
#[test]
fn the_filter_sees_what_colleagues_changed_since_the_list_was_opened() {
    each_harness(|h| {
        let mut h = with_long_list(h);
        h.keys("carla<Enter>demo<Enter>");
        h.keys("zwartjes");
        assert_eq!(view(&h).matching, Some(3));

        // A colleague requests one more for the household.
        h.sql(
            "INSERT INTO provision (household_id, person_id, law, category, product_code, start_on,
                 end_on, volume, unit, frequency, financing, eigen_bijdrage, status, requested_by, requested_at)
             SELECT household_id, person_id, law, category, product_code, '2026-12-02', end_on, volume,
                 unit, frequency, financing, eigen_bijdrage, status, requested_by, requested_at
             FROM provision WHERE id = (SELECT max(id) FROM provision)",
        );
        h.keys("<BS>");
        assert_eq!(view(&h).matching, Some(4), "the new row is found");
        assert_eq!(view(&h).total, ROWS + 1);

        // A colleague grants one of them: it leaves the list.
        h.sql(
            "UPDATE provision SET status = 'toegekend', beschikking_on = '2026-11-23',
                 beschikking_number = 'B-1'
             WHERE id = (SELECT max(id) FROM provision)",
        );
        h.keys("s");
        assert_eq!(view(&h).matching, Some(3), "the granted row is gone");
        assert!(
            (0..3).all(|i| view(&h)
                .item(i)
                .is_some_and(|r| r.household == "Zwartjes-Ünal")),
            "the three rows left are shown"
        );

        // A colleague renames the household: nothing is shown that no longer matches.
        h.sql("UPDATE household SET label = 'Fam. Qwertyuiop' WHERE label = 'Zwartjes-Ünal'");
        h.keys("<BS>");
        let v = view(&h);
        assert_eq!(v.matching, Some(0), "the count says what is shown");
        assert!(v.item(0).is_none());
        h.keys("<C-u>qwerty");
        assert_eq!(view(&h).matching, Some(3), "found under the new name");
    });
}

/// A bulk action that runs in batches says on its form how far it is, in Dutch, until its
/// answer comes.
#[test]
fn a_long_bulk_says_how_far_it_is_on_its_form() {
    use keukentafel::app::{Msg, update};
    let mut h = with_long_list(support::harness());
    h.keys("carla<Enter>demo<Enter>");
    h.keys("<Enter>");
    let Some(Overlay::Form(form)) = &mut h.app.overlay else {
        panic!("the bulk form")
    };
    // The answer has not come yet (the store is still at it).
    form.saving = true;
    let effects = update(
        &mut h.app,
        Msg::BulkProgress {
            done: 2_000,
            total: 4_500,
        },
    );
    assert!(effects.is_empty());
    let screen = render(&h.app, 120, 30);
    assert!(
        screen.contains("Opslaan… 2.000 van 4.500 gedaan"),
        "{screen}"
    );
}
