//! The ZRM panel: every domain of the catalogue for the selected member, with a bar whose level
//! reads without colour ("██···" and the digit), the level label and the change since the
//! previous assessment ("↑1", "↓2", "=").

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel;
use super::text::{self, cell, gap};
use crate::app::App;
use crate::app::state::{DashboardView, Panel};
use crate::domain::zrm::{self, Assessment, Score};
use crate::i18n::Lang;

/// The bar's cells: one per level.
const BAR: usize = 5;

pub fn render(app: &App, view: &DashboardView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let data = &view.data;
    let member = data.members.get(view.member);
    let mut history: Vec<&Assessment> = member
        .map(|m| {
            data.assessments
                .iter()
                .filter(|a| a.person_id == m.id)
                .collect()
        })
        .unwrap_or_default();
    history.sort_by_key(|a| a.assessed_on);
    let last = history.last().copied();
    let previous = history
        .len()
        .checked_sub(2)
        .and_then(|i| history.get(i))
        .copied();

    let mut title = vec![Span::raw("ZRM")];
    if let Some(m) = member {
        title.push(Span::raw(format!(" · {}", m.name)));
        let when = match last {
            Some(a) => text::date(a.assessed_on),
            None => app.t("nog geen ZRM", "no ZRM yet").to_string(),
        };
        title.push(Span::styled(
            format!(" · {when}"),
            Style::new().fg(theme.muted),
        ));
    }
    let mut block = panel::block(theme, title, view.panel == Panel::Zrm);
    let inner = block.inner(area);
    let domains = &app.reference.zrm.domains;
    let hidden = domains.len().saturating_sub(usize::from(inner.height));
    if hidden > 0 {
        let more = match app.lang {
            Lang::Nl => format!(" … +{hidden} meer "),
            Lang::En => format!(" … +{hidden} more "),
        };
        block = block.title_bottom(
            Line::from(Span::styled(more, Style::new().fg(theme.muted))).right_aligned(),
        );
    }

    // Columns: name, bar, digit, label, change.
    let w = panel::inner_width(area);
    let fixed = BAR + 1 + 2 + 4;
    let rest = w.saturating_sub(fixed);
    let longest_name = domains
        .iter()
        .map(|d| text::width(&d.name))
        .max()
        .unwrap_or(0);
    let name_w = (rest * 2 / 3)
        .max(rest.saturating_sub(21))
        .min(longest_name);
    let label_w = rest.saturating_sub(name_w);
    let muted = Style::new().fg(theme.muted);
    let rows: Vec<Line> = domains
        .iter()
        .take(usize::from(inner.height))
        .map(|d| {
            let score = last.map(|a| a.scores.get(&d.key).copied().unwrap_or(Score::NotScored));
            let before = previous.and_then(|a| a.scores.get(&d.key).copied());
            let mut spans = vec![
                cell(
                    &text::shorten(&d.name, name_w),
                    name_w,
                    Style::new().fg(theme.text),
                ),
                gap(),
            ];
            match score {
                Some(Score::Level(n)) => {
                    let label = app.reference.zrm.level_label(n).unwrap_or("");
                    spans.extend(bar(app, Score::Level(n)));
                    spans.extend([
                        gap(),
                        cell(
                            &text::initials(label, label_w),
                            label_w,
                            Style::new().fg(theme.text),
                        ),
                        gap(),
                        change(app, before, Score::Level(n)),
                    ]);
                }
                Some(Score::NotScored) => spans.extend(bar(app, Score::NotScored)),
                None => spans.push(Span::styled("·".repeat(BAR), muted)),
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The bar and the digit of a score; not scored is an empty bar and "–".
pub fn bar(app: &App, score: Score) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let muted = Style::new().fg(theme.muted);
    match score {
        Score::Level(n) => {
            let level = usize::from(n).min(BAR);
            let colour = Style::new().fg(theme.zrm_colour(n));
            vec![
                Span::styled("█".repeat(level), colour),
                Span::styled("·".repeat(BAR - level), muted),
                gap(),
                Span::styled(n.to_string(), colour.add_modifier(Modifier::BOLD)),
            ]
        }
        Score::NotScored => vec![
            Span::styled("·".repeat(BAR), muted),
            gap(),
            Span::styled("–", muted),
        ],
    }
}

/// "↑1", "↓2", "=" or nothing when there is no earlier score to compare with.
pub fn change(app: &App, before: Option<Score>, now: Score) -> Span<'static> {
    let theme = &app.theme;
    match zrm::change(before, now) {
        Some(d) if d > 0 => Span::styled(format!("↑{d}"), Style::new().fg(theme.ok)),
        Some(d) if d < 0 => Span::styled(format!("↓{}", -d), Style::new().fg(theme.error)),
        Some(_) => Span::styled("=", Style::new().fg(theme.muted)),
        None => Span::raw(""),
    }
}
