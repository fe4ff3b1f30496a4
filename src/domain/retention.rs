//! Retention periods (bewaartermijnen): how long a closed household's data is kept before it
//! must be erased.

use chrono::{Months, NaiveDate};
use serde::Serialize;

/// Default years after closing before a household's data is erased.
pub const DEFAULT_YEARS: u32 = 15;

/// Default years for a household that had youth care (the Jeugdwet asks for 20).
pub const DEFAULT_YOUTH_CARE_YEARS: u32 = 20;

/// The flag kinds that mark a household as having had youth care by default.
pub const DEFAULT_YOUTH_CARE_FLAGS: [&str; 2] = ["jeugdhulp", "kinderbescherming"];

/// The retention rules, from `[retention]` in `config.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetentionPolicy {
    /// Years after closing.
    pub years: u32,
    /// Years after closing for a household with youth care.
    pub youth_care_years: u32,
    /// Flag kinds (ever set, also ended ones) that mean the household had youth care.
    pub youth_care_flags: Vec<String>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            years: DEFAULT_YEARS,
            youth_care_years: DEFAULT_YOUTH_CARE_YEARS,
            youth_care_flags: DEFAULT_YOUTH_CARE_FLAGS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl RetentionPolicy {
    /// The years that apply to a household.
    pub fn years_for(&self, youth_care: bool) -> u32 {
        if youth_care {
            self.youth_care_years
        } else {
            self.years
        }
    }

    /// The first day a household closed on `closed_on` may (and should) be erased; `None` when
    /// the date falls outside the calendar.
    pub fn due_on(&self, closed_on: NaiveDate, youth_care: bool) -> Option<NaiveDate> {
        closed_on.checked_add_months(Months::new(12 * self.years_for(youth_care)))
    }

    /// Whether a household closed on `closed_on` is due for erasure on `today`.
    pub fn is_due(&self, closed_on: NaiveDate, youth_care: bool, today: NaiveDate) -> bool {
        self.due_on(closed_on, youth_care)
            .is_some_and(|due| today >= due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fifteen_years_by_default_twenty_with_youth_care() {
        let p = RetentionPolicy::default();
        assert_eq!(p.due_on(d(2010, 3, 1), false), Some(d(2025, 3, 1)));
        assert_eq!(p.due_on(d(2010, 3, 1), true), Some(d(2030, 3, 1)));
        assert!(!p.is_due(d(2010, 3, 1), false, d(2025, 2, 28)));
        assert!(p.is_due(d(2010, 3, 1), false, d(2025, 3, 1)));
        assert!(!p.is_due(d(2010, 3, 1), true, d(2029, 12, 31)));
    }

    #[test]
    fn a_leap_day_closing_is_due_at_the_end_of_february() {
        let p = RetentionPolicy::default();
        assert_eq!(p.due_on(d(2012, 2, 29), false), Some(d(2027, 2, 28)));
    }
}
