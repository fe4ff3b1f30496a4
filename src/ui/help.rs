//! The help overlay: every binding of the key map per screen, generated, never hand-written.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::text::{self, cell};
use crate::app::App;
use crate::app::keymap::Context;
use crate::i18n::Lang;

/// The widest the box gets.
const BOX_WIDTH: u16 = 72;

/// The help lines: per context a heading and its bindings (see `app::help`, which counts
/// the same lines for paging).
fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let role = app.user.as_ref().map(|u| u.role);
    let all: Vec<(Context, Vec<(String, &'static str)>)> =
        crate::app::help::sections(&app.keymap, role)
            .into_iter()
            .map(|(c, bindings)| {
                let labelled = bindings
                    .into_iter()
                    .map(|(keys, action)| (keys, action.label(app.lang)))
                    .collect();
                (c, labelled)
            })
            .collect();
    let keys_w = all
        .iter()
        .flat_map(|(_, b)| b.iter().map(|(k, _)| text::width(k)))
        .max()
        .unwrap_or(0);
    let mut out = vec![Line::from(Span::styled(
        app.t(
            "PgUp/PgDn bladeren, Home/End begin/einde. Toetsen wijzigen kan in keymap.toml in de configuratiemap.",
            "PgUp/PgDn page, Home/End top/end. Keys can be changed in keymap.toml in the config directory.",
        )
        .to_string(),
        Style::new().fg(theme.muted),
    ))];
    for (context, bindings) in all {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(
            context.title(app.lang).to_string(),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for (keys, label) in bindings {
            out.push(Line::from(vec![
                Span::raw("  "),
                cell(
                    &keys,
                    keys_w,
                    Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
                ),
                Span::raw("  "),
                Span::styled(label.to_string(), Style::new().fg(theme.text)),
            ]));
        }
    }
    out
}

/// Draws the overlay centred in `area`, scrolled down by `scroll` lines (clamped).
pub fn render(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = BOX_WIDTH.min(area.width.saturating_sub(4));
    let height = area.height.saturating_sub(2);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let lines = lines(app);
    let mut block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(theme.accent))
        .title(Line::from(Span::styled(
            format!(" {} ", app.t("Help: toetsen", "Help: keys")),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
    let inner = block.inner(rect);
    let content = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let visible = usize::from(content.height);
    let offset = scroll.min(lines.len().saturating_sub(visible));
    let below = lines.len().saturating_sub(offset + visible);
    let muted = Style::new().fg(theme.muted);
    if below > 0 {
        let more = match app.lang {
            Lang::Nl => format!(" … +{below} meer "),
            Lang::En => format!(" … +{below} more "),
        };
        block = block.title_bottom(Line::from(Span::styled(more, muted)).right_aligned());
    }
    if offset > 0 {
        block =
            block.title(Line::from(Span::styled(format!(" ↑ +{offset} "), muted)).right_aligned());
    }
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(visible).collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(block.style(Style::new().bg(theme.background)), rect);
    frame.render_widget(Paragraph::new(shown), content);
}
