//! Small-cell suppression: no figure that counts fewer than [`THRESHOLD`] households is shown,
//! and no hidden figure can be recomputed from a shown total minus the shown rest, nor from
//! the difference of two reports over overlapping periods.
//!
//! Periods snap to whole months ([`snap_period`]), but that alone does not stop differencing:
//! January to March minus February to March is January, whose own report hides a count under
//! five. So every shown count is also rounded down to a multiple of [`ROUNDING`]
//! ([`round_shown`]): a shown 10 means 10 to 14, just as `<5` means 0 to 4. Every figure is
//! then known only to a bucket of five, and the difference of two of them can never narrow a
//! count under five below "0 to 4" (see `tests/suite/report.rs`, the overlapping-period
//! attack).

use chrono::{Datelike, Months, NaiveDate};

/// Figures counting fewer households than this are hidden (shown as `<5`).
pub const THRESHOLD: i64 = 5;

/// Shown counts are rounded down to a multiple of this.
pub const ROUNDING: i64 = 5;

/// A count as it may be shown: rounded down to a multiple of [`ROUNDING`] (so the bucket of
/// every shown figure is five wide, like that of `<5`).
pub fn round_shown(count: i64) -> i64 {
    count - count.rem_euclid(ROUNDING)
}

/// Shown sums of minutes are rounded down to a multiple of this (whole hours): minutes are
/// mostly multiples of five already, so rounding them to five would hide nothing.
pub const MINUTES_ROUNDING: i64 = 60;

/// A sum of minutes as it may be shown: rounded down to whole hours.
pub fn round_minutes(minutes: i64) -> i64 {
    minutes - minutes.rem_euclid(MINUTES_ROUNDING)
}

/// The period a report is made over: from the first day of `from`'s month through the last day
/// of `to`'s month.
///
/// Without this, two reports whose periods differ by one day (1 Feb to 6 Feb, and 1 Feb to
/// 7 Feb) could be subtracted: each shows a count of five or more, and their difference
/// tells what one household did on one day, which suppression exists to hide. Whole months
/// leave such a difference a month of activity of the whole team.
pub fn snap_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = from.with_day(1).unwrap_or(from);
    let last = to
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(to);
    (first, last)
}

/// Decides which cells of one additive group are hidden.
///
/// `households[i]` is the number of households behind cell `i`; `total` the households behind
/// the group's total when the total is shown (`None` when the group has no total line).
/// Returns which cells are hidden and whether the total is hidden.
///
/// Primary suppression hides every cell under the threshold. When a total is shown, hidden
/// cells must not be recoverable as "total minus the rest": so at least two cells are hidden,
/// and together they count at least the threshold; otherwise the next smallest shown cell is
/// hidden as well, and when there is none left, the total.
pub fn suppress_group(households: &[i64], total: Option<i64>) -> (Vec<bool>, bool) {
    let mut hidden: Vec<bool> = households.iter().map(|n| *n < THRESHOLD).collect();
    let Some(total) = total else {
        return (hidden, false);
    };
    if total < THRESHOLD {
        return (vec![true; households.len()], true);
    }
    loop {
        let hidden_count = hidden.iter().filter(|h| **h).count();
        if hidden_count == 0 {
            return (hidden, false);
        }
        let hidden_sum: i64 = households
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| **h)
            .map(|(n, _)| *n)
            .sum();
        if hidden_count >= 2 && hidden_sum >= THRESHOLD {
            return (hidden, false);
        }
        let next = households
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by_key(|(i, n)| (**n, *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => hidden[i] = true,
            None => return (hidden, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_snaps_to_whole_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            snap_period(d(2026, 2, 7), d(2026, 2, 7)),
            (d(2026, 2, 1), d(2026, 2, 28))
        );
        assert_eq!(
            snap_period(d(2024, 1, 31), d(2024, 2, 3)),
            (d(2024, 1, 1), d(2024, 2, 29))
        );
        assert_eq!(
            snap_period(d(2026, 12, 2), d(2026, 12, 30)),
            (d(2026, 12, 1), d(2026, 12, 31))
        );
    }

    #[test]
    fn shown_counts_round_down_to_a_multiple_of_five() {
        let shown: Vec<i64> = [0, 4, 5, 9, 10, 14, 15, 390, 637]
            .into_iter()
            .map(round_shown)
            .collect();
        assert_eq!(shown, vec![0, 0, 5, 5, 10, 10, 15, 390, 635]);
    }

    #[test]
    fn small_cells_are_hidden() {
        let (hidden, total) = suppress_group(&[12, 3, 40], None);
        assert_eq!(hidden, vec![false, true, false]);
        assert!(!total);
    }

    #[test]
    fn one_hidden_cell_under_a_total_takes_the_smallest_other_with_it() {
        // Total 55: with only the 3 hidden it would be 55 - 12 - 40.
        let (hidden, total) = suppress_group(&[12, 3, 40], Some(55));
        assert_eq!(hidden, vec![true, true, false]);
        assert!(!total);
    }

    #[test]
    fn two_hidden_cells_that_together_are_still_small_take_a_third() {
        // 1 + 2 = 3 could be read as "3 households in these two".
        let (hidden, total) = suppress_group(&[1, 2, 30, 9], Some(42));
        assert_eq!(hidden, vec![true, true, false, true]);
        assert!(!total);
    }

    #[test]
    fn when_nothing_else_can_be_hidden_the_total_goes() {
        let (hidden, total) = suppress_group(&[3, 20], Some(23));
        assert_eq!(hidden, vec![true, true]);
        assert!(!total || hidden.iter().all(|h| *h));
        let (hidden, total) = suppress_group(&[3], Some(7));
        assert_eq!(hidden, vec![true]);
        assert!(total);
    }

    #[test]
    fn a_small_total_hides_everything() {
        let (hidden, total) = suppress_group(&[2, 2], Some(4));
        assert_eq!(hidden, vec![true, true]);
        assert!(total);
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let (hidden, total) = suppress_group(&[5, 6, 7], Some(18));
        assert_eq!(hidden, vec![false, false, false]);
        assert!(!total);
    }
}
