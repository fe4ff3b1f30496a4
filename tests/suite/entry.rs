//! Registration in seconds: every dashboard act as a key script through `update` and the real
//! executor, checking the rows written, the audit rows and the keys pressed against the budget
//! of the design ("Keystroke budgets"). Bad input keeps everything typed and writes nothing.

use crate::support;

use crate::common::fresh_like;
use keukentafel::app::state::{DashboardView, Overlay, Screen};
use support::{Harness, each_harness};

/// Anna at the El Amrani family's kitchen table (Monday 23-11-2026) on `h`'s database.
fn at_the_table_on(mut h: Harness) -> Harness {
    h.keys("anna<Enter>demo<Enter>/amr<Enter>");
    assert_eq!(h.screen_name(), "dashboard");
    h
}

fn view(h: &Harness) -> &DashboardView {
    match &h.app.screen {
        Screen::Dashboard(v) => v,
        _ => panic!("not on the dashboard"),
    }
}

fn household(h: &Harness) -> i64 {
    view(h).data.household.id
}

fn audit_rows(h: &Harness) -> i64 {
    h.count("SELECT count(*) FROM audit_log")
}

/// The texts of the one row `query` gives (NULL as ""), on either backend; the query casts
/// what is not text.
fn texts<const N: usize>(h: &Harness, query: &str) -> [String; N] {
    let row: Vec<String> = h
        .row(query)
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    row.try_into().unwrap_or_else(|r| panic!("{query}: {r:?}"))
}

fn form_error(h: &Harness, field: &str) -> Option<String> {
    match &h.app.overlay {
        Some(Overlay::Form(f)) => f.fields.get(field).and_then(|f| f.error.clone()),
        _ => None,
    }
}

fn form_value(h: &Harness, field: &str) -> String {
    match &h.app.overlay {
        Some(Overlay::Form(f)) => f
            .fields
            .get(field)
            .map(|f| f.typed().to_string())
            .unwrap_or_default(),
        _ => panic!("no form open"),
    }
}

fn usual_kind_and_minutes(h: &Harness) -> Option<(String, u32)> {
    let u = h.app.user.as_ref()?;
    let kind = u.usual_kind()?.to_string();
    let minutes = u.usual_minutes(&kind)?;
    Some((kind, minutes))
}

#[test]
fn a_contact_with_the_usual_defaults_takes_two_keys() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let usual = h.app.user.as_ref().and_then(|u| {
            let kind = u.usual_kind()?.to_string();
            let minutes = u.usual_minutes(&kind)?;
            Some((kind, minutes))
        });
        let contacts = h.count("SELECT count(*) FROM contact");
        let audit = audit_rows(&h);

        let keys = h.keys("c<Enter>");

        assert_eq!(keys, 2, "budget: c, Enter");
        assert!(h.app.overlay.is_none(), "the form closed");
        assert_eq!(h.count("SELECT count(*) FROM contact"), contacts + 1);
        assert_eq!(
            audit_rows(&h),
            audit + 1,
            "one audit row for the write, none for the refresh"
        );
        let [on, kind, minutes, hh] = texts(
        &h,
        "SELECT CAST(contact_on AS TEXT), kind, CAST(minutes AS TEXT), CAST(household_id AS TEXT)
         FROM contact ORDER BY id DESC LIMIT 1",
    );
        let minutes: u32 = minutes.parse().unwrap();
        let hh: i64 = hh.parse().unwrap();
        assert_eq!(on, "2026-11-23");
        assert_eq!(hh, id);
        if let Some((k, m)) = usual {
            assert_eq!(
                (kind.clone(), minutes),
                (k, m),
                "prefilled with what Anna records most often"
            );
        }
        assert!(
            view(&h)
                .data
                .contacts
                .iter()
                .any(|c| c.contact_on.to_string() == "2026-11-23"),
            "the dashboard shows it at once"
        );

        // Choosing another kind once records it, without making it the next default.
        h.keys("c<Tab>t<Tab><C-u>15<Enter>");
        let kind = h.text("SELECT kind FROM contact ORDER BY id DESC LIMIT 1");
        assert_eq!(kind, "telefoon");
        h.keys("c");
        if let Some((k, m)) = usual_kind_and_minutes(&h) {
            assert_ne!(
                k, "telefoon",
                "one phone call does not outweigh the usual visits"
            );
            assert_eq!(form_value(&h, "minutes"), m.to_string());
        }
    });
}

#[test]
fn an_agreement_for_friday_takes_a_text_tab_vr_enter() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let keys = h.keys("a") + h.keys("<Tab>vr<Enter>");
        // Text typed in between is the user's own sentence.
        assert_eq!(keys, 5, "budget: a, Tab, v, r, Enter");
        assert!(form_error(&h, "what").is_some() || h.app.overlay.is_some());

        // A fresh database of the same backend.
        let mut h = at_the_table_on(support::harness_on(fresh_like(&h.db)));
        let before = h.count("SELECT count(*) FROM agreement");
        h.keys("aFatima belt het budgetteam<Tab>vr<Enter>");
        assert!(h.app.overlay.is_none(), "saved and closed");
        assert_eq!(h.count("SELECT count(*) FROM agreement"), before + 1);
        let [what, who, due] = texts(
            &h,
            "SELECT what, who, CAST(due_on AS TEXT) FROM agreement ORDER BY id DESC LIMIT 1",
        );
        assert_eq!(what, "Fatima belt het budgetteam");
        assert_eq!(due, "2026-11-27", "vr is the coming Friday");
        assert_eq!(who, "client", "a member's first name means the client");

        h.keys("aAnna meldt Youssef aan bij de sportclub<Tab>+2w<Enter>");
        let [who, due] = texts(
            &h,
            "SELECT who, CAST(due_on AS TEXT) FROM agreement ORDER BY id DESC LIMIT 1",
        );
        assert_eq!((who.as_str(), due.as_str()), ("professional", "2026-12-07"));
    });
}

#[test]
fn the_whole_zrm_takes_fifteen_keys_and_keeps_previous_scores_with_a_dot() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let person = view(&h).data.members[0].id;
        let previous = h.text(&format!(
            "SELECT scores FROM zrm_assessment WHERE person_id = {person}
         ORDER BY assessed_on DESC, id DESC LIMIT 1"
        ));
        let keys = h.keys("z..3..........<Enter>");
        assert_eq!(keys, 15, "budget: z, 13 domains, Enter");
        let [on, scores] = texts(
            &h,
            &format!(
                "SELECT CAST(assessed_on AS TEXT), scores FROM zrm_assessment
             WHERE person_id = {person} ORDER BY id DESC LIMIT 1"
            ),
        );
        assert_eq!(on, "2026-11-23");
        // The third domain of the catalogue got a 3; every other one kept its previous score.
        let third = &h.app.reference.zrm.domains[2].key;
        let parts = |s: &str| -> Vec<(String, String)> {
            s.split(';')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let now = parts(&scores);
        assert!(now.contains(&(third.clone(), "3".to_string())), "{scores}");
        let others = |v: Vec<(String, String)>| -> Vec<(String, String)> {
            v.into_iter().filter(|(k, _)| k != third).collect()
        };
        assert_eq!(others(parts(&previous)), others(now));
    });
}

#[test]
fn a_flag_is_set_with_two_keys_and_ended_with_a_reason_never_deleted() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let keys = h.keys("fh");
        assert_eq!(keys, 2, "budget: f + letter");
        let active = format!(
            "SELECT count(*) FROM flag WHERE household_id = {id} AND kind = 'huurachterstand' AND ended_on IS NULL"
        );
        assert_eq!(h.count(&active), 1);

        // The same letter again asks why it ends.
        h.keys("fh");
        assert!(
            matches!(h.app.overlay, Some(Overlay::Form(_))),
            "a reason form"
        );
        h.keys("<Enter>");
        assert!(form_error(&h, "reason").is_some(), "a reason is required");
        h.keys("Huur is bijbetaald<Enter>");
        assert_eq!(h.count(&active), 0);
        let all = format!(
            "SELECT count(*) FROM flag WHERE household_id = {id} AND kind = 'huurachterstand'"
        );
        assert_eq!(h.count(&all), 1, "ended, not deleted");
    });
}

#[test]
fn x_marks_the_selected_agreement_done_and_u_undoes_it() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let first = view(&h).data.agreements[0].clone();
        let audit = audit_rows(&h);
        assert_eq!(h.keys("x"), 1);
        let status = |h: &Harness| -> String {
            h.text(&format!(
                "SELECT status FROM agreement WHERE id = {}",
                first.id
            ))
        };
        assert_eq!(status(&h), "done");
        h.keys("u");
        assert_eq!(status(&h), "open", "undo writes the correcting change");
        assert_eq!(audit_rows(&h), audit + 2, "the audit keeps both");
        h.keys("u");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("niets om ongedaan te maken"), "{notice}");
    });
}

#[test]
fn undo_removes_a_contact_recorded_by_mistake_and_the_audit_keeps_both() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let contacts = h.count("SELECT count(*) FROM contact");
        h.keys("c<Enter>u");
        assert_eq!(h.count("SELECT count(*) FROM contact"), contacts);
        assert_eq!(
            h.count(
                "SELECT count(*) FROM audit_log WHERE object = 'contact' AND action = 'delete'"
            ),
            1
        );
    });
}

#[test]
fn goals_and_members_are_added_and_edited() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        h.keys("gFatima heeft overzicht over haar geldzaken<Tab>f<Enter>");
        let goal_row = h.row("SELECT goal, zrm_domain FROM plan_goal ORDER BY id DESC LIMIT 1");
        let (goal, domain) = (goal_row[0].clone().unwrap_or_default(), goal_row[1].clone());
        assert_eq!(goal, "Fatima heeft overzicht over haar geldzaken");
        assert_eq!(domain.as_deref(), Some("financien"));

        let members = view(&h).data.members.len();
        h.keys("mKarim El Amrani<Tab>02-03-1980<Tab>o<Enter>");
        assert_eq!(view(&h).data.members.len(), members + 1);
        let role = h.text("SELECT role FROM person WHERE name = 'Karim El Amrani'");
        assert_eq!(role, "ouder");
    });
}

#[test]
fn a_bsn_failing_the_elfproef_is_refused_next_to_the_field_and_nothing_is_lost() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let people = h.count("SELECT count(*) FROM person");
        h.keys("mNoor El Amrani<Tab>15-06-2020<Tab><Tab>123456788<Enter>");
        let error = form_error(&h, "bsn").expect("a message next to the BSN");
        assert!(error.to_lowercase().contains("elfproef"), "{error}");
        assert_eq!(
            form_value(&h, "name"),
            "Noor El Amrani",
            "the form keeps what was typed"
        );
        assert_eq!(form_value(&h, "bsn"), "123456788");
        assert_eq!(
            h.count("SELECT count(*) FROM person"),
            people,
            "nothing written"
        );
        // Correct it and save.
        h.keys("<BS>2<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", form_error(&h, "bsn"));
        assert_eq!(h.count("SELECT count(*) FROM person"), people + 1);
    });
}

#[test]
fn an_impossible_date_and_an_empty_text_are_refused_and_a_past_date_only_warns() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let agreements = h.count("SELECT count(*) FROM agreement");
        h.keys("a<Tab>31-02<Enter>");
        assert!(form_error(&h, "what").is_some(), "the text is required");
        let due = form_error(&h, "due").expect("31-02 is refused");
        assert!(
            due.contains("31") || due.to_lowercase().contains("februari"),
            "{due}"
        );
        assert_eq!(form_value(&h, "due"), "31-02");
        assert_eq!(h.count("SELECT count(*) FROM agreement"), agreements);

        h.keys("Brief van de gemeente lezen<Tab><C-u>01-11-2026");
        let warning = match &h.app.overlay {
            Some(Overlay::Form(f)) => f.fields.get("due").and_then(|f| f.warning.clone()),
            _ => None,
        };
        assert!(
            warning.is_some_and(|w| w.contains("verleden")),
            "a past date warns"
        );
        h.keys("<Enter>");
        assert_eq!(
            h.count("SELECT count(*) FROM agreement"),
            agreements + 1,
            "but saves"
        );
    });
}

#[test]
fn esc_on_a_changed_form_asks_before_throwing_it_away() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        h.keys("aIets belangrijks<Esc>");
        match &h.app.overlay {
            Some(Overlay::Form(f)) => assert!(f.confirm_discard),
            other => panic!("the form must stay: {other:?}"),
        }
        h.keys("n");
        assert_eq!(
            form_value(&h, "what"),
            "Iets belangrijks",
            "any other key keeps it"
        );
        h.keys("<Esc>j");
        assert!(h.app.overlay.is_none());
        // An unchanged form closes at once.
        h.keys("g<Esc>");
        assert!(h.app.overlay.is_none());
    });
}

#[test]
fn a_save_the_database_refuses_keeps_the_form_and_its_text() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let flag = h.count(&format!(
        "SELECT id FROM flag WHERE household_id = {id} AND kind = 'schuldhulp' AND ended_on IS NULL"
    ));
        h.keys("fsTraject afgerond");
        // Meanwhile a colleague ends the same flag at another workstation.
        h.sql(&format!(
        "UPDATE flag SET ended_on = '2026-11-23', end_reason = 'klaar', ended_by = 1 WHERE id = {flag}"
    ));
        h.keys("<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the form stays open")
        };
        assert!(
            form.error
                .as_deref()
                .is_some_and(|e| e.contains("al beëindigd")),
            "{:?}",
            form.error
        );
        assert_eq!(form_value(&h, "reason"), "Traject afgerond");
    });
}

#[test]
fn a_new_household_warns_about_an_open_household_at_the_same_address() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>");
        let households = h.count("SELECT count(*) FROM household");
        h.keys("nFam. Bakker<Tab>3562JT<Tab>112<Tab>");
        let warning = match &h.app.overlay {
            Some(Overlay::Form(f)) => f.fields.get("number").and_then(|f| f.warning.clone()),
            _ => None,
        };
        assert!(
            warning
                .as_deref()
                .is_some_and(|w| w.contains("Fam. El Amrani")),
            "{warning:?}"
        );
        h.keys("Zamenhofdreef<Tab>Utrecht<Tab>Piet Bakker<Tab>01-01-1970<Enter>");
        assert_eq!(h.screen_name(), "dashboard", "{:?}", h.app.overlay);
        assert_eq!(view(&h).data.household.label, "Fam. Bakker");
        assert_eq!(h.count("SELECT count(*) FROM household"), households + 1);
    });
}

#[test]
fn a_wrong_postcode_is_named_next_to_its_field() {
    each_harness(|mut h| {
        h.keys("anna<Enter>demo<Enter>");
        let households = h.count("SELECT count(*) FROM household");
        h.keys("nFam. Visser<Tab>12345<Tab>");
        assert!(
            form_error(&h, "postcode").is_some(),
            "checked when leaving the field"
        );
        h.keys("<Enter>");
        assert!(form_error(&h, "postcode").is_some());
        assert_eq!(form_value(&h, "label"), "Fam. Visser");
        assert_eq!(h.count("SELECT count(*) FROM household"), households);
    });
}

#[test]
fn samen_kijken_is_an_audited_read_and_esc_returns() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let reads = "SELECT count(*) FROM audit_log WHERE detail = 'samen kijken'";
        h.keys("s");
        assert!(matches!(h.app.overlay, Some(Overlay::Together { .. })));
        assert_eq!(h.count(reads), 1);
        h.keys("<Esc>");
        assert!(h.app.overlay.is_none());
        assert_eq!(h.screen_name(), "dashboard");
    });
}

#[test]
fn the_palette_finds_acts_by_name() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        h.keys(":samn<Enter>");
        assert!(matches!(h.app.overlay, Some(Overlay::Together { .. })));
        h.keys("<Esc>:contact<Enter>");
        assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
        h.keys("<Esc><C-k>regiseur<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("regisseur form")
        };
        assert!(form.title.contains("Regisseur"));
    });
}

#[test]
fn the_regisseur_changes_within_the_team_and_a_closed_household_takes_no_acts() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let before = view(&h).data.household.regisseur_id;
        h.keys("R<Right><Enter>");
        let after = h.count(&format!(
            "SELECT regisseur_id FROM household WHERE id = {id}"
        ));
        assert_ne!(after, before);
        // The new regisseur is of the household's team: a colleague in the team's list.
        let store = h.db.open();
        let beheer = store.authenticate("beheer", "demo", "test").unwrap();
        let team = h.count(&format!("SELECT team_id FROM household WHERE id = {id}"));
        let same_team = store
            .list_users(&beheer)
            .unwrap()
            .into_iter()
            .filter(|u| u.id == after && u.team_id == Some(team))
            .count();
        drop(store);
        assert_eq!(same_team, 1);

        h.keys("KVerhuisd naar Amersfoort<Enter>");
        assert!(
            view(&h).data.household.status != keukentafel::domain::household::HouseholdStatus::Open
        );
        h.keys("c");
        assert!(h.app.overlay.is_none(), "no forms on a closed household");
        h.keys("K");
        assert_eq!(
            view(&h).data.household.status,
            keukentafel::domain::household::HouseholdStatus::Open
        );
    });
}

#[test]
fn a_whole_visit_stays_within_the_design_budget() {
    // The design's visit: samen kijken, a full ZRM, two agreements, a contact and a flag.
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let rows = |h: &Harness| {
            h.count(
                "SELECT (SELECT count(*) FROM zrm_assessment) + (SELECT count(*) FROM agreement)
                  + (SELECT count(*) FROM contact) + (SELECT count(*) FROM flag)",
            )
        };
        let before = rows(&h);
        let sentences = [
            "Fatima belt het budgetteam",
            "Anna meldt Youssef aan bij de sportclub",
        ];
        let script = format!(
            "s<Esc>z..3..........<Enter>a{}<Tab>vr<Enter>a{}<Tab>+2w<Enter>c<Enter>fe",
            sentences[0], sentences[1]
        );
        let typed: usize = sentences.iter().map(|s| s.chars().count()).sum();
        let keys = h.keys(&script) - typed;
        assert_eq!(
            rows(&h),
            before + 5,
            "ZRM, two agreements, a contact and a flag"
        );
        assert!(keys <= 40, "{keys} keys besides the two sentences");
    });
}

#[test]
fn enter_edits_an_agreement_x_cancels_one_with_a_reason_and_undo_restores_an_edit() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let first = view(&h).data.agreements[0].clone();
        let what = |h: &Harness, id: i64| -> (String, String) {
            let [what, status] = texts(
                h,
                &format!("SELECT what, status FROM agreement WHERE id = {id}"),
            );
            (what, status)
        };
        // Tab twice from the ZRM panel to the agreements, Enter edits the selected one.
        h.keys("<Tab><Enter>");
        assert_eq!(
            form_value(&h, "what"),
            first.what,
            "prefilled with its values"
        );
        h.keys("<C-u>Fatima brengt alle brieven mee<Enter>");
        assert_eq!(what(&h, first.id).0, "Fatima brengt alle brieven mee");
        h.keys("u");
        assert_eq!(
            what(&h, first.id).0,
            first.what,
            "undo puts the old text back"
        );

        h.keys("X<Enter>");
        assert!(
            form_error(&h, "reason").is_some(),
            "cancelling needs a reason"
        );
        h.keys("Niet meer nodig<Enter>");
        assert_eq!(what(&h, first.id).1, "cancelled");
    });
}

#[test]
fn e_edits_the_selected_member_and_a_goal_is_edited_with_enter() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let fatima = view(&h).data.members[0].clone();
        h.keys("<S-Tab>e");
        assert_eq!(form_value(&h, "name"), fatima.name);
        h.keys("<Tab><Tab><Tab><Tab><C-u>06 98765432<Enter>");
        let phone = h.text(&format!(
            "SELECT phone FROM person WHERE id = {}",
            fatima.id
        ));
        assert!(phone.ends_with("98765432"), "{phone}");

        // Goals: Tab to the plan panel (members → zrm → agreements → flags → goals), Enter edits.
        let goal = view(&h).data.goals[0].clone();
        h.keys("<Tab><Tab><Tab><Tab><Enter><Tab><Tab>b<Enter>");
        let status = h.text(&format!(
            "SELECT status FROM plan_goal WHERE id = {}",
            goal.id
        ));
        assert_eq!(status, "bereikt");
    });
}

#[test]
fn backoffice_sees_the_administrative_dashboard_and_may_keep_members_only() {
    each_harness(|mut h| {
        h.keys("carla<Enter>demo<Enter><Esc>/amr<Enter>");
        assert_eq!(h.screen_name(), "dashboard");
        let screen = support::render(&h.app, 120, 40);
        assert!(screen.contains("Geen toegang tot inhoud"), "{screen}");
        assert!(
            !screen.contains("Schuldhulptraject"),
            "no flags for backoffice:\n{screen}"
        );
        assert!(
            screen.contains("Fatima El Amrani"),
            "members are administrative data"
        );
        let contacts = h.count("SELECT count(*) FROM contact");
        h.keys("c");
        assert!(h.app.overlay.is_none(), "no contact form");
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("administratieve gegevens"), "{notice}");
        h.keys("s");
        assert!(h.app.overlay.is_none(), "no samen kijken");
        assert_eq!(h.count("SELECT count(*) FROM contact"), contacts);
        // Members are hers to keep: edit Fatima's phone.
        h.keys("<S-Tab>e<Tab><Tab><Tab><Tab><C-u>06 11112222<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        let phone = h.text("SELECT phone FROM person WHERE name = 'Fatima El Amrani'");
        assert!(phone.ends_with("11112222"), "{phone}");
    });
}

#[test]
fn v_requests_a_provision_with_a_contracted_provider_and_explains_bad_values() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        h.sql(
        "INSERT INTO provider (name, agb_code, created_at) VALUES ('Zorg op Maat Test', '12345670', '2026-01-01T00:00:00Z');
         INSERT INTO contract (provider_id, product_code, tariff_cents, unit, valid_from)
         SELECT id, '02A05', 6250, 'uur', '2026-01-01' FROM provider WHERE agb_code = '12345670';",
    );
        let before = h.count("SELECT count(*) FROM provision");
        h.keys("v");
        assert!(
            matches!(h.app.overlay, Some(Overlay::Form(_))),
            "{:?}",
            h.app.notice
        );
        // member, law, product: four to the right is 02A05 (Begeleiding bij financiën).
        h.keys("<Tab><Tab><Right><Right><Right><Right><Tab><Right><Tab><Tab>31-05-2026<Enter>");
        assert!(form_error(&h, "end").is_some(), "an end before the start");
        assert!(form_error(&h, "volume").is_some(), "a volume is needed");
        assert_eq!(h.count("SELECT count(*) FROM provision"), before);
        h.keys("<C-u>31-05-2027<Tab>3<Enter>");
        assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
        let row = h.row(
            "SELECT product_code, CAST(provider_id AS TEXT), unit, frequency,
                CASE WHEN eigen_bijdrage THEN 'ja' ELSE 'nee' END, status
         FROM provision ORDER BY id DESC LIMIT 1",
        );
        let text = |i: usize| row[i].as_deref().unwrap_or_default();
        assert_eq!(text(0), "02A05");
        assert!(row[1].is_some(), "the contracted provider");
        assert_eq!((text(2), text(3)), ("uur", "per_week"));
        assert_eq!((text(4), text(5)), ("ja", "aangevraagd"));
        assert_eq!(
            view(&h).data.provisions.len(),
            1,
            "on the dashboard at once"
        );
    });
}

#[test]
fn p_makes_the_one_page_fridge_plan_and_keeps_it_privately() {
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let id = household(&h);
        let reads = "SELECT count(*) FROM audit_log WHERE detail = 'plan'";
        assert_eq!(h.keys("p"), 1);
        let notice = h
            .app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("bewaard in"), "{notice}");
        let path = h
            .dir()
            .join("uitvoer")
            .join("plannen")
            .join(format!("plan-{id}-2026-11-23.pdf"));
        let pdf = std::fs::read(&path).expect("the plan is kept in the output folder");
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(h.count(reads), 1, "an audited read");
    });
}

/// Two people on one household: Fenna changes an agreement while Anna has it open in the
/// edit form. Anna's save is refused with who and when; her text stays in the form, the
/// dashboard shows Fenna's version, and saving again replaces it deliberately.
#[test]
fn an_edit_of_an_agreement_a_colleague_changed_meanwhile_is_refused_and_keeps_the_typing() {
    use keukentafel::model::changes::Change;
    each_harness(|h| {
        let mut h = at_the_table_on(h);
        let household_id = household(&h);
        let first = view(&h).data.agreements[0].clone();
        h.keys("<Tab><Enter>");
        assert_eq!(form_value(&h, "what"), first.what);
        h.keys("<C-u>Anna belt de woningcorporatie");

        // Meanwhile, at another workstation.
        let mut colleague = h.db.open();
        let fenna = colleague
            .authenticate("fenna", "demo", "werkplek-2")
            .unwrap();
        let fields = keukentafel::domain::agreement::AgreementFields::new(
            "Fatima belt zelf de corporatie",
            first.who,
            first.due_on,
            first.formal,
            first.zrm_domain.clone(),
        )
        .unwrap();
        colleague
            .apply(
                &fenna,
                household_id,
                &Change::EditAgreement {
                    id: first.id,
                    version: first.version,
                    fields: fields.clone(),
                },
            )
            .unwrap();

        h.keys("<Enter>");
        let Some(Overlay::Form(form)) = &h.app.overlay else {
            panic!("the form must stay open");
        };
        let error = form.error.clone().unwrap_or_default();
        assert!(
            error.contains("intussen gewijzigd door Fenna Bakker"),
            "{error}"
        );
        assert_eq!(form_value(&h, "what"), "Anna belt de woningcorporatie");
        let shown = view(&h)
            .data
            .agreements
            .iter()
            .find(|a| a.id == first.id)
            .unwrap()
            .clone();
        assert_eq!(
            shown.what, "Fatima belt zelf de corporatie",
            "the new version is shown"
        );
        let stored = |h: &Harness| -> String {
            h.text(&format!(
                "SELECT what FROM agreement WHERE id = {}",
                first.id
            ))
        };
        assert_eq!(
            stored(&h),
            "Fatima belt zelf de corporatie",
            "nothing of Anna's saved"
        );

        // Having seen Fenna's version, Anna saves again: now it replaces it.
        h.keys("<Enter>");
        assert!(h.app.overlay.is_none(), "saved");
        assert_eq!(stored(&h), "Anna belt de woningcorporatie");
    });
}
