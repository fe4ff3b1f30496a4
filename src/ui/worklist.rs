//! The backoffice worklist screen: the lists as tabs, the filter line, and a table with a
//! selection mark per row. A summary of the selection sits on the filter line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel;
use super::text::{self, cell, gap};
use crate::app::App;
use crate::app::worklist::WorklistView;
use crate::model::worklists::Worklist;

/// The actual care in 17 characters: "03-12-26–31-03-27", "03-12-26–", or "—" without a start.
fn care_span(care: &crate::domain::provision::Care) -> String {
    let short = |d: chrono::NaiveDate| d.format("%d-%m-%y").to_string();
    match (care.started_on, care.ended_on) {
        (Some(s), Some(e)) => format!("{}–{}", short(s), short(e)),
        (Some(s), None) => format!("{}–", short(s)),
        (None, Some(e)) => format!("–{}", short(e)),
        (None, None) => "—".to_string(),
    }
}

/// Draws the worklist screen into `area`.
pub fn render(app: &App, view: &WorklistView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let muted = Style::new().fg(theme.muted);
    let w = usize::from(area.width);
    // Tabs.
    let mut tabs = vec![Span::raw(" ")];
    for list in Worklist::ALL {
        let style = if list == view.list {
            Style::new()
                .fg(theme.accent)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            muted
        };
        tabs.push(Span::styled(list.title(), style));
        tabs.push(Span::raw("   "));
    }
    let rows = view.rows();
    let total = view.total;
    let filter = Line::from(vec![
        Span::styled(format!(" {} ", app.t("Filter:", "Filter:")), muted),
        Span::styled(
            view.filter.as_str().to_string(),
            Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
        ),
        Span::styled("▏", Style::new().fg(theme.accent)),
        Span::styled(
            match app.lang {
                crate::i18n::Lang::Nl => format!(
                    "  {rows} van {total} · {} geselecteerd · sortering: {}{}",
                    view.selected.len(),
                    view.sort.name(),
                    if view.descending { " ↓" } else { " ↑" }
                ),
                crate::i18n::Lang::En => format!(
                    "  {rows} of {total} · {} selected · sorted on: {}{}",
                    view.selected.len(),
                    view.sort.name(),
                    if view.descending { " ↓" } else { " ↑" }
                ),
            },
            muted,
        ),
    ]);
    frame.render_widget(
        Paragraph::new(vec![Line::from(tabs), filter]),
        Rect { height: 2, ..area },
    );
    let table = Rect {
        y: area.y + 3,
        height: area.height.saturating_sub(3),
        ..area
    };
    if view.is_loading() {
        frame.render_widget(
            Paragraph::new(Span::styled(app.t(" Laden …", " Loading …"), muted)),
            table,
        );
        return;
    }
    if let Some(e) = &view.error {
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {e}"), Style::new().fg(theme.error))),
            table,
        );
        return;
    }
    // Columns: mark, household, member, BSN, product, provider, start, end, the actual care
    // (start and stop messages), status. Below 110 columns the end date, the care and the
    // status (mostly the list's own) make room for the names.
    let wide = w >= 110;
    let fixed = 2 + 10 + 10 + if wide { 10 + 17 + 11 + 3 } else { 0 } + 6;
    let rest = w.saturating_sub(fixed);
    let (house_w, person_w, product_w, provider_w) = (
        rest * 24 / 100,
        rest * 24 / 100,
        rest * 30 / 100,
        rest * 22 / 100,
    );
    let mut head = vec![
        Span::raw("  "),
        cell(app.t("Huishouden", "Household"), house_w, muted),
        gap(),
        cell(app.t("Gezinslid", "Member"), person_w, muted),
        gap(),
        cell("BSN", 10, muted),
        gap(),
        cell(app.t("Product", "Product"), product_w, muted),
        gap(),
        cell(app.t("Aanbieder", "Provider"), provider_w, muted),
        gap(),
        cell(app.t("Ingang", "Start"), 10, muted),
    ];
    if wide {
        head.extend([
            gap(),
            cell(app.t("Einde", "End"), 10, muted),
            gap(),
            cell(app.t("Zorg (aanbieder)", "Care (provider)"), 17, muted),
            gap(),
            cell("Status", 11, muted),
        ]);
    }
    let head = Line::from(head);
    let visible = usize::from(table.height).saturating_sub(1);
    let cursor = view.cursor.min(rows.saturating_sub(1));
    let skip = (cursor + 1).saturating_sub(visible);
    let mut lines = vec![head];
    if rows == 0 {
        lines.push(Line::from(Span::styled(
            app.t("  Niets op deze lijst.", "  Nothing on this list."),
            muted,
        )));
    }
    // The selected row in full above the table: what a cell cuts off ("Wilma van d…") is read
    // here.
    if let Some(item) = view.item(cursor) {
        let p = &item.provision;
        let product = app
            .reference
            .products
            .product(&p.product)
            .map_or(p.product.clone(), |x| format!("{} {}", p.product, x.name));
        let period = match p.end_on {
            Some(end) => format!("{} t/m {}", text::date(p.start_on), text::date(end)),
            None => text::date(p.start_on),
        };
        let mut parts = vec![item.household.clone(), item.person.clone(), product];
        if let Some(provider) = &item.provider {
            parts.push(provider.clone());
        }
        parts.push(period);
        parts.push(p.status.name().to_string());
        let detail = format!(" ▸ {}", parts.join(" · "));
        frame.render_widget(
            Paragraph::new(Span::styled(text::truncate(&detail, w), muted)),
            Rect {
                y: area.y + 2,
                height: 1,
                ..area
            },
        );
    }
    for row in (skip..rows).take(visible) {
        // A row whose page is still on its way: a placeholder until it arrives.
        let Some(item) = view.item(row) else {
            lines.push(Line::from(Span::styled(
                app.t("  … laden", "  … loading"),
                muted,
            )));
            continue;
        };
        let p = &item.provision;
        let style = if row == cursor {
            panel::selected_style(theme)
        } else {
            Style::new().fg(theme.text)
        };
        let mark = if view.selected.contains(&p.id) {
            "☑ "
        } else {
            "☐ "
        };
        let product = app
            .reference
            .products
            .product(&p.product)
            .map_or(p.product.clone(), |x| format!("{} {}", p.product, x.name));
        let bsn = item
            .bsn
            .as_deref()
            .and_then(|b| crate::domain::bsn::Bsn::parse(b).ok())
            .map(|b| b.masked())
            .unwrap_or_else(|| "—".to_string());
        let mut spans = vec![
            Span::styled(mark, Style::new().fg(theme.accent)),
            cell(&item.household, house_w, style),
            gap(),
            cell(&item.person, person_w, style),
            gap(),
            cell(&bsn, 10, style),
            gap(),
            cell(&product, product_w, style),
            gap(),
            cell(item.provider.as_deref().unwrap_or("—"), provider_w, style),
            gap(),
            cell(&text::date(p.start_on), 10, style),
        ];
        if wide {
            spans.extend([
                gap(),
                cell(&p.end_on.map(text::date).unwrap_or_default(), 10, style),
                gap(),
                cell(&care_span(&p.care), 17, style),
                gap(),
                cell(p.status.name(), 11, style),
            ]);
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), table);
}
