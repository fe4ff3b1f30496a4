//! Filter-as-you-type over a whole worklist without reading the list per keystroke: an index
//! of the list's rows, built once by one scan in the list's order, that each keystroke matches
//! in memory. What a row is matched on is what the SQL filter matches (see [`FilterWord`]):
//! the codes whose names hold the word; the folded product code, household, member and
//! provider; and for digits the BSN and the dates as the screen writes them (`dd-mm-jjjj`).
//!
//! The index also holds each row's sort keys, so another order is a sort in memory, not a
//! read of the whole list (half a second at a million households).
//!
//! The index is the list as it was when it was built. Each backend keeps the last one and
//! builds it again when it no longer fits: another user, list or day, another row count (the
//! list's count, read per keystroke from the list's own index, says a colleague added or
//! decided a row), after [`MAX_AGE`], or when a page lost a row. The rows a page shows are
//! read again by id, on the list, from the database.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use memchr::memmem::Finder;

use crate::domain::text::fold;
use crate::model::worklists::{FilterWord, SortKey, WorkItem, Worklist, WorklistQuery};

/// How long an index is used before it is built again (changes to names show after this).
pub const MAX_AGE: Duration = Duration::minutes(2);

/// What an index was built for: who looked, the list and its date windows (any order and
/// filter is answered from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterKey {
    pub viewer: i64,
    pub list: Worklist,
    pub windows: [NaiveDate; 3],
}

impl FilterKey {
    /// The key of `list` for user `viewer` with today's `windows`.
    pub fn new(viewer: i64, list: Worklist, windows: [NaiveDate; 3]) -> FilterKey {
        FilterKey {
            viewer,
            list,
            windows,
        }
    }
}

/// One row of the list as the index is built from it (in any order).
pub struct FilterRow {
    pub id: i64,
    pub status: String,
    pub financing: String,
    pub law: String,
    pub product: String,
    pub household: String,
    pub person: String,
    pub bsn: Option<String>,
    pub provider: Option<String>,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
}

impl From<&WorkItem> for FilterRow {
    fn from(item: &WorkItem) -> FilterRow {
        let v = &item.provision;
        FilterRow {
            id: v.id,
            status: v.status.code().to_string(),
            financing: v.financing.code().to_string(),
            law: v.law.code().to_string(),
            product: v.product.clone(),
            household: item.household.clone(),
            person: item.person.clone(),
            bsn: item.bsn.clone(),
            provider: item.provider.clone(),
            start_on: v.start_on,
            end_on: v.end_on,
        }
    }
}

/// One page answered from an index: the ids to read again from the database, in order, and
/// how many rows match in all.
pub struct IndexPage {
    pub ids: Vec<i64>,
    pub matching: usize,
}

impl IndexPage {
    /// The page's rows as the database gave them back by id (`read`, those still on the list):
    /// without those the words no longer match, with the count lessened by every row of the
    /// page that is gone, and whether the index still holds (no row of the page changed since
    /// it was built; else the next keystroke builds it anew).
    pub fn settle(self, read: Vec<WorkItem>, words: &[FilterWord]) -> (Vec<WorkItem>, usize, bool) {
        let items = still_matching(read, words);
        let gone = self.ids.len().saturating_sub(items.len());
        (items, self.matching.saturating_sub(gone), gone == 0)
    }
}

/// `items` (a page read again by id) without those `words` no longer match: what a
/// colleague renamed since the index was built.
fn still_matching(items: Vec<WorkItem>, words: &[FilterWord]) -> Vec<WorkItem> {
    let mut index = FilterIndex::build(
        FilterKey::new(0, Worklist::AwaitingBeschikking, [NaiveDate::MIN; 3]),
        DateTime::<Utc>::MIN_UTC,
        items.iter().map(FilterRow::from),
    );
    let keep: std::collections::HashSet<i64> = index
        .matching(words, &WorklistQuery::default())
        .into_iter()
        .collect();
    items
        .into_iter()
        .filter(|i| keep.contains(&i.provision.id))
        .collect()
}

/// The index of one list (see the module).
pub struct FilterIndex {
    key: FilterKey,
    built_at: DateTime<Utc>,
    ids: Vec<i64>,
    /// Per row, the folded product code, household, member and provider, each ended by `\n`
    /// (a filter word holds letters and digits only, so it never spans two).
    text: Vec<u8>,
    text_ends: Vec<u32>,
    /// Per row, the BSN and the dates as shown, each ended by `\n`.
    digits: Vec<u8>,
    digit_ends: Vec<u32>,
    /// Per row, its status, financing, law and product as `|s:…|`, `|f:…|`, `|l:…|`, `|p:…|`,
    /// each an index into `codes`.
    row_codes: Vec<[u32; 4]>,
    codes: Vec<String>,
    /// Per row, what the orders sort on.
    keys: Vec<SortKeys>,
    /// The rows in the last order asked for (positions into the rows), with that order.
    order: Option<(SortKey, bool, Vec<u32>)>,
}

/// One row's sort keys, as the SQL orders sort (see the backends' `order_by`): the household
/// folded, then as written; text in byte order.
struct SortKeys {
    start_on: NaiveDate,
    end_on: Option<NaiveDate>,
    household_folded: Box<str>,
    household: Box<str>,
    product: Box<str>,
}

impl FilterIndex {
    /// The index of `rows` (in the list's order) for `key`, built at `now`.
    pub fn build(
        key: FilterKey,
        now: DateTime<Utc>,
        rows: impl IntoIterator<Item = FilterRow>,
    ) -> FilterIndex {
        let mut index = FilterIndex {
            key,
            built_at: now,
            ids: Vec::new(),
            text: Vec::new(),
            text_ends: Vec::new(),
            digits: Vec::new(),
            digit_ends: Vec::new(),
            row_codes: Vec::new(),
            codes: Vec::new(),
            keys: Vec::new(),
            order: None,
        };
        let mut known: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let shown = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
        for row in rows {
            index.ids.push(row.id);
            index.keys.push(SortKeys {
                start_on: row.start_on,
                end_on: row.end_on,
                household_folded: fold(&row.household).into(),
                household: row.household.as_str().into(),
                product: row.product.as_str().into(),
            });
            for part in [
                Some(row.product.as_str()),
                Some(row.household.as_str()),
                Some(row.person.as_str()),
                row.provider.as_deref(),
            ]
            .into_iter()
            .flatten()
            {
                index.text.extend_from_slice(fold(part).as_bytes());
                index.text.push(b'\n');
            }
            index.text_ends.push(end(&index.text));
            for part in [row.bsn, Some(shown(row.start_on)), row.end_on.map(shown)]
                .into_iter()
                .flatten()
            {
                index.digits.extend_from_slice(part.as_bytes());
                index.digits.push(b'\n');
            }
            index.digit_ends.push(end(&index.digits));
            let mut code = |kind: &str, value: &str| -> u32 {
                let text = format!("|{kind}:{value}|");
                if let Some(&i) = known.get(&text) {
                    return i;
                }
                let i = u32::try_from(index.codes.len()).unwrap_or(u32::MAX);
                index.codes.push(text.clone());
                known.insert(text, i);
                i
            };
            let codes = [
                code("s", &row.status),
                code("f", &row.financing),
                code("l", &row.law),
                code("p", &row.product),
            ];
            index.row_codes.push(codes);
        }
        index
    }

    /// Whether this index answers for `key` at `now` on a list of `total` rows.
    pub fn fits(&self, key: &FilterKey, total: usize, now: DateTime<Utc>) -> bool {
        self.key == *key
            && self.ids.len() == total
            && now >= self.built_at
            && now - self.built_at < MAX_AGE
    }

    /// The rows `offset..offset + limit` of what `words` match, in `query`'s order.
    pub fn page(
        &mut self,
        words: &[FilterWord],
        query: &WorklistQuery,
        offset: usize,
        limit: usize,
    ) -> IndexPage {
        let ids = self.matching(words, query);
        IndexPage {
            matching: ids.len(),
            ids: ids.into_iter().skip(offset).take(limit).collect(),
        }
    }

    /// The ids of the rows every word matches, in `query`'s order.
    pub fn matching(&mut self, words: &[FilterWord], query: &WorklistQuery) -> Vec<i64> {
        let matched = self.matched(words);
        self.sort(query.sort, query.descending);
        let order = match &self.order {
            Some((_, _, order)) => order.as_slice(),
            None => &[],
        };
        order
            .iter()
            .filter(|&&i| matched[i as usize])
            .map(|&i| self.ids[i as usize])
            .collect()
    }

    /// Puts the rows (positions) in the order of `sort` into `order`, sorted once per order
    /// asked for.
    fn sort(&mut self, sort: SortKey, descending: bool) {
        let fresh = !matches!(&self.order, Some((s, d, _)) if *s == sort && *d == descending);
        if fresh {
            let mut order: Vec<u32> = (0..self.ids.len())
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect();
            let (keys, ids) = (&self.keys, &self.ids);
            order.sort_unstable_by(|&a, &b| {
                let (ka, kb) = (&keys[a as usize], &keys[b as usize]);
                let (ia, ib) = (ids[a as usize], ids[b as usize]);
                let ordering = match sort {
                    SortKey::Start => (ka.start_on, ia).cmp(&(kb.start_on, ib)),
                    SortKey::End => (ka.end_on.is_none(), ka.end_on, ia).cmp(&(
                        kb.end_on.is_none(),
                        kb.end_on,
                        ib,
                    )),
                    SortKey::Household => (&ka.household_folded, &ka.household, ka.start_on, ia)
                        .cmp(&(&kb.household_folded, &kb.household, kb.start_on, ib)),
                    SortKey::Product => {
                        (&ka.product, ka.start_on, ia).cmp(&(&kb.product, kb.start_on, ib))
                    }
                };
                if descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            });
            self.order = Some((sort, descending, order));
        }
    }

    /// Per row, whether every word matches it.
    fn matched(&self, words: &[FilterWord]) -> Vec<bool> {
        let tests: Vec<WordTest<'_>> = words
            .iter()
            .map(|w| WordTest {
                finder: Finder::new(w.needle.as_bytes()),
                digits: w.may_be_digits(),
                codes: self
                    .codes
                    .iter()
                    .map(|c| w.has_codes() && w.codes.contains(c.as_str()))
                    .collect(),
            })
            .collect();
        let mut matched = Vec::with_capacity(self.ids.len());
        let (mut text_start, mut digit_start) = (0usize, 0usize);
        for i in 0..self.ids.len() {
            let text_end = self.text_ends[i] as usize;
            let digit_end = self.digit_ends[i] as usize;
            let text = &self.text[text_start..text_end];
            let digits = &self.digits[digit_start..digit_end];
            let codes = &self.row_codes[i];
            matched.push(tests.iter().all(|t| {
                codes.iter().any(|&c| t.codes[c as usize])
                    || t.finder.find(text).is_some()
                    || (t.digits && t.finder.find(digits).is_some())
            }));
            text_start = text_end;
            digit_start = digit_end;
        }
        matched
    }
}

/// One filter word, ready to test rows with.
struct WordTest<'a> {
    finder: Finder<'a>,
    digits: bool,
    /// Per code of the index, whether the word's codes hold it.
    codes: Vec<bool>,
}

fn end(buffer: &[u8]) -> u32 {
    u32::try_from(buffer.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::ReferenceData;
    use crate::model::worklists::filter_words;

    fn row(id: i64, household: &str, person: &str, bsn: Option<&str>) -> FilterRow {
        FilterRow {
            id,
            status: "aangevraagd".into(),
            financing: "zin".into(),
            law: "wmo".into(),
            product: "02A05".into(),
            household: household.into(),
            person: person.into(),
            bsn: bsn.map(str::to_string),
            provider: None,
            start_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default(),
            end_on: None,
        }
    }

    fn index() -> FilterIndex {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        FilterIndex::build(
            FilterKey::new(1, Worklist::AwaitingBeschikking, [day; 3]),
            DateTime::<Utc>::default(),
            [
                row(1, "Fam. Çelik", "Ayşe Çelik", Some("123456782")),
                row(2, "Fam. Jansen", "Jan Jansen", None),
                row(3, "Fam. de Vries", "Eénhoorn de Vries", Some("999990019")),
            ],
        )
    }

    fn find(filter: &str) -> Vec<i64> {
        let reference = ReferenceData::embedded();
        index().matching(
            &filter_words(filter, &reference.products),
            &WorklistQuery::default(),
        )
    }

    #[test]
    fn words_match_folded_names_in_the_lists_order() {
        assert_eq!(find("celik"), vec![1]);
        assert_eq!(find("EENHOORN"), vec![3]);
        assert_eq!(find("fam"), vec![1, 2, 3]);
        assert_eq!(find("jan fam"), vec![2]);
        assert_eq!(find("zzz"), Vec::<i64>::new());
    }

    #[test]
    fn digits_match_the_bsn_and_the_dates_as_shown_but_never_across_fields() {
        assert_eq!(find("1234"), vec![1]);
        assert_eq!(find("14-03-2026"), vec![1, 2, 3]);
        assert_eq!(find("032026"), Vec::<i64>::new());
    }

    #[test]
    fn a_product_or_status_name_matches_by_its_code() {
        assert_eq!(find("02a05"), vec![1, 2, 3]);
        assert_eq!(find("aangevraagd"), vec![1, 2, 3]);
    }

    #[test]
    fn every_order_is_answered_from_the_same_index() {
        let mut index = index();
        let sorted = |index: &mut FilterIndex, sort, descending| {
            let query = WorklistQuery {
                sort,
                descending,
                ..WorklistQuery::default()
            };
            index.matching(&[], &query)
        };
        // Folded, so "Çelik" sorts as "celik", before "de Vries" and "Jansen".
        assert_eq!(sorted(&mut index, SortKey::Household, false), vec![1, 3, 2]);
        assert_eq!(sorted(&mut index, SortKey::Household, true), vec![2, 3, 1]);
        // Equal start dates: the id decides.
        assert_eq!(sorted(&mut index, SortKey::Start, false), vec![1, 2, 3]);
        assert_eq!(sorted(&mut index, SortKey::Start, true), vec![3, 2, 1]);
    }

    #[test]
    fn an_index_fits_its_own_list_count_and_age_only() {
        let index = index();
        let key = index.key.clone();
        let at = DateTime::<Utc>::default();
        assert!(index.fits(&key, 3, at));
        assert!(!index.fits(&key, 4, at), "a colleague added a row");
        assert!(!index.fits(&key, 3, at + MAX_AGE), "too old");
        let other = FilterKey {
            list: Worklist::PgbToSvb,
            ..key
        };
        assert!(!index.fits(&other, 3, at));
    }
}
