//! SCRAM-SHA-256 verifiers for the users' roles, made on the workstation: `CREATE ROLE` and
//! `ALTER ROLE` get the verifier (salted, 4,096 rounds), never the password itself, so no
//! password appears in the server's log or statistics.

/// The verifier PostgreSQL stores for `password` (with a fresh random salt).
pub(crate) fn verifier(password: &str) -> String {
    postgres_protocol::password::scram_sha_256(password.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_names_its_method_and_never_holds_the_password() {
        let v = verifier("geheim-wachtwoord");
        assert!(v.starts_with("SCRAM-SHA-256$4096:"), "{v}");
        assert!(!v.contains("geheim"));
        assert_ne!(
            v,
            verifier("geheim-wachtwoord"),
            "each verifier has its own salt"
        );
    }
}
