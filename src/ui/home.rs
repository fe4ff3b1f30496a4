//! Home: my households and my agreements due this week, with a hint to the finder.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::{self, Listing};
use super::text::{self, cell, gap, rcell};
use crate::app::App;
use crate::app::keymap::{Action, Context};
use crate::app::state::{HomePanel, HomeView};
use crate::i18n::Lang;
use crate::model::home::HomeData;

/// From this width the two lists stand side by side.
const SIDE_BY_SIDE: u16 = 140;

pub fn render(app: &App, home: &HomeView, frame: &mut Frame, area: Rect) {
    let hint = Rect { height: 1, ..area };
    let lists = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    find_hint(app, frame, hint);
    let (first, second) = if area.width >= SIDE_BY_SIDE {
        let left = lists.width / 2;
        (
            Rect {
                width: left,
                ..lists
            },
            Rect {
                x: lists.x + left,
                width: lists.width - left,
                ..lists
            },
        )
    } else {
        let first_rows = home
            .worklists
            .as_ref()
            .map(Vec::len)
            .or(home.data.as_ref().map(|d| d.households.len()))
            .unwrap_or(0);
        let wants = match &home.data {
            Some(d) => [len_u16(first_rows) + 3, len_u16(d.agreements.len()) + 3],
            None => [3, 3],
        };
        let heights = panel::stack_heights(&wants, lists.height, 0);
        let rects = panel::split_rows(lists, &heights);
        (rects[0], rects[1])
    };
    let households = households(app, home, first);
    panel::render_listing(frame, first, &app.theme, app.lang, households);
    let agreements = agreements(app, home, second);
    panel::render_listing(frame, second, &app.theme, app.lang, agreements);
}

fn len_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX - 3)
}

/// "/ zoeken: naam, straat, …" with the key from the key map.
fn find_hint(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let keys: Vec<String> = app
        .keymap
        .keys(Context::Global, Action::Find)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut spans = vec![Span::raw(" ")];
    if !keys.is_empty() {
        spans.push(Span::styled(
            keys.join("/"),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        Action::Find.label(app.lang),
        Style::new().fg(theme.text),
    ));
    spans.push(Span::styled(
        app.t(
            ": naam, straat, postcode, huisnummer, geboortedatum of BSN",
            ": name, street, postcode, house number, birth date or BSN",
        ),
        Style::new().fg(theme.muted),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The backoffice's home: how many provisions wait on each worklist; Enter opens one.
fn worklists<'a>(
    app: &App,
    home: &HomeView,
    counts: &[(crate::model::worklists::Worklist, usize)],
    area: Rect,
) -> Listing<'a> {
    let theme = &app.theme;
    let w = panel::inner_width(area);
    let count_w = 8;
    let name_w = w.saturating_sub(count_w + 1);
    let rows = counts
        .iter()
        .map(|(list, n)| {
            let style = if *n > 0 {
                Style::new().fg(theme.text).add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(theme.muted)
            };
            Line::from(vec![
                cell(list.title(), name_w, style),
                gap(),
                rcell(&n.to_string(), count_w, style),
            ])
        })
        .collect();
    Listing {
        title: vec![Span::raw(app.t("Werklijsten", "Worklists").to_string())],
        header: None,
        rows,
        selected: Some(home.selected),
        focused: home.panel == HomePanel::Households,
        empty: app.t("Laden…", "Loading…").into(),
    }
}

fn households<'a>(app: &App, home: &HomeView, area: Rect) -> Listing<'a> {
    if let Some(counts) = &home.worklists {
        return worklists(app, home, counts, area);
    }
    let theme = &app.theme;
    let focused = home.panel == HomePanel::Households;
    let title_text = app.t("Mijn huishoudens", "My households");
    let Some(data) = &home.data else {
        return loading(app, title_text, focused);
    };
    let title = vec![Span::raw(format!(
        "{title_text} ({})",
        data.household_total
    ))];
    let w = panel::inner_width(area);
    let count_w = 5;
    let due_w =
        3 + text::day_month_width(data.households.iter().filter_map(|h| h.next_due), app.today);
    let flex = w.saturating_sub(count_w + due_w + 3);
    let label_w = (flex * 2 / 5).clamp(10, 30);
    let address_w = flex.saturating_sub(label_w + 1);
    let header = Line::from(vec![
        cell(app.t("Huishouden", "Household"), label_w, Style::new()),
        gap(),
        cell(app.t("Adres", "Address"), address_w, Style::new()),
        gap(),
        rcell(app.t("Open", "Open"), count_w, Style::new()),
        gap(),
        rcell(app.t("Volgende", "Next"), due_w, Style::new()),
    ]);
    let text_style = Style::new().fg(theme.text);
    let rows = data
        .households
        .iter()
        .map(|h| {
            let overdue = h.next_due.is_some_and(|d| d < app.today);
            let due = match h.next_due {
                Some(d) if overdue => format!("! {}", text::day_month(d, app.today)),
                Some(d) => text::day_month(d, app.today),
                None => String::new(),
            };
            let due_style = if overdue {
                Style::new().fg(theme.error).add_modifier(Modifier::BOLD)
            } else {
                text_style
            };
            Line::from(vec![
                cell(&h.label, label_w, text_style),
                gap(),
                cell(&h.address, address_w, Style::new().fg(theme.muted)),
                gap(),
                rcell(&h.open_agreements.to_string(), count_w, text_style),
                gap(),
                rcell(&due, due_w, due_style),
            ])
        })
        .collect();
    Listing {
        title,
        header: Some(header),
        rows,
        selected: Some(home.selected),
        focused,
        empty: app
            .t("Geen open huishoudens.", "No open households.")
            .into(),
    }
}

fn agreements<'a>(app: &App, home: &HomeView, area: Rect) -> Listing<'a> {
    let theme = &app.theme;
    let focused = home.panel == HomePanel::Agreements;
    let title_text = app.t("Afspraken deze week", "Agreements this week");
    let Some(data) = &home.data else {
        return loading(app, title_text, focused);
    };
    let w = panel::inner_width(area);
    let wide = w >= 90;
    let due_w = text::day_month_width(data.agreements.iter().map(|a| a.due_on), app.today);
    let (mark_w, who_w) = (1, if wide { 12 } else { 7 });
    let flex = w.saturating_sub(mark_w + due_w + who_w + 4);
    let label_w = (flex / 3).clamp(10, 24);
    let what_w = flex.saturating_sub(label_w + 1);
    let overdue_count = overdue(data, app);
    let mut title = vec![Span::raw(title_text.to_string())];
    if overdue_count > 0 {
        title.push(Span::styled(
            format!(" · {overdue_count} {}", app.t("te laat", "overdue")),
            Style::new().fg(theme.error),
        ));
    }
    let header = Line::from(vec![
        cell("", mark_w, Style::new()),
        gap(),
        cell(app.t("Datum", "Due"), due_w, Style::new()),
        gap(),
        cell(app.t("Huishouden", "Household"), label_w, Style::new()),
        gap(),
        cell(app.t("Wat", "What"), what_w, Style::new()),
        gap(),
        cell(app.t("Wie", "Who"), who_w, Style::new()),
    ]);
    let text_style = Style::new().fg(theme.text);
    let row = |a: &crate::model::home::DueAgreement| {
        let late = a.due_on < app.today;
        let (mark, due_style) = if late {
            (
                "!",
                Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
            )
        } else {
            (" ", text_style)
        };
        Line::from(vec![
            cell(mark, mark_w, due_style),
            gap(),
            cell(&text::day_month(a.due_on, app.today), due_w, due_style),
            gap(),
            cell(&a.label, label_w, text_style),
            gap(),
            cell(&a.what, what_w, text_style),
            gap(),
            cell(
                text::actor(a.who, app.lang, !wide),
                who_w,
                Style::new().fg(theme.muted),
            ),
        ])
    };
    // This week first; the overdue ones after it as their own counted group (the app puts
    // them in this order when home loads).
    let mut rows: Vec<Line> = Vec::new();
    let week: Vec<_> = data
        .agreements
        .iter()
        .filter(|a| a.due_on >= app.today)
        .collect();
    let late: Vec<_> = data
        .agreements
        .iter()
        .filter(|a| a.due_on < app.today)
        .collect();
    let mut shift = 0;
    if week.is_empty() && !late.is_empty() {
        rows.push(Line::styled(
            app.t("Geen afspraken deze week.", "No agreements due this week.")
                .to_string(),
            Style::new().fg(theme.muted),
        ));
        shift += 1;
    }
    rows.extend(week.iter().map(|a| row(a)));
    if let Some(oldest) = late.iter().map(|a| a.due_on).min() {
        let oldest = text::day_month(oldest, app.today);
        let n = late
            .len()
            .max(usize::try_from(data.overdue_total).unwrap_or(usize::MAX));
        rows.push(Line::styled(
            match app.lang {
                Lang::Nl => format!("── {n} te laat, oudste {oldest} ──"),
                Lang::En => format!("── {n} overdue, oldest {oldest} ──"),
            },
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        ));
    }
    rows.extend(late.iter().map(|a| row(a)));
    // Home lists a bounded number of each group; the rest is counted, after the rows (so
    // that the selection keeps its place).
    let total = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    let hidden = total(data.week_total).saturating_sub(week.len())
        + total(data.overdue_total).saturating_sub(late.len());
    if hidden > 0 {
        rows.push(Line::styled(
            match app.lang {
                Lang::Nl => format!("… en nog {hidden} (vroegste eerst getoond)"),
                Lang::En => format!("… and {hidden} more (earliest shown first)"),
            },
            Style::new().fg(theme.muted),
        ));
    }
    let selected = if home.selected >= week.len() && !late.is_empty() {
        home.selected + shift + 1
    } else {
        home.selected + shift
    };
    Listing {
        title,
        header: Some(header),
        rows,
        selected: Some(selected),
        focused,
        empty: app
            .t("Geen afspraken deze week.", "No agreements due this week.")
            .into(),
    }
}

fn overdue(data: &HomeData, app: &App) -> usize {
    data.agreements
        .iter()
        .filter(|a| a.due_on < app.today)
        .count()
        .max(usize::try_from(data.overdue_total).unwrap_or(usize::MAX))
}

fn loading<'a>(app: &App, title: &str, focused: bool) -> Listing<'a> {
    Listing {
        title: vec![Span::raw(title.to_string())],
        header: None,
        rows: Vec::new(),
        selected: None,
        focused,
        empty: app.t("Laden…", "Loading…").into(),
    }
}
