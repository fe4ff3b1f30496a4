//! The single-key acts of the dashboard (`c`, `a`, `z`, `f`, `x`, `u`, …) and the keys of the
//! overlays they open. Every act that writes ends in one [`Effect::Apply`].

use crossterm::event::{KeyCode, KeyEvent};

use super::forms::{self, Env, Form, FormKind, Submit};
use super::keymap::{Action, Context, Typing};
use super::state::{App, DashboardView, Notice, NoticeKind, Overlay, Panel, Screen, UndoEntry};
use super::update::Effect;
use super::zrm_grid::{GridKey, ZrmGrid};
use crate::auth::policy::Operation;
use crate::domain::household::HouseholdStatus;
use crate::i18n::Lang;
use crate::model::changes::{Applied, Change};
use crate::model::dashboard::Dashboard;

/// The environment forms need, from the app.
pub(super) fn env(app: &App) -> Env<'_> {
    let dashboard = match &app.screen {
        Screen::Dashboard(view) => Some(&*view.data),
        _ => None,
    };
    Env {
        lang: app.lang,
        today: app.today,
        reference: &app.reference,
        dashboard,
        user: app.user.as_ref(),
    }
}

fn view(app: &App) -> Option<&DashboardView> {
    match &app.screen {
        Screen::Dashboard(view) => Some(view),
        _ => None,
    }
}

fn info(app: &mut App, nl: &str, en: &str) -> Vec<Effect> {
    let text = app.t(nl, en).to_string();
    app.notice = Some(Notice {
        text,
        kind: NoticeKind::Info,
    });
    Vec::new()
}

/// Whether `action` writes to the household (refused while it is closed).
fn writes(action: Action) -> bool {
    matches!(
        action,
        Action::Contact
            | Action::Agreement
            | Action::Done
            | Action::CancelAgreement
            | Action::Zrm
            | Action::Flag
            | Action::Goal
            | Action::Member
            | Action::Edit
            | Action::Regisseur
            | Action::Provision
    )
}

/// Runs a dashboard act; `None` when `action` is not one (navigation is handled elsewhere).
pub(super) fn dashboard_act(app: &mut App, action: Action) -> Option<Vec<Effect>> {
    let v = view(app)?;
    let household_id = v.data.household.id;
    let closed = matches!(v.data.household.status, HouseholdStatus::Closed { .. });
    let agreement = v.data.agreements.get(v.row(Panel::Agreements)).cloned();
    let member = v.data.members.get(v.member).cloned();
    let goal = v.data.goals.get(v.row(Panel::Goals)).cloned();
    let flag = v.data.flags.get(v.row(Panel::Flags)).cloned();
    let panel = v.panel;
    let member_index = v.member;
    let restricted = v.data.access.is_restricted();
    let administrative = matches!(
        action,
        Action::Member | Action::NewHousehold | Action::Provision
    ) || (action == Action::Edit && panel == Panel::Members);
    if restricted
        && (writes(action) || matches!(action, Action::Together | Action::Plan))
        && !administrative
    {
        info(
            app,
            "Je rol ziet en wijzigt alleen de administratieve gegevens van dit huishouden.",
            "Your role sees and changes only this household's administrative data.",
        );
        // Audited as the CLI's attempt would be.
        let operation = match action {
            Action::Together => Operation::ReadHousehold,
            Action::Plan => Operation::ExportHousehold,
            _ => Operation::WriteHousehold,
        };
        return Some(vec![Effect::RecordRefusal {
            household_id,
            operation,
        }]);
    }
    let edits =
        action == Action::Open && matches!(panel, Panel::Agreements | Panel::Goals | Panel::Flags);
    if closed && (writes(action) || edits) {
        return Some(info(
            app,
            "Dit huishouden is afgesloten. Heropen het eerst (K).",
            "This household is closed. Reopen it first (K).",
        ));
    }
    let open = |app: &mut App, form: Form| {
        app.overlay = Some(Overlay::Form(form));
        Vec::new()
    };
    let effects = match action {
        Action::Contact => open(app, forms::contact(env(app))),
        Action::Agreement => open(app, forms::agreement(env(app), None)),
        Action::Goal => open(app, forms::goal(env(app), None)),
        Action::Member => open(app, forms::member(env(app), None)),
        Action::NewHousehold => open(app, forms::new_household(env(app))),
        Action::Edit | Action::Open => match panel {
            Panel::Members if action == Action::Edit => {
                open(app, forms::member(env(app), member.as_ref()))
            }
            Panel::Agreements => match agreement {
                Some(a) if a.status.code() == "open" => {
                    open(app, forms::agreement(env(app), Some(&a)))
                }
                Some(_) => info(
                    app,
                    "Deze afspraak is niet meer open.",
                    "This agreement is no longer open.",
                ),
                None => Vec::new(),
            },
            Panel::Goals => match goal {
                Some(g) => open(app, forms::goal(env(app), Some(&g))),
                None => Vec::new(),
            },
            Panel::Flags => match flag {
                Some(f) if f.is_active() => {
                    let name = flag_name(app, &f.kind);
                    open(app, forms::end_flag(env(app), f.id, &name))
                }
                _ => Vec::new(),
            },
            _ => return None,
        },
        Action::Done => match agreement {
            Some(a) if a.status.code() == "open" => apply(
                household_id,
                Change::CompleteAgreement {
                    id: a.id,
                    on: app.today,
                },
            ),
            Some(_) => info(
                app,
                "Deze afspraak is niet meer open.",
                "This agreement is no longer open.",
            ),
            None => info(
                app,
                "Er is geen afspraak gekozen.",
                "No agreement selected.",
            ),
        },
        Action::CancelAgreement => match agreement {
            Some(a) if a.status.code() == "open" => {
                open(app, forms::cancel_agreement(env(app), &a))
            }
            _ => info(
                app,
                "Kies eerst een open afspraak.",
                "Select an open agreement first.",
            ),
        },
        Action::Zrm => match member {
            Some(p) => {
                let history: Vec<_> = view(app)
                    .map(|v| {
                        v.data
                            .assessments
                            .iter()
                            .filter(|a| a.person_id == p.id)
                            .collect()
                    })
                    .unwrap_or_default();
                let grid = ZrmGrid::new(&app.reference.zrm, p.id, &p.name, &history);
                app.overlay = Some(Overlay::Zrm(grid));
                Vec::new()
            }
            None => info(
                app,
                "Voeg eerst een gezinslid toe (m).",
                "Add a member first (m).",
            ),
        },
        Action::Flag => {
            app.overlay = Some(Overlay::Flags(0));
            Vec::new()
        }
        Action::Together => {
            app.overlay = Some(Overlay::Together {
                member: member_index,
                scroll: 0,
            });
            vec![Effect::RecordTogether(household_id)]
        }
        Action::Undo => undo(app, household_id),
        Action::Regisseur => vec![Effect::LoadRegisseurs],
        Action::Provision => vec![Effect::LoadOffers],
        Action::CloseHousehold if closed => apply(household_id, Change::Reopen),
        Action::CloseHousehold => open(app, forms::close(env(app))),
        Action::Plan => vec![Effect::Plan(household_id)],
        _ => return None,
    };
    Some(effects)
}

fn apply(household_id: i64, change: Change) -> Vec<Effect> {
    vec![Effect::Apply {
        household_id,
        change,
    }]
}

fn flag_name(app: &App, kind: &str) -> String {
    app.reference
        .flags
        .by_key(kind)
        .map_or_else(|| kind.to_string(), |k| k.name.clone())
}

fn undo(app: &mut App, household_id: i64) -> Vec<Effect> {
    match app.undo.last() {
        None => info(
            app,
            "Er is in deze sessie nog niets om ongedaan te maken.",
            "Nothing to undo in this session yet.",
        ),
        Some(entry) if entry.household_id != household_id => info(
            app,
            "De laatste wijziging was bij een ander huishouden; open dat om haar ongedaan te maken.",
            "The last change was in another household; open it to undo the change.",
        ),
        // Taken off the list only once the correcting change is saved (see `applied`).
        Some(entry) => apply(household_id, Change::Undo(entry.undo.clone())),
    }
}

/// Keys while an overlay is open.
pub(super) fn overlay_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    let (overlay, effects) = match overlay {
        Overlay::Form(form) => form_key(app, form, key),
        Overlay::Zrm(grid) => zrm_key(app, grid, key),
        Overlay::Flags(selected) => flags_key(app, selected, key),
        Overlay::Together { member, scroll } => {
            let n = view(app).map_or(1, |v| v.data.members.len().max(1));
            let (member, scroll) = match app.keymap.action(Context::Together, key, Typing::No) {
                Some(Action::Back) => return Vec::new(),
                Some(Action::NextMember) => ((member + 1) % n, 0),
                Some(Action::PrevMember) => ((member + n - 1) % n, 0),
                Some(Action::Down) => (member, scroll.saturating_add(1).min(200)),
                Some(Action::Up) => (member, scroll.saturating_sub(1)),
                _ => (member, scroll),
            };
            (Some(Overlay::Together { member, scroll }), Vec::new())
        }
    };
    app.overlay = overlay;
    effects
}

/// `j`/`y`/Esc confirms throwing a changed form away; any other key goes back to it.
fn discard_confirmed(key: &KeyEvent) -> bool {
    matches!(
        key.code,
        KeyCode::Char('j' | 'J' | 'y' | 'Y') | KeyCode::Esc
    )
}

fn form_key(app: &mut App, mut form: Form, key: &KeyEvent) -> (Option<Overlay>, Vec<Effect>) {
    if form.confirm_discard {
        if discard_confirmed(key) {
            return (None, Vec::new());
        }
        form.confirm_discard = false;
        return (Some(Overlay::Form(form)), Vec::new());
    }
    let mut effects = Vec::new();
    let action = app.keymap.action(Context::Form, key, Typing::Yes);
    if form.confirming && action != Some(Action::Save) {
        // Any other key goes back to the fields; Esc only that.
        form.confirming = false;
        if action == Some(Action::Back) {
            return (Some(Overlay::Form(form)), Vec::new());
        }
    }
    match action {
        Some(Action::Back) => {
            if form.fields.changed() {
                form.confirm_discard = true;
            } else {
                return (None, Vec::new());
            }
        }
        Some(Action::Save) if !form.saving => {
            form.error = None;
            // A bulk action first shows what it will do and waits for a second Enter.
            if matches!(form.kind, FormKind::Bulk { .. }) && !form.confirming {
                if forms::submit(&mut form, env(app)).is_some() {
                    form.confirming = true;
                }
                return (Some(Overlay::Form(form)), Vec::new());
            }
            if let Some(submit) = forms::submit(&mut form, env(app)) {
                form.confirming = false;
                form.saving = true;
                form.progress = None;
                effects.push(match submit {
                    Submit::Change(change) => match view(app) {
                        Some(v) => Effect::Apply {
                            household_id: v.data.household.id,
                            change,
                        },
                        None => return (Some(Overlay::Form(form)), Vec::new()),
                    },
                    Submit::Bulk { ids, action } => Effect::Bulk { ids, action },
                    Submit::GrantRequest(id) => Effect::GrantRequest(id),
                    Submit::RefuseRequest { id, reason } => Effect::RefuseRequest { id, reason },
                    Submit::ImportMessages(files) => Effect::ImportMessages(files),
                    Submit::Provider { name, agb, contact } => {
                        Effect::AddProvider { name, agb, contact }
                    }
                    Submit::Contract {
                        provider_id,
                        fields,
                    } => Effect::AddContract {
                        provider_id,
                        fields,
                    },
                    Submit::NewHousehold {
                        label,
                        address,
                        first,
                    } => Effect::CreateHousehold {
                        label,
                        address,
                        first,
                    },
                });
            }
        }
        Some(action @ (Action::NextField | Action::PrevField)) => {
            let leaving = form.fields.focused().map(|f| f.key);
            if let Some(key) = leaving {
                forms::check_field(&mut form, env(app), key);
                if form.kind == FormKind::NewHousehold && matches!(key, "postcode" | "number") {
                    effects.extend(address_check(&form));
                }
            }
            form.fields.move_focus(action == Action::NextField);
        }
        _ => {
            if form.fields.edit(key) {
                forms::refresh(&mut form, env(app));
            }
        }
    }
    (Some(Overlay::Form(form)), effects)
}

/// Asks whether an open household already lives at the typed address, once both parts are valid.
fn address_check(form: &Form) -> Option<Effect> {
    let postcode = form.fields.value("postcode");
    let number = form.fields.value("number");
    let valid = crate::domain::postcode::Postcode::parse(postcode).is_ok()
        && crate::domain::address::HouseNumber::parse(number).is_ok();
    valid.then(|| Effect::CheckAddress {
        postcode: postcode.to_string(),
        number: number.to_string(),
    })
}

fn zrm_key(app: &mut App, mut grid: ZrmGrid, key: &KeyEvent) -> (Option<Overlay>, Vec<Effect>) {
    if grid.confirm_discard {
        if discard_confirmed(key) {
            return (None, Vec::new());
        }
        grid.confirm_discard = false;
        return (Some(Overlay::Zrm(grid)), Vec::new());
    }
    let mut effects = Vec::new();
    match app.keymap.action(Context::ZrmGrid, key, Typing::No) {
        Some(Action::Back) if grid.changed() => grid.confirm_discard = true,
        Some(Action::Back) => return (None, Vec::new()),
        Some(Action::Save) if !grid.saving => {
            if let Some(v) = view(app) {
                grid.saving = true;
                grid.error = None;
                effects.push(Effect::Apply {
                    household_id: v.data.household.id,
                    change: grid.change(app.today),
                });
            }
        }
        Some(Action::Down) => grid.move_cursor(true),
        Some(Action::Up) => grid.move_cursor(false),
        _ => {
            let c = match key.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            };
            if grid.key(c, key.code == KeyCode::Backspace) == GridKey::Ignored {
                grid.error = Some(
                    app.t(
                        "Typ 1–5 voor een score, . om de vorige te houden, 0 of - voor niet gescoord.",
                        "Type 1–5 for a score, . to keep the previous one, 0 or - for not scored.",
                    )
                    .to_string(),
                );
            }
        }
    }
    (Some(Overlay::Zrm(grid)), effects)
}

fn flags_key(app: &mut App, selected: usize, key: &KeyEvent) -> (Option<Overlay>, Vec<Effect>) {
    let kinds = app.reference.flags.flags().to_vec();
    let stay = |s: usize| (Some(Overlay::Flags(s)), Vec::new());
    let chosen = match app.keymap.action(Context::Flags, key, Typing::No) {
        Some(Action::Back) => return (None, Vec::new()),
        Some(Action::Down) => return stay((selected + 1).min(kinds.len().saturating_sub(1))),
        Some(Action::Up) => return stay(selected.saturating_sub(1)),
        Some(Action::Open) => kinds.get(selected),
        _ => match key.code {
            KeyCode::Char(c) => match app.reference.flags.by_mnemonic(c) {
                Some(kind) => Some(kind),
                None => {
                    info(
                        app,
                        "Geen signaal met die letter; de letters staan in de lijst.",
                        "No flag has that letter; the letters are in the list.",
                    );
                    return stay(selected);
                }
            },
            _ => return stay(selected),
        },
    };
    let (Some(kind), Some(v)) = (chosen, view(app)) else {
        return stay(selected);
    };
    let household_id = v.data.household.id;
    let active = v
        .data
        .flags
        .iter()
        .find(|f| f.kind == kind.key && f.is_active())
        .map(|f| f.id);
    match active {
        Some(id) => {
            let form = forms::end_flag(env(app), id, &kind.name);
            (Some(Overlay::Form(form)), Vec::new())
        }
        None => (
            None,
            apply(
                household_id,
                Change::SetFlag {
                    kind: kind.key.clone(),
                    since: app.today,
                },
            ),
        ),
    }
}

/// What a change was, for messages and the undo list.
pub(super) fn describe(change: &Change, lang: Lang) -> &'static str {
    let (nl, en) = match change {
        Change::Contact(_) => ("contactmoment", "contact"),
        Change::AddAgreement(_) => ("afspraak", "agreement"),
        Change::EditAgreement { .. } => ("afspraak gewijzigd", "agreement changed"),
        Change::CompleteAgreement { .. } => ("afspraak gedaan", "agreement done"),
        Change::CancelAgreement { .. } => ("afspraak geannuleerd", "agreement cancelled"),
        Change::Zrm { .. } => ("ZRM-scores", "ZRM scores"),
        Change::SetFlag { .. } => ("signaal gezet", "flag set"),
        Change::EndFlag { .. } => ("signaal beëindigd", "flag ended"),
        Change::AddGoal(_) => ("doel", "goal"),
        Change::EditGoal { .. } => ("doel gewijzigd", "goal changed"),
        Change::AddMember(_) => ("gezinslid", "member"),
        Change::EditMember { .. } => ("gezinslid gewijzigd", "member changed"),
        Change::Close { .. } => ("huishouden afgesloten", "household closed"),
        Change::Reopen => ("huishouden heropend", "household reopened"),
        Change::Regisseur(_) => ("regisseur gewijzigd", "regisseur changed"),
        Change::RequestProvision(_) => ("voorziening aangevraagd", "provision requested"),
        Change::Undo(_) => ("ongedaan gemaakt", "undone"),
    };
    if lang == Lang::Nl { nl } else { en }
}

/// The answer to [`Effect::Apply`].
pub(super) fn applied(
    app: &mut App,
    household_id: i64,
    change: Change,
    result: Result<Box<Applied>, String>,
) {
    let applied = match result {
        Ok(applied) => applied,
        Err(message) => {
            save_failed(app, message);
            return;
        }
    };
    let Applied {
        dashboard, undo, ..
    } = *applied;
    if let Change::Undo(done) = &change
        && app.undo.last().is_some_and(|e| &e.undo == done)
    {
        app.undo.pop();
    }
    if let (Screen::Dashboard(view), Some(dashboard)) = (&mut app.screen, dashboard)
        && view.data.household.id == household_id
    {
        refresh_view(view, dashboard);
    }
    if matches!(app.overlay, Some(Overlay::Form(_) | Overlay::Zrm(_))) {
        app.overlay = None;
    }
    if let (Change::Contact(c), Some(user)) = (&change, &mut app.user) {
        user.recorded_contact(&c.kind, c.minutes);
    }
    let what = describe(&change, app.lang);
    let text = match undo {
        Some(undo) => {
            app.undo.push(UndoEntry {
                household_id,
                undo,
                what: what.to_string(),
            });
            match app.lang {
                Lang::Nl => format!("Opgeslagen: {what}. (u maakt ongedaan)"),
                Lang::En => format!("Saved: {what}. (u undoes)"),
            }
        }
        None => match app.lang {
            Lang::Nl => "Ongedaan gemaakt; het auditlog bewaart beide.".to_string(),
            Lang::En => "Undone; the audit log keeps both.".to_string(),
        },
    };
    app.notice = Some(Notice {
        text,
        kind: NoticeKind::Info,
    });
}

/// A save failed: the form or grid that asked for it stays open with everything typed and the
/// reason in it; without one, the reason goes to the status line.
/// A colleague changed the record after it was shown: the dashboard shows the new version,
/// the form keeps what was typed with the message beside it, and now names the new version, so
/// that saving again replaces it deliberately.
pub(super) fn conflict(
    app: &mut App,
    household_id: i64,
    message: String,
    dashboard: Option<Box<Dashboard>>,
) {
    if let Some(dashboard) = dashboard {
        if let Some(Overlay::Form(form)) = &mut app.overlay {
            let now = match &form.kind {
                FormKind::Agreement(Some(e)) => dashboard
                    .agreements
                    .iter()
                    .find(|a| a.id == e.id)
                    .map(|a| a.version),
                FormKind::Goal(Some(e)) => dashboard
                    .goals
                    .iter()
                    .find(|g| g.id == e.id)
                    .map(|g| g.version),
                FormKind::Member(Some(e)) => dashboard
                    .members
                    .iter()
                    .find(|p| p.id == e.id)
                    .map(|p| p.version),
                _ => None,
            };
            if let (
                Some(version),
                FormKind::Agreement(Some(e)) | FormKind::Goal(Some(e)) | FormKind::Member(Some(e)),
            ) = (now, &mut form.kind)
            {
                e.version = version;
            }
        }
        if let Screen::Dashboard(view) = &mut app.screen
            && view.data.household.id == household_id
        {
            refresh_view(view, *dashboard);
        }
    }
    save_failed(app, message);
}

pub(super) fn save_failed(app: &mut App, message: String) {
    match &mut app.overlay {
        Some(Overlay::Form(form)) if form.saving => {
            form.saving = false;
            form.error = Some(message);
        }
        Some(Overlay::Zrm(grid)) if grid.saving => {
            grid.saving = false;
            grid.error = Some(message);
        }
        _ => {
            app.notice = Some(Notice {
                text: message,
                kind: NoticeKind::Error,
            })
        }
    }
}

/// Puts fresh data into the dashboard, keeping the selections where they still fit.
fn refresh_view(view: &mut DashboardView, dashboard: Dashboard) {
    *view.data = dashboard;
    for (i, panel) in Panel::ALL.iter().enumerate() {
        let len = view.len(*panel);
        if let Some(row) = view.rows.get_mut(i) {
            *row = (*row).min(len.saturating_sub(1));
        }
    }
    view.member = view.member.min(view.data.members.len().saturating_sub(1));
}
