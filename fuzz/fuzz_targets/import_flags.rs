//! Fuzzes the flag import's parser: it must never panic, and every row it accepts must carry
//! a BSN that passes the elfproef, a flag type from the catalogue, a source, and an end not
//! before its start. Nothing but those fields can come out of it.

#![no_main]

use keukentafel::domain::bsn::is_valid_bsn;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::exchange::import::parse_flags;
use libfuzzer_sys::fuzz_target;

/// Parsed once: the catalogues are not what is fuzzed.
static REFERENCE: std::sync::OnceLock<ReferenceData> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let reference = REFERENCE.get_or_init(ReferenceData::embedded);
    let Ok(parsed) = parse_flags(data, &reference.flags) else {
        return;
    };
    for row in &parsed.rows {
        assert!(row.line >= 2);
        assert!(is_valid_bsn(row.bsn.as_str()));
        assert!(reference.flags.by_key(&row.kind).is_some());
        assert!(!row.source.trim().is_empty() && row.source.chars().count() <= 60);
        assert!(row.end.is_none_or(|e| e >= row.since));
    }
    for e in &parsed.rejected {
        assert!(e.line >= 2 && !e.nl.is_empty());
    }
});
