//! Rendered screens: snapshots of what the user reads (symbols only, colour-independent) at
//! 80×24 and 160×48, plus the things a user would notice if they broke.

use crate::support;

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use keukentafel::app::keymap::KeyMap;
use keukentafel::app::state::{
    App, DashboardView, FinderView, HomePanel, HomeView, LoginField, LoginForm, Panel, Screen,
    UserInfo,
};
use keukentafel::app::{Msg, update};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::model::dashboard::Dashboard;
use keukentafel::model::finder::HouseholdHit;
use keukentafel::model::home::HomeData;
use keukentafel::theme::Theme;
use ratatui::style::Modifier;
use support::{draw, render, text};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// Everything the screens show, loaded once from a seeded demo database.
struct Fixture {
    user: UserInfo,
    home: HomeData,
    amr: Vec<HouseholdHit>,
    jan: Vec<HouseholdHit>,
    fam: Vec<HouseholdHit>,
    el_amrani: Dashboard,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = crate::common::demo_file(&dir.path().join("demo.db"), 200);
        let session = store.authenticate("anna", "demo", "test").expect("login");
        let me = store.current_user(&session).expect("user");
        let home = store.load_home(&session, today()).expect("home");
        let amr = store.find_households(&session, "amr", 50).expect("amr");
        let jan = store.find_households(&session, "jan", 50).expect("jan");
        let fam = store.find_households(&session, "fam", 50).expect("fam");
        let id = amr
            .iter()
            .find(|h| h.label == "Fam. El Amrani")
            .map(|h| h.id)
            .expect("El Amrani found");
        let el_amrani = store.load_dashboard(&session, id).expect("dashboard");
        Fixture {
            user: UserInfo {
                username: me.username,
                display_name: me.display_name,
                role: me.role,
                contact_habits: Vec::new(),
            },
            home,
            amr,
            jan,
            fam,
            el_amrani,
        }
    })
}

/// A logged-out app on the login screen (demo database).
fn app() -> App {
    App::new(
        Lang::Nl,
        KeyMap::default(),
        Arc::new(ReferenceData::embedded()),
        Theme::default(),
        true,
        today(),
    )
}

/// Anna, logged in, on `screen`.
fn logged_in(screen: Screen) -> App {
    let mut app = app();
    app.user = Some(fixture().user.clone());
    app.screen = screen;
    app
}

fn home_screen() -> Screen {
    Screen::Home(HomeView {
        data: Some(fixture().home.clone()),
        panel: HomePanel::Households,
        selected: 0,
        worklists: None,
    })
}

fn finder(query: &str, hits: Vec<HouseholdHit>) -> Screen {
    Screen::Finder(FinderView {
        query: keukentafel::app::text_input::TextInput::new(query, 100),
        hits,
        searched: query.to_string(),
        selected: 0,
        seq: 1,
        back: Box::new(home_screen()),
    })
}

fn dashboard() -> Screen {
    Screen::Dashboard(DashboardView {
        data: Box::new(fixture().el_amrani.clone()),
        member: 0,
        panel: Panel::Zrm,
        rows: [0; 7],
        back: Box::new(home_screen()),
    })
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

// ---------------------------------------------------------------- snapshots

#[test]
fn login_screens() {
    let mut app = app();
    insta::assert_snapshot!("login_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("login_160x48", render(&app, 160, 48));
    app.screen = Screen::Login(LoginForm {
        username: keukentafel::app::text_input::TextInput::new("anna", 128),
        password: keukentafel::app::text_input::TextInput::new("", 128),
        focus: LoginField::Password,
        error: Some("Onbekende gebruiker of onjuist wachtwoord.".into()),
        locked: false,
    });
    insta::assert_snapshot!("login_error_80x24", render(&app, 80, 24));
}

#[test]
fn home_screens() {
    let app = logged_in(home_screen());
    insta::assert_snapshot!("home_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("home_160x48", render(&app, 160, 48));
    let loading = logged_in(Screen::Home(HomeView::loading()));
    insta::assert_snapshot!("home_loading_80x24", render(&loading, 80, 24));
    let mut english = logged_in(home_screen());
    english.lang = Lang::En;
    insta::assert_snapshot!("home_en_80x24", render(&english, 80, 24));
}

#[test]
fn finder_screens() {
    let f = fixture();
    let amr = logged_in(finder("amr", f.amr.clone()));
    insta::assert_snapshot!("finder_amr_80x24", render(&amr, 80, 24));
    let mut jan = logged_in(finder("jan", f.jan.clone()));
    if let Screen::Finder(view) = &mut jan.screen {
        view.selected = 2;
    }
    insta::assert_snapshot!("finder_jan_80x24", render(&jan, 80, 24));
    insta::assert_snapshot!("finder_jan_160x48", render(&jan, 160, 48));
    // Every household of Anna's team; selected far down, so the list scrolls.
    let mut fam = logged_in(finder("fam", f.fam.clone()));
    if let Screen::Finder(view) = &mut fam.screen {
        view.selected = 25;
    }
    insta::assert_snapshot!("finder_fam_80x24", render(&fam, 80, 24));
    insta::assert_snapshot!("finder_fam_160x48", render(&fam, 160, 48));
    // At the search limit the count says there may be more.
    let fifty: Vec<HouseholdHit> = f.fam.iter().cycle().take(50).cloned().collect();
    let full = render(&logged_in(finder("fam", fifty)), 80, 24);
    assert!(full.contains("50+ resultaten"), "{full}");
    let none = logged_in(finder("xyzzy", Vec::new()));
    insta::assert_snapshot!("finder_none_80x24", render(&none, 80, 24));
    let empty = logged_in(finder("", Vec::new()));
    insta::assert_snapshot!("finder_empty_80x24", render(&empty, 80, 24));
}

#[test]
fn dashboard_screens() {
    let mut app = logged_in(dashboard());
    insta::assert_snapshot!("dashboard_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("dashboard_160x48", render(&app, 160, 48));
    insta::assert_snapshot!("dashboard_120x30", render(&app, 120, 30));
    // Two steps to the right: Sara, a child without a ZRM; the members panel focused.
    update(&mut app, key(KeyCode::Char('l')));
    update(&mut app, key(KeyCode::Char('l')));
    update(&mut app, key(KeyCode::BackTab));
    insta::assert_snapshot!("dashboard_child_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("dashboard_child_160x48", render(&app, 160, 48));
}

#[test]
fn help_overlay() {
    let mut app = logged_in(dashboard());
    update(&mut app, key(KeyCode::Char('?')));
    assert!(
        app.help.is_some_and(|line| line > 0),
        "help opens at the dashboard's section"
    );
    insta::assert_snapshot!("help_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("help_160x48", render(&app, 160, 48));
    app.help = Some(1000);
    insta::assert_snapshot!("help_scrolled_80x24", render(&app, 80, 24));
}

#[test]
fn too_small_terminal_asks_for_more_room_and_recovers() {
    let app = logged_in(dashboard());
    let mut terminal = draw(&app, 60, 20);
    let small = text(terminal.backend().buffer());
    insta::assert_snapshot!("too_small_60x20", small);
    assert!(small.contains("Maak het venster groter (minstens 80×24; nu 60×20)."));
    terminal.backend_mut().resize(80, 24);
    terminal
        .draw(|f| keukentafel::ui::view(&app, f))
        .expect("draw");
    let big = text(terminal.backend().buffer());
    assert!(!big.contains("Maak het venster groter"), "{big}");
    assert!(big.contains("Fam. El Amrani"), "{big}");
    // Wide enough but too low is too small as well.
    assert!(render(&app, 200, 23).contains("nu 200×23"));
}

// ---------------------------------------------------------------- what users would notice

#[test]
fn password_is_never_drawn() {
    let mut app = app();
    for c in "anna".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    update(&mut app, key(KeyCode::Tab));
    for c in "geheim123".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let mut terminal = draw(&app, 80, 24);
    let screen = text(terminal.backend().buffer());
    assert!(!screen.contains("geheim123"), "{screen}");
    assert!(!screen.contains("geheim"), "{screen}");
    assert!(screen.contains("•••••••••"), "{screen}");
    assert!(screen.contains("anna"), "{screen}");
    // The cursor sits after the dots on the password line.
    let row = screen
        .lines()
        .position(|l| l.contains("Wachtwoord"))
        .expect("password row");
    let col = screen.lines().nth(row).and_then(|l| l.find("•••"));
    let position = terminal.get_cursor_position().expect("cursor");
    assert_eq!(usize::from(position.y), row);
    assert!(col.is_some());
}

#[test]
fn demo_marker_is_on_every_screen() {
    let f = fixture();
    let mut help = logged_in(home_screen());
    help.help = Some(0);
    let screens = [
        app(),
        logged_in(home_screen()),
        logged_in(finder("amr", f.amr.clone())),
        logged_in(dashboard()),
        help,
    ];
    for app in &screens {
        for (w, h) in [(80, 24), (160, 48)] {
            let screen = render(app, w, h);
            let top = screen.lines().next().unwrap_or("");
            assert!(top.contains(" DEMO"), "{top}");
            assert!(top.contains("23-11-2026"), "{top}");
        }
    }
    let mut production = app();
    production.demo = false;
    assert!(!render(&production, 80, 24).contains("DEMO"));
}

#[test]
fn dashboard_fits_every_zrm_domain_at_80x24() {
    let app = logged_in(dashboard());
    let screen = render(&app, 80, 24);
    for domain in &app.reference.zrm.domains {
        // Long names may be shortened ("Lichamelijke gezond."), never beyond recognition.
        let stem: String = domain.name.chars().take(12).collect();
        assert!(
            screen.contains(&stem) || screen.contains("… +"),
            "{} missing:\n{screen}",
            domain.name
        );
    }
    let financien = screen
        .lines()
        .find(|l| l.contains("Financiën"))
        .expect("Financiën row");
    assert!(financien.contains("██··· 2"), "{financien}");
    assert!(financien.contains("↑1"), "{financien}");
    assert!(
        screen.contains("ZRM · Fatima El Amrani · 16-11-2026"),
        "{screen}"
    );
    assert!(
        screen.contains("Schuldhulptraject sinds 03-09-2026"),
        "{screen}"
    );
    assert!(screen.contains("▶ Fatima El Amrani"), "{screen}");
    assert!(screen.contains("41 jr"), "{screen}");
}

#[test]
fn child_without_zrm_says_so() {
    let mut app = logged_in(dashboard());
    if let Screen::Dashboard(view) = &mut app.screen {
        view.member = 2;
    }
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("ZRM · Sara El Amrani · nog geen ZRM"),
        "{screen}"
    );
    assert!(screen.contains("▶ Sara El Amrani"), "{screen}");
}

#[test]
fn status_bar_shows_the_keys_of_the_screen() {
    let home = render(&logged_in(home_screen()), 80, 24);
    let bar = home.lines().last().unwrap_or("");
    assert!(bar.contains("/ zoeken"), "{bar}");
    assert!(bar.contains("q afsluiten"), "{bar}");
    let dash = render(&logged_in(dashboard()), 80, 24);
    let bar = dash.lines().last().unwrap_or("");
    assert!(bar.contains("? help"), "{bar}");
    assert!(bar.contains("c contact"), "{bar}");
    // In the finder letters are text, so "/" and "?" are not offered as keys there.
    let find = render(&logged_in(finder("amr", fixture().amr.clone())), 80, 24);
    let bar = find.lines().last().unwrap_or("");
    assert!(!bar.contains("/ zoeken"), "{bar}");
    assert!(bar.contains("Alt-n nieuw huishouden"), "{bar}");
}

#[test]
fn error_notice_replaces_the_status_bar() {
    let mut app = logged_in(home_screen());
    app.notice = Some(keukentafel::app::state::Notice {
        text: "De database is bezet.".into(),
        kind: keukentafel::app::state::NoticeKind::Error,
    });
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let screen = text(buffer);
    assert!(
        screen
            .lines()
            .last()
            .unwrap_or("")
            .contains("De database is bezet.")
    );
    let cell = buffer.cell((2, 23)).expect("cell");
    assert_eq!(cell.fg, app.theme.error);
}

#[test]
fn no_color_keeps_selection_focus_and_levels_visible() {
    let mut app = logged_in(dashboard());
    app.theme = Theme::no_color();
    if let Screen::Dashboard(view) = &mut app.screen {
        view.panel = Panel::Members;
    }
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let screen = text(buffer);
    let row = screen
        .lines()
        .position(|l| l.contains("Fatima El Amrani  "))
        .expect("Fatima row");
    let y = u16::try_from(row).expect("row");
    let cell = buffer.cell((5, y)).expect("cell");
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert!(screen.contains('┏'), "focused panel has a thick border");
    assert!(screen.contains("██··· 2"));
    for y in 0..24 {
        for x in 0..80 {
            let c = buffer.cell((x, y)).expect("cell");
            assert_eq!(c.fg, ratatui::style::Color::Reset, "({x},{y}) {c:?}");
        }
    }
}

#[test]
fn every_theme_draws_the_same_glyphs() {
    let mut app = logged_in(dashboard());
    let expected = render(&app, 80, 24);
    let mut themes: Vec<Theme> = Theme::names()
        .into_iter()
        .filter_map(Theme::builtin)
        .collect();
    themes.push(Theme::no_color());
    for theme in themes {
        let name = theme.name.clone();
        app.theme = theme;
        assert_eq!(render(&app, 80, 24), expected, "{name}");
    }
}

#[test]
fn home_with_a_2024_date_shows_the_year_and_the_overdue_agreements_as_a_counted_group() {
    use keukentafel::domain::agreement::Actor;
    use keukentafel::model::home::DueAgreement;
    let old = NaiveDate::from_ymd_opt(2024, 8, 9).expect("date");
    let mut data = fixture().home.clone();
    if let Some(h) = data.households.first_mut() {
        h.next_due = Some(old);
    }
    data.agreements.push(DueAgreement {
        id: 999_999,
        household_id: data.households.first().map_or(1, |h| h.id),
        label: "Fam. Oud".into(),
        what: "Formulier terugsturen".into(),
        who: Actor::Client,
        due_on: old,
    });
    let mut app = logged_in(Screen::Home(HomeView::loading()));
    update(&mut app, Msg::HomeLoaded(Ok(data.clone())));
    let late = data
        .agreements
        .iter()
        .filter(|a| a.due_on < today())
        .count();
    let week = data.agreements.len() - late;
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("! 09-08-2024"), "{w}×{h}:\n{screen}");
        if h >= 48 {
            assert!(
                screen.contains(&format!("{late} te laat, oudste 09-08-2024")),
                "{w}×{h}:\n{screen}"
            );
        }
        insta::assert_snapshot!(format!("home_old_date_{w}x{h}"), screen);
    }
    // This week's come first; the overdue ones follow, oldest first.
    let Screen::Home(home) = &app.screen else {
        panic!("home");
    };
    let shown = &home.data.as_ref().expect("data").agreements;
    assert!(shown[..week].iter().all(|a| a.due_on >= today()));
    assert_eq!(shown[week].due_on, old);
}
