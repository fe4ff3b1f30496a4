//! The finder's words, alike on both backends: how a typed query and a household become
//! search words (folded, a date as one word `ddmmjjjj`, the postcode with and without its
//! space), and the index columns of a household.

use crate::domain::text::fold;

/// The folded words of `text`.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A typed query as search words: folded, split on punctuation, except that a date written
/// `d-m-jjjj` becomes one word `ddmmjjjj`, the form the index holds.
pub fn query_words(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in fold(query).split_whitespace() {
        if let Some(date) = date_word(chunk) {
            out.push(date);
        } else {
            out.extend(words(chunk).map(str::to_string));
        }
    }
    out
}

/// `15-3-1985` or `15-03-1985` → `15031985`.
fn date_word(chunk: &str) -> Option<String> {
    let parts: Vec<&str> = chunk.split(['-', '/', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_digit())
    };
    if digits(d, 2) && digits(m, 2) && y.len() == 4 && digits(y, 4) {
        Some(format!("{d:0>2}{m:0>2}{y}"))
    } else {
        None
    }
}

/// The index word for a team.
pub(crate) fn team_word(team_id: i64) -> String {
    format!("t{team_id}")
}

/// One household's row in the search index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexColumns {
    pub(crate) label: String,
    pub(crate) terms: String,
    pub(crate) team: String,
}

/// The indexed columns of a household: its label, everything else, and its team.
pub(crate) fn index_columns(
    label: &str,
    street: &str,
    number: &str,
    postcode: &str,
    team_id: i64,
    people: &[(String, Option<String>)],
) -> IndexColumns {
    let mut terms = format!("{street} {number} {postcode} {}", postcode.replace(' ', ""));
    for (name, birth) in people {
        terms.push(' ');
        terms.push_str(name);
        // Stored as YYYY-MM-DD; indexed as one word ddmmjjjj.
        if let Some((y, rest)) = birth.as_deref().and_then(|b| b.split_once('-'))
            && let Some((m, d)) = rest.split_once('-')
        {
            terms.push_str(&format!(" {d}{m}{y}"));
        }
    }
    IndexColumns {
        label: fold(label),
        terms: fold(&terms),
        team: team_word(team_id),
    }
}
