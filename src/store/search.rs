//! The finder: a full-text index over every household and ranked lookups in it.
//!
//! Candidates come from an FTS5 prefix query (fast, unranked); they are ranked here, in Rust,
//! by how well each typed word matches: an exact word in the label first, then an exact word
//! anywhere, then a label prefix, then any prefix. FTS5's own `ORDER BY rank` was too slow on
//! short prefixes (see BENCHMARKS.md).

use std::cmp::Reverse;

use rusqlite::params;
use serde::Serialize;

use super::households::load_household;
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::household::HouseholdStatus;
use crate::domain::text::fold;
use crate::domain::user::Role;

/// The most candidates ranked for one query; beyond it the user is asked to type on.
pub const MAX_CANDIDATES: i64 = 5_000;

/// One finder result: enough to tell households apart, nothing sensitive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdHit {
    /// Household id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Address on one line.
    pub address: String,
    /// Members' names, oldest first.
    pub members: Vec<String>,
    /// Whether support is ongoing.
    pub open: bool,
}

/// The folded words of `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
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

/// The FTS5 query for the words: each a quoted prefix term, all required.
fn fts_query(words: &[String]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The two indexed columns of a household: its label, and everything else.
pub(crate) fn index_columns(
    label: &str,
    street: &str,
    number: &str,
    postcode: &str,
    people: &[(String, Option<String>)],
) -> (String, String) {
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
    (fold(label), fold(&terms))
}

/// How well a candidate matches: lower is better.
fn rank(label: &str, terms: &str, query: &[String]) -> u32 {
    query
        .iter()
        .map(|q| {
            let label_words = || words(label);
            let all_words = || words(label).chain(words(terms));
            if label_words().any(|w| w == q) {
                0
            } else if all_words().any(|w| w == q) {
                1
            } else if label_words().any(|w| w.starts_with(q.as_str())) {
                2
            } else {
                3
            }
        })
        .sum()
}

impl Store {
    /// Finds households by any fragment of label, member name, street, postcode (with or
    /// without the space), house number or birth date (`dd-mm-jjjj`), all typed words required,
    /// ranked best first; or by an exact BSN. A professional only finds their own team's
    /// households: others do not exist for them.
    pub fn find_households(
        &self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let team = (session.role == Role::Professional).then(|| session.team_id.unwrap_or(-1));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let ids: Vec<i64> =
            if let Some(bsn) = Bsn::parse(query).ok().filter(|_| query.trim().len() >= 9) {
                let mut stmt = self.conn().prepare_cached(
                    "SELECT DISTINCT h.id FROM person p JOIN household h ON h.id = p.household_id
                 WHERE p.bsn = ?1 AND (?2 IS NULL OR h.team_id = ?2) ORDER BY h.id LIMIT ?3",
                )?;
                stmt.query_map(params![bsn.as_str(), team, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                let words = query_words(query);
                let Some(fts) = fts_query(&words) else {
                    return Ok(Vec::new());
                };
                let mut stmt = self.conn().prepare_cached(
                    "SELECT s.rowid, s.label, s.terms, h.closed_on IS NULL, h.label
                 FROM household_search s JOIN household h ON h.id = s.rowid
                 WHERE household_search MATCH ?1 AND (?2 IS NULL OR h.team_id = ?2)
                 LIMIT ?3",
                )?;
                let mut candidates = stmt
                    .query_map(params![fts, team, MAX_CANDIDATES], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, bool>(3)?,
                            r.get::<_, String>(4)?,
                        ))
                    })?
                    .map(|row| {
                        row.map(|(id, label, terms, open, display)| {
                            (rank(&label, &terms, &words), Reverse(open), display, id)
                        })
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                candidates.sort_unstable();
                candidates
                    .into_iter()
                    .take(limit as usize)
                    .map(|c| c.3)
                    .collect()
            };
        ids.into_iter().map(|id| self.hit(id)).collect()
    }

    fn hit(&self, id: i64) -> Result<HouseholdHit> {
        let h = load_household(self.conn(), id)?;
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name FROM person WHERE household_id = ?1 ORDER BY birth_date IS NULL, birth_date, id")?;
        let members = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(HouseholdHit {
            id,
            label: h.label,
            address: h.address.one_line(),
            members,
            open: h.status == HouseholdStatus::Open,
        })
    }
}

/// Rebuilds the index entry of one household.
pub(crate) fn reindex(tx: &rusqlite::Connection, household_id: i64) -> Result<()> {
    let (label, street, number, postcode): (String, String, String, String) = tx.query_row(
        "SELECT label, street, house_number, postcode FROM household WHERE id = ?1",
        [household_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut stmt =
        tx.prepare_cached("SELECT name, birth_date FROM person WHERE household_id = ?1")?;
    let people = stmt
        .query_map([household_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, Option<String>)>>>()?;
    tx.execute(
        "DELETE FROM household_search WHERE rowid = ?1",
        [household_id],
    )?;
    insert_index(
        tx,
        household_id,
        &index_columns(&label, &street, &number, &postcode, &people),
    )
}

/// Adds a household's index entry.
pub(crate) fn insert_index(
    tx: &rusqlite::Connection,
    household_id: i64,
    columns: &(String, String),
) -> Result<()> {
    let mut stmt = tx
        .prepare_cached("INSERT INTO household_search (rowid, label, terms) VALUES (?1, ?2, ?3)")?;
    stmt.execute(params![household_id, columns.0, columns.1])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<String> {
        query_words(s)
    }

    #[test]
    fn query_words_fold_and_keep_dates_whole() {
        assert_eq!(q("Müller 3521"), ["muller", "3521"]);
        assert_eq!(q("de \"Vries"), ["de", "vries"]);
        assert_eq!(q("1-4-1985"), ["01041985"]);
        assert_eq!(q("3562 JT"), ["3562", "jt"]);
        assert!(q(" -- ").is_empty());
        assert_eq!(fts_query(&q("jan 35")).as_deref(), Some("\"jan\"* \"35\"*"));
    }

    #[test]
    fn index_holds_compact_postcode_and_birth_dates() {
        let (label, terms) = index_columns(
            "Fam. Eénhoorn",
            "Kanaalweg",
            "12A",
            "3521 AB",
            &[("Jan Eénhoorn".into(), Some("1985-04-01".into()))],
        );
        assert_eq!(label, "fam. eenhoorn");
        assert!(
            terms.contains("3521ab") && terms.contains("01041985") && terms.contains("12a"),
            "{terms}"
        );
    }

    #[test]
    fn exact_label_words_rank_before_prefixes() {
        let query = q("jan");
        let exact_label = rank("fam. jan", "x", &query);
        let exact_member = rank("fam. de vries", "jan de vries", &query);
        let label_prefix = rank("fam. jansen", "x", &query);
        let member_prefix = rank("fam. bakker", "janneke bakker", &query);
        assert!(exact_label < exact_member, "exact label first");
        assert!(exact_member < label_prefix);
        assert!(label_prefix < member_prefix);
    }
}
