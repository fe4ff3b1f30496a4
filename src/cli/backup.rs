//! `keukentafel backup FILE` and `keukentafel restore FILE [--force]`.

use std::sync::Arc;

use super::{BackupArgs, CliError, Context, RestoreArgs};
use crate::clock::{Clock, SystemClock};
use crate::store::sqlite::backup::prepare_restore;

/// `keukentafel backup FILE`: a beheerder makes a checked copy while others keep working.
pub fn backup(ctx: &Context, args: &BackupArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login_sqlite("backup")?;
    let report = store
        .backup_to(&session, &args.file)
        .map_err(|e| ctx.fail(e))?;
    let mib = report.bytes as f64 / (1024.0 * 1024.0);
    say!(
        "{}",
        ctx.text(
            &format!(
                "Back-up gemaakt: {} ({mib:.1} MiB, schema {}, {} auditregels, gecontroleerd).",
                report.path.display(),
                report.check.schema_version,
                report.check.chain.rows
            ),
            &format!(
                "Backup made: {} ({mib:.1} MiB, schema {}, {} audit rows, checked).",
                report.path.display(),
                report.check.schema_version,
                report.check.chain.rows
            ),
        )
    );
    if let Some(key) = &report.key {
        say!(
            "{}",
            ctx.text(
                &format!(
                    "Sleutel: {} (bewaar die samen met de back-up; zonder sleutel weigert restore).",
                    key.display()
                ),
                &format!(
                    "Key: {} (keep it with the backup; without the key restore refuses).",
                    key.display()
                ),
            )
        );
    }
    Ok(())
}

/// `keukentafel restore FILE [--force]`: verifies the file first; replacing an existing
/// database needs `--force` and a beheerder login on that database.
pub fn restore(ctx: &Context, args: &RestoreArgs) -> Result<(), CliError> {
    let target = ctx.database_file("restore")?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // One password for what needs it: unlocking an encrypted backup and logging in on the
    // database it replaces.
    let encrypted = crate::store::sqlite::cipher::is_encrypted_file(&args.file);
    let password = match (&ctx.user, encrypted || (target.exists() && args.force)) {
        (Some(user), true) => Some(ctx.read_password(&ctx.text(
            &format!("Wachtwoord van {user}: "),
            &format!("Password of {user}: "),
        ))?),
        _ => None,
    };
    let login = ctx.user.as_deref().zip(password.as_deref());
    let prepared =
        prepare_restore(&args.file, &target, Arc::clone(&clock), login).map_err(|e| ctx.fail(e))?;
    let mut restored_by = None;
    let mut lock = None;
    if target.exists() {
        if !args.force {
            return Err(ctx.error(
                &format!(
                    "Er staat al een database op {}. Die vervangen kan alleen met --force en een beheerder-login op die database; er is niets veranderd.",
                    target.display()
                ),
                &format!(
                    "A database already exists at {}. Replacing it needs --force and an administrator login on that database; nothing was changed.",
                    target.display()
                ),
            ));
        }
        let (store, session) = ctx.login_sqlite_with("restore", password.as_deref())?;
        lock = Some(
            store
                .release_for_restore(&session)
                .map_err(|e| ctx.fail(e))?,
        );
        restored_by = Some(session.username);
    }
    let report = prepared
        .install(lock, clock, &ctx.workstation, restored_by.as_deref())
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Teruggezet: {} is nu {} (schema {}, {} auditregels, gecontroleerd).",
                target.display(),
                args.file.display(),
                report.schema_version,
                report.chain.rows
            ),
            &format!(
                "Restored: {} is now {} (schema {}, {} audit rows, checked).",
                target.display(),
                args.file.display(),
                report.schema_version,
                report.chain.rows
            ),
        )
    );
    Ok(())
}

/// `keukentafel migrate --to postgres://…`: copies the database file to an empty database on a
/// server, checks every count and the audit chain there, all or nothing.
pub fn migrate(ctx: &Context, args: &super::MigrateArgs) -> Result<(), CliError> {
    use crate::store::location::Location;
    let target = match Location::parse(&args.to).map_err(|e| ctx.fail(e))? {
        Location::Server(url) => url,
        Location::File(_) => {
            return Err(ctx.error(
                "--to moet een PostgreSQL-server zijn (postgres://gebruiker@server/database); er is niets gekopieerd.",
                "--to must be a PostgreSQL server (postgres://user@server/database); nothing was copied.",
            ));
        }
    };
    // The beheerder's password also becomes their own role's on the server (the others get
    // theirs with `user passwd`).
    let user = ctx.user.clone().unwrap_or_default();
    let password = ctx.read_password(&ctx.text(
        &format!("Wachtwoord van {user}: "),
        &format!("Password of {user}: "),
    ))?;
    let (mut source, session) = ctx.login_sqlite_with("migrate", Some(&password))?;
    let from = source.path().display().to_string();
    let report =
        copy_to_server(&mut source, &session, &password, &target).map_err(|e| ctx.fail(e))?;
    let count = |table: &str| {
        report
            .tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    };
    let to = target.shown();
    say!(
        "{}",
        ctx.text(
            &format!(
                "Verhuisd: {from} staat nu ook op {to}: {} huishoudens, {} medewerkers, {} auditregels; alle aantallen gelijk, keten ongebroken. Zet database = \"{to}\" in config.toml om voortaan de server te gebruiken. Op de server logt iedereen in met een eigen rol: jij met je wachtwoord van nu; geef de anderen er een met `keukentafel --user {} user passwd NAAM`.",
                count("household"),
                count("user"),
                report.chain.rows,
                session.username
            ),
            &format!(
                "Moved: {from} is now also on {to}: {} households, {} users, {} audit rows; every count equal, chain unbroken. Set database = \"{to}\" in config.toml to use the server from now on. On the server everyone logs in with a role of their own: you with your password of now; give the others theirs with `keukentafel --user {} user passwd NAME`.",
                count("household"),
                count("user"),
                report.chain.rows,
                session.username
            ),
        )
    );
    Ok(())
}

#[cfg(feature = "postgres")]
fn copy_to_server(
    source: &mut crate::store::Store,
    session: &crate::auth::Session,
    password: &str,
    target: &crate::store::location::ServerUrl,
) -> crate::store::Result<crate::store::postgres::migrate::MigrateReport> {
    crate::store::postgres::migrate::migrate(
        source,
        session,
        password,
        target,
        Arc::new(SystemClock),
    )
}

#[cfg(not(feature = "postgres"))]
fn copy_to_server(
    _source: &mut crate::store::Store,
    _session: &crate::auth::Session,
    _password: &str,
    target: &crate::store::location::ServerUrl,
) -> crate::store::Result<MigrateReport> {
    Err(crate::store::StoreError::Server {
        location: target.shown(),
        problem: crate::store::ServerProblem::NotBuiltIn,
    })
}

/// Without PostgreSQL there is nothing to report.
#[cfg(not(feature = "postgres"))]
pub struct MigrateReport {
    tables: Vec<(String, i64)>,
    chain: crate::store::audit::ChainReport,
}
