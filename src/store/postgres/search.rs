//! The finder on PostgreSQL: the same folded words as the SQLite index (`sqlite::search`),
//! stored per household as two `tsvector`s (the label's words, and all words), and the same
//! four tiers: every typed word exact in the label, exact anywhere, a prefix of a label word,
//! a prefix anywhere. The tiers, the team scope and the households with their members are one
//! query: a keystroke is one round trip. The index is a `tsvector` GIN index rather than
//! `pg_trgm`: every typed word must match a word or a word's beginning (as SQLite's FTS5
//! prefix index does), which a trigram index answers only with a recheck of every candidate,
//! and not at all under three letters.

use postgres::types::ToSql;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::households::address_row;
use super::{Result, Store, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::address::HouseNumber;
use crate::domain::bsn::Bsn;
use crate::domain::postcode::Postcode;
use crate::domain::user::Role;
use crate::model::finder::HouseholdHit;
use crate::store::shared::codec::date_text;
use crate::store::shared::search::{index_columns, query_words, words};

/// The longest word a `tsvector` holds (in bytes); longer words are not indexed, and a query
/// with one finds nothing (as no index word can match it).
const MAX_WORD: usize = 2046;

/// The four tiers and the hits, in one statement: the server's `kt_find_words` (migration
/// 5), which runs as the database's owner and applies the caller's scope itself, since
/// row-level security would keep the planner from the word indexes. `$1` is the query with
/// exact words, `$2` with prefixes, `$3` the team scope (NULL for everyone; the server takes
/// a professional's own team whatever is asked), `$4` the limit. The tiers are disjoint (a
/// household is in its best tier only) and run in order under one `LIMIT`, so a tier that
/// fills the list spares the later ones. Within a tier the households come in the index's
/// order (the table's order: by id as the households were made), as SQLite returns a tier by
/// id; which of a frequent word's many households are listed first is the only difference.
/// The words are matched against the indexed expressions of migration 4, which add the team's
/// word ([`team_lexeme`]); a professional's query asks for it too. Run with [`BITMAP_ONLY`].
const WORDS_SQL: &str = "SELECT * FROM kt_find_words($1, $2, $3, $4)";

/// The planner settings [`WORDS_SQL`] runs with, and their reset. Only bitmap scans of the
/// word indexes are left, whose cost follows the households that match: PostgreSQL guesses
/// the share of a word it has no statistics for (most names and streets) as up to 0.5 %, and
/// chose to walk the whole table in id order for a word that matches nothing (23 ms at 100k
/// households, measured), or to sort every match of a frequent word. With one plan shape
/// for every word, the plan is made once per connection (`force_generic_plan`): planning the
/// four tiers took as long as running them.
const BITMAP_ONLY: (&str, &str) = (
    "SET enable_seqscan = off; SET enable_indexscan = off; \
     SET plan_cache_mode = force_generic_plan",
    "RESET enable_seqscan; RESET enable_indexscan; RESET plan_cache_mode",
);

/// The hits of a BSN lookup: `$1` the ids in order.
const HITS_SQL: &str = "
SELECT 0::INT, h.id, h.label, h.street, h.house_number, h.postcode, h.city,
       (h.closed_on IS NULL OR h.close_reason IS NULL),
       ARRAY(SELECT p.name FROM person p WHERE p.household_id = h.id
             ORDER BY p.birth_date IS NULL, p.birth_date, p.id)
FROM household h WHERE h.id = ANY($1) ORDER BY h.id";

/// A word as a quoted `tsquery` lexeme, optionally as a prefix.
fn lexeme(word: &str, prefix: bool) -> String {
    let quoted = word.replace('\\', "\\\\").replace('\'', "''");
    if prefix {
        format!("'{quoted}':*")
    } else {
        format!("'{quoted}'")
    }
}

/// The word the finder's indexes hold for a household's team (see migration 4): `~` keeps
/// it apart from every word a user can type.
fn team_lexeme(team_id: i64) -> String {
    format!("~t{team_id}")
}

/// The query of all `words` (every word required), within `team` when given, as `tsquery`
/// text: exact and as prefixes.
fn tsqueries(words: &[String], team: Option<i64>) -> (String, String) {
    let join = |prefix: bool| {
        let mut terms: Vec<String> = words.iter().map(|w| lexeme(w, prefix)).collect();
        terms.extend(team.map(|t| lexeme(&team_lexeme(t), false)));
        terms.join(" & ")
    };
    (join(false), join(true))
}

/// The team scope of a search: professionals see only their own team.
fn scope(session: &Session) -> Option<i64> {
    (session.role == Role::Professional).then(|| session.team_id.unwrap_or(-1))
}

impl Store {
    /// Finds households by any fragment of label, member name, street, postcode (with or
    /// without the space), house number or birth date (`dd-mm-jjjj`), all typed words required,
    /// best tier first; or by an exact BSN. A professional only finds their own team's
    /// households. A BSN lookup is audited (one row, without the number); word searches are not.
    pub fn find_households(
        &mut self,
        session: &Session,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdHit>> {
        authorize(session, Operation::FindHouseholds, None)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let digits = query.chars().filter(char::is_ascii_digit).count();
        let mut hits = match Bsn::parse(query).ok().filter(|_| digits >= 8) {
            Some(bsn) => self.by_bsn(session, &bsn, limit)?,
            None => self.by_words(session, &query_words(query), limit)?,
        };
        // Within a tier: open before closed, then by label (as on SQLite).
        hits.sort_by(|(ta, a), (tb, b)| {
            (ta, !a.open)
                .cmp(&(tb, !b.open))
                .then_with(|| crate::domain::text::dutch_cmp(&a.label, &b.label))
        });
        Ok(hits.into_iter().map(|(_, hit)| hit).collect())
    }

    fn by_bsn(
        &mut self,
        session: &Session,
        bsn: &Bsn,
        limit: i64,
    ) -> Result<Vec<(i32, HouseholdHit)>> {
        let team = scope(session);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let ids: Vec<i64> = tx
                .query(
                    "SELECT DISTINCT h.id FROM person p JOIN household h ON h.id = p.household_id
                     WHERE p.bsn = $1 AND ($2::BIGINT IS NULL OR h.team_id = $2)
                     ORDER BY h.id LIMIT $3",
                    &[&bsn.as_str(), &team, &limit],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            let event = AuditEvent {
                action: Action::Search,
                object: "bsn",
                object_id: None,
                household_id: (ids.len() == 1).then(|| ids[0]),
                person_id: None,
                detail: Some(format!("{} gevonden", ids.len())),
            };
            audit::append(tx, now, &actor, &event)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            hits(tx, HITS_SQL, &[&ids])
        })
    }

    /// Hits with their tier (0 is best).
    fn by_words(
        &self,
        session: &Session,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<(i32, HouseholdHit)>> {
        if words.is_empty() || limit <= 0 || words.iter().any(|w| w.len() > MAX_WORD) {
            return Ok(Vec::new());
        }
        let team = scope(session);
        let (exact, prefix) = tsqueries(words, team);
        self.single(|tx| {
            let rows =
                tx.query_with_settings(BITMAP_ONLY, WORDS_SQL, &[&exact, &prefix, &team, &limit])?;
            hit_rows(&rows)
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
        let team = scope(session);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        let number = number.to_string();
        self.write(|tx| {
            let labels: Vec<String> = tx
                .query(
                    "SELECT label FROM household WHERE postcode = $1 AND house_number = $2
                     AND closed_on IS NULL AND ($3::BIGINT IS NULL OR team_id = $3)
                     ORDER BY label COLLATE \"C\" LIMIT 5",
                    &[&postcode.as_str(), &number, &team],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
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
}

/// Runs a hits query (see [`WORDS_SQL`]) and reads its rows.
fn hits(
    tx: &mut Tx<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<(i32, HouseholdHit)>> {
    hit_rows(&tx.query(sql, params)?)
}

/// The hits from rows of [`WORDS_SQL`] or [`HITS_SQL`].
fn hit_rows(rows: &[tokio_postgres::Row]) -> Result<Vec<(i32, HouseholdHit)>> {
    rows.iter()
        .map(|r| {
            let tier: i32 = r.try_get(0)?;
            Ok((
                tier,
                HouseholdHit {
                    id: r.try_get(1)?,
                    label: r.try_get(2)?,
                    address: address_row(r, 3)?.one_line(),
                    open: r.try_get(7)?,
                    members: r.try_get(8)?,
                },
            ))
        })
        .collect()
}

/// The index words of a household: those of its label, and all of them (label, street,
/// house number, postcode with and without space, member names and birth dates `ddmmjjjj`),
/// folded exactly as the SQLite index folds them.
pub(crate) fn index_words(
    label: &str,
    street: &str,
    number: &str,
    postcode: &str,
    people: &[(String, Option<chrono::NaiveDate>)],
) -> (Vec<String>, Vec<String>) {
    let people: Vec<(String, Option<String>)> = people
        .iter()
        .map(|(name, birth)| (name.clone(), birth.map(date_text)))
        .collect();
    let columns = index_columns(label, street, number, postcode, 0, &people);
    let keep = |w: &&str| w.len() <= MAX_WORD;
    let label_words: Vec<String> = words(&columns.label)
        .filter(keep)
        .map(str::to_string)
        .collect();
    let mut all = label_words.clone();
    all.extend(words(&columns.terms).filter(keep).map(str::to_string));
    all.sort_unstable();
    all.dedup();
    (label_words, all)
}

/// Rebuilds the index entry of one household from its current label, address, team and
/// members (after every write that changes one of them).
pub(crate) fn reindex(tx: &mut Tx<'_>, household_id: i64) -> Result<()> {
    let row = tx.query_one(
        "SELECT h.label, h.street, h.house_number, h.postcode, h.team_id,
                ARRAY(SELECT p.name FROM person p WHERE p.household_id = h.id ORDER BY p.id),
                ARRAY(SELECT p.birth_date FROM person p WHERE p.household_id = h.id ORDER BY p.id)
         FROM household h WHERE h.id = $1",
        &[&household_id],
    )?;
    let label: String = row.try_get(0)?;
    let street: String = row.try_get(1)?;
    let number: String = row.try_get(2)?;
    let postcode: String = row.try_get(3)?;
    let team: i64 = row.try_get(4)?;
    let names: Vec<String> = row.try_get(5)?;
    let births: Vec<Option<chrono::NaiveDate>> = row.try_get(6)?;
    let people: Vec<(String, Option<chrono::NaiveDate>)> = names.into_iter().zip(births).collect();
    let (label_words, all_words) = index_words(&label, &street, &number, &postcode, &people);
    write_index(tx, household_id, team, &label_words, &all_words)
}

/// Writes (or replaces) a household's index entry.
pub(crate) fn write_index(
    tx: &mut Tx<'_>,
    household_id: i64,
    team_id: i64,
    label_words: &[String],
    all_words: &[String],
) -> Result<()> {
    tx.execute(
        "INSERT INTO household_search (household_id, team_id, label_words, all_words)
         VALUES ($1, $2, array_to_tsvector($3::TEXT[]), array_to_tsvector($4::TEXT[]))
         ON CONFLICT (household_id) DO UPDATE
         SET team_id = excluded.team_id, label_words = excluded.label_words,
             all_words = excluded.all_words",
        &[&household_id, &team_id, &label_words, &all_words],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsqueries_quote_every_word_exact_and_as_prefix() {
        let words = query_words("Jan 35");
        assert_eq!(
            tsqueries(&words, None),
            ("'jan' & '35'".to_string(), "'jan':* & '35':*".to_string())
        );
        assert_eq!(
            tsqueries(&words, Some(7)),
            (
                "'jan' & '35' & '~t7'".to_string(),
                "'jan':* & '35':* & '~t7'".to_string()
            )
        );
        assert_eq!(lexeme("o'neil", false), "'o''neil'");
    }

    #[test]
    fn index_words_hold_the_label_apart_and_everything_together() {
        let (label, all) = index_words(
            "Fam. Eénhoorn",
            "Kanaalweg",
            "12A",
            "3521 AB",
            &[(
                "Jan Eénhoorn".into(),
                chrono::NaiveDate::from_ymd_opt(1985, 4, 1),
            )],
        );
        assert_eq!(label, ["fam", "eenhoorn"]);
        for w in [
            "fam",
            "eenhoorn",
            "jan",
            "kanaalweg",
            "12a",
            "3521",
            "ab",
            "3521ab",
            "01041985",
        ] {
            assert!(all.iter().any(|a| a == w), "{w} in {all:?}");
        }
    }
}
