//! Stories of this area, on every backend (see `common`).

#[allow(unused_imports)]
use crate::common::*;

#[test]
fn a_staffed_database_logs_its_users_in_on_every_backend() {
    each_backend(|db| {
        let (store, _admin) = staffed(db);
        let anna = login(store.as_ref(), "anna");
        assert_eq!(anna.username, "anna", "{}", db.backend);
        let err = store
            .authenticate("anna", "fout-wachtwoord", "test")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Onbekende gebruiker of onjuist wachtwoord.",
            "{}",
            db.backend
        );
    });
}
