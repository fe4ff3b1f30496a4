//! `update(app, msg) -> effects`: the pure heart of the terminal app. It never touches the
//! database, the clock or the terminal; it says what should happen (an [`Effect`]) and the
//! executor does it and answers with a [`Msg`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::acts;
pub use super::effect::Effect;
use super::keymap::{Action, Context, Typing};
use super::layers::{self, Handled, Input};
pub use super::msg::{Msg, PlanMade};
use super::navigation::{
    Step, list_len, on_dashboard_key, on_finder_key, on_home_key, on_login_key,
};
use super::palette::Palette;
use super::reports::{self, ReportsAction, ReportsView};
use super::session::{self, lock};
use super::state::{
    App, DashboardView, FinderView, HomeView, LoginField, Notice, NoticeKind, Overlay, Panel,
    Screen,
};
use super::text_input::TextInput;
use super::worklist::{self, WorklistStep, WorklistView};
use crate::model::home::HomeData;

/// How many finder results are asked for.
pub const FINDER_LIMIT: usize = 50;

/// Applies `msg` to `app` and returns the effects to run. A notice left from before belongs
/// to the screen it was given on: moving to another screen clears it (a notice the move
/// itself gives, or a settings warning, stays).
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let place = where_(app);
    let notice = app.notice.clone();
    // The notice that a draft is back belongs to the household it opens.
    let draft_opens = app.pending_draft.is_some() && matches!(msg, Msg::Opened(_));
    let effects = handle(app, msg);
    if !draft_opens
        && where_(app) != place
        && app.notice == notice
        && app
            .notice
            .as_ref()
            .is_some_and(|n| n.kind != NoticeKind::Warning)
    {
        app.notice = None;
    }
    effects
}

/// Which screen the user is on, as far as notices go: the screen, and which household or list.
fn where_(app: &App) -> (std::mem::Discriminant<Screen>, i64) {
    let which = match &app.screen {
        Screen::Dashboard(v) => v.data.household.id,
        Screen::Worklist { view, .. } => view.list as i64,
        _ => 0,
    };
    (std::mem::discriminant(&app.screen), which)
}

fn handle(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            app.idle.touch();
            layers::dispatch(app, Input::Key(&key))
        }
        Msg::Paste(text) => {
            app.idle.touch();
            layers::dispatch(app, Input::Paste(&text))
        }
        Msg::Resize(width, height) => {
            app.size = Some((width, height));
            Vec::new()
        }
        Msg::LoggedIn(Ok(user)) => session::logged_in(app, user),
        Msg::LoggedIn(Err(message)) => {
            if let Screen::Login(form) = &mut app.screen {
                form.password.clear();
                form.focus = LoginField::Password;
                form.error = Some(message);
            }
            Vec::new()
        }
        Msg::HomeLoaded(result) => {
            match (result, &mut app.screen) {
                (Ok(mut data), Screen::Home(home)) => {
                    // This week's agreements first, the overdue ones after them as a group.
                    let today = app.today;
                    data.agreements
                        .sort_by_key(|a| (a.due_on < today, a.due_on, a.id));
                    home.selected = home
                        .selected
                        .min(list_len(&data, home.panel).saturating_sub(1));
                    home.data = Some(data);
                }
                (Err(e), screen) => {
                    // Show empty lists rather than "Laden…" forever; the reason is in the notice.
                    if let Screen::Home(home) = screen {
                        home.data = Some(HomeData::default());
                    }
                    app.notice = Some(error(e));
                }
                _ => {}
            }
            Vec::new()
        }
        Msg::Found { seq, query, hits } => {
            if let Screen::Finder(f) = &mut app.screen
                && f.seq == seq
            {
                match hits {
                    Ok(hits) => {
                        f.hits = hits;
                        f.searched = query;
                        f.selected = 0;
                    }
                    Err(e) => app.notice = Some(error(e)),
                }
            }
            Vec::new()
        }
        Msg::Opened(Ok(data)) => {
            let back = match std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading())) {
                Screen::Finder(f) => f.back,
                other => Box::new(other),
            };
            // One household at a time: opening another from a dashboard returns to where that
            // dashboard came from, so the back chain never grows.
            let back = match *back {
                Screen::Dashboard(previous) => previous.back,
                other => Box::new(other),
            };
            let id = data.household.id;
            app.screen = Screen::Dashboard(DashboardView {
                data,
                member: 0,
                panel: Panel::Zrm,
                rows: [0; 7],
                back,
            });
            session::restore_draft(app, id);
            Vec::new()
        }
        Msg::Opened(Err(e)) => {
            session::keep_pending_draft(app);
            app.notice = Some(error(e));
            Vec::new()
        }
        Msg::IdleTimeout => lock(app),
        Msg::Tick(now) => {
            if app.idle.expired(now) {
                lock(app)
            } else {
                Vec::new()
            }
        }
        Msg::Today(date) => {
            app.today = date;
            Vec::new()
        }
        Msg::Applied {
            household_id,
            change,
            result,
        } => {
            acts::applied(app, household_id, change, result);
            Vec::new()
        }
        Msg::Conflict {
            household_id,
            message,
            dashboard,
        } => {
            acts::conflict(app, household_id, message, dashboard);
            Vec::new()
        }
        Msg::Created(Ok(data)) => {
            app.overlay = None;
            let name = data.household.label.clone();
            let effects = handle(app, Msg::Opened(Ok(data)));
            app.notice = Some(Notice {
                text: match app.lang {
                    crate::i18n::Lang::Nl => format!("Huishouden {name} aangemaakt."),
                    crate::i18n::Lang::En => format!("Household {name} created."),
                },
                kind: NoticeKind::Info,
            });
            effects
        }
        Msg::Created(Err(e)) => {
            acts::save_failed(app, e);
            Vec::new()
        }
        Msg::AddressChecked {
            postcode,
            number,
            labels,
        } => {
            let lang = app.lang;
            if let Some(Overlay::Form(form)) = &mut app.overlay
                && form.fields.value("postcode") == postcode
                && form.fields.value("number") == number
                && let Some(field) = form.fields.get_mut("number")
            {
                field.warning = (!labels.is_empty()).then(|| match lang {
                    crate::i18n::Lang::Nl => {
                        format!("Op dit adres woont al: {}.", labels.join(", "))
                    }
                    crate::i18n::Lang::En => {
                        format!("Already living at this address: {}.", labels.join(", "))
                    }
                });
            }
            Vec::new()
        }
        Msg::Regisseurs(Ok(users)) => {
            if let Screen::Dashboard(view) = &app.screen {
                let current = view.data.household.regisseur_id;
                let form = super::forms::regisseur(acts::env(app), &users, current);
                app.overlay = Some(Overlay::Form(form));
            }
            Vec::new()
        }
        Msg::Offers(Ok(offers)) if matches!(app.screen, Screen::Worklist { .. }) => {
            open_bulk_form(app, &offers);
            Vec::new()
        }
        Msg::Offers(Ok(offers)) => {
            if let Screen::Dashboard(view) = &app.screen {
                let member = view.member;
                let form = super::forms::provision(acts::env(app), offers, member);
                app.overlay = Some(Overlay::Form(form));
            }
            Vec::new()
        }
        Msg::Regisseurs(Err(e)) | Msg::Offers(Err(e)) | Msg::PlanWritten(Err(e)) => {
            app.notice = Some(error(e));
            Vec::new()
        }
        Msg::ProvidersLoaded(result) => {
            if let Screen::Providers { view, .. } = &mut app.screen {
                view.loaded(result);
            }
            Vec::new()
        }
        Msg::ProviderSaved(Ok(what)) => {
            app.overlay = None;
            app.notice = Some(Notice {
                text: what,
                kind: NoticeKind::Info,
            });
            vec![Effect::LoadProviders]
        }
        Msg::ProviderSaved(Err(e)) => {
            acts::save_failed(app, e);
            Vec::new()
        }
        Msg::WorklistCounts(result) => {
            match (result, &mut app.screen) {
                (Ok(counts), Screen::Home(home)) => home.worklists = Some(counts),
                (Err(e), _) => app.notice = Some(error(e)),
                _ => {}
            }
            Vec::new()
        }
        Msg::WorklistLoaded { seq, list, result } => {
            if let Screen::Worklist { view, .. } = &mut app.screen
                && view.list == list
            {
                return view.loaded(seq, result);
            }
            Vec::new()
        }
        Msg::WorklistSelected { seq, list, result } => {
            if let Screen::Worklist { view, .. } = &mut app.screen
                && view.list == list
            {
                match result {
                    Ok(ids) => view.selection_loaded(seq, &ids),
                    Err(e) => {
                        view.selecting = false;
                        app.notice = Some(error(e));
                    }
                }
            }
            Vec::new()
        }
        Msg::RequestsLoaded(result) => {
            if let Screen::Requests { view, .. } = &mut app.screen {
                view.loaded(result);
            }
            Vec::new()
        }
        Msg::RequestDecided(Ok(text)) => {
            app.overlay = None;
            app.notice = Some(Notice {
                text,
                kind: NoticeKind::Info,
            });
            vec![Effect::LoadRequests]
        }
        Msg::RequestDecided(Err(e)) => {
            acts::save_failed(app, e);
            Vec::new()
        }
        Msg::MessagesImported(result) => {
            app.overlay = None;
            let (text, kind) = match result {
                Ok(t) => (t, NoticeKind::Info),
                Err(t) => (t, NoticeKind::Error),
            };
            let total = text.lines().last().unwrap_or_default().to_string();
            if let Screen::Requests { view, .. } = &mut app.screen {
                view.report = text.lines().map(str::to_string).collect();
            }
            app.notice = Some(Notice { text: total, kind });
            vec![Effect::LoadRequests]
        }
        Msg::BulkDone(Ok((n, undo))) => {
            let what = match &app.overlay {
                Some(Overlay::Form(form)) => form.summary.clone(),
                _ => None,
            };
            app.overlay = None;
            let mut effects = Vec::new();
            if let Screen::Worklist { view, .. } = &mut app.screen {
                view.clear_selection();
                effects.push(view.reload());
            }
            if !undo.is_empty() {
                app.bulk_undo.push(super::state::BulkUndoEntry {
                    undo,
                    what: what.unwrap_or_default(),
                });
            }
            app.notice = Some(Notice {
                text: match app.lang {
                    crate::i18n::Lang::Nl => {
                        format!("{n} voorziening(en) bijgewerkt. (Ctrl-z maakt ongedaan)")
                    }
                    crate::i18n::Lang::En => {
                        format!("{n} provision(s) updated. (Ctrl-z undoes)")
                    }
                },
                kind: NoticeKind::Info,
            });
            effects
        }
        Msg::BulkUndone(Ok(n)) => {
            app.bulk_undo.pop();
            let mut effects = Vec::new();
            if let Screen::Worklist { view, .. } = &mut app.screen {
                view.clear_selection();
                effects.push(view.reload());
            }
            app.notice = Some(Notice {
                text: match app.lang {
                    crate::i18n::Lang::Nl => format!(
                        "Bulkactie ongedaan gemaakt: {n} voorziening(en) terug zoals ze waren; het auditlog bewaart beide."
                    ),
                    crate::i18n::Lang::En => format!(
                        "Bulk action undone: {n} provision(s) back as they were; the audit log keeps both."
                    ),
                },
                kind: NoticeKind::Info,
            });
            effects
        }
        Msg::BulkUndone(Err(e)) => {
            app.notice = Some(error(e));
            Vec::new()
        }
        Msg::BulkDone(Err(e)) => {
            acts::save_failed(app, e);
            Vec::new()
        }
        Msg::BulkProgress { done, total } => {
            if let Some(Overlay::Form(form)) = &mut app.overlay
                && form.saving
            {
                form.progress = Some((done, total));
            }
            Vec::new()
        }
        Msg::ReportLoaded(result) => {
            if let Screen::Reports { view, .. } = &mut app.screen {
                view.loaded(result);
            }
            Vec::new()
        }
        Msg::Exported(result) => {
            app.notice = Some(match result {
                Ok(path) => Notice {
                    text: match app.lang {
                        crate::i18n::Lang::Nl => format!("Geëxporteerd naar {path}"),
                        crate::i18n::Lang::En => format!("Exported to {path}"),
                    },
                    kind: NoticeKind::Info,
                },
                Err(e) => error(e),
            });
            Vec::new()
        }
        Msg::Failed(e) => {
            app.notice = Some(error(e));
            Vec::new()
        }
        Msg::TogetherRecorded(Ok(())) => Vec::new(),
        Msg::TogetherRecorded(Err(e)) => {
            if matches!(app.overlay, Some(Overlay::Together { .. })) {
                app.overlay = None;
            }
            app.notice = Some(error(e));
            Vec::new()
        }
        Msg::PlanWritten(Ok(made)) => {
            let (text, kind) = match (&made.printed, app.lang) {
                (Ok(()), crate::i18n::Lang::Nl) => (
                    format!("Plan geprint en bewaard in {}", made.path),
                    NoticeKind::Info,
                ),
                (Ok(()), crate::i18n::Lang::En) => (
                    format!("Plan printed and kept in {}", made.path),
                    NoticeKind::Info,
                ),
                (Err(why), crate::i18n::Lang::Nl) => (
                    format!("Plan bewaard in {}; niet geprint: {why}", made.path),
                    NoticeKind::Warning,
                ),
                (Err(why), crate::i18n::Lang::En) => (
                    format!("Plan kept in {}; not printed: {why}", made.path),
                    NoticeKind::Warning,
                ),
            };
            app.notice = Some(Notice { text, kind });
            Vec::new()
        }
    }
}

fn error(text: String) -> Notice {
    Notice {
        text,
        kind: NoticeKind::Error,
    }
}

pub(super) fn context(screen: &Screen) -> (Context, Typing) {
    match screen {
        Screen::Login(_) => (Context::Login, Typing::Yes),
        Screen::Home(_) => (Context::Home, Typing::No),
        Screen::Finder(_) => (Context::Finder, Typing::Yes),
        Screen::Dashboard(_) => (Context::Dashboard, Typing::No),
        Screen::Reports { .. } => (Context::Reports, Typing::No),
        Screen::Worklist { .. } => (Context::Worklist, Typing::No),
        Screen::Providers { .. } => (Context::Providers, Typing::No),
        Screen::Requests { .. } => (Context::Requests, Typing::No),
    }
}

pub(super) fn on_palette_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let Some(palette) = &mut app.palette else {
        return Vec::new();
    };
    match app.keymap.action(Context::Palette, key, Typing::Yes) {
        Some(Action::Back) => app.palette = None,
        Some(Action::Open) => {
            let chosen = palette.chosen();
            app.palette = None;
            if let Some(action) = chosen {
                let none = KeyEvent::new(KeyCode::Null, KeyModifiers::NONE);
                return act(app, Some(action), &none);
            }
        }
        Some(Action::Down) => {
            let n = palette.matches().len();
            palette.selected = (palette.selected + 1).min(n.saturating_sub(1));
        }
        Some(Action::Up) => palette.selected = palette.selected.saturating_sub(1),
        _ => {
            if TextInput::is_editing_key(key) && palette.query.key(key) {
                palette.selected = 0;
            }
        }
    }
    Vec::new()
}

/// Does what `action` (from a key or from the palette) means: the screen's layer first, then
/// the global one.
fn act(app: &mut App, action: Option<Action>, key: &KeyEvent) -> Vec<Effect> {
    match screen_act(app, action, key) {
        Handled::Consumed(effects) => effects,
        Handled::Passed => global_act(app, action, key),
    }
}

/// The keys that work on every screen once logged in: the palette, lock, help, the finder.
pub(super) fn global_act(app: &mut App, action: Option<Action>, key: &KeyEvent) -> Vec<Effect> {
    let (ctx, typing) = context(&app.screen);
    if matches!(app.screen, Screen::Login(_)) {
        return Vec::new();
    }
    match action {
        Some(Action::Palette) => {
            let role = app.user.as_ref().map(|u| u.role);
            app.palette = Some(Palette::open_for(&app.keymap, ctx, app.lang, role));
            Vec::new()
        }
        Some(Action::Lock) => lock(app),
        Some(Action::Help) if typing == Typing::No || key.code != KeyCode::Char('?') => {
            open_help(app);
            Vec::new()
        }
        Some(Action::Find) if !matches!(app.screen, Screen::Finder(_)) => open_finder(app),
        _ => Vec::new(),
    }
}

/// The screen's own keys; the global ones ([`global_act`]) are passed on.
pub(super) fn screen_act(app: &mut App, action: Option<Action>, key: &KeyEvent) -> Handled {
    // A key the role is not offered does nothing but say so; on a household the dashboard's
    // acts refuse it themselves, with the audit row the store would write.
    let role = app.user.as_ref().map(|u| u.role);
    if let Some(a) = action
        && !super::roles::offered(role, a)
        && !matches!(app.screen, Screen::Login(_) | Screen::Dashboard(_))
    {
        app.notice = Some(Notice {
            text: app
                .t(
                    "Dat hoort niet bij jouw rol; de toetsen die je hebt staan onderaan en in de help (?).",
                    "That is not part of your role; your keys are at the bottom and in help (?).",
                )
                .to_string(),
            kind: NoticeKind::Info,
        });
        return Handled::Consumed(Vec::new());
    }
    let global = matches!(
        action,
        Some(Action::Palette | Action::Lock | Action::Help | Action::Find)
    );
    if global && !matches!(app.screen, Screen::Login(_)) {
        return Handled::Passed;
    }
    Handled::Consumed(screen_effects(app, action, key))
}

fn screen_effects(app: &mut App, action: Option<Action>, key: &KeyEvent) -> Vec<Effect> {
    if let (Screen::Dashboard(_), Some(a)) = (&app.screen, action)
        && let Some(effects) = acts::dashboard_act(app, a)
    {
        return effects;
    }
    if let (Screen::Home(_) | Screen::Finder(_), Some(Action::NewHousehold)) = (&app.screen, action)
    {
        let form = super::forms::new_household(acts::env(app));
        app.overlay = Some(Overlay::Form(form));
        return Vec::new();
    }
    if let (Screen::Home(home), Some(Action::Open)) = (&app.screen, action)
        && home.panel == super::state::HomePanel::Households
        && let Some(counts) = &home.worklists
    {
        let Some((list, _)) = counts.get(home.selected).copied() else {
            return Vec::new();
        };
        return open_worklist(app, list);
    }
    if let (Screen::Home(_), Some(Action::Reports)) = (&app.screen, action) {
        return open_reports(app);
    }
    if let (Screen::Home(_), Some(Action::Worklists)) = (&app.screen, action) {
        return open_worklists(app);
    }
    if let (Screen::Home(_), Some(Action::Providers)) = (&app.screen, action) {
        let back = std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading()));
        app.screen = Screen::Providers {
            view: super::providers::ProvidersView::loading(),
            back: Box::new(back),
        };
        return vec![Effect::LoadProviders];
    }
    if let (Screen::Home(_) | Screen::Worklist { .. }, Some(Action::Requests)) =
        (&app.screen, action)
    {
        let back = std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading()));
        app.screen = Screen::Requests {
            view: super::requests::RequestsView::loading(),
            back: Box::new(back),
        };
        return vec![Effect::LoadRequests];
    }
    if let Screen::Requests { view, .. } = &mut app.screen {
        let selected = view.selected().map(|r| {
            (
                r.id,
                format!(
                    "{} ({}) vraagt {} voor {} (referentie {}).",
                    r.provider.name,
                    r.provider.agb_code,
                    match r.kind {
                        crate::model::messages::RequestKind::Toewijzing => "een toewijzing",
                        crate::model::messages::RequestKind::Wijziging => "een wijziging",
                    },
                    r.person,
                    r.reference
                ),
            )
        });
        match action {
            Some(Action::Down) => view.move_cursor(true),
            Some(Action::Up) => view.move_cursor(false),
            Some(Action::Back) => return go_back(app),
            Some(Action::GrantRequest) => {
                if let Some((id, summary)) = selected {
                    let form = super::forms::grant_request(acts::env(app), id, &summary);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
            Some(Action::RefuseRequest) => {
                if let Some((id, _)) = selected {
                    let form = super::forms::refuse_request(acts::env(app), id);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
            Some(Action::ImportMessages) => {
                let form = super::forms::import_messages(acts::env(app));
                app.overlay = Some(Overlay::Form(form));
            }
            _ => {}
        }
        return Vec::new();
    }
    if let Screen::Providers { view, .. } = &mut app.screen {
        let selected = view.selected().map(|p| (p.id, p.name.clone()));
        match action {
            Some(Action::Down) => view.move_cursor(true),
            Some(Action::Up) => view.move_cursor(false),
            Some(Action::Back) => return go_back(app),
            Some(Action::NewProvider) => {
                let form = super::forms::provider(acts::env(app));
                app.overlay = Some(Overlay::Form(form));
            }
            Some(Action::NewContract) => {
                if let Some((id, name)) = selected {
                    let form = super::forms::contract(acts::env(app), id, &name);
                    app.overlay = Some(Overlay::Form(form));
                }
            }
            _ => {}
        }
        return Vec::new();
    }
    let lang = app.lang;
    let step = match &mut app.screen {
        Screen::Worklist { view, .. } => match worklist::handle(view, action, key) {
            WorklistStep::Back => Step::Back,
            WorklistStep::Effects(effects) => Step::Stay(effects),
            WorklistStep::Act(ids) => {
                view.acting = ids;
                if view.list == crate::model::worklists::Worklist::AwaitingToewijzing {
                    Step::Stay(vec![Effect::LoadOffers])
                } else {
                    open_bulk_form(app, &[]);
                    Step::Stay(Vec::new())
                }
            }
            WorklistStep::Export => Step::Stay(vec![Effect::ExportWorklist {
                list: view.list,
                query: view.query(),
            }]),
            WorklistStep::Undo => Step::Stay(Vec::new()),
        },
        Screen::Reports { view, .. } => match action.map(|a| reports::handle_action(view, a)) {
            Some(ReportsAction::Back) => Step::Back,
            Some(ReportsAction::Load { from, to, team }) => {
                Step::Stay(vec![Effect::LoadReport { from, to, team }])
            }
            Some(ReportsAction::Export(format)) => Step::Stay(
                view.export_text(format, lang)
                    .map(|text| Effect::ExportReport {
                        file_name: view.export_file_name(format),
                        text,
                    })
                    .into_iter()
                    .collect(),
            ),
            Some(ReportsAction::None) | None => Step::Stay(Vec::new()),
        },
        // Handled above, before the global keys' fallthrough.
        Screen::Providers { .. } | Screen::Requests { .. } => Step::Stay(Vec::new()),
        Screen::Login(form) => Step::Stay(on_login_key(form, action, key, lang)),
        Screen::Home(home) => match action {
            Some(Action::Quit) => {
                app.quit = true;
                Step::Stay(vec![Effect::Logout, Effect::Quit])
            }
            Some(action) => Step::Stay(on_home_key(home, action)),
            None => Step::Stay(Vec::new()),
        },
        Screen::Finder(finder) => on_finder_key(finder, action, key),
        Screen::Dashboard(view) => on_dashboard_key(view, action),
    };
    if let (Screen::Worklist { .. }, Some(Action::Undo)) = (&app.screen, action) {
        return undo_bulk(app);
    }
    match step {
        Step::Stay(effects) => effects,
        Step::Back => go_back(app),
        Step::Home => {
            app.screen = Screen::Home(HomeView::loading());
            home_effects(app)
        }
    }
}

/// Ctrl-z on the worklists: takes the last bulk action of this session back.
fn undo_bulk(app: &mut App) -> Vec<Effect> {
    match app.bulk_undo.last() {
        Some(entry) => vec![Effect::UndoBulk(entry.undo.clone())],
        None => {
            app.notice = Some(Notice {
                text: app
                    .t(
                        "Er is in deze sessie geen bulkactie om ongedaan te maken.",
                        "No bulk action to undo in this session.",
                    )
                    .to_string(),
                kind: NoticeKind::Info,
            });
            Vec::new()
        }
    }
}

/// Opens the backoffice worklists (awaiting a beschikking first) over the current screen.
pub(super) fn open_worklists(app: &mut App) -> Vec<Effect> {
    open_worklist(app, crate::model::worklists::Worklist::AwaitingBeschikking)
}

/// Opens worklist `list` over the current screen: its first page is asked for.
fn open_worklist(app: &mut App, list: crate::model::worklists::Worklist) -> Vec<Effect> {
    let back = std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading()));
    let mut view = WorklistView::new(list);
    let load = view.reload();
    app.screen = Screen::Worklist {
        view,
        back: Box::new(back),
    };
    vec![load]
}

/// Opens the bulk form for the worklist's `acting` provisions; for a toewijzing the providers
/// offered are those contracted for every selected product.
fn open_bulk_form(app: &mut App, offers: &[crate::model::providers::Offer]) {
    let Screen::Worklist { view, .. } = &mut app.screen else {
        return;
    };
    let ids = std::mem::take(&mut view.acting);
    let products = view.products(&ids);
    let list = view.list;
    let mut providers: Vec<super::form::Choice> = Vec::new();
    for o in offers {
        let covers = products.iter().all(|p| {
            offers
                .iter()
                .any(|x| x.provider_id == o.provider_id && &x.product == p)
        });
        if covers
            && !providers
                .iter()
                .any(|c| c.code == o.provider_id.to_string())
        {
            providers.push(super::form::Choice::new(
                o.provider_id.to_string(),
                o.name.clone(),
            ));
        }
    }
    let form = super::forms::bulk(acts::env(app), list, ids, providers);
    app.overlay = Some(Overlay::Form(form));
}

/// Opens the steering figures of the current year over the current screen.
pub(super) fn open_reports(app: &mut App) -> Vec<Effect> {
    let (view, load) = ReportsView::new(app.today, None);
    let back = std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading()));
    app.screen = Screen::Reports {
        view,
        back: Box::new(back),
    };
    match load {
        ReportsAction::Load { from, to, team } => vec![Effect::LoadReport { from, to, team }],
        _ => Vec::new(),
    }
}

fn go_back(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    let back = match std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading())) {
        Screen::Finder(f) => *f.back,
        Screen::Worklist { back, .. }
        | Screen::Reports { back, .. }
        | Screen::Requests { back, .. }
        | Screen::Providers { back, .. } => match *back {
            Screen::Home(_) => {
                effects.extend(home_effects(app));
                Screen::Home(HomeView::loading())
            }
            other => other,
        },
        Screen::Dashboard(d) => match *d.back {
            // Back from a dashboard to home reloads home: counts may have changed.
            Screen::Home(_) => {
                effects.extend(home_effects(app));
                Screen::Home(HomeView::loading())
            }
            other => other,
        },
        other => other,
    };
    app.screen = back;
    effects
}

/// What home loads: the user's households and agreements, and for a role that works the
/// worklists how much waits on each.
pub(super) fn home_effects(app: &App) -> Vec<Effect> {
    let role = app.user.as_ref().map(|u| u.role);
    let mut effects = vec![Effect::LoadHome];
    if role.is_some() && super::roles::offered(role, Action::Worklists) {
        effects.push(Effect::LoadWorklistCounts);
    }
    effects
}

fn open_finder(app: &mut App) -> Vec<Effect> {
    let current = std::mem::replace(&mut app.screen, Screen::Home(HomeView::loading()));
    app.notice = None;
    app.screen = Screen::Finder(FinderView {
        query: TextInput::new("", super::state::FINDER_QUERY_MAX),
        hits: Vec::new(),
        searched: String::new(),
        selected: 0,
        seq: 0,
        back: Box::new(current),
    });
    Vec::new()
}

pub(super) fn on_help_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let scroll = app.help.unwrap_or(0);
    match app.keymap.action(Context::Help, key, Typing::No) {
        Some(Action::Back) => app.help = None,
        Some(action) => {
            let role = app.user.as_ref().map(|u| u.role);
            let total = super::help::len(&super::help::sections(&app.keymap, role));
            let page = super::help::page(app.size.map(|(_, h)| h));
            app.help = Some(super::help::scrolled(scroll, action, page, total));
        }
        None => {}
    }
    Vec::new()
}

/// Opens help at the section of the screen the user is on.
fn open_help(app: &mut App) {
    let role = app.user.as_ref().map(|u| u.role);
    let sections = super::help::sections(&app.keymap, role);
    let (context, _) = context(&app.screen);
    let total = super::help::len(&sections);
    let page = super::help::page(app.size.map(|(_, h)| h));
    let start = super::help::start_of(&sections, context);
    app.help = Some(start.min(total.saturating_sub(page)));
}
