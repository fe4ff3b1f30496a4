//! Home opens in the same time however many agreements are late: each group (this week's, the
//! overdue ones) lists at most a bounded number, earliest first, and counts the rest. On every
//! backend.

use crate::support;

use keukentafel::app::state::Screen;
use keukentafel::store::sqlite::home::HOME_AGREEMENTS;
use support::{Harness, each_harness, render};

/// `n` open agreements due on `due` for anna's first open household.
fn agreements_due(h: &Harness, n: usize, due: &str, what: &str) {
    let users = if h.db.backend == "sqlite" {
        "user"
    } else {
        "app_user"
    };
    h.sql(&format!(
        "INSERT INTO agreement (household_id, what, who, due_on, status, created_by, created_at)
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
         SELECT (SELECT min(h.id) FROM household h
                 WHERE h.closed_on IS NULL
                   AND h.regisseur_id = (SELECT id FROM {users} WHERE username = 'anna')),
                '{what}', 'client', '{due}', 'open',
                (SELECT id FROM {users} WHERE username = 'anna'), '2026-11-01T09:00:00Z'
         FROM k"
    ));
}

#[test]
fn home_lists_a_bounded_number_of_due_agreements_and_counts_them_all() {
    each_harness(|mut h| {
        let limit = HOME_AGREEMENTS as usize;
        // The suite's today is Monday 23 November 2026.
        agreements_due(&h, limit + 50, "2020-01-01", "Achterstallig");
        agreements_due(&h, limit + 10, "2026-11-25", "Deze week");
        h.keys("anna<Enter>demo<Enter>");
        let Screen::Home(home) = &h.app.screen else {
            panic!("home: {}", h.screen_name())
        };
        let data = home.data.as_ref().expect("home loaded");
        let today = h.app.today;
        let late = data.agreements.iter().filter(|a| a.due_on < today).count();
        let week = data.agreements.len() - late;
        assert_eq!((late, week), (limit, limit), "each group bounded");
        assert!(
            data.agreements.iter().any(|a| a.what == "Achterstallig"),
            "the oldest late ones are among them"
        );
        assert!(data.overdue_total as usize >= limit + 50);
        assert!(data.week_total as usize >= limit + 10);
        let screen = render(&h.app, 120, 40);
        assert!(
            screen.contains(&format!("{} te laat", data.overdue_total)),
            "the title counts every late one: {screen}"
        );
    });
}
