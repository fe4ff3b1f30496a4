//! The dashboard's other overlays: the ZRM scoring grid, the flag catalogue with its letters,
//! and the samen-kijken view that the household looks at together with the professional.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::form::{bottom_box, footer, framed};
use super::text::{self, cell, gap};
use super::zrm::{bar, change};
use crate::app::App;
use crate::app::state::DashboardView;
use crate::app::zrm_grid::ZrmGrid;
use crate::domain::agreement::AgreementStatus;
use crate::domain::goal::GoalStatus;
use crate::domain::zrm::Score;
use crate::i18n::Lang;

fn inner_area(rect: Rect) -> Rect {
    Rect {
        x: rect.x + 2,
        y: rect.y + 1,
        width: rect.width.saturating_sub(4),
        height: rect.height.saturating_sub(2),
    }
}

/// The ZRM grid: domain, previous score, new score with its bar, and the change.
pub fn render_zrm(app: &App, grid: &ZrmGrid, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let since = match grid.previous_on {
        Some(d) => format!("{} {}", app.t("vorige:", "previous:"), text::date(d)),
        None => app.t("eerste keer", "first time").to_string(),
    };
    let title = format!("ZRM · {} · {since}", grid.person_name);
    // Rows for the domains, one for the column heads, a blank, the footer and the border.
    let wanted = grid.domains.len() + 5;
    let height = u16::try_from(wanted)
        .unwrap_or(area.height)
        .min(area.height);
    let rect = bottom_box(area, height);
    let inner = inner_area(rect);
    let w = usize::from(inner.width);
    let visible = usize::from(inner.height).saturating_sub(3).max(1);
    let skip = (grid.cursor + 1).saturating_sub(visible);
    // Full domain names where the width allows ("Maatschappelijke participatie").
    let longest = grid
        .domains
        .iter()
        .filter_map(|k| app.reference.zrm.domain(k))
        .map(|d| text::width(&d.name))
        .max()
        .unwrap_or(24);
    let name_w = longest.max(12).min(w.saturating_sub(30));
    let muted = Style::new().fg(theme.muted);
    let mut lines = vec![Line::from(vec![
        Span::raw("  "),
        cell("", name_w, muted),
        gap(),
        cell(app.t("vorige", "previous"), 7, muted),
        gap(),
        cell(app.t("nu", "now"), 7, muted),
        gap(),
        Span::styled(app.t("verschil", "change"), muted),
    ])];
    for (i, key) in grid.domains.iter().enumerate().skip(skip).take(visible) {
        let focused = i == grid.cursor;
        let name = app
            .reference
            .zrm
            .domain(key)
            .map_or(key.as_str(), |d| d.name.as_str());
        let name_style = if focused {
            super::panel::selected_style(theme)
        } else {
            Style::new().fg(theme.text)
        };
        let previous = grid.previous.get(i).copied().flatten();
        let now = grid.scores.get(i).copied().unwrap_or(Score::NotScored);
        let mut spans = vec![
            Span::styled(
                if focused { "▸ " } else { "  " },
                Style::new().fg(theme.accent),
            ),
            cell(&text::shorten(name, name_w), name_w, name_style),
            gap(),
        ];
        let before = match previous {
            Some(Score::Level(n)) => n.to_string(),
            Some(Score::NotScored) => "–".to_string(),
            None => String::new(),
        };
        spans.push(cell(&before, 7, muted));
        spans.push(gap());
        spans.extend(bar(app, now));
        spans.push(gap());
        spans.push(change(app, previous, now));
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(match &grid.error {
        Some(e) if !grid.saving => Line::from(Span::styled(
            format!("✗ {}", text::truncate(e, w.saturating_sub(2))),
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        )),
        _ if grid.confirm_discard || grid.saving => footer(
            app,
            None,
            grid.confirm_discard,
            grid.saving.then_some(None),
            w,
        ),
        _ => Line::from(Span::styled(
            app.t(
                "1–5 score · . houden · 0/- niet gescoord · Enter opslaan · Esc annuleren",
                "1–5 score · . keep · 0/- not scored · Enter save · Esc cancel",
            )
            .to_string(),
            muted,
        )),
    });
    let block = framed(theme, title);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The flag catalogue: each flag with its letter, marked when it is active.
pub fn render_flags(
    app: &App,
    view: &DashboardView,
    selected: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let theme = &app.theme;
    let flags = app.reference.flags.flags();
    let height = u16::try_from(flags.len() + 4)
        .unwrap_or(area.height)
        .min(area.height);
    let rect = bottom_box(area, height);
    let inner = inner_area(rect);
    let w = usize::from(inner.width);
    let visible = usize::from(inner.height).saturating_sub(2).max(1);
    let skip = (selected + 1).saturating_sub(visible);
    let mut lines = Vec::new();
    for (i, kind) in flags.iter().enumerate().skip(skip).take(visible) {
        let active = view
            .data
            .flags
            .iter()
            .find(|f| f.kind == kind.key && f.is_active());
        let style = if i == selected {
            super::panel::selected_style(theme)
        } else {
            Style::new().fg(theme.text)
        };
        let state = match active {
            Some(f) => format!("{} {}", app.t("aan sinds", "on since"), text::date(f.since)),
            None => String::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", kind.mnemonic),
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::styled(if active.is_some() { "● " } else { "○ " }, style),
            cell(&kind.name, w.saturating_sub(24), style),
            Span::styled(state, Style::new().fg(theme.warning)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        app.t(
            "letter zet aan of beëindigt (met reden) · Esc sluit",
            "letter sets or ends (with a reason) · Esc closes",
        )
        .to_string(),
        Style::new().fg(theme.muted),
    )));
    let block = framed(
        theme,
        app.t("Signalen (dat, niet wat)", "Flags (that, not what)")
            .to_string(),
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The household's own view: the client wording of the ZRM, their agreements and goals; no
/// flags, no notes, no BSN. Calm, on the whole screen; side by side when there is room.
pub fn render_together(
    app: &App,
    view: &DashboardView,
    (member, scroll): (usize, u16),
    frame: &mut Frame,
    area: Rect,
) {
    let theme = &app.theme;
    let data = &view.data;
    let muted = Style::new().fg(theme.muted);
    let zrm = together_zrm(app, view, member);
    let plan = together_plan(app, view);
    let title = format!(
        "{} · {}",
        app.t("Samen kijken", "Looking together"),
        data.household.label
    );
    let block = framed(theme, title).title_bottom(
        Line::from(Span::styled(
            app.t(
                " ←/→ ander gezinslid · ↑/↓ schuiven · Esc terug ",
                " ←/→ other member · ↑/↓ scroll · Esc back ",
            ),
            muted,
        ))
        .right_aligned(),
    );
    let inner = Rect {
        x: area.x + 3,
        y: area.y + 1,
        width: area.width.saturating_sub(6),
        height: area.height.saturating_sub(2),
    };
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    if inner.width >= 110 {
        let left = Rect {
            width: inner.width / 2,
            ..inner
        };
        let right = Rect {
            x: inner.x + inner.width / 2 + 2,
            width: inner.width - inner.width / 2 - 2,
            ..inner
        };
        let scrolled = |lines| {
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0))
        };
        frame.render_widget(scrolled(zrm), left);
        frame.render_widget(scrolled(plan), right);
    } else {
        let mut lines = zrm;
        lines.push(Line::raw(""));
        lines.extend(plan);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            inner,
        );
    }
}

/// "How is Fatima doing?" in the client's words, one line per domain.
fn together_zrm(app: &App, view: &DashboardView, member: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let data = &view.data;
    let zrm = &app.reference.zrm;
    let heading = Style::new().fg(theme.accent).add_modifier(Modifier::BOLD);
    let plain = Style::new().fg(theme.text);
    let muted = Style::new().fg(theme.muted);
    let Some(p) = data.members.get(member) else {
        return Vec::new();
    };
    let first = p.name.split_whitespace().next().unwrap_or(&p.name);
    let mut lines = vec![Line::from(Span::styled(
        match app.lang {
            Lang::Nl => format!("Hoe gaat het met {first}?"),
            Lang::En => format!("How is {first} doing?"),
        },
        heading,
    ))];
    let last = data
        .assessments
        .iter()
        .filter(|a| a.person_id == p.id)
        .max_by_key(|a| (a.assessed_on, a.id));
    let name_w = zrm
        .domains
        .iter()
        .map(|d| text::width(&d.client_name))
        .max()
        .unwrap_or(0);
    for d in &zrm.domains {
        let score = last.and_then(|a| a.scores.get(&d.key).copied());
        let words = match score {
            Some(Score::Level(n)) => zrm.client_level_label(n).unwrap_or("").to_string(),
            _ => app
                .t("nog niet besproken", "not talked about yet")
                .to_string(),
        };
        let mut spans = vec![Span::raw("  "), cell(&d.client_name, name_w, plain), gap()];
        if let Some(s @ Score::Level(_)) = score {
            spans.extend(bar(app, s));
            spans.push(gap());
        }
        spans.push(Span::styled(words, muted));
        lines.push(Line::from(spans));
    }
    lines
}

/// What we agreed (open agreements as a checklist) and what we work on (running goals).
fn together_plan(app: &App, view: &DashboardView) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let data = &view.data;
    let heading = Style::new().fg(theme.accent).add_modifier(Modifier::BOLD);
    let plain = Style::new().fg(theme.text);
    let muted = Style::new().fg(theme.muted);
    let mut lines = vec![Line::from(Span::styled(
        app.t("Wat we hebben afgesproken", "What we agreed"),
        heading,
    ))];
    let open: Vec<_> = data
        .agreements
        .iter()
        .filter(|a| a.status == AgreementStatus::Open)
        .collect();
    if open.is_empty() {
        lines.push(Line::from(Span::styled(
            app.t("  Nog niets.", "  Nothing yet."),
            muted,
        )));
    }
    // In the household's words, as on the fridge plan: "jullie zelf", "Anna", never role codes.
    let first_name = data
        .regisseur
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    for a in open {
        let who = crate::export::plan::who_text(a.who, &first_name, app.lang);
        let when = a
            .due_on
            .map(|d| crate::export::plan::words::short_date(d, app.today, app.lang));
        let detail = match when {
            Some(when) => format!("  ({who}, {when})"),
            None => format!("  ({who})"),
        };
        lines.push(Line::from(vec![
            Span::styled("  ☐ ", plain),
            Span::styled(a.what.clone(), plain),
            Span::styled(detail, muted),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        app.t("Waar we aan werken", "What we work on"),
        heading,
    )));
    let running: Vec<_> = data
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Lopend)
        .collect();
    if running.is_empty() {
        lines.push(Line::from(Span::styled(
            app.t("  Nog niets.", "  Nothing yet."),
            muted,
        )));
    }
    for g in running {
        lines.push(Line::from(vec![
            Span::styled("  • ", plain),
            Span::styled(g.goal.clone(), plain),
        ]));
    }
    lines
}
