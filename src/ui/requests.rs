//! The worklist "Verzoeken van aanbieders": one row per open request (received, kind, law,
//! provider, household and member, the provider's reference, what it asks), and under it what
//! the last reading of message files said.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel;
use super::text::{cell, gap};
use crate::app::App;
use crate::app::requests::RequestsView;
use crate::model::messages::{ProviderRequest, RequestKind};

/// What a request asks, in one line: "nieuw 02A05 2 uur per week 01-06-27–30-11-27".
fn asks(r: &ProviderRequest) -> String {
    let short = |d: chrono::NaiveDate| d.format("%d-%m-%y").to_string();
    r.lines
        .iter()
        .filter(|l| l.action != "ongewijzigd")
        .map(|l| {
            let what = match (&l.product, l.provision_id) {
                (Some((_, code)), _) => code.clone(),
                (None, Some(id)) => format!("toewijzing {id:09}"),
                _ => "-".into(),
            };
            let volume = l
                .volume
                .map(|(v, u, f)| format!(" {v} {} {}", u.code(), f.name()))
                .unwrap_or_default();
            let period = match (l.start_on, l.end_on) {
                (Some(s), Some(e)) => format!(" {}–{}", short(s), short(e)),
                (Some(s), None) => format!(" vanaf {}", short(s)),
                _ => String::new(),
            };
            format!("{} {what}{volume}{period}", l.action)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Draws the requests screen into `area`.
pub fn render(app: &App, view: &RequestsView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let muted = Style::new().fg(theme.muted);
    let w = usize::from(area.width);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            " {}",
            app.t(
                "Verzoeken van aanbieders (315 verzoek om toewijzing, 317 verzoek om wijziging)",
                "Requests from providers (315 assignment, 317 change)"
            )
        ),
        Style::new().fg(theme.accent),
    ))];
    let Some(items) = &view.items else {
        lines.push(Line::from(Span::styled(
            app.t(" Laden …", " Loading …"),
            muted,
        )));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    if let Some(e) = &view.error {
        lines.push(Line::from(Span::styled(
            format!(" {e}"),
            Style::new().fg(theme.error),
        )));
    }
    let fixed = 2 + 8 + 10 + 8 + 5;
    let rest = w.saturating_sub(fixed);
    let (provider_w, person_w, asks_w) = (rest * 25 / 100, rest * 25 / 100, rest * 50 / 100);
    lines.push(Line::from(vec![
        Span::raw("  "),
        cell(app.t("Ontvangen", "Received"), 8, muted),
        gap(),
        cell(app.t("Soort", "Kind"), 10, muted),
        gap(),
        cell(app.t("Wet", "Law"), 8, muted),
        gap(),
        cell(app.t("Aanbieder", "Provider"), provider_w, muted),
        gap(),
        cell(
            app.t("Huishouden / gezinslid", "Household / member"),
            person_w,
            muted,
        ),
        gap(),
        cell(app.t("Vraagt", "Asks"), asks_w, muted),
    ]));
    if items.is_empty() {
        lines.push(Line::from(Span::styled(
            app.t("  Geen open verzoeken.", "  No open requests."),
            muted,
        )));
    }
    let report_h = view.report.len().min(6);
    let visible =
        usize::from(area.height).saturating_sub(lines.len() + report_h + usize::from(report_h > 0));
    let skip = (view.cursor + 1).saturating_sub(visible);
    for (row, r) in items.iter().enumerate().skip(skip).take(visible) {
        let style = if row == view.cursor {
            panel::selected_style(theme)
        } else {
            Style::new().fg(theme.text)
        };
        let kind = match r.kind {
            RequestKind::Toewijzing => app.t("toewijzing", "assignment"),
            RequestKind::Wijziging => app.t("wijziging", "change"),
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            cell(&r.received_on.format("%d-%m-%y").to_string(), 8, style),
            gap(),
            cell(kind, 10, style),
            gap(),
            cell(r.law.name(), 8, style),
            gap(),
            cell(&r.provider.name, provider_w, style),
            gap(),
            cell(&format!("{} / {}", r.household, r.person), person_w, style),
            gap(),
            cell(&format!("{} · ref {}", asks(r), r.reference), asks_w, style),
        ]));
    }
    if report_h > 0 {
        lines.push(Line::from(""));
        let start = view.report.len() - report_h;
        for line in &view.report[start..] {
            lines.push(Line::from(Span::styled(format!(" {line}"), muted)));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
