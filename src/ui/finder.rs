//! The finder: one input line and the households that match, enough to tell them apart.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::{self, Listing};
use super::text::{self, cell, gap};
use crate::app::App;
use crate::app::state::FinderView;
use crate::app::update::FINDER_LIMIT;

pub fn render(app: &App, finder: &FinderView, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let input = Rect { height: 3, ..area };
    let results = Rect {
        y: area.y + 3,
        height: area.height.saturating_sub(3),
        ..area
    };

    // The input line, with the terminal cursor after the text.
    let block = panel::block(theme, vec![Span::raw(app.t("Zoeken", "Find"))], false);
    let inner = block.inner(input);
    let prompt = format!(" {} ", app.t("Zoek:", "Find:"));
    let room = usize::from(inner.width).saturating_sub(text::width(&prompt) + 1);
    let shown = text::tail(finder.query.as_str(), room);
    let cursor_x = inner.x + u16::try_from(text::width(&prompt) + text::width(&shown)).unwrap_or(0);
    frame.render_widget(block, input);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, Style::new().fg(theme.muted)),
            Span::styled(
                shown,
                Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
            ),
        ])),
        inner,
    );
    // No cursor under the help overlay.
    if cursor_x < inner.right() && app.help.is_none() {
        frame.set_cursor_position(Position {
            x: cursor_x,
            y: inner.y,
        });
    }

    let listing = listing(app, finder, results);
    panel::render_listing(frame, results, theme, app.lang, listing);
}

fn listing<'a>(app: &App, finder: &FinderView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let n = finder.hits.len();
    let count = match n {
        n if n >= FINDER_LIMIT => format!("{FINDER_LIMIT}+ {}", app.t("resultaten", "results")),
        1 => format!("1 {}", app.t("resultaat", "result")),
        n => format!("{n} {}", app.t("resultaten", "results")),
    };
    let title = if finder.searched.is_empty() {
        vec![Span::raw(app.t("Resultaten", "Results").to_string())]
    } else {
        vec![Span::raw(count)]
    };
    let empty = if finder.query.as_str().trim().is_empty() {
        app.t(
            "Typ om te zoeken op naam, straat, postcode, huisnummer, geboortedatum (dd-mm-jjjj) of BSN.",
            "Type to search by name, street, postcode, house number, birth date (dd-mm-jjjj) or BSN.",
        )
        .to_string()
    } else if finder.searched.is_empty() {
        app.t("Zoeken…", "Searching…").to_string()
    } else {
        match app.lang {
            crate::i18n::Lang::Nl => {
                format!("Geen huishoudens gevonden voor '{}'.", finder.searched)
            }
            crate::i18n::Lang::En => format!("No households found for '{}'.", finder.searched),
        }
    };
    let w = panel::inner_width(area);
    let label_w = (w * 2 / 7).clamp(14, 32);
    let address_w = (w * 2 / 5).clamp(20, 44);
    let members_w = w.saturating_sub(label_w + address_w + 2);
    let closed_text = format!(" ({})", app.t("gesloten", "closed"));
    let header = Line::from(vec![
        cell(app.t("Huishouden", "Household"), label_w, Style::new()),
        gap(),
        cell(app.t("Adres", "Address"), address_w, Style::new()),
        gap(),
        cell(app.t("Gezinsleden", "Members"), members_w, Style::new()),
    ]);
    let rows = finder
        .hits
        .iter()
        .map(|hit| {
            let style = if hit.open {
                Style::new().fg(theme.text)
            } else {
                Style::new().fg(theme.muted)
            };
            let mut label = vec![];
            if hit.open {
                label.push(cell(&hit.label, label_w, style));
            } else {
                let room = label_w.saturating_sub(text::width(&closed_text));
                let name = text::truncate(&hit.label, room);
                let name_w = text::width(&name);
                label.push(Span::styled(name, style));
                label.push(cell(&closed_text, label_w - name_w, style));
            }
            label.extend([
                gap(),
                cell(&hit.address, address_w, style),
                gap(),
                cell(
                    &hit.members.join(", "),
                    members_w,
                    Style::new().fg(theme.muted),
                ),
            ]);
            Line::from(label)
        })
        .collect();
    Listing {
        title,
        header: (n > 0).then_some(header),
        rows,
        selected: Some(finder.selected),
        focused: true,
        empty,
    }
}
