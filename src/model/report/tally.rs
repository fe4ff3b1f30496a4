//! The counting behind the steering figures, shared by the backends: distinct households in a
//! bitmap, tallies in slots numbered by the catalogue (a kind, a flag, a ZRM domain) instead of
//! maps keyed by strings, and ZRM scores decoded into levels per domain slot.
//!
//! A backend streams the rows of each table once (through a date index) into these; no row is
//! kept, so the work and the memory follow the period and the number of households, not the
//! history.

/// A set of household ids: one bit per id, so that adding is O(1) and counting is one pass
/// over the words. Household ids are the dense row ids of one table.
#[derive(Clone, Debug, Default)]
pub struct HouseholdSet {
    words: Vec<u64>,
}

impl HouseholdSet {
    /// An empty set with room for ids below `capacity` (it grows past that when needed).
    pub fn with_capacity(capacity: usize) -> HouseholdSet {
        HouseholdSet {
            words: Vec::with_capacity(capacity.div_ceil(64)),
        }
    }

    /// Adds `id`; ids below zero are not household ids and are ignored.
    pub fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else {
            return;
        };
        let word = id / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (id % 64);
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|id| self.words.get(id / 64).map(|w| w & (1 << (id % 64)) != 0))
            .unwrap_or(false)
    }

    /// How many ids are in the set.
    pub fn len(&self) -> i64 {
        self.words.iter().map(|w| i64::from(w.count_ones())).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }
}

/// Tallies in slots numbered by a catalogue's keys, with a slot added for every key the
/// catalogue does not know (data written under an older catalogue). Looking a key up compares
/// it with the few known keys; nothing is allocated per row.
#[derive(Clone, Debug)]
pub struct Slots<T> {
    keys: Vec<String>,
    /// How many of `keys` come from the catalogue.
    known: usize,
    tallies: Vec<T>,
}

impl<T: Default> Slots<T> {
    /// One slot per catalogue key, in catalogue order.
    pub fn new<'a>(catalogue: impl IntoIterator<Item = &'a str>) -> Slots<T> {
        let keys: Vec<String> = catalogue.into_iter().map(str::to_string).collect();
        let tallies = keys.iter().map(|_| T::default()).collect();
        Slots {
            known: keys.len(),
            keys,
            tallies,
        }
    }

    /// The slot number of `key`, adding a slot for a key not seen before.
    pub fn index(&mut self, key: &str) -> usize {
        match self.keys.iter().position(|k| k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key.to_string());
                self.tallies.push(T::default());
                self.keys.len() - 1
            }
        }
    }

    /// The tally of `key`.
    pub fn get(&mut self, key: &str) -> &mut T {
        let i = self.index(key);
        &mut self.tallies[i]
    }

    /// The tally in slot `i` (as returned by [`Slots::index`]).
    pub fn slot(&mut self, i: usize) -> &mut T {
        &mut self.tallies[i]
    }

    /// How many slots there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no slots.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every slot's key and tally: the catalogue's in catalogue order, then the unknown keys in
    /// key order. `Some(i)` is the catalogue position of a known key.
    pub fn into_ordered(self) -> Vec<(Option<usize>, String, T)> {
        let known = self.known;
        let mut all: Vec<(Option<usize>, String, T)> = self
            .keys
            .into_iter()
            .zip(self.tallies)
            .enumerate()
            .map(|(i, (key, tally))| ((i < known).then_some(i), key, tally))
            .collect();
        all[known..].sort_by(|a, b| a.1.cmp(&b.1));
        all
    }
}

/// One ZRM assessment's levels per domain slot of a [`Slots`]: 1..=5, or 0 where the domain
/// is not scored or absent (the two count alike in the figures).
pub type Levels = Vec<u8>;

/// Decodes the stored scores (`key=3;key2=-`) into `out`, by domain slot, adding slots for
/// keys the catalogue lacks. `None` when the text is not well formed: the same texts as
/// [`crate::domain::zrm::decode_scores`] refuses. A key given twice keeps its last score.
pub fn decode_levels<T: Default>(text: &str, slots: &mut Slots<T>, out: &mut Levels) -> Option<()> {
    out.clear();
    if text.is_empty() {
        return Some(());
    }
    for part in text.split(';') {
        let (key, code) = part.split_once('=')?;
        let mut chars = code.chars();
        let score = crate::domain::zrm::Score::from_code(chars.next()?)?;
        if chars.next().is_some() || key.is_empty() {
            return None;
        }
        let i = slots.index(key);
        if out.len() <= i {
            out.resize(i + 1, 0);
        }
        out[i] = score.value().unwrap_or(0);
    }
    Some(())
}

/// The change in one ZRM domain, accumulated over persons.
#[derive(Clone, Debug, Default)]
pub struct DomainTally {
    /// Persons with a first and a last level.
    pub persons: i64,
    /// The sum of their changes.
    pub change_sum: i64,
    /// Their households.
    pub households: HouseholdSet,
    /// Improved, stable, worsened: persons and households.
    pub parts: [(i64, HouseholdSet); 3],
}

impl DomainTally {
    /// Adds one person's change from `before` to `after`.
    pub fn add(&mut self, household: i64, before: u8, after: u8) {
        let change = i64::from(after) - i64::from(before);
        self.persons += 1;
        self.change_sum += change;
        self.households.insert(household);
        let part = match change.signum() {
            1 => 0,
            0 => 1,
            _ => 2,
        };
        self.parts[part].0 += 1;
        self.parts[part].1.insert(household);
    }
}

/// Adds one person's change between their first and last assessment in the period to the
/// domain tallies: every domain levelled in both.
pub fn add_person(tallies: &mut Slots<DomainTally>, household: i64, first: &Levels, last: &Levels) {
    for (i, (&before, &after)) in first.iter().zip(last.iter()).enumerate() {
        if before > 0 && after > 0 {
            tallies.slot(i).add(household, before, after);
        }
    }
}

/// How many domain slots fit in [`Packed`] levels.
pub const PACKED_SLOTS: usize = 42;

/// One assessment's [`Levels`] in three bits per domain slot, so that a person's first and
/// last assessment take 32 bytes whatever the number of domains.
pub type Packed = u128;

/// Packs `levels`; `None` when a level sits in a slot past [`PACKED_SLOTS`].
pub fn pack(levels: &Levels) -> Option<Packed> {
    let mut packed: Packed = 0;
    for (i, &level) in levels.iter().enumerate() {
        if level == 0 {
            continue;
        }
        if i >= PACKED_SLOTS {
            return None;
        }
        packed |= Packed::from(level & 0b111) << (3 * i);
    }
    Some(packed)
}

/// Adds one person's change between their first and last assessment in the period (packed)
/// to the domain tallies: every domain levelled in both.
pub fn add_packed(tallies: &mut Slots<DomainTally>, household: i64, first: Packed, last: Packed) {
    for i in 0..PACKED_SLOTS.min(tallies.len()) {
        let before = ((first >> (3 * i)) & 0b111) as u8;
        let after = ((last >> (3 * i)) & 0b111) as u8;
        if before > 0 && after > 0 {
            tallies.slot(i).add(household, before, after);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zrm::decode_scores;

    #[test]
    fn a_household_counts_once_however_often_it_is_added() {
        let mut set = HouseholdSet::with_capacity(10);
        for id in [3, 700, 3, 64, 63, 700, 0] {
            set.insert(id);
        }
        assert_eq!(set.len(), 5);
        assert!(set.contains(700) && set.contains(0) && !set.contains(1) && !set.contains(-1));
        assert!(HouseholdSet::default().is_empty());
    }

    #[test]
    fn unknown_keys_get_slots_after_the_catalogue_in_key_order() {
        let mut slots: Slots<i64> = Slots::new(["b", "a"]);
        *slots.get("z") += 1;
        *slots.get("a") += 2;
        *slots.get("y") += 3;
        let ordered: Vec<(Option<usize>, String, i64)> = slots.into_ordered();
        let keys: Vec<&str> = ordered.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "y", "z"]);
        assert_eq!(ordered[1], (Some(1), "a".to_string(), 2));
        assert_eq!(ordered[2], (None, "y".to_string(), 3));
    }

    #[test]
    fn levels_are_decoded_and_refused_exactly_as_the_stored_scores() {
        let mut slots: Slots<DomainTally> = Slots::new(["fin", "huis"]);
        let mut out = Levels::new();
        for text in [
            "",
            "fin=3",
            "fin=3;huis=-",
            "huis=5;fin=1;extra=2",
            "fin=3;fin=4",
            "fin=",
            "fin=33",
            "=3",
            "fin3",
            "fin=6",
            "fin=3;",
            ";fin=3",
        ] {
            let decoded = decode_levels(text, &mut slots, &mut out);
            let reference = decode_scores(text);
            assert_eq!(decoded.is_some(), reference.is_some(), "{text:?}");
            let Some(scores) = reference else { continue };
            for (key, score) in &scores {
                let i = slots.index(key);
                assert_eq!(
                    out.get(i).copied().unwrap_or(0),
                    score.value().unwrap_or(0),
                    "{text:?}"
                );
            }
            let levelled = out.iter().filter(|l| **l > 0).count();
            let scored = scores.values().filter(|s| s.value().is_some()).count();
            assert_eq!(levelled, scored, "{text:?}");
        }
    }

    #[test]
    fn a_person_counts_in_every_domain_levelled_both_times() {
        let mut tallies: Slots<DomainTally> = Slots::new(["fin", "huis", "werk"]);
        let mut first = Levels::new();
        let mut last = Levels::new();
        decode_levels("fin=2;huis=3;werk=-", &mut tallies, &mut first).unwrap();
        decode_levels("fin=4;huis=3;werk=5", &mut tallies, &mut last).unwrap();
        add_person(&mut tallies, 7, &first, &last);
        decode_levels("fin=3", &mut tallies, &mut first).unwrap();
        decode_levels("fin=1;huis=2", &mut tallies, &mut last).unwrap();
        add_person(&mut tallies, 7, &first, &last);
        let ordered = tallies.into_ordered();
        let fin = &ordered[0].2;
        assert_eq!(
            (fin.persons, fin.change_sum, fin.households.len()),
            (2, 0, 1)
        );
        assert_eq!((fin.parts[0].0, fin.parts[1].0, fin.parts[2].0), (1, 0, 1));
        let huis = &ordered[1].2;
        assert_eq!((huis.persons, huis.parts[1].0), (1, 1));
        assert_eq!(
            ordered[2].2.persons, 0,
            "werk was not scored the first time"
        );
    }

    #[test]
    fn packed_levels_count_as_the_unpacked_ones() {
        let mut plain: Slots<DomainTally> = Slots::new(["a", "b", "c", "d"]);
        let mut packed: Slots<DomainTally> = Slots::new(["a", "b", "c", "d"]);
        let (mut first, mut last) = (Levels::new(), Levels::new());
        for (f, l) in [
            ("a=1;b=5;c=-", "a=5;b=1;c=3;d=2"),
            ("d=4", "d=4;a=2"),
            ("b=3", ""),
        ] {
            decode_levels(f, &mut plain, &mut first).unwrap();
            decode_levels(l, &mut plain, &mut last).unwrap();
            add_person(&mut plain, 1, &first, &last);
            decode_levels(f, &mut packed, &mut first).unwrap();
            decode_levels(l, &mut packed, &mut last).unwrap();
            add_packed(&mut packed, 1, pack(&first).unwrap(), pack(&last).unwrap());
        }
        let figures = |s: Slots<DomainTally>| -> Vec<(i64, i64, i64, i64, i64)> {
            s.into_ordered()
                .into_iter()
                .map(|(_, _, t)| {
                    (
                        t.persons,
                        t.change_sum,
                        t.parts[0].0,
                        t.parts[1].0,
                        t.parts[2].0,
                    )
                })
                .collect()
        };
        assert_eq!(figures(plain), figures(packed));
        let mut wide = vec![0u8; PACKED_SLOTS + 1];
        wide[PACKED_SLOTS] = 3;
        assert_eq!(
            pack(&wide),
            None,
            "a level past the packed slots is refused"
        );
        wide[PACKED_SLOTS] = 0;
        assert_eq!(pack(&wide), Some(0));
    }
}

/// The contacts of a period, counted as they stream in: per kind (slots in catalogue order),
/// per calendar month, and the distinct households with any.
pub struct ContactTally {
    first_month: i64,
    months: Vec<(i64, HouseholdSet)>,
    kinds: Slots<KindTally>,
    all: HouseholdSet,
}

#[derive(Default)]
struct KindTally {
    contacts: i64,
    minutes: i64,
    households: HouseholdSet,
}

/// A calendar month as one number (year × 12 + month − 1).
fn month_number(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

impl ContactTally {
    /// Empty tallies for the months `from` to `to` and the contact kinds of `reference`.
    pub fn new(
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        reference: &crate::domain::reference::ReferenceData,
    ) -> ContactTally {
        use chrono::Datelike;
        let first_month = month_number(from.year(), from.month());
        let n_months =
            usize::try_from(month_number(to.year(), to.month()) - first_month + 1).unwrap_or(0);
        ContactTally {
            first_month,
            months: (0..n_months)
                .map(|_| (0, HouseholdSet::default()))
                .collect(),
            kinds: Slots::new(
                reference
                    .contact_kinds
                    .kinds()
                    .iter()
                    .map(|k| k.key.as_str()),
            ),
            all: HouseholdSet::default(),
        }
    }

    /// One contact of `kind` with `household`, `minutes` long, in the month `(year, month)`
    /// (`None`: a date that does not parse, counted in no month).
    pub fn add(&mut self, month: Option<(i32, u32)>, household: i64, kind: &str, minutes: i64) {
        let tally = self.kinds.get(kind);
        tally.contacts += 1;
        tally.minutes += minutes;
        tally.households.insert(household);
        self.all.insert(household);
        if let Some((y, m)) = month {
            let i = month_number(y, m) - self.first_month;
            if let Some(slot) = usize::try_from(i).ok().and_then(|i| self.months.get_mut(i)) {
                slot.0 += 1;
                slot.1.insert(household);
            }
        }
    }

    /// Contacts per kind (catalogue order and names first, then kinds the catalogue no longer
    /// has), the households with any, and contacts per month.
    pub fn finish(
        self,
        reference: &crate::domain::reference::ReferenceData,
    ) -> (Vec<super::KindContacts>, i64, Vec<super::MonthContacts>) {
        let names = reference.contact_kinds.kinds();
        let out = self
            .kinds
            .into_ordered()
            .into_iter()
            .filter(|(_, _, k)| k.contacts > 0)
            .map(|(known, key, k)| super::KindContacts {
                kind: known
                    .and_then(|i| names.get(i))
                    .map_or(key, |n| n.name.clone()),
                contacts: k.contacts,
                minutes: k.minutes,
                households: k.households.len(),
            })
            .collect();
        let first_month = self.first_month;
        let months = self
            .months
            .into_iter()
            .enumerate()
            .map(|(i, (contacts, households))| {
                let m = first_month + i as i64;
                super::MonthContacts {
                    month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                    contacts,
                    households: households.len(),
                }
            })
            .collect();
        (out, self.all.len(), months)
    }
}

/// The ZRM change per domain from the tallies (catalogue order and names first, then domains
/// the catalogue no longer has); domains nobody was measured in twice are left out.
pub fn domain_changes(
    domains: Slots<DomainTally>,
    reference: &crate::domain::reference::ReferenceData,
) -> Vec<super::DomainChange> {
    let figure = |p: &(i64, HouseholdSet)| super::CountFigure {
        count: p.0,
        households: p.1.len(),
    };
    let names = &reference.zrm.domains;
    domains
        .into_ordered()
        .into_iter()
        .filter(|(_, _, a)| a.persons > 0)
        .map(|(known, key, a)| super::DomainChange {
            domain: known
                .and_then(|i| names.get(i))
                .map_or(key, |d| d.name.clone()),
            persons: a.persons,
            households: a.households.len(),
            change_sum: a.change_sum,
            improved: figure(&a.parts[0]),
            stable: figure(&a.parts[1]),
            worsened: figure(&a.parts[2]),
        })
        .collect()
}
