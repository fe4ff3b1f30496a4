//! Fuzzes the provider import's parser: it must never panic, every row it accepts must hold
//! what the database will check (8-digit AGB, a known product, a non-negative tariff, an end
//! not before the start), and every row is either accepted or named, in file order.

#![no_main]

use keukentafel::domain::reference::ReferenceData;
use keukentafel::exchange::import::parse_providers;
use libfuzzer_sys::fuzz_target;

/// Parsed once: the catalogues are not what is fuzzed.
static REFERENCE: std::sync::OnceLock<ReferenceData> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let reference = REFERENCE.get_or_init(ReferenceData::embedded);
    let Ok(parsed) = parse_providers(data, &reference.products) else {
        return;
    };
    let mut lines: Vec<usize> = parsed.rows.iter().map(|r| r.line).collect();
    lines.extend(parsed.rejected.iter().map(|r| r.line));
    assert!(lines.iter().all(|l| *l >= 2), "the header is line 1");
    for row in &parsed.rows {
        assert_eq!(row.agb.as_str().len(), 8);
        assert!(row.agb.as_str().chars().all(|c| c.is_ascii_digit()));
        assert!(reference.products.product(&row.product).is_some());
        assert!(row.tariff_cents >= 0);
        assert!(row.valid_to.is_none_or(|to| to >= row.valid_from));
        assert!(!row.name.trim().is_empty());
    }
    for e in &parsed.rejected {
        assert!(!e.nl.is_empty() && !e.en.is_empty());
    }
});
