//! The providers screen: the providers with AGB code, contact and number of contracts, and
//! under them the contracts of the selected provider.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::{self, Listing};
use super::text::{self, cell, gap};
use crate::app::App;
use crate::app::providers::ProvidersView;

/// Draws the providers screen into `area`.
pub fn render(app: &App, view: &ProvidersView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let muted = Style::new().fg(theme.muted);
    let Some(providers) = &view.providers else {
        frame.render_widget(
            Paragraph::new(Span::styled(app.t(" Laden …", " Loading …"), muted)),
            area,
        );
        return;
    };
    let top_h = (area.height / 2).max(5);
    let top = Rect {
        height: top_h,
        ..area
    };
    let bottom = Rect {
        y: area.y + top_h,
        height: area.height.saturating_sub(top_h),
        ..area
    };
    let w = panel::inner_width(top);
    let name_w = w.saturating_sub(8 + 1 + 24 + 1 + 10);
    let rows: Vec<Line> = providers
        .iter()
        .map(|p| {
            let contracts = view
                .contracts
                .iter()
                .filter(|c| c.provider_id == p.id)
                .count();
            let style = Style::new().fg(theme.text);
            Line::from(vec![
                cell(&p.name, name_w, style),
                gap(),
                cell(&p.agb_code, 8, style),
                gap(),
                cell(p.contact.as_deref().unwrap_or("—"), 24, muted),
                gap(),
                Span::styled(
                    match app.lang {
                        crate::i18n::Lang::Nl => format!("{contracts} contr."),
                        crate::i18n::Lang::En => format!("{contracts} contr."),
                    },
                    muted,
                ),
            ])
        })
        .collect();
    let title = format!("{} ({})", app.t("Aanbieders", "Providers"), providers.len());
    let empty = view.error.clone().unwrap_or_else(|| {
        app.t(
            "Nog geen aanbieders: n legt er een vast.",
            "No providers yet: n registers one.",
        )
        .to_string()
    });
    panel::render_listing(
        frame,
        top,
        theme,
        app.lang,
        Listing {
            title: vec![Span::raw(title)],
            header: None,
            rows,
            selected: Some(view.cursor),
            focused: true,
            empty,
        },
    );
    let contracts = view.selected_contracts();
    let cw = panel::inner_width(bottom);
    let product_w = cw.saturating_sub(10 + 1 + 8 + 1 + 23);
    let rows: Vec<Line> = contracts
        .iter()
        .map(|c| {
            let product = app
                .reference
                .products
                .product(&c.product)
                .map_or(c.product.clone(), |p| format!("{} {}", c.product, p.name));
            let euros = format!("€ {},{:02}", c.tariff_cents / 100, c.tariff_cents % 100);
            let period = format!(
                "{} – {}",
                text::date(c.valid_from),
                c.valid_to.map(text::date).unwrap_or_default()
            );
            let style = Style::new().fg(theme.text);
            Line::from(vec![
                cell(&product, product_w, style),
                gap(),
                text::rcell(&euros, 10, style),
                gap(),
                cell(c.unit.code(), 8, muted),
                gap(),
                cell(&period, 23, muted),
            ])
        })
        .collect();
    let name = view.selected().map_or("", |p| p.name.as_str());
    let title = format!(
        "{} {name} ({})",
        app.t("Contracten van", "Contracts of"),
        contracts.len()
    );
    panel::render_listing(
        frame,
        bottom,
        theme,
        app.lang,
        Listing {
            title: vec![Span::raw(title)],
            header: None,
            rows,
            selected: None,
            focused: false,
            empty: app
                .t(
                    "Geen contracten: c voegt er een toe.",
                    "No contracts: c adds one.",
                )
                .to_string(),
        },
    );
}
