//! Help and keys per role: help opens at the screen's own section and pages; the status bar at
//! 80 columns keeps a visit's keys in view; a role is offered only the keys it can use.

use crate::support;

use keukentafel::app::Msg;
use support::{Harness, each_harness, render};

fn status(h: &Harness, w: u16, height: u16) -> String {
    render(&h.app, w, height)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn help_opens_at_the_dashboard_section_and_pages_with_pgdn_pgup_home_end() {
    each_harness(|mut h| {
        h.send(Msg::Resize(80, 24));
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        h.keys("?");
        let screen = render(&h.app, 80, 24);
        let heading = screen
            .lines()
            .position(|l| l.contains("Huishouden"))
            .unwrap_or(usize::MAX);
        assert!(heading < 6, "the dashboard's keys at the top:\n{screen}");
        assert!(screen.contains("contactmoment"), "{screen}");
        let start = h.app.help.unwrap();
        assert!(start > 0, "not the top of the listing");

        h.keys("<PgDn>");
        let paged = h.app.help.unwrap();
        assert_eq!(paged, start + 18, "one page of 18 lines at 80×24");
        h.keys("<PgUp>");
        assert_eq!(h.app.help, Some(start));
        h.keys("<Home>");
        assert_eq!(h.app.help, Some(0));
        let top = render(&h.app, 80, 24);
        assert!(top.contains("PgUp/PgDn bladeren"), "{top}");
        h.keys("<End>");
        let end = render(&h.app, 80, 24);
        assert!(!end.contains("meer "), "nothing below the end:\n{end}");
        assert!(end.contains("↑ +"), "{end}");
        h.keys("<Esc>");
        assert!(h.app.help.is_none());
    });
}

#[test]
fn the_dashboard_status_bar_at_80_columns_keeps_s_p_u_and_x() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        let bar = status(&h, 80, 24);
        for key in [
            "c contact",
            "a afspraak",
            "x gedaan",
            "u ongedaan",
            "s samen",
            "p plan",
        ] {
            assert!(bar.contains(key), "{key:?} missing: {bar}");
        }
        assert!(bar.find("c contact") < bar.find("z ZRM").or(Some(usize::MAX)));
        let wide = status(&h, 220, 48);
        assert!(
            wide.contains("contactmoment") && wide.contains("samen kijken"),
            "{wide}"
        );
    });
}

#[test]
fn a_professional_is_not_offered_the_worklists() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>");
        let bar = status(&h, 160, 48);
        assert!(!bar.contains("werklijsten"), "{bar}");
        assert!(!bar.contains("aanbieders"), "{bar}");
        h.keys("?");
        let help = render(&h.app, 160, 48);
        assert!(!help.contains("werklijsten"), "{help}");
        h.keys("<Esc>w");
        assert_eq!(h.screen_name(), "home", "w does nothing for a professional");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("niet bij jouw rol"), "{notice}");
    });
}

#[test]
fn the_backoffice_is_not_offered_contacts_agreements_zrm_or_flags() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        h.send(Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('f'),
            crossterm::event::KeyModifiers::CONTROL,
        )));
        h.keys("amr<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        let bar = status(&h, 160, 48);
        for gone in ["c contact", "a afspraak", "z ZRM", "f signaal", "s samen"] {
            assert!(!bar.contains(gone), "{gone:?} offered: {bar}");
        }
        assert!(bar.contains("m gezinslid"), "{bar}");
        h.keys(":");
        let palette = render(&h.app, 160, 48);
        assert!(!palette.contains("contactmoment"), "{palette}");
    });
}

#[test]
fn a_teamleider_is_not_offered_the_finder_and_starts_on_the_figures() {
    each_harness(|mut h| {
        h.keys("dirk<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "reports");
        let bar = status(&h, 160, 48);
        assert!(!bar.contains("zoeken"), "{bar}");
        h.keys("/");
        assert_eq!(h.screen_name(), "reports", "no finder");
    });
}

#[test]
fn the_backoffice_home_counts_what_waits_on_each_worklist_and_enter_opens_one() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter>");
        assert_eq!(h.screen_name(), "worklist");
        h.keys("<Esc>");
        assert_eq!(h.screen_name(), "home");
        let waiting = h.count("SELECT count(*) FROM provision WHERE status = 'aangevraagd'");
        let screen = render(&h.app, 80, 24);
        assert!(screen.contains("Werklijsten"), "{screen}");
        let line = screen
            .lines()
            .find(|l| l.contains("Wacht op beschikking"))
            .unwrap_or_default();
        assert!(
            line.trim_end_matches(['┃', '│', ' '])
                .ends_with(&waiting.to_string()),
            "{line}"
        );
        h.keys("<Down><Enter>");
        assert_eq!(h.screen_name(), "worklist");
        let keukentafel::app::state::Screen::Worklist { view, .. } = &h.app.screen else {
            panic!("worklist")
        };
        assert_eq!(
            view.list,
            keukentafel::model::worklists::Worklist::AwaitingToewijzing
        );
    });
}
