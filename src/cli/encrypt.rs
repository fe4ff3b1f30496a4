//! `keukentafel encrypt`: the SQLite file encrypted at rest (the `encryption` build feature).

use super::{CliError, Context};

/// `keukentafel encrypt`: a beheerder converts the plain database file into an encrypted one.
#[cfg(feature = "encryption")]
pub fn encrypt(ctx: &Context) -> Result<(), CliError> {
    let (store, session) = ctx.login_sqlite("encrypt")?;
    let report = store
        .encrypt(&session, &ctx.workstation)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Versleuteld: {} (schema {}, {} auditregels, gecontroleerd). Het sleutelbestand {} bevat de sleutel voor {} medewerkers, elk met het eigen wachtwoord; zonder dat bestand is de database niet te openen: neem het mee in elke back-up. Oude, onversleutelde back-ups: vernietig ze.",
                report.path.display(),
                report.check.schema_version,
                report.check.chain.rows,
                report.key_file.display(),
                report.users
            ),
            &format!(
                "Encrypted: {} (schema {}, {} audit rows, checked). The key file {} holds the key for {} users, each with their own password; without it the database cannot be opened: include it in every backup. Old, unencrypted backups: destroy them.",
                report.path.display(),
                report.check.schema_version,
                report.check.chain.rows,
                report.key_file.display(),
                report.users
            ),
        )
    );
    Ok(())
}

/// `keukentafel encrypt` in a build without SQLCipher: says how to get one.
#[cfg(not(feature = "encryption"))]
pub fn encrypt(ctx: &Context) -> Result<(), CliError> {
    // Refuse a server before anything else, like the other file-only acts.
    ctx.database_file("encrypt")?;
    Err(ctx.error(
        "Deze keukentafel is gebouwd zonder versleuteling; er is niets veranderd. Bouw met `cargo build --release --features encryption`.",
        "This keukentafel was built without encryption; nothing was changed. Build with `cargo build --release --features encryption`.",
    ))
}
