//! The finder: a full-text index over every household and ranked lookups in it.
//!
//! Ranking is done with tiers of FTS5 queries rather than FTS5's `ORDER BY rank` (which took
//! 50–140 ms on short prefixes): every typed word exact in the label first, then exact anywhere,
//! then a prefix of a label word, then a prefix anywhere. Each tier is an unranked index query
//! with a `LIMIT` of the places still open, so a keystroke costs about the same however many
//! households match, and an exact match is never crowded out by thousands of prefix matches.
//! A professional's scope (their team) is a column of the index, not a lookup per match.

use rusqlite::params;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::households::load_household;
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::address::HouseNumber;
use crate::domain::bsn::Bsn;
use crate::domain::household::HouseholdStatus;
use crate::domain::postcode::Postcode;
use crate::domain::user::Role;
use crate::model::finder::HouseholdHit;
pub use crate::store::shared::search::query_words;
pub(crate) use crate::store::shared::search::{IndexColumns, index_columns, team_word};

/// The tiers of a query as FTS5 expressions, best first (without the team scope).
fn tiers(words: &[String]) -> [String; 4] {
    let join = |f: &dyn Fn(&String) -> String| words.iter().map(f).collect::<Vec<_>>().join(" ");
    [
        join(&|w| format!("label : \"{w}\"")),
        join(&|w| format!("{{label terms}} : \"{w}\"")),
        join(&|w| format!("label : \"{w}\"*")),
        join(&|w| format!("{{label terms}} : \"{w}\"*")),
    ]
}

/// The team scope to add to an index query: professionals see only their own team.
fn scope(session: &Session) -> String {
    match session.role {
        Role::Professional => format!(" team : \"{}\"", team_word(session.team_id.unwrap_or(-1))),
        _ => String::new(),
    }
}

/// The query every tier runs.
const TIER_SQL: &str =
    "SELECT rowid FROM household_search WHERE household_search MATCH ?1 LIMIT ?2";

impl Store {
    /// Finds households by any fragment of label, member name, street, postcode (with or
    /// without the space), house number or birth date (`dd-mm-jjjj`), all typed words required,
    /// best tier first (see the module documentation); or by an exact BSN. A professional only
    /// finds their own team's households: others do not exist for them.
    ///
    /// A BSN lookup identifies people, so it is audited (one row, without the number itself);
    /// word searches per keystroke are not.
    pub fn find_households(
        &mut self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let digits = query.chars().filter(char::is_ascii_digit).count();
        let ids = match Bsn::parse(query).ok().filter(|_| digits >= 8) {
            Some(bsn) => self
                .by_bsn(session, &bsn, limit)?
                .into_iter()
                .map(|id| (0, id))
                .collect(),
            None => self.by_words(session, &query_words(query), limit)?,
        };
        let mut hits = ids
            .into_iter()
            .map(|(tier, id)| Ok((tier, self.hit(id)?)))
            .collect::<Result<Vec<_>>>()?;
        // Within a tier: open before closed, then by label.
        hits.sort_by(|(ta, a), (tb, b)| {
            (ta, !a.open)
                .cmp(&(tb, !b.open))
                .then_with(|| crate::domain::text::dutch_cmp(&a.label, &b.label))
        });
        Ok(hits.into_iter().map(|(_, hit)| hit).collect())
    }

    fn by_bsn(&mut self, session: &Session, bsn: &Bsn, limit: i64) -> Result<Vec<i64>> {
        let team = (session.role == Role::Professional).then(|| session.team_id.unwrap_or(-1));
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT DISTINCT h.id FROM person p JOIN household h ON h.id = p.household_id
                 WHERE p.bsn = ?1 AND (?2 IS NULL OR h.team_id = ?2) ORDER BY h.id LIMIT ?3",
            )?;
            let ids: Vec<i64> = stmt
                .query_map(params![bsn.as_str(), team, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let event = AuditEvent {
                action: Action::Search,
                object: "bsn",
                object_id: None,
                household_id: (ids.len() == 1).then(|| ids[0]),
                person_id: None,
                detail: Some(format!("{} gevonden", ids.len())),
            };
            audit::append(tx, now, &actor, &event)?;
            Ok(ids)
        })
    }

    /// The labels of open households at this address that the session may see, to warn before
    /// a second household is registered there. Audited like a search.
    pub fn open_households_at(
        &mut self,
        session: &Session,
        postcode: &Postcode,
        number: &HouseNumber,
    ) -> Result<Vec<String>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let team = (session.role == Role::Professional).then(|| session.team_id.unwrap_or(-1));
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT label FROM household WHERE postcode = ?1 AND house_number = ?2
                 AND closed_on IS NULL AND (?3 IS NULL OR team_id = ?3) ORDER BY label LIMIT 5",
            )?;
            let labels: Vec<String> = stmt
                .query_map(params![postcode.as_str(), number.to_string(), team], |r| {
                    r.get(0)
                })?
                .collect::<rusqlite::Result<_>>()?;
            let event = AuditEvent {
                action: Action::Search,
                object: "address",
                object_id: None,
                household_id: None,
                person_id: None,
                detail: Some(format!("{} gevonden", labels.len())),
            };
            audit::append(tx, now, &actor, &event)?;
            Ok(labels)
        })
    }

    /// Household ids with their tier (0 is best).
    fn by_words(
        &self,
        session: &Session,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<(usize, i64)>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let scope = scope(session);
        let mut stmt = self.conn().prepare_cached(TIER_SQL)?;
        let mut ids: Vec<(usize, i64)> = Vec::new();
        for (rank, tier) in tiers(words).into_iter().enumerate() {
            let listed = ids.len() as i64;
            if listed >= limit {
                break;
            }
            // Enough rows to fill the open places even if all listed ones come back.
            let found = match stmt
                .query_map(params![format!("{tier}{scope}"), limit], |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>())
            {
                Ok(found) => found,
                // A word FTS5 splits differently (combining marks, some scripts) cannot match.
                Err(e) if e.to_string().contains("fts5") => Vec::new(),
                Err(e) => return Err(e.into()),
            };
            for id in found {
                if (ids.len() as i64) < limit && !ids.iter().any(|(_, listed)| *listed == id) {
                    ids.push((rank, id));
                }
            }
        }
        Ok(ids)
    }

    /// The bare index query of the finder's broadest tier (every word a prefix, team scoped,
    /// `LIMIT limit`) without tiers or loading the results: the baseline the finder is measured
    /// against in the benchmarks. Returns how many households it found.
    #[cfg(feature = "bench-baselines")]
    pub fn finder_baseline(&self, session: &Session, query: &str, limit: usize) -> Result<usize> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(0);
        }
        let [.., broadest] = tiers(&words);
        let mut stmt = self.conn().prepare_cached(TIER_SQL)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let n = stmt
            .query_map(
                params![format!("{broadest}{}", scope(session)), limit],
                |r| r.get::<_, i64>(0),
            )?
            .count();
        Ok(n)
    }

    fn hit(&self, id: i64) -> Result<HouseholdHit> {
        let h = load_household(self.conn(), id)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT name FROM person WHERE household_id = ?1 ORDER BY birth_date IS NULL, birth_date, id",
        )?;
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
    let (label, street, number, postcode, team): (String, String, String, String, i64) = tx
        .query_row(
            "SELECT label, street, house_number, postcode, team_id FROM household WHERE id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
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
    let columns = index_columns(&label, &street, &number, &postcode, team, &people);
    insert_index(tx, household_id, &columns)
}

/// Adds a household's index entry.
pub(crate) fn insert_index(
    tx: &rusqlite::Connection,
    household_id: i64,
    columns: &IndexColumns,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO household_search (rowid, label, terms, team) VALUES (?1, ?2, ?3, ?4)",
    )?;
    stmt.execute(params![
        household_id,
        columns.label,
        columns.terms,
        columns.team
    ])?;
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
    }

    #[test]
    fn index_holds_compact_postcode_birth_dates_and_team() {
        let columns = index_columns(
            "Fam. Eénhoorn",
            "Kanaalweg",
            "12A",
            "3521 AB",
            7,
            &[("Jan Eénhoorn".into(), Some("1985-04-01".into()))],
        );
        assert_eq!(columns.label, "fam. eenhoorn");
        assert_eq!(columns.team, "t7");
        let terms = &columns.terms;
        assert!(
            terms.contains("3521ab") && terms.contains("01041985") && terms.contains("12a"),
            "{terms}"
        );
    }

    #[test]
    fn tiers_go_from_exact_label_to_any_prefix() {
        assert_eq!(
            tiers(&q("jan 35")),
            [
                "label : \"jan\" label : \"35\"",
                "{label terms} : \"jan\" {label terms} : \"35\"",
                "label : \"jan\"* label : \"35\"*",
                "{label terms} : \"jan\"* {label terms} : \"35\"*",
            ]
        );
    }
}
