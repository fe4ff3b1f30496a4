//! The event contract, tested without a database or a terminal: key scripts and pastes go into
//! `update` and the tests assert the effects it asks for. The executor's answers are made up
//! here, as a state machine is tested without IO.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use keukentafel::app::layers::{Layer, stack};
use keukentafel::app::state::{Overlay, Screen, UserInfo};
use keukentafel::app::{App, Effect, Msg, update};
use keukentafel::domain::address::HouseNumber;
use keukentafel::domain::agreement::{Actor, Agreement, AgreementStatus};
use keukentafel::domain::household::{Address, Household, HouseholdStatus};
use keukentafel::domain::postcode::Postcode;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::domain::user::{Role, User};
use keukentafel::i18n::Lang;
use keukentafel::model::changes::Change;
use keukentafel::model::dashboard::{Dashboard, DashboardAccess};
use keukentafel::model::home::HomeData;
use keukentafel::theme::Theme;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn new_app() -> App {
    App::new(
        Lang::Nl,
        keukentafel::app::keymap::KeyMap::default(),
        Arc::new(ReferenceData::embedded()),
        Theme::default(),
        true,
        today(),
    )
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` (`\n` is Enter, `\t` Tab) and returns every effect asked for, in order.
fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| {
            let k = match c {
                '\n' => key(KeyCode::Enter),
                '\t' => key(KeyCode::Tab),
                c => key(KeyCode::Char(c)),
            };
            update(app, Msg::Key(k))
        })
        .collect()
}

fn user(role: Role) -> UserInfo {
    UserInfo {
        username: "anna".into(),
        display_name: "Anna de Boer".into(),
        role,
        contact_habits: vec![("huisbezoek".into(), 60, 3), ("telefoon".into(), 10, 2)],
    }
}

/// Logged in as `role`, home loaded (empty).
fn at_home(role: Role) -> App {
    let mut app = new_app();
    let effects = typed(&mut app, "anna\ngeheim\n");
    assert_eq!(
        effects,
        vec![Effect::Login {
            username: "anna".into(),
            password: "geheim".into()
        }]
    );
    update(&mut app, Msg::LoggedIn(Ok(user(role))));
    update(&mut app, Msg::HomeLoaded(Ok(HomeData::default())));
    assert!(matches!(app.screen, Screen::Home(_)));
    app
}

fn dashboard() -> Dashboard {
    Dashboard {
        access: DashboardAccess::Full,
        household: Household {
            id: 7,
            label: "Fam. El Amrani".into(),
            address: Address {
                street: "Kanaalstraat".into(),
                house_number: HouseNumber::parse("12").unwrap(),
                postcode: Postcode::parse("3531 AB").unwrap(),
                city: "Utrecht".into(),
            },
            team_id: 1,
            regisseur_id: 1,
            opened_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            status: HouseholdStatus::Open,
        },
        team_name: "Buurtteam Noord".into(),
        regisseur: User {
            id: 1,
            username: "anna".into(),
            display_name: "Anna de Boer".into(),
            role: Role::Professional,
            team_id: Some(1),
            team_name: Some("Buurtteam Noord".into()),
            phone: None,
            disabled: false,
        },
        members: Vec::new(),
        assessments: Vec::new(),
        agreements: vec![Agreement {
            id: 31,
            household_id: 7,
            what: "Fatima belt het budgetteam".into(),
            who: Actor::Client,
            due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()),
            formal: false,
            zrm_domain: None,
            status: AgreementStatus::Open,
            version: 1,
        }],
        flags: Vec::new(),
        goals: Vec::new(),
        contacts: Vec::new(),
        consents: Vec::new(),
        provisions: Vec::new(),
    }
}

/// On the El Amrani dashboard, with the agreements panel focused.
fn at_the_table(role: Role) -> App {
    let mut app = at_home(role);
    update(&mut app, Msg::Opened(Ok(Box::new(dashboard()))));
    if let Screen::Dashboard(view) = &mut app.screen {
        view.panel = keukentafel::app::state::Panel::Agreements;
    }
    app
}

#[test]
fn enter_on_the_login_asks_for_a_login_and_quit_asks_to_log_out_and_quit() {
    let mut app = at_home(Role::Professional);
    assert_eq!(typed(&mut app, "q"), vec![Effect::Logout, Effect::Quit]);
}

#[test]
fn the_design_acts_ask_for_one_write_each() {
    let mut app = at_the_table(Role::Professional);
    let effects = typed(&mut app, "x");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Apply {
                household_id: 7,
                change: Change::CompleteAgreement { id: 31, .. }
            }]
        ),
        "{effects:?}"
    );
    assert_eq!(typed(&mut app, "s"), vec![Effect::RecordTogether(7)]);
    assert!(typed(&mut app, "s").is_empty(), "s closes samen kijken");
    let effects = typed(&mut app, "c\n");
    match effects.as_slice() {
        [
            Effect::Apply {
                household_id: 7,
                change: Change::Contact(c),
            },
        ] => {
            assert_eq!((c.kind.as_str(), c.minutes), ("huisbezoek", 60));
            assert_eq!(c.contact_on, today());
        }
        other => panic!("one contact write expected: {other:?}"),
    }
}

#[test]
fn a_paste_in_the_finder_is_text_and_never_opens_samen_kijken() {
    let mut app = at_the_table(Role::Professional);
    assert!(typed(&mut app, "/").is_empty());
    let effects = update(&mut app, Msg::Paste("amr\ns".into()));
    assert_eq!(
        effects,
        vec![Effect::Search {
            seq: 1,
            query: "amr s".into()
        }],
        "one search for the pasted text, newline as a space"
    );
    assert!(app.overlay.is_none(), "no samen kijken");
    assert!(matches!(app.screen, Screen::Finder(_)));
}

#[test]
fn a_paste_where_no_text_field_has_focus_does_nothing_and_says_so() {
    let mut app = at_the_table(Role::Professional);
    let effects = update(&mut app, Msg::Paste("s\nx\u{1b}[A".into()));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.overlay.is_none());
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("Plakken kan alleen in een tekstveld.")
    );
}

#[test]
fn a_long_paste_into_a_form_field_keeps_what_fits_and_says_how_much() {
    let mut app = at_the_table(Role::Professional);
    typed(&mut app, "c\t\t\t");
    let big = "Fatima vertelt over de school. ".repeat(3400); // ≈ 100 KB
    let offered = big.chars().count();
    assert!(big.len() >= 100_000);
    let effects = update(&mut app, Msg::Paste(big));
    assert!(effects.is_empty());
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the contact form stays open");
    };
    let note = form.fields.get("note").unwrap();
    assert_eq!(note.typed().chars().count(), 200);
    assert_eq!(
        note.note.as_deref(),
        Some(format!("200 van {} tekens bewaard.", thousands(offered)).as_str())
    );
    // The form saves what was kept.
    match update(&mut app, Msg::Key(key(KeyCode::Enter))).as_slice() {
        [
            Effect::Apply {
                change: Change::Contact(c),
                ..
            },
        ] => assert_eq!(c.note.as_deref().map(|n| n.chars().count()), Some(200)),
        other => panic!("{other:?}"),
    }
}

fn thousands(n: usize) -> String {
    keukentafel::app::text_input::thousands(n, Lang::Nl)
}

#[test]
fn a_paste_with_escape_sequences_reaches_the_field_as_plain_text() {
    let mut app = at_the_table(Role::Professional);
    typed(&mut app, "a");
    update(
        &mut app,
        Msg::Paste("\u{1b}[2JBel \u{1b}]0;x\u{7}school 😀 مرحبا\u{202e}".into()),
    );
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the agreement form");
    };
    assert_eq!(form.fields.value("what"), "Bel school 😀 مرحبا");
}

#[test]
fn ctrl_u_in_the_finder_empties_the_query_and_asks_no_search() {
    let mut app = at_home(Role::Professional);
    typed(&mut app, "/");
    let effects = typed(&mut app, "amr");
    assert_eq!(effects.len(), 3, "a search per keystroke: {effects:?}");
    let effects = update(&mut app, Msg::Key(ctrl('u')));
    assert!(effects.is_empty(), "an empty query searches nothing");
    let Screen::Finder(f) = &app.screen else {
        panic!("finder");
    };
    assert!(f.query.is_empty() && f.hits.is_empty());
    assert_eq!(
        typed(&mut app, "j"),
        vec![Effect::Search {
            seq: 5,
            query: "j".into()
        }]
    );
}

#[test]
fn while_the_window_is_too_small_keys_do_nothing_but_quit_and_lock() {
    let mut app = at_the_table(Role::Professional);
    update(&mut app, Msg::Resize(60, 20));
    assert_eq!(
        stack(&app),
        vec![
            Layer::Session,
            Layer::TooSmall,
            Layer::Screen,
            Layer::Global
        ]
    );
    for k in ["x", "c", "s", "/", "?", ":"] {
        assert!(typed(&mut app, k).is_empty(), "{k} does nothing");
    }
    assert!(app.overlay.is_none() && app.help.is_none() && app.palette.is_none());
    assert!(update(&mut app, Msg::Paste("x".into())).is_empty());
    // Bigger again: the keys work.
    update(&mut app, Msg::Resize(80, 24));
    assert_eq!(typed(&mut app, "s"), vec![Effect::RecordTogether(7)]);
    typed(&mut app, "s");
    update(&mut app, Msg::Resize(60, 20));
    let effects = update(&mut app, Msg::Key(ctrl('l')));
    assert_eq!(effects, vec![Effect::Logout], "lock still works");
    assert!(matches!(app.screen, Screen::Login(_)));
}

#[test]
fn quit_passes_the_too_small_layer_on_home() {
    let mut app = at_home(Role::Professional);
    update(&mut app, Msg::Resize(40, 10));
    assert!(typed(&mut app, "/").is_empty());
    assert_eq!(typed(&mut app, "q"), vec![Effect::Logout, Effect::Quit]);
}

#[test]
fn each_layer_consumes_or_passes_a_key() {
    let mut app = at_the_table(Role::Professional);
    assert_eq!(
        stack(&app),
        vec![Layer::Session, Layer::Screen, Layer::Global]
    );
    typed(&mut app, "a");
    assert_eq!(
        stack(&app),
        vec![Layer::Session, Layer::Overlay, Layer::Screen, Layer::Global]
    );
    // The form consumes `/` and `s` as text; the screen never sees them.
    assert!(typed(&mut app, "/s").is_empty());
    assert!(app.help.is_none());
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("form");
    };
    assert_eq!(form.fields.value("what"), "/s");
    // The session layer above it still takes the lock key.
    assert_eq!(update(&mut app, Msg::Key(ctrl('l'))), vec![Effect::Logout]);
}

#[test]
fn a_due_date_without_a_year_is_the_next_such_date_and_a_contact_date_the_last() {
    let mut app = at_the_table(Role::Professional);
    app.today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let effects = typed(&mut app, "aBel de school\t15-01\n");
    match effects.as_slice() {
        [
            Effect::Apply {
                change: Change::AddAgreement(a),
                ..
            },
        ] => assert_eq!(a.due_on, NaiveDate::from_ymd_opt(2027, 1, 15)),
        other => panic!("{other:?}"),
    }
    let mut app = at_the_table(Role::Professional);
    app.today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    typed(&mut app, "c");
    update(&mut app, Msg::Key(ctrl('u')));
    match typed(&mut app, "15-12\n").as_slice() {
        [
            Effect::Apply {
                change: Change::Contact(c),
                ..
            },
        ] => assert_eq!(c.contact_on, NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_member_form_shows_all_its_errors_at_once_in_field_order() {
    let mut app = at_the_table(Role::Professional);
    let effects = typed(&mut app, "m\t31-02-1990\t\t123456789\tabc\n");
    assert!(effects.is_empty(), "nothing saved: {effects:?}");
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the member form stays open");
    };
    let with_errors: Vec<&str> = form
        .fields
        .list
        .iter()
        .filter(|f| f.error.is_some())
        .map(|f| f.key)
        .collect();
    assert_eq!(with_errors, ["name", "birth", "bsn", "phone"]);
    assert_eq!(form.fields.focused().map(|f| f.key), Some("name"));
    assert_eq!(
        form.fields.value("bsn"),
        "123456789",
        "nothing typed is lost"
    );
}

#[test]
fn a_stale_notice_clears_on_the_next_screen() {
    let mut app = at_the_table(Role::Professional);
    update(&mut app, Msg::Paste("x".into()));
    assert!(app.notice.is_some());
    typed(&mut app, "x");
    assert!(app.notice.is_some(), "the same screen keeps it");
    let effects = update(&mut app, Msg::Key(key(KeyCode::Esc)));
    assert!(effects.contains(&Effect::LoadHome));
    assert!(matches!(app.screen, Screen::Home(_)));
    assert!(
        app.notice.is_none(),
        "home does not show the dashboard's message"
    );
}

#[test]
fn samen_kijken_names_who_does_what_as_the_plan_does() {
    let mut app = at_the_table(Role::Professional);
    typed(&mut app, "s");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| keukentafel::ui::view(&app, f)).unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("jullie zelf"), "{screen}");
    for internal in ["cliënt", "client", "professional"] {
        assert!(!screen.contains(internal), "{internal} on samen kijken");
    }
    assert!(
        screen.contains("vrijdag") && screen.contains("27 november"),
        "a date in words: {screen}"
    );
}

#[test]
fn enter_in_the_flag_list_sets_the_highlighted_flag() {
    let mut app = at_the_table(Role::Professional);
    let second = app.reference.flags.flags()[1].key.clone();
    typed(&mut app, "f");
    update(&mut app, Msg::Key(key(KeyCode::Down)));
    let effects = update(&mut app, Msg::Key(key(KeyCode::Enter)));
    match effects.as_slice() {
        [
            Effect::Apply {
                change: Change::SetFlag { kind, .. },
                ..
            },
        ] => assert_eq!(kind, &second),
        other => panic!("Enter sets the highlighted flag: {other:?}"),
    }
}

#[test]
fn a_long_message_wraps_above_the_status_bar_and_is_read_in_full() {
    let mut app = at_the_table(Role::Professional);
    let path = "/home/anna/.local/share/keukentafel/exporten/werklijst-beschikking-20261123-2.csv";
    app.notice = Some(keukentafel::app::state::Notice {
        text: format!("Geëxporteerd naar {path}; het bestand is alleen voor jou leesbaar."),
        kind: keukentafel::app::state::NoticeKind::Info,
    });
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| keukentafel::ui::view(&app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> = (0..24)
        .map(|y| {
            (0..80)
                .map(|x| buffer.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect::<String>()
        })
        .collect();
    let bottom: String = rows[20..]
        .iter()
        .map(|r| r.trim())
        .collect::<Vec<_>>()
        .join("");
    assert!(
        bottom.contains(&path.replace(' ', "")),
        "the whole path:\n{}",
        rows.join("\n")
    );
    assert!(bottom.contains("leesbaar."), "{}", rows.join("\n"));
    assert!(!bottom.contains('…'));
}
