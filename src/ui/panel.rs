//! Panels: a bordered block whose focus shows without colour (a thick border), with a list of
//! rows that keeps the selected row in view and marks folded rows ("… +3 meer") on its border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::theme::Theme;

/// The glyph on the left border next to the selected row of the focused panel.
pub const SELECTED: &str = "▸";

/// The style of the selected row: the theme's selection colours, always bold, and reversed
/// when the theme has no selection colour (NO_COLOR), so it shows without colour too.
pub fn selected_style(theme: &Theme) -> Style {
    let style = Style::new()
        .fg(theme.selected_fg)
        .bg(theme.selected_bg)
        .add_modifier(Modifier::BOLD);
    if theme.selected_bg == Color::Reset {
        style.add_modifier(Modifier::REVERSED)
    } else {
        style
    }
}

/// A panel's block: the focused one has a thick border in the accent colour.
pub fn block<'a>(theme: &Theme, title: Vec<Span<'a>>, focused: bool) -> Block<'a> {
    let (border, kind, title_style) = if focused {
        (
            Style::new().fg(theme.accent),
            BorderType::Thick,
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )
    } else {
        (
            Style::new().fg(theme.border),
            BorderType::Plain,
            Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
        )
    };
    let mut spans = vec![Span::raw(" ")];
    spans.extend(title);
    spans.push(Span::raw(" "));
    Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Line::from(spans).style(title_style))
}

/// The width inside a panel's borders.
pub fn inner_width(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(2))
}

/// What a list panel shows.
pub struct Listing<'a> {
    /// The title spans (padded with a space each side).
    pub title: Vec<Span<'a>>,
    /// Column headings above the rows, not scrolled.
    pub header: Option<Line<'a>>,
    /// The rows, each one line.
    pub rows: Vec<Line<'a>>,
    /// The selected row, shown when the panel is focused.
    pub selected: Option<usize>,
    /// Whether the panel has the focus.
    pub focused: bool,
    /// Shown when there are no rows.
    pub empty: String,
}

/// Draws a list panel. Rows that do not fit are folded: the border shows how many.
pub fn render_listing(frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang, listing: Listing) {
    if area.width < 3 || area.height < 3 {
        return;
    }
    let mut block = block(theme, listing.title, listing.focused);
    let inner = block.inner(area);
    let header_rows = u16::from(listing.header.is_some() && inner.height > 1);
    let body = Rect {
        y: inner.y + header_rows,
        height: inner.height - header_rows,
        ..inner
    };
    let total = listing.rows.len();
    let visible = usize::from(body.height);
    let selected = listing
        .selected
        .filter(|_| listing.focused && total > 0)
        .map(|s| s.min(total - 1));
    let offset = match selected {
        Some(s) if s >= visible => s + 1 - visible,
        _ => 0,
    };
    let below = total.saturating_sub(offset + visible);
    let muted = Style::new().fg(theme.muted);
    if below > 0 {
        let more = match lang {
            Lang::Nl => format!(" … +{below} meer "),
            Lang::En => format!(" … +{below} more "),
        };
        block = block.title_bottom(Line::from(Span::styled(more, muted)).right_aligned());
    }
    if offset > 0 {
        block =
            block.title(Line::from(Span::styled(format!(" ↑ +{offset} "), muted)).right_aligned());
    }
    frame.render_widget(block, area);
    if let Some(header) = listing.header.filter(|_| header_rows == 1) {
        let header_area = Rect { height: 1, ..inner };
        frame.render_widget(Paragraph::new(header.style(muted)), header_area);
    }
    if total == 0 {
        frame.render_widget(
            Paragraph::new(Span::styled(listing.empty, muted)).wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let lines: Vec<Line> = listing
        .rows
        .into_iter()
        .skip(offset)
        .take(visible)
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    if let Some(s) = selected {
        let y = body.y + u16::try_from(s - offset).unwrap_or(0);
        let row = Rect {
            y,
            height: 1,
            ..body
        };
        let buf = frame.buffer_mut();
        buf.set_style(row, selected_style(theme));
        if let Some(cell) = buf.cell_mut((area.x, y)) {
            cell.set_symbol(SELECTED)
                .set_style(Style::new().fg(theme.accent).add_modifier(Modifier::BOLD));
        }
    }
}

/// Heights for panels stacked in `avail` rows: each gets a border and one row first, then the
/// remaining rows go round-robin to panels that want more, and what is left to `fill`.
pub fn stack_heights(wants: &[u16], avail: u16, fill: usize) -> Vec<u16> {
    let n = wants.len();
    if n == 0 {
        return Vec::new();
    }
    let n16 = u16::try_from(n).unwrap_or(u16::MAX);
    if avail < 3 * n16 {
        let each = avail / n16;
        let mut heights = vec![each; n];
        if let Some(last) = heights.last_mut() {
            *last += avail - each * n16;
        }
        return heights;
    }
    let mut heights = vec![3u16; n];
    let mut left = avail - 3 * n16;
    while left > 0 {
        let mut gave = false;
        for (h, want) in heights.iter_mut().zip(wants) {
            if left > 0 && *h < *want {
                *h += 1;
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    if let Some(h) = heights.get_mut(fill.min(n - 1)) {
        *h += left;
    }
    heights
}

/// Splits `area` vertically into the given heights, top to bottom.
pub fn split_rows(area: Rect, heights: &[u16]) -> Vec<Rect> {
    let mut y = area.y;
    heights
        .iter()
        .map(|h| {
            let h = (*h).min(area.bottom().saturating_sub(y));
            let rect = Rect {
                y,
                height: h,
                ..area
            };
            y += h;
            rect
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_panels_share_rows_fairly() {
        assert_eq!(stack_heights(&[3, 4, 3, 4], 20, 0), vec![9, 4, 3, 4]);
        assert_eq!(stack_heights(&[10, 10], 12, 0), vec![6, 6]);
        assert_eq!(stack_heights(&[10, 10], 4, 1), vec![2, 2]);
    }
}
