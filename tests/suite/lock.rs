//! The shared workstation's lock: idle time measured on the injected clock, a lock screen that
//! holds no client data, unlocking, and another user taking over with the first user's open
//! form kept as their draft.

use crate::support;

use chrono::{Duration, TimeZone, Utc};
use keukentafel::app::Msg;
use keukentafel::app::state::{Overlay, Screen};
use support::{Harness, each_harness, render};

/// Anna with a half-typed agreement on the El Amrani family's dashboard.
fn anna_typing_on(mut h: Harness) -> Harness {
    h.keys("anna<Enter>demo<Enter>/amr<Enter>aFatima belt de woningcorporatie");
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
    h
}

fn typed_what(h: &Harness) -> Option<String> {
    match &h.app.overlay {
        Some(Overlay::Form(f)) => f.fields.get("what").map(|f| f.typed().to_string()),
        _ => None,
    }
}

fn assert_no_client_data(screen: &str) {
    for secret in [
        "El Amrani",
        "Fatima",
        "Financiën",
        "woningcorporatie",
        "Zamenhofdreef",
    ] {
        assert!(
            !screen.contains(secret),
            "'{secret}' on the lock screen:\n{screen}"
        );
    }
}

#[test]
fn the_screen_locks_at_the_minute_without_keys() {
    each_harness(|h| {
        let mut h = anna_typing_on(h);
        let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        h.send(Msg::Tick(t0));
        h.send(Msg::Tick(
            t0 + Duration::minutes(14) + Duration::seconds(59),
        ));
        assert_eq!(h.screen_name(), "dashboard", "not before 15 minutes");
        h.keys("x");
        h.send(Msg::Tick(t0 + Duration::minutes(20)));
        h.send(Msg::Tick(
            t0 + Duration::minutes(34) + Duration::seconds(59),
        ));
        assert_eq!(
            h.screen_name(),
            "dashboard",
            "a key starts the period again"
        );
        h.send(Msg::Tick(t0 + Duration::minutes(35)));
        assert_eq!(h.screen_name(), "login", "locked at the minute");
        assert!(h.app.user.is_none());
        let screen = render(&h.app, 80, 24);
        assert!(screen.contains("Vergrendeld"), "{screen}");
        assert_no_client_data(&screen);
        assert_no_client_data(&render(&h.app, 160, 48));
    });
}

#[test]
fn ctrl_l_locks_even_inside_a_form_and_the_same_user_gets_it_back() {
    each_harness(|h| {
        let mut h = anna_typing_on(h);
        h.keys("<C-l>");
        assert_eq!(h.screen_name(), "login");
        assert_no_client_data(&render(&h.app, 80, 24));
        h.keys("fout<Enter>");
        assert_eq!(h.screen_name(), "login", "a wrong password does not unlock");
        h.keys("demo<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        assert_eq!(
            typed_what(&h).as_deref(),
            Some("Fatima belt de woningcorporatie")
        );
    });
}

#[test]
fn another_user_ends_the_session_and_the_form_waits_as_a_draft_for_its_owner() {
    each_harness(|h| {
        let mut h = anna_typing_on(h);
        h.keys("<C-l>");
        // Bram logs in from the lock screen.
        h.keys("<Up><BS><BS><BS><BS>bram<Tab>demo<Enter>");
        assert_eq!(h.screen_name(), "home");
        assert_eq!(
            h.app.user.as_ref().map(|u| u.username.as_str()),
            Some("bram")
        );
        assert!(h.app.overlay.is_none(), "bram never sees anna's form");
        let screen = render(&h.app, 160, 48);
        assert!(
            !screen.contains("El Amrani") && !screen.contains("Fatima belt"),
            "{screen}"
        );
        // Anna's undo list went with her session.
        assert!(h.app.undo.is_empty());

        h.keys("<C-l><Up><BS><BS><BS><BS>anna<Tab>demo<Enter>");
        assert_eq!(h.screen_name(), "dashboard", "her household opens again");
        let Screen::Dashboard(view) = &h.app.screen else {
            unreachable!()
        };
        assert_eq!(view.data.household.label, "Fam. El Amrani");
        assert_eq!(
            typed_what(&h).as_deref(),
            Some("Fatima belt de woningcorporatie")
        );
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("niet afgemaakt"), "{notice}");
        // Saving the draft works as any form.
        let before = h.count("SELECT count(*) FROM agreement");
        h.keys("<Enter>");
        assert_eq!(h.count("SELECT count(*) FROM agreement"), before + 1);
    });
}

#[test]
fn ctrl_l_locks_over_help_and_the_palette_too() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr<Enter>?<C-l>");
        assert_eq!(h.screen_name(), "login");
        assert!(h.app.help.is_none());
        assert_no_client_data(&render(&h.app, 160, 48));
        h.keys("demo<Enter>:<C-l>");
        assert_eq!(h.screen_name(), "login");
        assert!(h.app.palette.is_none());
    });
}

#[test]
fn ctrl_c_on_the_lock_screen_asks_for_the_password_and_keeps_the_session() {
    each_harness(|h| {
        let mut h = anna_typing_on(h);
        h.keys("<C-l>");
        assert_eq!(h.screen_name(), "login");
        h.keys("<C-c>");
        assert!(!h.quit, "the locked session is not ended");
        let screen = render(&h.app, 80, 24);
        assert!(screen.contains("vergrendeld"), "{screen}");
        assert_no_client_data(&screen);
        h.keys("demo<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        assert_eq!(
            typed_what(&h).as_deref(),
            Some("Fatima belt de woningcorporatie"),
            "the form is back as it was"
        );
    });
}
