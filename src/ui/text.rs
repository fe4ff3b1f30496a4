//! Text helpers for the screens: display widths, truncation with "…", short labels, dates,
//! word wrapping and fixed-width cells.

use chrono::{Datelike, NaiveDate};
use ratatui::style::Style;
use ratatui::text::Span;

use crate::domain::agreement::Actor;
use crate::domain::dates::format_date;
use crate::i18n::Lang;

/// The number of terminal columns `text` takes.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// `text` cut to at most `max` columns; a cut is marked with "…".
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The end of `text` that fits in `max` columns (for input fields longer than their box).
pub fn tail(text: &str, max: usize) -> String {
    let mut used = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        start = i;
    }
    text[start..].to_string()
}

/// `text` truncated and padded with spaces to exactly `columns` columns.
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = truncate(text, columns);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// `text` truncated and right-aligned in exactly `columns` columns.
pub fn pad_left(text: &str, columns: usize) -> String {
    let cut = truncate(text, columns);
    let w = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', columns.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

/// A left-aligned cell of exactly `columns` columns.
pub fn cell(text: &str, columns: usize, style: Style) -> Span<'static> {
    Span::styled(pad(text, columns), style)
}

/// A right-aligned cell of exactly `columns` columns.
pub fn rcell(text: &str, columns: usize, style: Style) -> Span<'static> {
    Span::styled(pad_left(text, columns), style)
}

/// One space between cells.
pub fn gap() -> Span<'static> {
    Span::raw(" ")
}

/// A label shortened to `max` columns the way people abbreviate: "niet zelfredzaam" becomes
/// "niet zelf.", "voldoende zelfredzaam" "voldoende"; otherwise cut with "…".
pub fn shorten(label: &str, max: usize) -> String {
    if width(label) <= max {
        return label.to_string();
    }
    let mut words = label.split_whitespace();
    if let (Some(first), Some(_)) = (words.next(), words.next()) {
        let first_w = width(first);
        // "first x." needs at least three more columns.
        if first_w + 3 <= max {
            // The rest after the first word (the label may start with spaces).
            let start = label.find(first).map_or(label.len(), |i| i + first.len());
            let rest = label.get(start..).unwrap_or("").trim_start();
            let budget = max - first_w - 1;
            let prefix = truncate(rest, budget);
            let prefix = prefix.trim_end_matches('…').trim_end();
            return format!("{first} {prefix}.");
        }
        if first_w <= max {
            return first.to_string();
        }
    }
    truncate(label, max)
}

/// A level label shortened to `max` columns by initials: "beperkt zelfredzaam" becomes
/// "beperkt z.", so a column of labels reads alike; when even that is too wide, the first word
/// with "…".
pub fn initials(label: &str, max: usize) -> String {
    if width(label) <= max {
        return label.to_string();
    }
    let mut words = label.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let mut short = first.to_string();
    for word in words {
        if let Some(c) = word.chars().next() {
            short.push(' ');
            short.push(c);
            short.push('.');
        }
    }
    if width(&short) <= max {
        return short;
    }
    if width(first) < max {
        return format!("{first}…");
    }
    truncate(first, max)
}

/// Word-wraps `text` into lines of at most `columns` columns, keeping every character: a word
/// longer than a line (a file path) continues on the next.
pub fn wrap_all(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut pieces: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let mut piece = String::new();
        for c in word.chars() {
            if width(&piece) + width(&c.to_string()) > columns {
                pieces.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        pieces.push(piece);
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in pieces {
        if line.is_empty() {
            line = word;
        } else if width(&line) + 1 + width(&word) <= columns {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Word-wraps `text` into lines of at most `columns` columns (long words are cut).
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word = truncate(word, columns);
        if line.is_empty() {
            line = word;
        } else if width(&line) + 1 + width(&word) <= columns {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// "dd-mm-jjjj".
pub fn date(d: NaiveDate) -> String {
    format_date(d)
}

/// "dd-mm" in the current year, "dd-mm-jjjj" in any other.
pub fn day_month(d: NaiveDate, today: NaiveDate) -> String {
    crate::domain::dates::format_short(d, today)
}

/// The width a column of [`day_month`] dates needs: 5, or 10 when one is in another year.
pub fn day_month_width(dates: impl IntoIterator<Item = NaiveDate>, today: NaiveDate) -> usize {
    if dates.into_iter().any(|d| d.year() != today.year()) {
        10
    } else {
        5
    }
}

/// Who carries out an agreement, in the user's language; `short` for narrow columns.
pub fn actor(who: Actor, lang: Lang, short: bool) -> &'static str {
    match (who, lang, short) {
        (Actor::Client, Lang::Nl, _) => "cliënt",
        (Actor::Client, Lang::En, _) => "client",
        (Actor::Netwerk, Lang::Nl, _) => "netwerk",
        (Actor::Netwerk, Lang::En, _) => "network",
        (Actor::Professional, _, false) => "professional",
        (Actor::Professional, _, true) => "prof.",
        (Actor::Aanbieder, Lang::Nl, false) => "aanbieder",
        (Actor::Aanbieder, Lang::Nl, true) => "aanb.",
        (Actor::Aanbieder, Lang::En, false) => "provider",
        (Actor::Aanbieder, Lang::En, true) => "prov.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("Zamenhofdreef", 20), "Zamenhofdreef");
        assert_eq!(truncate("Zamenhofdreef", 6), "Zamen…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(tail("geheim", 3), "eim");
    }

    #[test]
    fn shorten_abbreviates_like_people_do() {
        assert_eq!(shorten("niet zelfredzaam", 10), "niet zelf.");
        assert_eq!(shorten("voldoende zelfredzaam", 10), "voldoende");
        assert_eq!(shorten("acute problematiek", 30), "acute problematiek");
        assert_eq!(
            shorten("Lichamelijke gezondheid", 20),
            "Lichamelijke gezond."
        );
    }

    #[test]
    fn initials_keep_a_column_alike() {
        assert_eq!(initials("beperkt zelfredzaam", 12), "beperkt z.");
        assert_eq!(initials("voldoende zelfredzaam", 12), "voldoende z.");
        assert_eq!(initials("voldoende zelfredzaam", 10), "voldoende…");
        assert_eq!(initials("acute problematiek", 40), "acute problematiek");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("een twee drie", 8), vec!["een twee", "drie"]);
        assert!(wrap("", 5).is_empty());
    }
}
