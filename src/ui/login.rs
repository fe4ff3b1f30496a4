//! The login (and lock) screen: a centred box with user name and password. The password is
//! drawn as one "•" per character, never as text.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use super::text;
use crate::app::App;
use crate::app::state::{LoginField, LoginForm};

/// The widest the box gets.
const BOX_WIDTH: u16 = 64;
/// The column where the input fields start, inside the box.
const LABEL_WIDTH: usize = 17;

pub fn render(app: &App, form: &LoginForm, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let box_width = BOX_WIDTH.min(area.width);
    // Inside the borders one column of padding each side.
    let content_width = usize::from(box_width.saturating_sub(4));
    let error = form
        .error
        .as_deref()
        .map(|e| text::wrap(e, content_width))
        .unwrap_or_default();
    let demo_note = app.t(
        "Demo: anna en bram (professional, Overvecht en Zuid), carla (backoffice), \
         dirk (teamleider), beheer (beheerder); wachtwoord: demo",
        "Demo: anna and bram (professional, Overvecht and Zuid), carla (backoffice), \
         dirk (teamleider), beheer (beheerder); password: demo",
    );
    let demo = if app.demo {
        text::wrap(demo_note, content_width)
    } else {
        Vec::new()
    };

    let muted = Style::new().fg(theme.muted);
    let mut lines: Vec<Line> = vec![Line::raw("")];
    if form.locked {
        let note = app.t(
            "Vergrendeld. Ontgrendel met je wachtwoord, of log in als iemand anders \
             (Shift-Tab naar de gebruikersnaam).",
            "Locked. Unlock with your password, or log in as someone else \
             (Shift-Tab to the username).",
        );
        lines.extend(
            text::wrap(note, content_width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, muted))),
        );
        lines.push(Line::raw(""));
    }
    let field_width = content_width.saturating_sub(LABEL_WIDTH).max(1);
    let fields = [
        (
            LoginField::Username,
            app.t("Gebruikersnaam", "Username"),
            text::tail(form.username.as_str(), field_width - 1),
        ),
        (
            LoginField::Password,
            app.t("Wachtwoord", "Password"),
            "•".repeat(form.password.len().min(field_width - 1)),
        ),
    ];
    let mut cursor = None;
    for (field, label, value) in fields {
        let focused = form.focus == field;
        let (marker, label_style) = if focused {
            (
                "▸ ",
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            )
        } else {
            ("  ", Style::new().fg(theme.text))
        };
        let field_style = Style::new()
            .fg(theme.text)
            .add_modifier(Modifier::UNDERLINED);
        if focused {
            cursor = Some((lines.len(), text::width(&value)));
        }
        lines.push(Line::from(vec![
            Span::styled(marker, label_style),
            text::cell(label, LABEL_WIDTH - 2, label_style),
            text::cell(&value, field_width, field_style),
        ]));
        lines.push(Line::raw(""));
    }
    for e in error {
        lines.push(Line::from(Span::styled(
            e,
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        )));
    }
    if !demo.is_empty() {
        if form.error.is_some() {
            lines.push(Line::raw(""));
        }
        lines.extend(demo.into_iter().map(|l| Line::from(Span::styled(l, muted))));
        lines.push(Line::raw(""));
    }

    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(area.height)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width - box_width) / 2,
        y: area.y + (area.height - height) / 2,
        width: box_width,
        height,
    };
    let title = if form.locked {
        app.t("Vergrendeld", "Locked")
    } else {
        app.t("Inloggen", "Log in")
    };
    let title = Line::from(Span::styled(
        format!(" {title} "),
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(Style::new().fg(theme.accent))
        .title(title);
    let inner = block.inner(rect);
    let content = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), content);
    if let Some((row, col)) = cursor {
        let x = content.x + u16::try_from(LABEL_WIDTH + col).unwrap_or(0);
        let y = content.y + u16::try_from(row).unwrap_or(0);
        if x < content.right() && y < content.bottom() {
            frame.set_cursor_position(Position { x, y });
        }
    }
}
