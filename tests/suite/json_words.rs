//! The AVG export's JSON names things as the application does: codes such as `"client"`,
//! `"open"` and `"ouder"`, scores as numbers or `null`, never Rust enum names (`"Client"`,
//! `{"Level": 4}`, `"NotScored"`).

use crate::support;

use support::each_harness;

#[test]
fn the_household_export_has_no_rust_enum_names() {
    each_harness(|h| {
        let mut store = h.db.open();
        let anna = store.authenticate("anna", "demo", "test").unwrap();
        let export = store.export_household(&anna, 1).unwrap();
        let json = serde_json::to_string(&export).unwrap();
        for rust in [
            "\"Client\"",
            "\"Open\"",
            "\"Ouder\"",
            "\"Kind\"",
            "\"Manual\"",
            "\"Lopend\"",
            "\"NotScored\"",
            "\"Level\"",
            "\"Closed\"",
            "\"Done\"",
        ] {
            assert!(!json.contains(rust), "{rust} in the export");
        }
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["household"]["status"]["code"], "open");
        assert_eq!(value["members"][0]["role"], "ouder");
        let scores = &value["assessments"][0]["scores"];
        assert!(
            scores
                .as_object()
                .unwrap()
                .values()
                .all(|v| v.is_null() || v.is_u64()),
            "{scores}"
        );
    });
}
