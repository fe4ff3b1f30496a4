//! The dashboard's list panels: members, agreements, flags, plan goals and contacts.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::panel::{self, Listing};
use super::text::{self, cell, gap, rcell};
use crate::app::App;
use crate::app::state::{DashboardView, Panel};
use crate::domain::agreement::AgreementStatus;
use crate::domain::goal::GoalStatus;
use crate::domain::household::MemberRole;
use crate::domain::provision::ProvisionStatus;

/// From this inner width a panel writes full dates and words.
const WIDE: usize = 70;

fn listing<'a>(
    view: &DashboardView,
    panel: Panel,
    title: Vec<Span<'a>>,
    rows: Vec<Line<'a>>,
    empty: &str,
) -> Listing<'a> {
    Listing {
        title,
        header: None,
        rows,
        selected: Some(view.row(panel)),
        focused: view.panel == panel,
        empty: empty.to_string(),
    }
}

fn role(role: MemberRole, app: &App) -> &'static str {
    match role {
        MemberRole::Ouder => app.t("ouder", "parent"),
        MemberRole::Partner => app.t("partner", "partner"),
        MemberRole::Kind => app.t("kind", "child"),
        MemberRole::Overig => app.t("overig", "other"),
    }
}

/// Members: name, age, role; the member whose ZRM is shown is marked ▶.
pub fn members<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let (age_w, role_w) = (6, 7);
    let name_w = w.saturating_sub(2 + age_w + role_w + 2);
    let years = app.t("jr", "yrs");
    let rows = view
        .data
        .members
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let shown = i == view.member;
            let (mark, name_style) = if shown {
                (
                    "▶",
                    Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
                )
            } else {
                (" ", Style::new().fg(theme.text))
            };
            let age = p
                .age_on(app.today)
                .map_or_else(|| "–".to_string(), |a| format!("{a} {years}"));
            Line::from(vec![
                Span::styled(mark, name_style),
                gap(),
                cell(&p.name, name_w, name_style),
                gap(),
                rcell(&age, age_w, Style::new().fg(theme.text)),
                gap(),
                cell(role(p.role, app), role_w, Style::new().fg(theme.muted)),
            ])
        })
        .collect();
    let title = vec![Span::raw(format!(
        "{} ({})",
        app.t("Gezin", "Household"),
        view.data.members.len()
    ))];
    listing(
        view,
        Panel::Members,
        title,
        rows,
        app.t("Geen gezinsleden.", "No members."),
    )
}

/// Agreements: open first (as loaded), overdue marked "!", done ✓ and cancelled ✗ muted.
pub fn agreements<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let wide = w >= WIDE;
    let narrow_due = text::day_month_width(
        view.data.agreements.iter().filter_map(|a| a.due_on),
        app.today,
    );
    let (due_w, who_w) = if wide { (10, 12) } else { (narrow_due, 7) };
    let what_w = w.saturating_sub(1 + due_w + who_w + 3);
    let muted = Style::new().fg(theme.muted);
    let text_style = Style::new().fg(theme.text);
    let late_style = Style::new().fg(theme.error).add_modifier(Modifier::BOLD);
    let rows = view
        .data
        .agreements
        .iter()
        .map(|a| {
            let overdue = a.is_overdue(app.today);
            let (mark, mark_style, style) = match a.status {
                AgreementStatus::Open if overdue => ("!", late_style, text_style),
                AgreementStatus::Open => (" ", text_style, text_style),
                AgreementStatus::Done { .. } => ("✓", muted, muted),
                AgreementStatus::Cancelled { .. } => ("✗", muted, muted),
            };
            let due = a.due_on.map_or_else(
                || "–".to_string(),
                |d| {
                    if wide {
                        text::date(d)
                    } else {
                        text::day_month(d, app.today)
                    }
                },
            );
            Line::from(vec![
                Span::styled(mark, mark_style),
                gap(),
                cell(&due, due_w, if overdue { late_style } else { style }),
                gap(),
                cell(text::actor(a.who, app.lang, !wide), who_w, muted),
                gap(),
                cell(&a.what, what_w, style),
            ])
        })
        .collect();
    let open = view
        .data
        .agreements
        .iter()
        .filter(|a| a.status == AgreementStatus::Open)
        .count();
    let late = view
        .data
        .agreements
        .iter()
        .filter(|a| a.is_overdue(app.today))
        .count();
    let mut title = vec![Span::raw(format!(
        "{} ({open} open)",
        app.t("Afspraken", "Agreements")
    ))];
    if late > 0 {
        title.push(Span::styled(
            format!(" · {late} {}", app.t("te laat", "overdue")),
            Style::new().fg(theme.error),
        ));
    }
    listing(
        view,
        Panel::Agreements,
        title,
        rows,
        app.t("Geen afspraken.", "No agreements."),
    )
}

/// Flags: the catalogue name (or the key) and since when; ended ones muted.
pub fn flags<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let since = app.t("sinds", "since");
    let until = app.t("tot", "until");
    let date_w = text::width(since).max(text::width(until)) + 11;
    let name_w = w.saturating_sub(date_w + 1);
    let rows = view
        .data
        .flags
        .iter()
        .map(|f| {
            let name = app
                .reference
                .flags
                .by_key(&f.kind)
                .map_or(f.kind.as_str(), |k| k.name.as_str());
            let (when, style) = match &f.ended {
                None => (
                    format!("{since} {}", text::date(f.since)),
                    Style::new().fg(theme.text),
                ),
                Some((on, _)) => (
                    format!("{until} {}", text::date(*on)),
                    Style::new().fg(theme.muted),
                ),
            };
            Line::from(vec![
                cell(name, name_w, style),
                gap(),
                rcell(&when, date_w, Style::new().fg(theme.muted)),
            ])
        })
        .collect();
    let active = view.data.flags.iter().filter(|f| f.is_active()).count();
    let title = vec![Span::raw(format!(
        "{} ({active})",
        app.t("Signalen", "Flags")
    ))];
    listing(
        view,
        Panel::Flags,
        title,
        rows,
        app.t("Geen signalen.", "No flags."),
    )
}

/// Plan goals with their status; reached ones ✓, stopped ones muted.
pub fn goals<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let status_w = 9;
    let goal_w = w.saturating_sub(status_w + 1);
    let rows = view
        .data
        .goals
        .iter()
        .map(|g| {
            let (status, style, goal_style) = match g.status {
                GoalStatus::Lopend => (
                    format!("○ {}", app.t("lopend", "ongoing")),
                    Style::new().fg(theme.text),
                    Style::new().fg(theme.text),
                ),
                GoalStatus::Bereikt => (
                    format!("✓ {}", app.t("bereikt", "reached")),
                    Style::new().fg(theme.ok),
                    Style::new().fg(theme.text),
                ),
                GoalStatus::Gestopt => (
                    format!("✗ {}", app.t("gestopt", "stopped")),
                    Style::new().fg(theme.muted),
                    Style::new().fg(theme.muted),
                ),
            };
            Line::from(vec![
                cell(&g.goal, goal_w, goal_style),
                gap(),
                cell(&status, status_w, style),
            ])
        })
        .collect();
    let title = vec![Span::raw(format!(
        "{} ({})",
        app.t("Plan", "Plan"),
        view.data.goals.len()
    ))];
    listing(
        view,
        Panel::Goals,
        title,
        rows,
        app.t("Nog geen doelen.", "No goals yet."),
    )
}

/// Recent contacts, newest first: date, kind, minutes, note.
pub fn contacts<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let wide = w >= WIDE;
    let narrow_date =
        text::day_month_width(view.data.contacts.iter().map(|c| c.contact_on), app.today);
    let (date_w, kind_w, min_w) = if wide {
        (10, 18, 6)
    } else {
        (narrow_date, 10, 6)
    };
    let note_w = w.saturating_sub(date_w + kind_w + min_w + 3);
    let rows = view
        .data
        .contacts
        .iter()
        .map(|c| {
            let kind = app
                .reference
                .contact_kinds
                .by_key(&c.kind)
                .map_or(c.kind.as_str(), |k| k.name.as_str());
            let date = if wide {
                text::date(c.contact_on)
            } else {
                text::day_month(c.contact_on, app.today)
            };
            Line::from(vec![
                cell(&date, date_w, Style::new().fg(theme.text)),
                gap(),
                cell(kind, kind_w, Style::new().fg(theme.text)),
                gap(),
                rcell(
                    &format!("{} min", c.minutes),
                    min_w,
                    Style::new().fg(theme.muted),
                ),
                gap(),
                cell(
                    c.note.as_deref().unwrap_or(""),
                    note_w,
                    Style::new().fg(theme.muted),
                ),
            ])
        })
        .collect();
    let title = vec![Span::raw(app.t("Contacten", "Contacts").to_string())];
    listing(
        view,
        Panel::Contacts,
        title,
        rows,
        app.t("Nog geen contacten.", "No contacts yet."),
    )
}

/// Provisions: product, member's first name, the granted period, the actual care as the
/// provider reported it (start and stop messages) and the status. A narrow panel shows the
/// actual care in place of the period and the status once the provider has reported it.
pub fn provisions<'a>(app: &App, view: &DashboardView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let short = |d: chrono::NaiveDate| d.format("%d-%m-%y").to_string();
    let span = |from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>| match (from, to) {
        (Some(f), Some(t)) => format!("{}–{}", short(f), short(t)),
        (Some(f), None) => format!("{}–", short(f)),
        (None, Some(t)) => format!("–{}", short(t)),
        (None, None) => String::new(),
    };
    let wide = w >= 60;
    let status_w = 11;
    let period_w = 17;
    let name_w = if wide {
        w.saturating_sub(status_w + 2 * period_w + 3)
    } else {
        w.saturating_sub(status_w + 1)
    };
    let rows = view
        .data
        .provisions
        .iter()
        .map(|p| {
            let product = app
                .reference
                .products
                .product(&p.product)
                .map_or(p.product.as_str(), |x| x.name.as_str());
            let first = view
                .data
                .members
                .iter()
                .find(|m| m.id == p.person_id)
                .and_then(|m| m.name.split_whitespace().next())
                .unwrap_or("");
            let style = match p.status {
                ProvisionStatus::Afgewezen | ProvisionStatus::Beeindigd => {
                    Style::new().fg(theme.muted)
                }
                _ => Style::new().fg(theme.text),
            };
            let end = p
                .ended
                .as_ref()
                .map(|(on, _)| p.end_on.map_or(*on, |e| e.min(*on)))
                .or(p.end_on);
            let care = span(p.care.started_on, p.care.ended_on);
            if wide {
                Line::from(vec![
                    cell(&format!("{product} · {first}"), name_w, style),
                    gap(),
                    cell(&span(Some(p.start_on), end), period_w, style),
                    gap(),
                    cell(
                        &if care.is_empty() {
                            String::new()
                        } else {
                            format!("▸{care}")
                        },
                        period_w,
                        Style::new().fg(theme.accent),
                    ),
                    gap(),
                    cell(p.status.name(), status_w, style),
                ])
            } else {
                let last = match (p.care.started_on, p.care.ended_on) {
                    (_, Some(e)) => format!("◼{}", short(e)),
                    (Some(s), None) => format!("▸{}", short(s)),
                    (None, None) => p.status.name().to_string(),
                };
                Line::from(vec![
                    cell(&format!("{product} · {first}"), name_w, style),
                    gap(),
                    cell(&last, status_w, style),
                ])
            }
        })
        .collect();
    let title = vec![Span::raw(format!(
        "{} ({})",
        app.t("Voorzieningen", "Provisions"),
        view.data.provisions.len()
    ))];
    listing(
        view,
        Panel::Provisions,
        title,
        rows,
        app.t("Geen voorzieningen.", "No provisions."),
    )
}
