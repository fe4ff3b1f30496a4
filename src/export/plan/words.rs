//! Dates in plain words: "maandag 23 november 2026".

use chrono::{Datelike, NaiveDate};

use crate::i18n::Lang;

const DAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn parts(d: NaiveDate, lang: Lang) -> (&'static str, &'static str) {
    let day = d.weekday().num_days_from_monday() as usize;
    let month = d.month0() as usize;
    match lang {
        Lang::Nl => (DAYS_NL[day % 7], MONTHS_NL[month % 12]),
        Lang::En => (DAYS_EN[day % 7], MONTHS_EN[month % 12]),
    }
}

/// "maandag 23 november 2026".
pub fn long_date(d: NaiveDate, lang: Lang) -> String {
    let (day, month) = parts(d, lang);
    format!("{day} {} {month} {}", d.day(), d.year())
}

/// "vrijdag 27 november", with the year only when it differs from `today`'s.
pub fn short_date(d: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    if d.year() == today.year() {
        let (day, month) = parts(d, lang);
        format!("{day} {} {month}", d.day())
    } else {
        long_date(d, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_words() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(short_date(d, today, Lang::Nl), "vrijdag 27 november");
        assert_eq!(long_date(today, Lang::Nl), "maandag 23 november 2026");
        let next_year = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert_eq!(
            short_date(next_year, today, Lang::Nl),
            "maandag 4 januari 2027"
        );
    }
}
