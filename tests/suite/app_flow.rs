//! Key scripts through `update` and the real executor on a seeded demo database: no terminal.

use crate::support;

use keukentafel::app::state::{LoginField, Screen};
use keukentafel::app::{Effect, Msg};
use support::{each_harness, harness};

#[test]
fn wrong_password_keeps_the_login_screen_with_one_message_for_all_failures() {
    each_harness(|mut h| {
        h.keys("anna<Enter>fout<Enter>");
        let Screen::Login(form) = &h.app.screen else {
            panic!("still on login")
        };
        assert_eq!(
            form.error.as_deref(),
            Some("Onbekende gebruiker of onjuist wachtwoord.")
        );
        assert!(form.password.is_empty(), "the wrong password is not kept");
        assert_eq!(form.focus, LoginField::Password);
        let wrong_password = form.error.clone();

        h.keys("<Tab><BS><BS><BS><BS>niemand<Tab>demo<Enter>");
        let Screen::Login(form) = &h.app.screen else {
            panic!("still on login")
        };
        assert_eq!(
            form.error, wrong_password,
            "an unknown user gets the same message"
        );
        assert!(h.app.user.is_none());
    });
}

#[test]
fn login_shows_home_with_my_households() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "home");
        assert_eq!(
            h.app.user.as_ref().map(|u| u.display_name.as_str()),
            Some("Anna de Boer")
        );
        let Screen::Home(home) = &h.app.screen else {
            unreachable!()
        };
        let data = home.data.as_ref().expect("home loaded");
        assert!(data.households.iter().any(|x| x.label == "Fam. El Amrani"));
        assert!(
            data.agreements
                .iter()
                .all(|a| a.due_on < h.app.today + chrono::Duration::days(7))
        );
    });
}

#[test]
fn find_open_switch_member_and_go_back() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr");
        let Screen::Finder(f) = &h.app.screen else {
            panic!("finder")
        };
        assert_eq!(
            f.hits.first().map(|x| x.label.as_str()),
            Some("Fam. El Amrani")
        );
        assert_eq!(f.searched, "amr");

        h.keys("<Enter>");
        let Screen::Dashboard(d) = &h.app.screen else {
            panic!("dashboard")
        };
        assert_eq!(d.data.household.label, "Fam. El Amrani");
        assert_eq!(d.data.members.len(), 3);
        assert_eq!(d.member, 0);

        h.keys("l");
        let Screen::Dashboard(d) = &h.app.screen else {
            panic!("dashboard")
        };
        assert_eq!(d.data.members[d.member].name, "Youssef El Amrani");
        h.keys("<Left><Left>");
        let Screen::Dashboard(d) = &h.app.screen else {
            panic!("dashboard")
        };
        assert_eq!(
            d.data.members[d.member].name, "Sara El Amrani",
            "wraps around"
        );

        // Esc returns to where the finder was opened from: home, reloaded.
        h.keys("<Esc>");
        assert_eq!(h.screen_name(), "home");
        let Screen::Home(home) = &h.app.screen else {
            unreachable!()
        };
        assert!(home.data.is_some());
    });
}

#[test]
fn typing_in_the_finder_never_triggers_commands() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/q/?");
        let Screen::Finder(f) = &h.app.screen else {
            panic!("finder")
        };
        assert_eq!(f.query.as_str(), "q/?");
        assert!(!h.quit);
        assert!(h.app.help.is_none());
        h.keys("<BS><BS><BS>");
        let Screen::Finder(f) = &h.app.screen else {
            panic!("finder")
        };
        assert!(f.hits.is_empty() && f.query.is_empty());
        h.keys("<Esc>");
        assert_eq!(h.screen_name(), "home");
    });
}

#[test]
fn stale_search_answers_are_dropped() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr");
        h.send(Msg::Found {
            seq: 1,
            query: "a".into(),
            hits: Ok(Vec::new()),
        });
        let Screen::Finder(f) = &h.app.screen else {
            panic!("finder")
        };
        assert_eq!(
            f.searched, "amr",
            "an older search must not overwrite newer results"
        );
        assert!(!f.hits.is_empty());
    });
}

#[test]
fn lock_replaces_the_screen_and_ends_the_session() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        h.keys("<C-l>");
        let Screen::Login(form) = &h.app.screen else {
            panic!("locked")
        };
        assert_eq!(form.username.as_str(), "anna", "the same user can unlock");
        assert_eq!(form.focus, LoginField::Password);
        assert!(h.app.user.is_none());
        // The executor's session is gone: a load asked for now gives nothing.
        assert!(h.exec.run(Effect::LoadHome).is_none());
        h.keys("demo<Enter>");
        assert_eq!(
            h.screen_name(),
            "dashboard",
            "unlocking gives the same screen back"
        );
    });
}

#[test]
fn idle_timeout_locks() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>");
        h.send(Msg::IdleTimeout);
        assert_eq!(h.screen_name(), "login");
    });
}

#[test]
fn help_opens_and_closes_and_q_quits_from_home_only() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>?");
        assert!(h.app.help.is_some());
        h.keys("q");
        assert!(h.app.help.is_none(), "q closes help");
        assert!(!h.quit);
        h.keys("/amr<Enter>q");
        assert!(!h.quit, "q does nothing on the dashboard");
        h.keys("<Esc>q");
        assert!(h.quit);
    });
}

#[test]
fn a_settings_warning_stays_visible_after_login_but_a_login_error_does_not() {
    use keukentafel::app::state::{Notice, NoticeKind};
    each_harness(|mut h| {
        h.app.notice = Some(Notice {
            text: "keymap.toml, regel 3: onbekende actie 'vliegen'. De standaardtoetsen gelden."
                .into(),
            kind: NoticeKind::Warning,
        });
        h.keys("anna<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "home");
        assert_eq!(
            h.app.notice.as_ref().map(|n| n.kind),
            Some(NoticeKind::Warning)
        );

        // A fresh database of the same backend.
        let mut h = support::harness_on(crate::common::fresh_like(&h.db));
        h.app.notice = Some(Notice {
            text: "Databasefout".into(),
            kind: NoticeKind::Error,
        });
        h.keys("anna<Enter>demo<Enter>");
        assert!(h.app.notice.is_none());
    });
}

#[test]
fn the_idle_lock_on_the_login_screen_clears_a_typed_password() {
    each_harness(|mut h| {
        h.keys("anna<Enter>dem");
        h.send(Msg::IdleTimeout);
        let Screen::Login(form) = &h.app.screen else {
            panic!("login")
        };
        assert!(
            form.password.is_empty(),
            "the next person cannot log in with it"
        );
        assert_eq!(form.username.as_str(), "anna");
    });
}

#[test]
fn opening_a_household_from_a_dashboard_does_not_stack_dashboards() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr<Enter>/fam<Down><Enter>");
        let Screen::Dashboard(d) = &h.app.screen else {
            panic!("dashboard: {} {:?}", h.screen_name(), h.app.notice)
        };
        assert!(
            matches!(*d.back, Screen::Home(_)),
            "back goes home, not to the previous dashboard"
        );
        h.keys("<Esc>");
        assert_eq!(h.screen_name(), "home");
    });
}

#[test]
fn a_teamleider_starts_on_the_figures_and_home_says_why_it_is_empty() {
    each_harness(|mut h| {
        h.keys("dirk<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "reports");
        let Screen::Reports { view, .. } = &h.app.screen else {
            unreachable!()
        };
        let report = view.report.as_ref().expect("figures loaded");
        assert_eq!(report.scope, "Overvecht", "his own team");
        let screen = support::render(&h.app, 80, 24);
        assert!(screen.contains("Stuurcijfers"), "{screen}");
        assert!(
            !screen.contains("El Amrani"),
            "no single household:\n{screen}"
        );
        assert!(
            screen.contains("e exporteer CSV"),
            "keys from the key map:\n{screen}"
        );
        h.keys("<Tab>e");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("Geëxporteerd naar"), "{notice}");
        h.keys("<Esc>");
        let Screen::Home(home) = &h.app.screen else {
            panic!("home")
        };
        assert!(home.data.is_some(), "not 'Laden…' forever");
        assert!(
            h.app
                .notice
                .as_ref()
                .is_some_and(|n| n.text.contains("mag je niet"))
        );
    });
}

/// The executor runs on a thread of its own: while a save waits for the database (a
/// colleague's transaction holds it), keys are still handled at once and in order, and the
/// answer arrives when the database is free.
#[test]
fn keys_are_handled_while_the_database_keeps_a_save_waiting() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use keukentafel::app::update;
    use keukentafel::tui::worker::Worker;
    let h = harness();
    // A colleague at another workstation holds the write lock.
    let colleague = h.raw();
    colleague.execute_batch("BEGIN IMMEDIATE").unwrap();
    let support::Harness {
        mut app, exec, db, ..
    } = h;
    let mut worker = Worker::spawn(exec).unwrap();
    let key = |c: KeyCode| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let send = |app: &mut keukentafel::app::App, worker: &mut Worker, msg: Msg| {
        for effect in update(app, msg) {
            worker.send(effect);
        }
    };
    for c in "anna".chars() {
        send(&mut app, &mut worker, key(KeyCode::Char(c)));
    }
    send(&mut app, &mut worker, key(KeyCode::Enter));
    for c in "demo".chars() {
        send(&mut app, &mut worker, key(KeyCode::Char(c)));
    }
    // Logging in writes an audit row: it waits for the colleague.
    send(&mut app, &mut worker, key(KeyCode::Enter));
    assert_eq!(worker.pending(), 1, "the login is with the executor");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(worker.answers().is_empty(), "the login cannot be done yet");
    // Meanwhile the key thread is free: a resize and keys are handled at once.
    send(&mut app, &mut worker, Msg::Resize(100, 30));
    assert!(matches!(app.screen, Screen::Login(_)));
    colleague.execute_batch("COMMIT").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut answers = Vec::new();
    while answers.is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
        answers = worker.answers();
    }
    assert!(!answers.is_empty(), "the login never came back");
    for answer in answers {
        send(&mut app, &mut worker, answer);
    }
    // Home loads after the login: wait for it too.
    while worker.pending() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
        for answer in worker.answers() {
            send(&mut app, &mut worker, answer);
        }
    }
    assert!(
        matches!(app.screen, Screen::Home(_)),
        "logged in after the wait"
    );
    assert!(worker.finish().is_some());
    drop(db);
}

/// A teamleider's and a beheerder's day starts on the figures: the first frame is drawn at
/// once ("Cijfers laden …") and the figures fill in when the executor's thread has them; keys
/// are handled meanwhile. Here the report waits for its audit row behind a colleague's
/// transaction, so the first frame is certainly drawn before the figures.
#[test]
fn a_teamleider_and_a_beheerder_see_their_first_frame_before_the_figures_arrive() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use keukentafel::app::update;
    use keukentafel::tui::worker::Worker;
    for who in ["dirk", "beheer"] {
        let h = harness();
        let colleague = h.raw();
        let support::Harness {
            mut app, exec, db, ..
        } = h;
        let mut worker = Worker::spawn(exec).unwrap();
        let key = |c: KeyCode| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
        let send = |app: &mut keukentafel::app::App, worker: &mut Worker, msg: Msg| {
            for effect in update(app, msg) {
                worker.send(effect);
            }
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let wait = |worker: &mut Worker| {
            let mut answers = Vec::new();
            while answers.is_empty() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(10));
                answers = worker.answers();
            }
            answers
        };
        for c in who.chars() {
            send(&mut app, &mut worker, key(KeyCode::Char(c)));
        }
        send(&mut app, &mut worker, key(KeyCode::Enter));
        for c in "demo".chars() {
            send(&mut app, &mut worker, key(KeyCode::Char(c)));
        }
        send(&mut app, &mut worker, key(KeyCode::Enter));
        let logged_in = wait(&mut worker);
        assert!(!logged_in.is_empty(), "{who}: the login never came back");
        // A colleague holds the write lock before the figures are asked for.
        colleague.execute_batch("BEGIN IMMEDIATE").unwrap();
        for answer in logged_in {
            send(&mut app, &mut worker, answer);
        }
        let Screen::Reports { view, .. } = &app.screen else {
            panic!("{who}: starts on the figures")
        };
        assert!(
            view.report.is_none(),
            "{who}: the figures are not there yet"
        );
        let screen = support::render(&app, 80, 24);
        assert!(screen.contains("Cijfers laden"), "{who}:\n{screen}");
        assert_eq!(
            worker.pending(),
            1,
            "{who}: the report is with the executor"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(worker.answers().is_empty(), "{who}: the report waits");
        // Meanwhile the key thread is free.
        send(&mut app, &mut worker, Msg::Resize(100, 30));
        assert!(matches!(app.screen, Screen::Reports { .. }));
        colleague.execute_batch("COMMIT").unwrap();
        for answer in wait(&mut worker) {
            send(&mut app, &mut worker, answer);
        }
        let Screen::Reports { view, .. } = &app.screen else {
            panic!("{who}: still on the figures")
        };
        assert!(view.report.is_some(), "{who}: the figures filled in");
        let screen = support::render(&app, 80, 24);
        assert!(!screen.contains("Cijfers laden"), "{who}:\n{screen}");
        assert!(worker.finish().is_some());
        drop(db);
    }
}
