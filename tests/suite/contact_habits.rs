//! Contacts as people record them: `c` prefills the kind and minutes this user records most
//! often (not whatever row is newest), another kind brings its usual minutes, and typing into
//! the prefilled minutes replaces them. The usual visit stays `c` `Enter`.

use crate::support;

use keukentafel::app::state::Overlay;
use support::{Harness, harness};

fn form_value(h: &Harness, field: &str) -> String {
    match &h.app.overlay {
        Some(Overlay::Form(f)) => f.fields.value(field).to_string(),
        _ => panic!("no form open"),
    }
}

/// Anna's history: mostly home visits of 45 minutes, phone calls of 5 minutes, and as her newest
/// row one long video call (which must not become the default).
fn with_habits() -> Harness {
    let h = harness();
    h.raw()
        .execute_batch(
            "DELETE FROM contact;
             INSERT INTO contact (household_id, contact_on, kind, minutes, recorded_by, recorded_at)
             SELECT (SELECT min(id) FROM household), '2026-11-0' || n, kind, minutes,
                    (SELECT id FROM user WHERE username = 'anna'), '2026-11-01T09:00:00Z'
             FROM (SELECT 1 AS n, 'huisbezoek' AS kind, 45 AS minutes UNION ALL
                   SELECT 2, 'telefoon', 5 UNION ALL SELECT 3, 'huisbezoek', 45 UNION ALL
                   SELECT 4, 'telefoon', 5 UNION ALL SELECT 5, 'huisbezoek', 45 UNION ALL
                   SELECT 6, 'telefoon', 20 UNION ALL SELECT 7, 'huisbezoek', 60 UNION ALL
                   SELECT 8, 'beeldbellen', 90)
             ORDER BY n;",
        )
        .unwrap();
    h
}

#[test]
fn c_prefills_the_kind_and_minutes_this_user_records_most_often() {
    let mut h = with_habits();
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
    let (kind, minutes): (String, u32) = h
        .raw()
        .query_row(
            "SELECT kind, minutes FROM contact ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), minutes), ("huisbezoek", 45));
}

#[test]
fn another_kind_brings_its_usual_minutes_and_typing_replaces_the_prefilled_number() {
    let mut h = with_habits();
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
}

#[test]
fn a_new_user_gets_the_kinds_own_default() {
    let mut h = harness();
    h.raw().execute_batch("DELETE FROM contact;").unwrap();
    h.keys("anna<Enter>demo<Enter>/amr<Enter>c");
    assert_eq!(form_value(&h, "kind"), "huisbezoek");
    assert_eq!(form_value(&h, "minutes"), "60");
    h.keys("<Tab>t");
    assert_eq!(form_value(&h, "minutes"), "10");
}
