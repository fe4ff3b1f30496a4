//! The reports screen rendered at 80×24 and 160×48 from a fixed, hand-built set of figures:
//! bar chart, sparkline, `<5` for hidden figures, and the keys.

use chrono::NaiveDate;
use keukentafel::app::keymap::Action;
use keukentafel::app::reports::{ReportsView, handle_action};
use keukentafel::i18n::Lang;
use keukentafel::model::report::{
    CountFigure, DomainChange, DurationFigure, FlagFigure, KindContacts, MonthContacts, RawFigures,
    TeamFlow, build,
};
use keukentafel::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn raw() -> RawFigures {
    let months = [12, 15, 3, 20, 18, 22, 9, 14, 25, 30, 27, 4];
    RawFigures {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        team: Some("Overvecht".into()),
        provisions_only: false,
        teams: vec![TeamFlow {
            team: "Overvecht".into(),
            opened: 48,
            closed: 31,
        }],
        contacts: vec![
            KindContacts {
                kind: "Huisbezoek".into(),
                contacts: 140,
                minutes: 8400,
                households: 45,
            },
            KindContacts {
                kind: "Telefoon".into(),
                contacts: 60,
                minutes: 600,
                households: 30,
            },
            KindContacts {
                kind: "Gesprek op kantoor".into(),
                contacts: 9,
                minutes: 405,
                households: 7,
            },
            KindContacts {
                kind: "Groepsbijeenkomst".into(),
                contacts: 3,
                minutes: 270,
                households: 2,
            },
        ],
        contact_households: 52,
        months: months
            .iter()
            .enumerate()
            .map(|(i, n)| MonthContacts {
                month: format!("2026-{:02}", i + 1),
                contacts: *n * 2,
                households: *n,
            })
            .collect(),
        made: CountFigure {
            count: 120,
            households: 40,
        },
        done: CountFigure {
            count: 80,
            households: 35,
        },
        overdue: CountFigure {
            count: 6,
            households: 4,
        },
        zrm: vec![DomainChange {
            domain: "Financiën".into(),
            persons: 40,
            households: 30,
            change_sum: 20,
            improved: CountFigure {
                count: 20,
                households: 16,
            },
            stable: CountFigure {
                count: 17,
                households: 12,
            },
            worsened: CountFigure {
                count: 3,
                households: 3,
            },
        }],
        flags: vec![
            FlagFigure {
                kind: "Schuldhulptraject".into(),
                households: 14,
            },
            FlagFigure {
                kind: "WW-uitkering".into(),
                households: 2,
            },
        ],
        duration: DurationFigure {
            households: 31,
            total_days: 31 * 240,
        },
        provisions: Vec::new(),
        care: Vec::new(),
    }
}

fn view(section: usize) -> ReportsView {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (mut view, _) = ReportsView::new(today, None);
    view.loaded(Ok(build(&raw(), Lang::Nl)));
    for _ in 0..section {
        handle_action(&mut view, Action::NextPanel);
    }
    view
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buffer.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(view: &ReportsView, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            let area = f.area();
            keukentafel::ui::reports::render(view, &Theme::default(), Lang::Nl, f, area)
        })
        .unwrap();
    text(terminal.backend().buffer())
}

#[test]
fn contacts_with_bars_and_the_monthly_sparkline() {
    let contacts = view(1);
    let small = render(&contacts, 80, 24);
    assert!(small.contains("Contactmomenten per soort"), "{small}");
    assert!(small.contains("<5"), "{small}");
    insta::assert_snapshot!("reports_contacts_80x24", small);
    insta::assert_snapshot!("reports_contacts_160x48", render(&contacts, 160, 48));
}

#[test]
fn zrm_and_the_empty_provisions_section() {
    insta::assert_snapshot!("reports_zrm_80x24", render(&view(4), 80, 24));
    let provisions = view(7);
    let text = render(&provisions, 80, 24);
    assert!(text.contains("Voorzieningen"), "{text}");
    insta::assert_snapshot!("reports_provisions_80x24", text);
}

#[test]
fn loading_and_error_states() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (mut loading, _) = ReportsView::new(today, Some("Overvecht".into()));
    assert!(render(&loading, 80, 24).contains("Cijfers laden"));
    loading.loaded(Err(
        "Dat mag je niet met jouw rol (backoffice): stuurcijfers bekijken.".into(),
    ));
    insta::assert_snapshot!("reports_error_80x24", render(&loading, 80, 24));
}

#[test]
fn the_figures_use_dutch_numbers_months_and_say_how_many_rows_do_not_fit() {
    let screens: Vec<String> = (0..6).map(|s| render(&view(s), 80, 24)).collect();
    let all = screens.join("\n");
    assert!(all.contains("+0,5"), "a decimal comma: {all}");
    assert!(!all.contains("+0.5"), "{all}");
    assert!(
        all.contains("jan 2026") && all.contains("dec 2026"),
        "{all}"
    );
    assert!(all.contains("01-01-2026 t/m 31-12-2026"), "{all}");
    let folded = screens
        .iter()
        .find(|s| s.contains("meer"))
        .expect("a section with more rows than fit at 80×24");
    let line = folded
        .lines()
        .find(|l| l.contains("meer"))
        .unwrap_or_default();
    assert!(line.contains("… +"), "{line}");
}
