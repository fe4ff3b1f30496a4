//! Forms and the command palette, drawn as boxes over the lower part of the screen so the
//! household stays visible above them. Each field shows its message right under it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::text::{self, cell};
use crate::app::App;
use crate::app::form::Field;
use crate::app::forms::Form;
use crate::app::palette::Palette;
use crate::app::text_input::thousands;
use crate::theme::Theme;

/// The widest a form gets.
const MAX_WIDTH: u16 = 76;

/// A box of `height` rows at the bottom of `area`, centred horizontally.
pub fn bottom_box(area: Rect, height: u16) -> Rect {
    let width = MAX_WIDTH.min(area.width.saturating_sub(2));
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.bottom() - height,
        width,
        height,
    }
}

/// A double-bordered box with a title, cleared underneath.
pub fn framed<'a>(theme: &Theme, title: String) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(theme.accent))
        .style(Style::new().bg(theme.background).fg(theme.text))
        .title(Line::from(Span::styled(
            format!(" {title} "),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )))
}

/// The value of a field with its cursor (focused text fields) or arrows (choices).
fn value_spans(theme: &Theme, field: &Field, focused: bool, room: usize) -> Vec<Span<'static>> {
    let base = Style::new().fg(theme.text);
    let cursor = Style::new().add_modifier(Modifier::REVERSED);
    if field.is_choice() {
        let arrows = Style::new().fg(if focused { theme.accent } else { theme.muted });
        return vec![
            Span::styled("‹ ", arrows),
            Span::styled(
                text::truncate(field.shown(), room.saturating_sub(4)),
                base.add_modifier(Modifier::BOLD),
            ),
            Span::styled(" ›", arrows),
        ];
    }
    if !focused {
        return vec![Span::styled(text::truncate(field.typed(), room), base)];
    }
    // Keep the cursor in view: show the tail of a long value.
    let (before, at, after) = field.input.window(room.max(2));
    vec![
        Span::styled(before, base),
        Span::styled(at, cursor),
        Span::styled(after, base),
    ]
}

/// The lines of a form: per field a line, plus a line for its message when it has one.
fn form_lines(app: &App, form: &Form, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let label_w = form
        .fields
        .list
        .iter()
        .map(|f| text::width(&f.label))
        .max()
        .unwrap_or(0)
        .min(24);
    let room = width.saturating_sub(label_w + 4);
    let mut lines = Vec::new();
    for (i, field) in form.fields.list.iter().enumerate() {
        let focused = i == form.fields.focus;
        let marker = if focused { "▸ " } else { "  " };
        let label_style = if focused {
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.muted)
        };
        let mut spans = vec![
            Span::styled(marker, Style::new().fg(theme.accent)),
            cell(&field.label, label_w, label_style),
            Span::raw("  "),
        ];
        let value = value_spans(theme, field, focused, room);
        let used: usize = value.iter().map(|s| text::width(&s.content)).sum();
        spans.extend(value);
        if let Some(hint) = &field.hint {
            let left = room.saturating_sub(used + 2);
            if left > 3 {
                spans.push(Span::styled(
                    format!("  {}", text::truncate(hint, left)),
                    Style::new().fg(theme.muted),
                ));
            }
        }
        lines.push(Line::from(spans));
        let indent = " ".repeat(label_w + 4);
        if let Some(error) = &field.error {
            for (n, part) in text::wrap(error, room.max(10)).into_iter().enumerate() {
                let mark = if n == 0 { "✗ " } else { "  " };
                lines.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(
                        format!("{mark}{part}"),
                        Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
                    ),
                ]));
            }
        } else if let Some(warning) = field.note.as_ref().or(field.warning.as_ref()) {
            lines.push(Line::from(vec![
                Span::raw(indent),
                Span::styled(
                    format!("! {}", text::truncate(warning, room.saturating_sub(2))),
                    Style::new().fg(theme.warning),
                ),
            ]));
        }
    }
    if let Some(summary) = &form.summary {
        lines.push(Line::raw(""));
        let style = if form.confirming {
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.text)
        };
        for part in text::wrap(summary, width.max(10)) {
            lines.push(Line::styled(part, style));
        }
    }
    lines.push(Line::raw(""));
    if form.confirming && !form.saving && form.error.is_none() {
        lines.push(Line::styled(
            app.t(
                "Enter = uitvoeren · Esc = terug naar het formulier",
                "Enter = carry out · Esc = back to the form",
            )
            .to_string(),
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        ));
        return lines;
    }
    lines.push(footer(
        app,
        form.error.as_deref(),
        form.confirm_discard,
        form.saving.then_some(form.progress),
        width,
    ));
    lines
}

/// The last line of a form or grid: the save error, the discard question, or the keys. While
/// saving, `saving` is `Some`, with how far a save in batches is.
pub fn footer(
    app: &App,
    error: Option<&str>,
    confirm: bool,
    saving: Option<Option<(usize, usize)>>,
    width: usize,
) -> Line<'static> {
    let theme = &app.theme;
    if confirm {
        return Line::from(Span::styled(
            app.t(
                "Wijzigingen weggooien? j = weggooien, andere toets = verder typen",
                "Discard changes? y = discard, any other key = keep typing",
            )
            .to_string(),
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(e) = error {
        return Line::from(Span::styled(
            format!("✗ {}", text::truncate(e, width.saturating_sub(2))),
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(progress) = saving {
        let text = match progress {
            Some((done, total)) => {
                let (done, total) = (thousands(done, app.lang), thousands(total, app.lang));
                match app.lang {
                    crate::i18n::Lang::Nl => format!("Opslaan… {done} van {total} gedaan"),
                    crate::i18n::Lang::En => format!("Saving… {done} of {total} done"),
                }
            }
            None => app.t("Opslaan…", "Saving…").to_string(),
        };
        return Line::from(Span::styled(text, Style::new().fg(theme.muted)));
    }
    Line::from(Span::styled(
        app.t(
            "Enter opslaan · Tab volgend veld · ←/→ kiezen · Esc annuleren",
            "Enter save · Tab next field · ←/→ choose · Esc cancel",
        )
        .to_string(),
        Style::new().fg(theme.muted),
    ))
}

/// Draws a form over the bottom of `area`.
pub fn render(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let probe = bottom_box(area, 3);
    let width = usize::from(probe.width.saturating_sub(4));
    let lines = form_lines(app, form, width);
    let height = u16::try_from(lines.len() + 2).unwrap_or(area.height);
    let rect = bottom_box(area, height);
    draw_box(frame, rect, framed(&app.theme, form.title.clone()), lines);
}

/// Clears `rect`, draws `block` on it and `lines` inside with a column of padding each side.
pub fn draw_box(frame: &mut Frame, rect: Rect, block: Block<'_>, lines: Vec<Line<'_>>) {
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        },
    );
}

/// Draws the command palette at the top of `area`.
pub fn render_palette(app: &App, palette: &Palette, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let matches = palette.matches();
    let rows = matches.len().clamp(1, 12);
    let height = u16::try_from(rows + 4)
        .unwrap_or(area.height)
        .min(area.height);
    let width = 60.min(area.width.saturating_sub(2));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    let block = framed(theme, app.t("Opdracht", "Command").to_string());
    let inner = block.inner(rect);
    let w = usize::from(inner.width.saturating_sub(2));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                ": ",
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::raw(palette.query.as_str().to_string()),
            Span::styled(" ", Style::new().add_modifier(Modifier::REVERSED)),
        ]),
        Line::raw(""),
    ];
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(
            app.t("Geen opdracht gevonden.", "No command found.")
                .to_string(),
            Style::new().fg(theme.muted),
        )));
    }
    let skip = palette.selected.saturating_sub(rows - 1);
    for (i, c) in matches.iter().enumerate().skip(skip).take(rows) {
        let style = if i == palette.selected {
            super::panel::selected_style(theme)
        } else {
            Style::new().fg(theme.text)
        };
        let keys_w = 12.min(w / 3);
        lines.push(Line::from(vec![
            cell(&c.label, w.saturating_sub(keys_w + 1), style),
            Span::raw(" "),
            super::text::rcell(&c.keys, keys_w, Style::new().fg(theme.muted)),
        ]));
    }
    draw_box(frame, rect, block, lines);
}
