//! Dates as people type them at the kitchen table.
//!
//! [`parse_date`] accepts, case-insensitively and with surrounding whitespace ignored:
//! - `vandaag`, `morgen`, `overmorgen`, `gisteren`, `eergisteren`;
//! - a weekday, `ma di wo do vr za zo` or any longer start of its full name (`maandag`, `vrij`),
//!   meaning the next such day strictly after today (`vr` on a Friday is a week later);
//! - offsets `+3d`, `+2w`, `+1m`, `-3d` (days, weeks, months; no unit means days). Months use
//!   calendar months and clamp to the month end (31 January + 1m = 28 or 29 February);
//! - `15-12`, `15-12-2026`, `15/12/26` (two-digit years are 20xx), `1-2-2027`, `15.12.2026` and
//!   ISO `2026-12-15`. What `15-12` without a year means depends on the field ([`Bare`]): the
//!   next such date from today for a due date, an end date or an appointment
//!   ([`parse_future_date`]), the last such date for something that happened
//!   ([`parse_past_date`]), or the current year for a period in a report ([`parse_date`]).
//!   `29-02` is the next (or last) 29 February that exists.
//!
//! Dates must lie in the years [`MIN_YEAR`]..=[`MAX_YEAR`]. [`parse_birth_date`] accepts only
//! explicit dates with a year. [`format_date`] writes "dd-mm-jjjj", which parses back.

use std::borrow::Borrow;

use chrono::{Datelike, Month, Months, NaiveDate, TimeDelta, Weekday};
use thiserror::Error;

use crate::i18n::{Lang, Localize};

/// The earliest year [`parse_date`] accepts.
pub const MIN_YEAR: i32 = 1800;
/// The latest year [`parse_date`] accepts.
pub const MAX_YEAR: i32 = 2200;
/// The highest age a birth date may imply.
pub const MAX_AGE: i32 = 120;

#[rustfmt::skip]
const MONTHS_NL: [&str; 12] = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
];
/// Dutch weekday names, Monday first; a weekday may be typed as any start of at least 2 letters.
const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// Why a text is not an acceptable date. `Display` is Dutch; use [`Localize`] for English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    /// Nothing was entered.
    #[error("Vul een datum in, zoals 15-12-2026 of morgen.")]
    Empty,
    /// The text is not a form of date that is understood.
    #[error(
        "'{0}' is geen datum die ik herken. Gebruik bijvoorbeeld vandaag, morgen, ma t/m zo, +3d, +2w, +1m, 15-12, 15-12-2026 of 2026-12-15."
    )]
    Unknown(String),
    /// The month is not 1..=12.
    #[error("Maand {0} bestaat niet; een jaar heeft 12 maanden.")]
    InvalidMonth(u32),
    /// The day is 0.
    #[error("Dag 0 bestaat niet; een maand begint bij dag 1.")]
    DayZero,
    /// The day does not exist in that month, e.g. 31-02.
    #[error("{day:02}-{month:02} bestaat niet: {} {year} heeft {days_in_month} dagen.", month_nl(.month))]
    InvalidDay {
        /// The day that was entered.
        day: u32,
        /// The month, 1..=12.
        month: u32,
        /// The year the date would fall in.
        year: i32,
        /// How many days that month has in that year.
        days_in_month: u32,
    },
    /// The date falls outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    #[error("Deze datum ligt te ver weg; kies een datum tussen het jaar 1800 en 2200.")]
    OutOfRange,
    /// A birth date given as a word or offset instead of a date.
    #[error(
        "'{0}' is geen geboortedatum. Schrijf de datum met het jaar erbij, zoals 15-12-1980, 15/12/80 of 1980-12-15."
    )]
    NotABirthDate(String),
    /// A birth date without a year, e.g. "15-12".
    #[error("Bij een geboortedatum hoort ook het jaar, zoals 15-12-1980.")]
    BirthYearMissing,
    /// A birth date after today.
    #[error("Een geboortedatum kan niet in de toekomst liggen.")]
    BirthDateInFuture,
    /// A birth date implying an age above [`MAX_AGE`].
    #[error("Met deze geboortedatum zou iemand {0} jaar oud zijn. Controleer het jaar.")]
    TooOld(i32),
}

impl Localize for DateError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.to_string(),
            Lang::En => match self {
                Self::Empty => "Enter a date, like 15-12-2026 or morgen.".to_string(),
                Self::Unknown(s) => format!(
                    "'{s}' is not a date I recognise. Use for example vandaag, morgen, ma to zo, \
                     +3d, +2w, +1m, 15-12, 15-12-2026 or 2026-12-15."
                ),
                Self::InvalidMonth(m) => format!("Month {m} does not exist; a year has 12 months."),
                Self::DayZero => "Day 0 does not exist; a month starts at day 1.".to_string(),
                Self::InvalidDay {
                    day,
                    month,
                    year,
                    days_in_month,
                } => format!(
                    "{day:02}-{month:02} does not exist: {} {year} has {days_in_month} days.",
                    month_en(*month)
                ),
                Self::OutOfRange => {
                    "This date is too far away; choose a date between the years 1800 and 2200."
                        .to_string()
                }
                Self::NotABirthDate(s) => format!(
                    "'{s}' is not a birth date. Write the date with its year, like 15-12-1980, \
                     15/12/80 or 1980-12-15."
                ),
                Self::BirthYearMissing => {
                    "A birth date needs a year too, like 15-12-1980.".to_string()
                }
                Self::BirthDateInFuture => "A birth date cannot be in the future.".to_string(),
                Self::TooOld(age) => {
                    format!(
                        "With this birth date someone would be {age} years old. Check the year."
                    )
                }
            },
        }
    }
}

/// What a day and month without a year mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bare {
    /// That date in the current year (a period in a report: `01-01` to `31-12`).
    ThisYear,
    /// The next such date, today included (a due date, an end date, an appointment).
    Next,
    /// The last such date, today included (a contact that took place, a decision).
    Last,
}

/// Parses a date as typed by a user, relative to `today`; `15-12` is in the current year.
/// See the module documentation.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_date_as(input, today, Bare::ThisYear)
}

/// Parses a date that lies ahead: `15-01` on 01-12-2026 is 15-01-2027.
pub fn parse_future_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_date_as(input, today, Bare::Next)
}

/// Parses a date that has passed: `15-12` on 01-12-2026 is 15-12-2025.
pub fn parse_past_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_date_as(input, today, Bare::Last)
}

/// Parses a date as typed, with `bare` saying what a day and month without a year mean.
pub fn parse_date_as(input: &str, today: NaiveDate, bare: Bare) -> Result<NaiveDate, DateError> {
    let trimmed = input.trim();
    let s = trimmed.to_lowercase();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let date = if let Some(days) = relative_word(&s) {
        add_days(today, days)?
    } else if let Some(weekday) = weekday(&s) {
        next_weekday(today, weekday)?
    } else if let Some(result) = offset(&s, today) {
        result?
    } else if let Some((day, month, year)) = numeric_parts(&s) {
        match year {
            Year::Missing => bare_date(day, month, today, bare)?,
            Year::Two(yy) => build_date(day, month, 2000 + yy)?,
            Year::Four(y) => build_date(day, month, y)?,
        }
    } else {
        return Err(DateError::Unknown(shorten(trimmed)));
    };
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// Parses a birth date: only explicit dates with a year (dd-mm-jjjj, ISO, dd/mm/jj). A two-digit
/// year is 20jj unless that lies after `today`, then 19jj. Rejects future dates and ages above
/// [`MAX_AGE`].
pub fn parse_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(DateError::Empty);
    }
    let Some((day, month, year)) = numeric_parts(trimmed) else {
        return Err(DateError::NotABirthDate(shorten(trimmed)));
    };
    let date = match year {
        Year::Missing => return Err(DateError::BirthYearMissing),
        Year::Four(y) => build_date(day, month, y)?,
        Year::Two(yy) => match build_date(day, month, 2000 + yy)? {
            recent if recent <= today => recent,
            _ => build_date(day, month, 1900 + yy)?,
        },
    };
    if date > today {
        return Err(DateError::BirthDateInFuture);
    }
    let before_birthday = (today.month(), today.day()) < (date.month(), date.day());
    let age = today.year() - date.year() - i32::from(before_birthday);
    if age > MAX_AGE {
        return Err(DateError::TooOld(age));
    }
    Ok(date)
}

/// Writes a date as "dd-mm-jjjj", e.g. "15-12-2026".
pub fn format_date(d: NaiveDate) -> String {
    format!("{:02}-{:02}-{:04}", d.day(), d.month(), d.year())
}

/// The year part of a numeric date.
enum Year {
    Missing,
    Two(i32),
    Four(i32),
}

/// Splits "15-12", "15-12-2026", "15/12/26", "15.12.2026" or "2026-12-15" into day, month and
/// year, not yet checked against the calendar.
fn numeric_parts(s: &str) -> Option<(u32, u32, Year)> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(numeric) {
        return None;
    }
    let small = |p: &str| {
        if p.len() <= 2 {
            p.parse::<u32>().ok()
        } else {
            None
        }
    };
    let (d, m, y) = match parts.as_slice() {
        [d, m] => return Some((small(d)?, small(m)?, Year::Missing)),
        [y, m, d] if y.len() == 4 => (d, m, y),
        [d, m, y] => (d, m, y),
        _ => return None,
    };
    let n = y.parse::<i32>().ok()?;
    let year = match y.len() {
        2 => Year::Two(n),
        4 => Year::Four(n),
        _ => return None,
    };
    Some((small(d)?, small(m)?, year))
}

/// A day and month without a year, read as `bare` says. A day that no year has (30-02) is
/// explained as for the current year.
fn bare_date(day: u32, month: u32, today: NaiveDate, bare: Bare) -> Result<NaiveDate, DateError> {
    let this = today.year();
    // 29 February comes round within 8 years.
    let found = match bare {
        Bare::ThisYear => None,
        Bare::Next => (this..=this + 8)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
            .find(|d| *d >= today),
        Bare::Last => (this - 8..=this)
            .rev()
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
            .find(|d| *d <= today),
    };
    match found {
        Some(d) => Ok(d),
        None => build_date(day, month, this),
    }
}

/// Writes a date for a list: "dd-mm" in the year of `today`, "dd-mm-jjjj" in any other year, so
/// a date from 2024 never looks like one from this year.
pub fn format_short(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        format!("{:02}-{:02}", d.day(), d.month())
    } else {
        format_date(d)
    }
}

/// Checks day and month against the calendar and explains what is wrong.
fn build_date(day: u32, month: u32, year: i32) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err(DateError::InvalidMonth(month));
    }
    if day == 0 {
        return Err(DateError::DayZero);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        match (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        {
            Some(days_in_month) => DateError::InvalidDay {
                day,
                month,
                year,
                days_in_month,
            },
            None => DateError::OutOfRange,
        }
    })
}

/// Days from today for the relative words.
fn relative_word(s: &str) -> Option<i64> {
    match s {
        "vandaag" => Some(0),
        "morgen" => Some(1),
        "overmorgen" => Some(2),
        "gisteren" => Some(-1),
        "eergisteren" => Some(-2),
        _ => None,
    }
}

/// A weekday from a name or the start of one (at least 2 letters).
fn weekday(s: &str) -> Option<Weekday> {
    if s.len() < 2 {
        return None;
    }
    let index = WEEKDAYS.iter().position(|name| name.starts_with(s))?;
    Weekday::try_from(u8::try_from(index).ok()?).ok()
}

/// The first `weekday` strictly after `today`.
fn next_weekday(today: NaiveDate, weekday: Weekday) -> Result<NaiveDate, DateError> {
    let ahead = (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    add_days(today, if ahead == 0 { 7 } else { i64::from(ahead) })
}

fn add_days(today: NaiveDate, days: i64) -> Result<NaiveDate, DateError> {
    TimeDelta::try_days(days)
        .and_then(|delta| today.checked_add_signed(delta))
        .ok_or(DateError::OutOfRange)
}

/// Offsets like "+3d", "-2w", "+1m", "+3". `None` when `s` is not an offset at all.
fn offset(s: &str, today: NaiveDate) -> Option<Result<NaiveDate, DateError>> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1i64, s.get(1..)?),
        b'-' => (-1i64, s.get(1..)?),
        _ => return None,
    };
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let digit_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, unit) = rest.split_at(digit_len);
    if digits.is_empty() || !matches!(unit, "" | "d" | "w" | "m") {
        return None;
    }
    let parsed = if digits.len() <= 7 {
        digits.parse::<u32>().ok()
    } else {
        None
    };
    let Some(n) = parsed else {
        return Some(Err(DateError::OutOfRange));
    };
    let date = match unit {
        "w" => TimeDelta::try_weeks(sign * i64::from(n)).and_then(|d| today.checked_add_signed(d)),
        "m" if sign > 0 => today.checked_add_months(Months::new(n)),
        "m" => today.checked_sub_months(Months::new(n)),
        _ => TimeDelta::try_days(sign * i64::from(n)).and_then(|d| today.checked_add_signed(d)),
    };
    Some(date.ok_or(DateError::OutOfRange))
}

/// The input as quoted in a message, cut off after 30 characters.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(30).collect();
    if s.chars().nth(30).is_some() {
        out.push('…');
    }
    out
}

/// The Dutch month name, or "?" outside 1..=12.
fn month_nl(month: impl Borrow<u32>) -> &'static str {
    let index = usize::try_from(*month.borrow()).unwrap_or(0);
    index
        .checked_sub(1)
        .and_then(|i| MONTHS_NL.get(i))
        .copied()
        .unwrap_or("?")
}

/// The English month name, or "?" outside 1..=12.
fn month_en(month: u32) -> &'static str {
    u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .map_or("?", |m| m.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(iso: &str) -> NaiveDate {
        iso.parse().unwrap()
    }

    /// Wednesday 10 February 2027.
    fn today() -> NaiveDate {
        d("2027-02-10")
    }

    /// (input, expected date) relative to [`today`].
    #[rustfmt::skip]
    const ACCEPTED: &[(&str, &str)] = &[
        ("vandaag", "2027-02-10"), (" Morgen ", "2027-02-11"), ("overmorgen", "2027-02-12"),
        ("gisteren", "2027-02-09"), ("eergisteren", "2027-02-08"),
        ("do", "2027-02-11"), ("vr", "2027-02-12"), ("za", "2027-02-13"), ("ZO", "2027-02-14"),
        ("ma", "2027-02-15"), ("di", "2027-02-16"), ("wo", "2027-02-17"),
        ("woensdag", "2027-02-17"), ("Maandag", "2027-02-15"), ("vrij", "2027-02-12"),
        ("+3d", "2027-02-13"), ("+3", "2027-02-13"), ("+ 3 d", "2027-02-13"), ("+0d", "2027-02-10"),
        ("+2w", "2027-02-24"), ("+1m", "2027-03-10"), ("-3d", "2027-02-07"), ("-1w", "2027-02-03"),
        ("-1m", "2027-01-10"),
        ("15-12", "2027-12-15"), ("1-1", "2027-01-01"), ("15-12-2026", "2026-12-15"),
        ("15/12/26", "2026-12-15"), ("1-2-2027", "2027-02-01"), ("15.12.2026", "2026-12-15"),
        ("2026-12-15", "2026-12-15"), ("29-02-2028", "2028-02-29"), ("01-01-1900", "1900-01-01"),
    ];

    /// (input, the whole Dutch message) relative to [`today`].
    #[rustfmt::skip]
    const INVALID: &[(&str, &str)] = &[
        ("31-02", "31-02 bestaat niet: februari 2027 heeft 28 dagen."),
        ("29-2-2027", "29-02 bestaat niet: februari 2027 heeft 28 dagen."),
        ("30-02-2028", "30-02 bestaat niet: februari 2028 heeft 29 dagen."),
        ("31-04-2026", "31-04 bestaat niet: april 2026 heeft 30 dagen."),
        ("2026-06-31", "31-06 bestaat niet: juni 2026 heeft 30 dagen."),
        ("32-1", "32-01 bestaat niet: januari 2027 heeft 31 dagen."),
        ("15-13-2026", "Maand 13 bestaat niet; een jaar heeft 12 maanden."),
        ("15-0", "Maand 0 bestaat niet; een jaar heeft 12 maanden."),
        ("0-1-2026", "Dag 0 bestaat niet; een maand begint bij dag 1."),
        ("15-12-1700", "Deze datum ligt te ver weg; kies een datum tussen het jaar 1800 en 2200."),
    ];

    #[test]
    fn accepted_forms() {
        for (input, want) in ACCEPTED {
            assert_eq!(parse_date(input, today()), Ok(d(want)), "{input}");
        }
        // Month arithmetic clamps to the month end.
        assert_eq!(parse_date("+1m", d("2027-01-31")), Ok(d("2027-02-28")));
        assert_eq!(parse_date("+1m", d("2028-01-31")), Ok(d("2028-02-29")));
        // "vr" on a Friday is next week's Friday.
        assert_eq!(parse_date("vr", d("2027-01-01")), Ok(d("2027-01-08")));
    }

    #[test]
    fn invalid_dates_explain_why() {
        for (input, want) in INVALID {
            assert_eq!(
                parse_date(input, today()).unwrap_err().to_string(),
                *want,
                "{input}"
            );
        }
        let e = parse_date("31-02", today()).unwrap_err();
        assert_eq!(
            e.localize(Lang::En),
            "31-02 does not exist: February 2027 has 28 days."
        );
    }

    #[test]
    fn unknown_empty_and_out_of_range() {
        assert_eq!(parse_date("  ", today()), Err(DateError::Empty));
        for input in [
            "bla",
            "m",
            "+3x",
            "+",
            "15-12-026",
            "15--12",
            "2026-12",
            "1-2-3-4",
            "15 12",
        ] {
            let text = parse_date(input, today()).unwrap_err().to_string();
            assert!(
                text.starts_with(&format!("'{input}' is geen datum")),
                "{text}"
            );
            assert!(text.contains("vandaag, morgen, ma t/m zo, +3d"), "{text}");
        }
        let long = "x".repeat(50);
        assert!(
            parse_date(&long, today())
                .unwrap_err()
                .to_string()
                .contains("…'")
        );
        for input in ["01-01-2201", "+99999999d", "+200000w", "-5000m"] {
            assert_eq!(
                parse_date(input, today()),
                Err(DateError::OutOfRange),
                "{input}"
            );
        }
    }

    #[test]
    fn a_day_and_month_without_a_year_look_ahead_or_back_as_the_field_needs() {
        let first_december = d("2026-12-01");
        assert_eq!(
            parse_future_date("15-01", first_december),
            Ok(d("2027-01-15"))
        );
        assert_eq!(
            parse_future_date("15-12", first_december),
            Ok(d("2026-12-15"))
        );
        assert_eq!(
            parse_future_date("01-12", first_december),
            Ok(first_december)
        );
        assert_eq!(
            parse_past_date("15-12", first_december),
            Ok(d("2025-12-15"))
        );
        assert_eq!(
            parse_past_date("15-01", first_december),
            Ok(d("2026-01-15"))
        );
        assert_eq!(parse_date("15-01", first_december), Ok(d("2026-01-15")));
        // 29 February: the next (or last) one that exists.
        assert_eq!(
            parse_future_date("29-02", first_december),
            Ok(d("2028-02-29"))
        );
        assert_eq!(
            parse_past_date("29-02", first_december),
            Ok(d("2024-02-29"))
        );
        // A day no year has is explained as before.
        assert!(matches!(
            parse_future_date("30-02", first_december),
            Err(DateError::InvalidDay {
                day: 30,
                month: 2,
                ..
            })
        ));
        // With a year the year counts, in any direction.
        assert_eq!(
            parse_future_date("15-01-2020", first_december),
            Ok(d("2020-01-15"))
        );
    }

    #[test]
    fn a_date_in_another_year_shows_its_year() {
        let today = d("2026-11-23");
        assert_eq!(format_short(d("2026-08-09"), today), "09-08");
        assert_eq!(format_short(d("2024-08-09"), today), "09-08-2024");
        assert_eq!(format_short(d("2027-01-15"), today), "15-01-2027");
    }

    #[test]
    fn formats_dd_mm_yyyy() {
        assert_eq!(format_date(d("2026-12-15")), "15-12-2026");
        assert_eq!(format_date(d("2027-02-01")), "01-02-2027");
        assert_eq!(parse_date("04-07-1950", today()), Ok(d("1950-07-04")));
    }

    #[test]
    fn birth_dates() {
        #[rustfmt::skip]
        let cases = [
            ("15-12-1980", "1980-12-15"), ("1980-12-15", "1980-12-15"), ("15/12/80", "1980-12-15"),
            ("01/02/27", "2027-02-01"), ("15/12/27", "1927-12-15"), ("10-02-2027", "2027-02-10"),
            ("10-02-1907", "1907-02-10"), ("11-02-1906", "1906-02-11"), ("29/02/00", "2000-02-29"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_birth_date(input, today()), Ok(d(want)), "{input}");
        }
    }

    #[test]
    fn birth_dates_rejected_with_reason() {
        use DateError as E;
        #[rustfmt::skip]
        let cases = [
            ("", E::Empty, "Vul een datum in"),
            ("11-02-2027", E::BirthDateInFuture, "kan niet in de toekomst liggen"),
            ("2030-01-01", E::BirthDateInFuture, "toekomst"),
            ("10-02-1906", E::TooOld(121), "zou iemand 121 jaar oud zijn"),
            ("01-01-1000", E::TooOld(1027), "Controleer het jaar"),
            ("15-12", E::BirthYearMissing, "hoort ook het jaar, zoals 15-12-1980"),
            ("morgen", E::NotABirthDate("morgen".into()), "'morgen' is geen geboortedatum"),
            ("+3d", E::NotABirthDate("+3d".into()), "zoals 15-12-1980"),
        ];
        for (input, err, text) in cases {
            let got = parse_birth_date(input, today()).unwrap_err();
            assert_eq!(got, err, "{input}");
            assert!(got.to_string().contains(text), "{input}: {got}");
        }
        let e = parse_birth_date("31-02-1980", today()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "31-02 bestaat niet: februari 1980 heeft 29 dagen."
        );
    }

    #[test]
    fn localizes() {
        let e = DateError::BirthDateInFuture;
        assert_eq!(e.localize(Lang::Nl), e.to_string());
        assert_eq!(
            e.localize(Lang::En),
            "A birth date cannot be in the future."
        );
        assert!(
            DateError::Unknown("x".into())
                .localize(Lang::En)
                .contains("not a date")
        );
    }
}
