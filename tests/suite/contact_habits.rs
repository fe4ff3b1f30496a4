//! Contacts as people record them: `c` prefills the kind and minutes this user records most
//! often (not whatever row is newest), another kind brings its usual minutes, and typing into
//! the prefilled minutes replaces them. The usual visit stays `c` `Enter`.

use crate::support;

use keukentafel::app::state::Overlay;
use keukentafel::domain::contact::ContactFields;
use support::{Harness, each_harness};

fn form_value(h: &Harness, field: &str) -> String {
    match &h.app.overlay {
        Some(Overlay::Form(f)) => f.fields.value(field).to_string(),
        _ => panic!("no form open"),
    }
}

/// Anna's history: mostly home visits of 45 minutes, phone calls of 5 minutes, and as her newest
/// row one long video call (which must not become the default).
fn with_habits_on(h: Harness) -> Harness {
    // The demo's contacts go; Anna records hers at another workstation, oldest first.
    h.sql("DELETE FROM contact;");
    let mut store = h.db.open();
    let anna = store.authenticate("anna", "demo", "test").unwrap();
    let habits = [
        ("huisbezoek", 45),
        ("telefoon", 5),
        ("huisbezoek", 45),
        ("telefoon", 5),
        ("huisbezoek", 45),
        ("telefoon", 20),
        ("huisbezoek", 60),
        ("beeldbellen", 90),
    ];
    for (day, (kind, minutes)) in (1..).zip(habits) {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let fields = ContactFields::new(on, kind, minutes, None).unwrap();
        store.record_contact(&anna, 1, &fields).unwrap();
    }
    drop(store);
    h
}

#[test]
fn c_prefills_the_kind_and_minutes_this_user_records_most_often() {
    each_harness(|h| {
        let mut h = with_habits_on(h);
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        h.keys("c");
        assert_eq!(
            form_value(&h, "kind"),
            "huisbezoek",
            "not the newest row's kind"
        );
        assert_eq!(form_value(&h, "minutes"), "45", "her usual home visit");
        let before = h.count("SELECT count(*) FROM contact");
        assert_eq!(h.keys("<Enter>"), 1, "budget: c, Enter");
        assert_eq!(h.count("SELECT count(*) FROM contact"), before + 1);
        let kind = h.text("SELECT kind FROM contact ORDER BY id DESC LIMIT 1");
        let minutes = h.count("SELECT minutes FROM contact ORDER BY id DESC LIMIT 1");
        assert_eq!((kind.as_str(), minutes), ("huisbezoek", 45));
    });
}

#[test]
fn another_kind_brings_its_usual_minutes_and_typing_replaces_the_prefilled_number() {
    each_harness(|h| {
        let mut h = with_habits_on(h);
        h.keys("anna<Enter>demo<Enter>/amr<Enter>");
        h.keys("c<Tab>t");
        assert_eq!(form_value(&h, "kind"), "telefoon");
        assert_eq!(form_value(&h, "minutes"), "5", "her usual phone call");
        h.keys("b");
        assert_eq!(form_value(&h, "kind"), "beeldbellen");
        assert_eq!(form_value(&h, "minutes"), "90");
        h.keys("t<Tab>25");
        assert_eq!(
            form_value(&h, "minutes"),
            "25",
            "typed over the prefilled 5"
        );
        // Typed minutes stay when the kind changes afterwards.
        h.keys("<Up>h");
        assert_eq!(form_value(&h, "kind"), "huisbezoek");
        assert_eq!(form_value(&h, "minutes"), "25");
        // An arrow key keeps the prefilled value for editing.
        h.keys("<Esc>j");
        h.keys("c<Tab><Tab><Left>0");
        assert_eq!(form_value(&h, "minutes"), "405");
    });
}

#[test]
fn a_new_user_gets_the_kinds_own_default() {
    each_harness(|mut h| {
        h.sql("DELETE FROM contact;");
        h.keys("anna<Enter>demo<Enter>/amr<Enter>c");
        assert_eq!(form_value(&h, "kind"), "huisbezoek");
        assert_eq!(form_value(&h, "minutes"), "60");
        h.keys("<Tab>t");
        assert_eq!(form_value(&h, "minutes"), "10");
    });
}
