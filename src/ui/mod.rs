//! Rendering: a pure function of the app state. No IO, no queries.
//!
//! Every screen has a top line (app, screen, user, date, DEMO marker) and a status bar with the
//! keys of the current screen, generated from the key map. A terminal smaller than 80×24 gets
//! only a message asking for a bigger window; the next frame after enlarging draws normally.

mod dashboard;
mod dashboard_panels;
mod finder;
mod form;
mod help;
mod home;
mod login;
mod overlays;
mod panel;
mod providers;
pub mod reports;
mod requests;
mod text;
mod worklist;
mod zrm;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::App;
use crate::app::keymap::{Action, Context, KeyBinding};
use crate::app::state::{NoticeKind, Overlay, Screen};
use crate::i18n::Lang;

pub use crate::app::state::{MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen for `app`.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = &app.theme;
    frame.render_widget(
        Block::new().style(Style::new().bg(theme.background).fg(theme.text)),
        area,
    );
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let top = Rect { height: 1, ..area };
    let status = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    top_line(app, frame, top);
    match &app.screen {
        Screen::Login(form) => login::render(app, form, frame, body),
        Screen::Home(home) => home::render(app, home, frame, body),
        Screen::Finder(finder) => finder::render(app, finder, frame, body),
        Screen::Dashboard(dashboard) => dashboard::render(app, dashboard, frame, body),
        Screen::Reports { view, .. } => reports::render(view, &app.theme, app.lang, frame, body),
        Screen::Worklist { view, .. } => worklist::render(app, view, frame, body),
        Screen::Providers { view, .. } => providers::render(app, view, frame, body),
        Screen::Requests { view, .. } => requests::render(app, view, frame, body),
    }
    match (&app.overlay, &app.screen) {
        (Some(Overlay::Form(form)), _) => form::render(app, form, frame, body),
        (Some(Overlay::Zrm(grid)), _) => overlays::render_zrm(app, grid, frame, body),
        (Some(Overlay::Flags(selected)), Screen::Dashboard(view)) => {
            overlays::render_flags(app, view, *selected, frame, body)
        }
        (Some(Overlay::Together { member, scroll }), Screen::Dashboard(view)) => {
            overlays::render_together(app, view, (*member, *scroll), frame, body)
        }
        _ => {}
    }
    if let Some(palette) = &app.palette {
        form::render_palette(app, palette, frame, body);
    }
    if let Some(scroll) = app.help {
        help::render(app, scroll, frame, body);
    }
    status_bar(app, frame, status);
}

/// The key map context of the current screen (the help overlay when open).
fn context(app: &App) -> Context {
    if app.help.is_some() {
        return Context::Help;
    }
    if app.palette.is_some() {
        return Context::Palette;
    }
    match &app.overlay {
        Some(Overlay::Form(_)) => return Context::Form,
        Some(Overlay::Zrm(_)) => return Context::ZrmGrid,
        Some(Overlay::Flags(_)) => return Context::Flags,
        Some(Overlay::Together { .. }) => return Context::Together,
        None => {}
    }
    match app.screen {
        Screen::Login(_) => Context::Login,
        Screen::Home(_) => Context::Home,
        Screen::Finder(_) => Context::Finder,
        Screen::Dashboard(_) => Context::Dashboard,
        Screen::Reports { .. } => Context::Reports,
        Screen::Worklist { .. } => Context::Worklist,
        Screen::Providers { .. } => Context::Providers,
        Screen::Requests { .. } => Context::Requests,
    }
}

/// Whether the screen takes plain characters as text (so they are no commands there).
fn typing(app: &App) -> bool {
    app.help.is_none()
        && (app.palette.is_some()
            || matches!(app.overlay, Some(Overlay::Form(_)))
            || (app.overlay.is_none()
                && matches!(app.screen, Screen::Login(_) | Screen::Finder(_))))
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let message = match app.lang {
        Lang::Nl => format!(
            "Maak het venster groter (minstens {MIN_WIDTH}×{MIN_HEIGHT}; nu {}×{}).",
            area.width, area.height
        ),
        Lang::En => format!(
            "Make the window larger (at least {MIN_WIDTH}×{MIN_HEIGHT}; now {}×{}).",
            area.width, area.height
        ),
    };
    let lines = text::wrap(&message, usize::from(area.width.saturating_sub(2)).max(1));
    let height = u16::try_from(lines.len())
        .unwrap_or(area.height)
        .min(area.height);
    let y = area.y + (area.height - height) / 2;
    let lines: Vec<Line> = lines.into_iter().map(Line::from).collect();
    frame.render_widget(
        Paragraph::new(lines).alignment(Alignment::Center).style(
            Style::new()
                .fg(app.theme.warning)
                .add_modifier(Modifier::BOLD),
        ),
        Rect { y, height, ..area },
    );
}

fn top_line(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let muted = Style::new().fg(theme.muted);
    let left = Line::from(vec![
        Span::styled(
            " keukentafel",
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled(" · ", muted),
        Span::styled(context(app).title(app.lang), Style::new().fg(theme.text)),
    ]);
    let mut right = Vec::new();
    if let Some(user) = &app.user {
        right.push(Span::styled(
            user.display_name.clone(),
            Style::new().fg(theme.text),
        ));
        // The household looks along on samen kijken: no internal role names there.
        if matches!(app.overlay, Some(Overlay::Together { .. })) {
            right.push(Span::raw("  "));
        } else {
            right.push(Span::styled(format!(" ({})  ", user.role), muted));
        }
    }
    right.push(Span::styled(
        text::date(app.today),
        Style::new().fg(theme.text),
    ));
    right.push(Span::raw(" "));
    if app.demo {
        right.push(Span::styled(
            " DEMO ",
            Style::new()
                .fg(theme.warning)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
    }
    let right = Line::from(right);
    let right_width = u16::try_from(right.width())
        .unwrap_or(area.width)
        .min(area.width);
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(
        Paragraph::new(right),
        Rect {
            x: area.right() - right_width,
            width: right_width,
            ..area
        },
    );
}

/// The order in which keys get a place in the status bar.
const STATUS_ORDER: [Action; 48] = [
    Action::Save,
    Action::NextField,
    Action::PrevField,
    Action::Help,
    Action::Find,
    Action::Quit,
    Action::Contact,
    Action::Agreement,
    Action::Zrm,
    Action::Flag,
    Action::Done,
    Action::Undo,
    Action::Together,
    Action::Goal,
    Action::Member,
    Action::NewHousehold,
    Action::Select,
    Action::SelectAll,
    Action::Sort,
    Action::Reverse,
    Action::Worklists,
    Action::Providers,
    Action::GrantRequest,
    Action::RefuseRequest,
    Action::ImportMessages,
    Action::NewProvider,
    Action::NewContract,
    Action::Reports,
    Action::PrevPeriod,
    Action::NextPeriod,
    Action::ExportCsv,
    Action::ExportJson,
    Action::Palette,
    Action::Open,
    Action::Requests,
    Action::NextPanel,
    Action::NextMember,
    Action::PrevMember,
    Action::Back,
    Action::Home,
    Action::Lock,
    Action::Up,
    Action::Down,
    Action::PrevPanel,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
];

/// The keys a screen is mostly used with, first in its status bar: on the dashboard the acts of
/// a visit (`s`, `p`, `u`, `x` always among them), on home where to go.
fn status_priority(context: Context) -> &'static [Action] {
    use Action::*;
    match context {
        Context::Dashboard => &[
            Contact, Agreement, Done, Undo, Together, Plan, Help, Zrm, Flag, Goal, Find,
        ],
        Context::Home => &[
            Find,
            Open,
            NewHousehold,
            Worklists,
            Reports,
            Providers,
            Help,
            Quit,
        ],
        Context::Worklist => &[Open, Select, SelectAll, Undo, ExportCsv, Help, Find],
        Context::Help => &[Back, PageDown, PageUp, Top, Bottom],
        _ => &[],
    }
}

/// The keys of `context` with the global keys it falls back to, as the key map resolves them:
/// `(keys, action)` in status-bar order, only what the user's role is offered. Plain characters
/// are left out where they are text.
fn screen_keys(app: &App, context: Context, typing: bool) -> Vec<(Vec<String>, Action)> {
    let km = &app.keymap;
    let role = app.user.as_ref().map(|u| u.role);
    let priority = status_priority(context);
    let order = priority
        .iter()
        .copied()
        .chain(STATUS_ORDER.into_iter().filter(|a| !priority.contains(a)));
    let falls_back = context.falls_back();
    let own_action = |key: &KeyBinding| {
        Action::ALL
            .into_iter()
            .find(|a| km.keys(context, *a).contains(key))
    };
    order
        .filter(|a| crate::app::roles::offered(role, *a))
        .filter_map(|action| {
            let mut keys: Vec<KeyBinding> = km.keys(context, action).to_vec();
            if falls_back {
                for key in km.keys(Context::Global, action) {
                    if !keys.contains(key) && own_action(key).is_none() {
                        keys.push(*key);
                    }
                }
            }
            keys.retain(|k| !(typing && k.is_text()));
            let shown: Vec<String> = keys.iter().map(ToString::to_string).collect();
            (!shown.is_empty()).then_some((shown, action))
        })
        .collect()
}

fn status_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if let Some(notice) = &app.notice {
        let style = match notice.kind {
            NoticeKind::Error => Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
            NoticeKind::Warning => Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
            NoticeKind::Info => Style::new().fg(theme.ok),
        };
        let width = usize::from(area.width.saturating_sub(2)).max(10);
        // A message longer than the line wraps upwards over the screen's bottom rows (at most
        // five), so it is read in full; the next key or screen clears it as any notice.
        let parts = text::wrap_all(&notice.text, width);
        let rows = u16::try_from(parts.len().min(5)).unwrap_or(1).max(1);
        let rows = rows.min(area.y.saturating_add(1));
        let rect = Rect {
            y: area.y + 1 - rows,
            height: rows,
            ..area
        };
        let lines: Vec<Line> = parts
            .into_iter()
            .take(usize::from(rows))
            .map(|p| Line::from(Span::styled(format!(" {p}"), style)))
            .collect();
        frame.render_widget(ratatui::widgets::Clear, rect);
        frame.render_widget(
            Paragraph::new(lines).style(Style::new().bg(theme.background)),
            rect,
        );
        return;
    }
    let key_style = Style::new().fg(theme.accent).add_modifier(Modifier::BOLD);
    let label_style = Style::new().fg(theme.muted);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let room = usize::from(area.width);
    let ctx = context(app);
    let items = screen_keys(app, ctx, typing(app));
    // Every key with its full words when the screen's main keys fit that way; otherwise one key
    // each with a short word, so they all fit at 80 columns.
    let full = |(keys, action): &(Vec<String>, Action)| (keys.join("/"), action.label(app.lang));
    let compact = |(keys, action): &(Vec<String>, Action)| {
        (
            keys.first().cloned().unwrap_or_default(),
            action.short_label(app.lang),
        )
    };
    let width = |(keys, label): &(String, &str)| text::width(keys) + 1 + text::width(label) + 2;
    let main = items
        .iter()
        .filter(|(_, a)| status_priority(ctx).contains(a))
        .count();
    let fits = items
        .iter()
        .take(main)
        .map(|i| width(&full(i)))
        .sum::<usize>()
        < room;
    for item in &items {
        let (keys, label) = if fits { full(item) } else { compact(item) };
        let item = width(&(keys.clone(), label));
        if used + item > room {
            break;
        }
        used += item;
        spans.push(Span::styled(keys, key_style));
        spans.push(Span::styled(format!(" {label}  "), label_style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
