//! The household dashboard: a header and six panels. At 80 columns two columns (ZRM and members
//! left, the lists right); from 120 columns three (agreements and plan in the middle). Panels that do not fit fold with a marker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::dashboard_panels as panels;
use super::panel::{self, Listing};
use super::text;
use super::zrm;
use crate::app::App;
use crate::app::state::{DashboardView, Panel};
use crate::domain::household::HouseholdStatus;

/// From this width the dashboard has three columns.
const THREE_COLUMNS: u16 = 120;

pub fn render(app: &App, view: &DashboardView, frame: &mut Frame, area: Rect) {
    let header_h = if area.height >= 40 { 3 } else { 2 };
    header(
        app,
        view,
        frame,
        Rect {
            height: header_h,
            ..area
        },
    );
    let body = Rect {
        y: area.y + header_h,
        height: area.height.saturating_sub(header_h),
        ..area
    };
    let want = |panel: Panel| {
        let rows = match panel {
            Panel::Zrm => app.reference.zrm.domains.len(),
            other => view.len(other),
        };
        u16::try_from(rows.max(1) + 2).unwrap_or(u16::MAX)
    };
    if body.width >= THREE_COLUMNS {
        let c1 = (body.width * 2 / 5).clamp(46, 66);
        // The middle column holds the longest texts (agreements, goals): it gets the extra room.
        let rest = body.width - c1;
        let c3 = (rest * 3 / 7).max(36).min(rest / 2);
        let cols = columns(body, &[c1, rest - c3, c3]);
        let left = panel::stack_heights(&[want(Panel::Members), want(Panel::Zrm)], body.height, 1);
        let middle = panel::stack_heights(
            &[want(Panel::Agreements), want(Panel::Goals)],
            body.height,
            0,
        );
        let right = panel::stack_heights(
            &[
                want(Panel::Flags),
                want(Panel::Contacts),
                want(Panel::Provisions),
            ],
            body.height,
            1,
        );
        draw(
            app,
            view,
            frame,
            &panel::split_rows(cols[0], &left),
            &[Panel::Members, Panel::Zrm],
        );
        draw(
            app,
            view,
            frame,
            &panel::split_rows(cols[1], &middle),
            &[Panel::Agreements, Panel::Goals],
        );
        draw(
            app,
            view,
            frame,
            &panel::split_rows(cols[2], &right),
            &[Panel::Flags, Panel::Contacts, Panel::Provisions],
        );
    } else {
        let c1 = (body.width * 11 / 20).clamp(44, 66);
        let cols = columns(body, &[c1, body.width - c1]);
        let zrm_h = want(Panel::Zrm).min(body.height.saturating_sub(3));
        let left = [body.height - zrm_h, zrm_h];
        let list_panels = [
            Panel::Agreements,
            Panel::Flags,
            Panel::Goals,
            Panel::Contacts,
            Panel::Provisions,
        ];
        let wants: Vec<u16> = list_panels.iter().map(|p| want(*p)).collect();
        let right = panel::stack_heights(&wants, body.height, 0);
        draw(
            app,
            view,
            frame,
            &panel::split_rows(cols[0], &left),
            &[Panel::Members, Panel::Zrm],
        );
        draw(
            app,
            view,
            frame,
            &panel::split_rows(cols[1], &right),
            &list_panels,
        );
    }
}

/// Splits `area` into columns of the given widths, left to right.
fn columns(area: Rect, widths: &[u16]) -> Vec<Rect> {
    let mut x = area.x;
    widths
        .iter()
        .map(|w| {
            let rect = Rect {
                x,
                width: *w,
                ..area
            };
            x += w;
            rect
        })
        .collect()
}

fn draw(app: &App, view: &DashboardView, frame: &mut Frame, rects: &[Rect], which: &[Panel]) {
    for (area, panel) in rects.iter().zip(which) {
        let area = *area;
        if area.height < 3 {
            continue;
        }
        if let Some(notice) = view.data.access.notice(app.lang)
            && !matches!(panel, Panel::Members | Panel::Provisions)
        {
            withheld(app, *panel, notice, frame, area);
            continue;
        }
        let listing: Listing = match panel {
            Panel::Zrm => {
                zrm::render(app, view, frame, area);
                continue;
            }
            Panel::Members => panels::members(app, view, area),
            Panel::Agreements => panels::agreements(app, view, area),
            Panel::Flags => panels::flags(app, view, area),
            Panel::Goals => panels::goals(app, view, area),
            Panel::Contacts => panels::contacts(app, view, area),
            Panel::Provisions => panels::provisions(app, view, area),
        };
        panel::render_listing(frame, area, &app.theme, app.lang, listing);
    }
}

/// A content panel the role may not see: its title and why it is empty.
fn withheld(app: &App, panel: Panel, notice: &str, frame: &mut Frame, area: Rect) {
    let title = match panel {
        Panel::Zrm => "ZRM",
        Panel::Agreements => app.t("Afspraken", "Agreements"),
        Panel::Flags => app.t("Signalen", "Flags"),
        Panel::Goals => app.t("Plan", "Plan"),
        Panel::Contacts => app.t("Contacten", "Contacts"),
        Panel::Provisions => app.t("Voorzieningen", "Provisions"),
        Panel::Members => "",
    };
    let block = panel::block(&app.theme, vec![Span::raw(title.to_string())], false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = text::wrap(notice, usize::from(inner.width).max(1))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, Style::new().fg(app.theme.muted))))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Label and address; team, regisseur, since when, open or closed.
fn header(app: &App, view: &DashboardView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let data = &view.data;
    let h = &data.household;
    let muted = Style::new().fg(theme.muted);
    let text_style = Style::new().fg(theme.text);
    let status = match &h.status {
        HouseholdStatus::Open => Span::styled(app.t("open", "open"), Style::new().fg(theme.ok)),
        HouseholdStatus::Closed { on, reason } => Span::styled(
            format!(
                "{} {} ({reason})",
                app.t("gesloten", "closed"),
                text::date(*on)
            ),
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        ),
    };
    let first = Line::from(vec![
        Span::raw(" "),
        Span::styled(
            h.label.clone(),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ),
        Span::raw("  "),
        Span::styled(h.address.one_line(), text_style),
        Span::styled(" · ", muted),
        status,
    ]);
    let dot = || Span::styled(" · ", muted);
    let second = Line::from(vec![
        Span::raw(" "),
        Span::styled(format!("{} ", app.t("Team", "Team")), muted),
        Span::styled(data.team_name.clone(), text_style),
        dot(),
        Span::styled(format!("{} ", app.t("regisseur", "coordinator")), muted),
        Span::styled(data.regisseur.display_name.clone(), text_style),
        dot(),
        Span::styled(format!("{} ", app.t("sinds", "since")), muted),
        Span::styled(text::date(h.opened_on), text_style),
    ]);
    // Consents (toestemmingen) in force: counted on small screens, named on large ones.
    let given: Vec<_> = data
        .consents
        .iter()
        .filter(|c| c.withdrawn_on.is_none())
        .collect();
    let mut second = second;
    let mut lines = vec![first];
    if area.height >= 3 {
        let mut third = vec![
            Span::raw(" "),
            Span::styled(format!("{} ", app.t("Toestemming:", "Consent:")), muted),
        ];
        if given.is_empty() {
            third.push(Span::styled(
                app.t("geen vastgelegd", "none recorded"),
                muted,
            ));
        }
        for (i, c) in given.iter().enumerate() {
            if i > 0 {
                third.push(dot());
            }
            third.push(Span::styled(
                format!(
                    "{} ({} {})",
                    c.purpose,
                    app.t("sinds", "since"),
                    text::date(c.given_on)
                ),
                text_style,
            ));
        }
        lines.push(second);
        lines.push(Line::from(third));
    } else {
        second.spans.push(dot());
        second.spans.push(Span::styled(
            match (app.lang, given.len()) {
                (crate::i18n::Lang::Nl, 0) => "geen toestemming".to_string(),
                (crate::i18n::Lang::En, 0) => "no consent".to_string(),
                (crate::i18n::Lang::Nl, n) => format!("toestemming: {n}"),
                (crate::i18n::Lang::En, n) => format!("consent: {n}"),
            },
            muted,
        ));
        lines.push(second);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
