//! Fuzzes the date parsers: they must never panic, and every accepted date must survive
//! `format_date` -> parse unchanged.

#![no_main]

use chrono::{Days, NaiveDate};
use keukentafel::domain::dates::{format_date, parse_birth_date, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first two bytes pick "today" (1950..2129); the rest is the text.
    let (offset, text) = match data {
        [a, b, rest @ ..] => (u64::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Some(today) =
        NaiveDate::from_ymd_opt(1950, 1, 1).and_then(|d| d.checked_add_days(Days::new(offset)))
    else {
        return;
    };

    if let Ok(d) = parse_date(text, today) {
        assert_eq!(parse_date(&format_date(d), today), Ok(d), "input {text:?}");
    }
    if let Ok(d) = parse_birth_date(text, today) {
        assert!(
            d <= today,
            "birth date {d} after today {today} for {text:?}"
        );
        assert_eq!(
            parse_birth_date(&format_date(d), today),
            Ok(d),
            "input {text:?}"
        );
    }
});
