//! Fuzzes BSN, postcode, house number, phone and birth date parsing on arbitrary UTF-8: no panics,
//! and every accepted value parses back to itself from its canonical forms.

#![no_main]

use chrono::NaiveDate;
use keukentafel::domain::address::HouseNumber;
use keukentafel::domain::bsn::{Bsn, is_valid_bsn};
use keukentafel::domain::dates::{format_date, parse_birth_date};
use keukentafel::domain::phone::Phone;
use keukentafel::domain::postcode::Postcode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(b) = Bsn::parse(text) {
        assert_eq!(b.as_str().len(), 9);
        assert_eq!(Bsn::parse(&b.to_string()).as_ref(), Ok(&b));
        assert!(b.masked().ends_with(&b.as_str()[5..]));
    }
    assert_eq!(is_valid_bsn(text), Bsn::parse(text).is_ok());

    if let Ok(p) = Postcode::parse(text) {
        assert_eq!(Postcode::parse(&p.to_string()).as_ref(), Ok(&p));
        assert_eq!(Postcode::parse(&p.compact()).as_ref(), Ok(&p));
    }

    if let Ok(h) = HouseNumber::parse(text) {
        assert!((1..=99_999).contains(&h.number()));
        assert_eq!(HouseNumber::parse(&h.to_string()).as_ref(), Ok(&h));
    }

    if let Ok(p) = Phone::parse(text) {
        assert_eq!(Phone::parse(p.as_str()).as_ref(), Ok(&p));
        assert_eq!(Phone::parse(&p.display()).as_ref(), Ok(&p));
        assert_eq!(Phone::parse(&p.international()).as_ref(), Ok(&p));
    }

    if let Some(today) = NaiveDate::from_ymd_opt(2027, 2, 10)
        && let Ok(d) = parse_birth_date(text, today)
    {
        assert!(d <= today);
        assert_eq!(parse_birth_date(&format_date(d), today), Ok(d));
    }
});
