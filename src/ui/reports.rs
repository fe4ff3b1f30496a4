//! The reports screen: one section of the steering figures as a table and a bar chart, with
//! the contacts per month as a sparkline. Only suppressed figures exist here; a hidden figure
//! is drawn as `<5` and as an empty bar, never as its value.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Paragraph, Row, Sparkline, Table, Wrap,
};

use crate::app::reports::ReportsView;
use crate::domain::suppression::THRESHOLD;
use crate::i18n::Lang;
use crate::model::report::{Cell, Report, Section};
use crate::theme::Theme;

fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// Draws the reports screen into `area`.
pub fn render(view: &ReportsView, theme: &Theme, lang: Lang, frame: &mut Frame, area: Rect) {
    // The keys are in the status bar, generated from the key map like every screen's.
    let [title, section_line, main, spark] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(4),
    ])
    .areas(area);
    let scope = view
        .report
        .as_ref()
        .map_or(view.team.clone().unwrap_or_default(), |r| r.scope.clone());
    let (from, to) = (super::text::date(view.from), super::text::date(view.to));
    let period = match lang {
        Lang::Nl => format!("{from} t/m {to}"),
        Lang::En => format!("{from} to {to}"),
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} {scope}", t(lang, "Stuurcijfers", "Steering figures")),
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!(" · {period} · "), Style::new().fg(theme.muted)),
            Span::styled(
                match lang {
                    Lang::Nl => format!("<{THRESHOLD} = onder {THRESHOLD} huishoudens"),
                    Lang::En => format!("<{THRESHOLD} = under {THRESHOLD} households"),
                },
                Style::new().fg(theme.muted),
            ),
        ])),
        title,
    );
    let Some(report) = &view.report else {
        let (text, style) = match &view.error {
            Some(e) => (e.clone(), Style::new().fg(theme.error)),
            None => (
                t(lang, "Cijfers laden …", "Loading figures …").to_string(),
                Style::new().fg(theme.muted),
            ),
        };
        frame.render_widget(
            Paragraph::new(text).style(style).wrap(Wrap { trim: true }),
            main,
        );
        return;
    };
    let Some(section) = report.sections.get(view.section) else {
        return;
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("◀ {}/{} ", view.section + 1, report.sections.len()),
                Style::new().fg(theme.muted),
            ),
            Span::styled(
                section.title.clone(),
                Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
            ),
            Span::styled(" ▶", Style::new().fg(theme.muted)),
        ])),
        section_line,
    );
    render_section(section, view.scroll, theme, lang, frame, main);
    render_sparkline(report, theme, lang, frame, spark);
}

fn render_section(
    section: &Section,
    scroll: usize,
    theme: &Theme,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
) {
    if section.rows.is_empty() {
        let note = section.note.clone().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(note)
                .style(Style::new().fg(theme.muted))
                .wrap(Wrap { trim: true })
                .block(
                    Block::new()
                        .borders(Borders::TOP)
                        .border_style(Style::new().fg(theme.border)),
                ),
            area,
        );
        return;
    }
    let chart_rows = section.rows.iter().filter(|r| !r.total).count() as u16;
    let table_height =
        (section.rows.len() as u16 + 1).min(area.height.saturating_sub(3).max(2) / 2 + 2);
    let table_height = table_height.min(area.height.saturating_sub(chart_rows.min(3) + 2));
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    render_table(section, scroll, theme, lang, frame, table_area);
    render_chart(section, theme, lang, frame, chart_area);
}

/// A month label `2026-01` as people say it: `jan 2026` (other labels as they are).
fn month_word(label: &str, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts = label.split_once('-').and_then(|(y, m)| {
        let month = m.parse::<usize>().ok()?.checked_sub(1)?;
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && m.len() == 2)
            .then_some((y, month))
    });
    match parts {
        Some((year, month)) => {
            let names = if lang == Lang::Nl { NL } else { EN };
            names
                .get(month)
                .map_or_else(|| label.to_string(), |n| format!("{n} {year}"))
        }
        None => label.to_string(),
    }
}

fn render_table(
    section: &Section,
    scroll: usize,
    theme: &Theme,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
) {
    let col_width = |i: usize, header: &str| {
        section
            .rows
            .iter()
            .filter_map(|r| r.cells.get(i))
            .map(|c| c.display_in(lang).chars().count())
            .max()
            .unwrap_or(0)
            .max(header.chars().count())
            .max(5)
    };
    let col_widths: Vec<usize> = section
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| col_width(i, c))
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Min(12))
        .chain(col_widths.iter().map(|w| Constraint::Length(*w as u16)))
        .collect();
    let header = Row::new(
        std::iter::once(String::new()).chain(
            section
                .columns
                .iter()
                .zip(&col_widths)
                .map(|(c, w)| right(c, *w)),
        ),
    )
    .style(Style::new().fg(theme.muted));
    // Rows that do not fit end in "+N meer" (scroll with ↑/↓ to see them).
    let room = usize::from(area.height.saturating_sub(1)).max(1);
    let left = section.rows.len().saturating_sub(scroll);
    let (shown, more) = if left > room {
        (room - 1, left - (room - 1))
    } else {
        (left, 0)
    };
    let mut rows: Vec<Row> = section
        .rows
        .iter()
        .skip(scroll)
        .take(shown)
        .map(|r| {
            let style = if r.total {
                Style::new().fg(theme.text).add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(theme.text)
            };
            Row::new(
                std::iter::once(month_word(&r.label, lang)).chain(
                    r.cells
                        .iter()
                        .zip(&col_widths)
                        .map(|(c, w)| right(&c.display_in(lang), *w)),
                ),
            )
            .style(style)
        })
        .collect();
    if more > 0 {
        let text = match lang {
            Lang::Nl => format!("… +{more} meer"),
            Lang::En => format!("… +{more} more"),
        };
        rows.push(Row::new([text]).style(Style::new().fg(theme.muted)));
    }
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

/// `text` right-aligned in `width` columns.
fn right(text: &str, width: usize) -> String {
    format!("{text:>width$}")
}

fn bar_value(cell: &Cell) -> u64 {
    match cell.value {
        Some(v) if !cell.suppressed && v > 0.0 => v.round() as u64,
        _ => 0,
    }
}

fn render_chart(section: &Section, theme: &Theme, lang: Lang, frame: &mut Frame, area: Rect) {
    if area.height < 3 {
        return;
    }
    let label_width = usize::from(area.width / 3).clamp(8, 24);
    let bars: Vec<Bar> = section
        .rows
        .iter()
        .filter(|r| !r.total)
        .filter_map(|r| {
            let cell = r.cells.first()?;
            let label: String = month_word(&r.label, lang)
                .chars()
                .take(label_width)
                .collect();
            Some(
                Bar::default()
                    .value(bar_value(cell))
                    .label(Line::from(label))
                    .text_value(cell.display_in(lang))
                    .style(Style::new().fg(if cell.suppressed {
                        theme.muted
                    } else {
                        theme.accent
                    })),
            )
        })
        .collect();
    let title = section.columns.first().cloned().unwrap_or_default();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .value_style(Style::new().fg(theme.text).add_modifier(Modifier::BOLD))
        .label_style(Style::new().fg(theme.text))
        .block(
            Block::new()
                .borders(Borders::TOP)
                .border_style(Style::new().fg(theme.border))
                .title(Span::styled(title, Style::new().fg(theme.muted))),
        );
    frame.render_widget(chart, area);
}

fn render_sparkline(report: &Report, theme: &Theme, lang: Lang, frame: &mut Frame, area: Rect) {
    let Some(months) = report.section("months") else {
        // Backoffice sees provisions only: no contacts per month.
        return;
    };
    // Each month as wide as the screen allows, so a year fills the line.
    let repeat = usize::from(area.width) / months.rows.len().max(1);
    let data: Vec<Option<u64>> = months
        .rows
        .iter()
        .flat_map(|r| {
            let value = r.cells.first().filter(|c| !c.suppressed).map(bar_value);
            std::iter::repeat_n(value, repeat.max(1))
        })
        .collect();
    let first = months
        .rows
        .first()
        .map_or(String::new(), |r| month_word(&r.label, lang));
    let last = months
        .rows
        .last()
        .map_or(String::new(), |r| month_word(&r.label, lang));
    let title = match lang {
        Lang::Nl => format!("Contactmomenten per maand, {first} t/m {last} (· = <{THRESHOLD})"),
        Lang::En => format!("Contacts per month, {first} to {last} (· = <{THRESHOLD})"),
    };
    frame.render_widget(
        Sparkline::default()
            .data(data)
            .absent_value_symbol("·")
            .absent_value_style(Style::new().fg(theme.muted))
            .style(Style::new().fg(theme.accent))
            .block(
                Block::new()
                    .borders(Borders::TOP | Borders::BOTTOM)
                    .border_style(Style::new().fg(theme.border))
                    .title(Span::styled(title, Style::new().fg(theme.muted))),
            ),
        area,
    );
}
