//! Property tests for the pure validators: BSN, postcode, house number, phone and dates.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use keukentafel::domain::address::HouseNumber;
use keukentafel::domain::bsn::{Bsn, is_valid_bsn};
use keukentafel::domain::dates::{format_date, parse_birth_date, parse_date};
use keukentafel::domain::phone::Phone;
use keukentafel::domain::postcode::Postcode;
use proptest::prelude::*;

/// A date in the years 1900..2100.
fn date_1900_2100() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let span = (end - start).num_days() as u64;
    (0..span).prop_map(move |n| start + Days::new(n))
}

/// A "today" somewhere in 1950..2050.
fn today() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    (0u64..36_500).prop_map(move |n| start + Days::new(n))
}

/// Eight digits plus the ninth that makes the elfproef pass, when one exists.
fn valid_bsn_digits() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0u8..10, 8).prop_filter_map("no check digit possible", |mut d| {
        let weights = [9u32, 8, 7, 6, 5, 4, 3, 2];
        let sum: u32 = d.iter().zip(weights).map(|(&x, w)| u32::from(x) * w).sum();
        let check = (sum % 11) as u8;
        if check == 10 || (sum == 0) {
            return None;
        }
        d.push(check);
        Some(d)
    })
}

fn digits_to_string(d: &[u8]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_bsn_passes_and_every_single_digit_change_fails(digits in valid_bsn_digits()) {
        let text = digits_to_string(&digits);
        let bsn = Bsn::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(bsn.as_str(), text.as_str());
        prop_assert_eq!(bsn.masked(), format!("*****{}", &text[5..]));
        if digits[0] == 0 {
            prop_assert_eq!(Bsn::parse(&text[1..]).ok(), Some(bsn.clone()));
        }
        for pos in 0..9 {
            for value in 0u8..10 {
                if value == digits[pos] {
                    continue;
                }
                let mut changed = digits.clone();
                changed[pos] = value;
                let changed = digits_to_string(&changed);
                prop_assert!(!is_valid_bsn(&changed), "{} passed after changing {}", changed, text);
            }
        }
    }

    #[test]
    fn postcode_round_trips(
        digits in "[1-9][0-9]{3}",
        letters in "[A-Za-z]{2}",
        gap in "[ \t]{0,3}",
        pad in " {0,2}",
    ) {
        prop_assume!(!["SA", "SD", "SS"].contains(&letters.to_uppercase().as_str()));
        let input = format!("{pad}{digits}{gap}{letters}{pad}");
        let pc = Postcode::parse(&input).map_err(|e| TestCaseError::fail(format!("{input:?}: {e}")))?;
        prop_assert_eq!(pc.as_str(), format!("{digits} {}", letters.to_uppercase()));
        prop_assert_eq!(Postcode::parse(&pc.to_string()).ok(), Some(pc.clone()));
        prop_assert_eq!(Postcode::parse(&pc.compact()).ok(), Some(pc));
    }

    #[test]
    fn house_number_round_trips(
        number in 1u32..=99_999,
        addition in proptest::option::of("[A-Za-z0-9]{1,4}"),
        sep in prop_oneof![Just(""), Just(" "), Just("-"), Just(" - "), Just("  ")],
    ) {
        let input = match &addition {
            // Without a separator a leading digit would become part of the number.
            Some(a) if sep.is_empty() && a.starts_with(|c: char| c.is_ascii_digit()) => {
                format!("{number}-{a}")
            }
            Some(a) => format!("{number}{sep}{a}"),
            None => number.to_string(),
        };
        let h = HouseNumber::parse(&input).map_err(|e| TestCaseError::fail(format!("{input:?}: {e}")))?;
        prop_assert_eq!(h.number(), number);
        prop_assert_eq!(h.addition().map(str::to_string), addition.map(|a| a.to_uppercase()));
        prop_assert_eq!(HouseNumber::parse(&h.to_string()).ok(), Some(h));
    }

    #[test]
    fn phone_normalisation_is_idempotent(
        kind in 0usize..4,
        rest in "[0-9]{8}",
        prefix in prop_oneof![Just("0"), Just("+31"), Just("0031"), Just("+31 (0)"), Just("+31 ")],
        sep in prop_oneof![Just(""), Just(" "), Just("-"), Just(".")],
    ) {
        let national_tail = match kind {
            0 => format!("6{rest}"),
            1 => format!("20{}", &rest[..7]),
            2 => format!("343{}", &rest[..6]),
            _ => format!("85{}", &rest[..7]),
        };
        let (head, tail) = national_tail.split_at(3);
        let input = format!("{prefix}{head}{sep}{tail}");
        let p = Phone::parse(&input).map_err(|e| TestCaseError::fail(format!("{input:?}: {e}")))?;
        prop_assert_eq!(p.as_str(), format!("0{national_tail}"));
        prop_assert_eq!(Phone::parse(p.as_str()).ok(), Some(p.clone()));
        prop_assert_eq!(Phone::parse(&p.display()).ok(), Some(p.clone()));
        prop_assert_eq!(Phone::parse(&p.international()).ok(), Some(p));
    }

    #[test]
    fn formatted_date_parses_back(d in date_1900_2100(), today in today()) {
        let text = format_date(d);
        prop_assert_eq!(text.len(), 10);
        prop_assert_eq!(parse_date(&text, today), Ok(d));
    }

    #[test]
    fn past_birth_date_parses_back(age_days in 0u64..43_000, today in today()) {
        let born = today - Days::new(age_days);
        prop_assert_eq!(parse_birth_date(&format_date(born), today), Ok(born));
        let iso = born.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse_birth_date(&iso, today), Ok(born));
    }

    #[test]
    fn plus_n_days_is_today_plus_n(n in 0u64..20_000, today in today()) {
        prop_assert_eq!(parse_date(&format!("+{n}d"), today), Ok(today + Days::new(n)));
        prop_assert_eq!(parse_date(&format!("-{n}d"), today), Ok(today - Days::new(n)));
        let weeks = n % 2_000;
        prop_assert_eq!(parse_date(&format!("+{weeks}w"), today), Ok(today + Days::new(7 * weeks)));
    }

    #[test]
    fn weekday_names_give_the_next_such_day(index in 0usize..7, today in today(), upper in any::<bool>()) {
        let short = ["ma", "di", "wo", "do", "vr", "za", "zo"];
        let full = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
        let wd = Weekday::try_from(index as u8).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for name in [short[index], full[index]] {
            let name = if upper { name.to_uppercase() } else { name.to_string() };
            let got = parse_date(&name, today).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let ahead = (got - today).num_days();
            prop_assert!((1..=7).contains(&ahead), "{} on {} gave {}", name, today, got);
            prop_assert_eq!(got.weekday(), wd);
        }
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_text(s in any::<String>(), today in today()) {
        check_all(&s, today)?;
    }

    #[test]
    fn parsers_never_panic_on_date_like_text(s in "[0-9+\\-/. dwmaz]{0,14}", today in today()) {
        check_all(&s, today)?;
    }
}

/// Runs every parser on `s`; whatever is accepted must be stable under re-parsing.
fn check_all(s: &str, today: NaiveDate) -> Result<(), TestCaseError> {
    // The same properties as fuzz/fuzz_targets/validators.rs.
    prop_assert_eq!(is_valid_bsn(s), Bsn::parse(s).is_ok());
    if let Ok(b) = Bsn::parse(s) {
        prop_assert_eq!(b.as_str().len(), 9);
        prop_assert!(b.masked().ends_with(&b.as_str()[5..]));
        prop_assert_eq!(Bsn::parse(&b.to_string()).ok(), Some(b.clone()));
        prop_assert_eq!(Bsn::parse(b.as_str()).ok(), Some(b));
    }
    if let Ok(p) = Postcode::parse(s) {
        prop_assert_eq!(Postcode::parse(&p.to_string()).ok(), Some(p.clone()));
        prop_assert_eq!(Postcode::parse(&p.compact()).ok(), Some(p.clone()));
        prop_assert_eq!(Postcode::parse(p.as_str()).ok(), Some(p));
    }
    if let Ok(h) = HouseNumber::parse(s) {
        prop_assert!((1..=99_999).contains(&h.number()));
        prop_assert_eq!(HouseNumber::parse(&h.to_string()).ok(), Some(h));
    }
    if let Ok(p) = Phone::parse(s) {
        prop_assert_eq!(Phone::parse(p.as_str()).ok(), Some(p.clone()));
        prop_assert_eq!(Phone::parse(&p.international()).ok(), Some(p.clone()));
        prop_assert_eq!(Phone::parse(&p.display()).ok(), Some(p));
    }
    if let Ok(d) = parse_date(s, today) {
        prop_assert_eq!(parse_date(&format_date(d), today), Ok(d));
    }
    if let Ok(d) = parse_birth_date(s, today) {
        prop_assert!(d <= today);
        prop_assert_eq!(parse_birth_date(&format_date(d), today), Ok(d));
    }
    Ok(())
}
