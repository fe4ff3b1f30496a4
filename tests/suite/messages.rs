//! Messages in the user's language: an English refusal names the operation in English, and
//! SQLite and file-system errors arrive wrapped in a sentence that says what it means.

use crate::support;

use keukentafel::i18n::{Lang, Localize};
use keukentafel::store::StoreError;
use support::each_harness;

#[test]
fn an_english_refusal_names_the_operation_in_english() {
    each_harness(|h| {
        let store = h.db.open();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        let refused = store.list_users(&anna).unwrap_err();
        assert!(matches!(refused, StoreError::Denied { .. }));
        let en = refused.localize(Lang::En);
        assert!(en.contains("list users"), "{en}");
        assert!(!en.contains("medewerkers"), "no Dutch in English: {en}");
        let nl = refused.localize(Lang::Nl);
        assert!(nl.contains("medewerkers bekijken"), "{nl}");
    });
}

#[test]
fn file_and_database_errors_read_as_dutch_sentences() {
    let missing = StoreError::Io {
        path: "/nergens/keukentafel.db".into(),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    };
    assert_eq!(
        missing.localize(Lang::Nl),
        "Bestand /nergens/keukentafel.db kon niet worden gebruikt: het bestaat niet."
    );
    let full = StoreError::Io {
        path: "x".into(),
        source: std::io::Error::from(std::io::ErrorKind::StorageFull),
    };
    assert!(full.localize(Lang::Nl).contains("de schijf is vol"));
    let backend = StoreError::Backend(keukentafel::store::BackendError {
        kind: keukentafel::store::BackendErrorKind::Other,
        detail: "invalid query".into(),
    });
    let nl = backend.localize(Lang::Nl);
    assert!(nl.starts_with("De database gaf een fout;"), "{nl}");
    assert!(nl.contains("er is niets half opgeslagen"), "{nl}");
    assert!(
        nl.ends_with("(invalid query)"),
        "the backend's own words follow: {nl}"
    );
    let disk = StoreError::Backend(keukentafel::store::BackendError {
        kind: keukentafel::store::BackendErrorKind::DiskFull,
        detail: "database or disk is full".into(),
    });
    assert!(
        disk.localize(Lang::Nl)
            .starts_with("De schijf is vol: er is niets opgeslagen."),
        "{}",
        disk.localize(Lang::Nl)
    );
}
