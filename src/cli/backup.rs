//! `keukentafel backup FILE` and `keukentafel restore FILE [--force]`.

use std::sync::Arc;

use super::{BackupArgs, CliError, Context, RestoreArgs};
use crate::clock::{Clock, SystemClock};
use crate::store::sqlite::backup::prepare_restore;

/// `keukentafel backup FILE`: a beheerder makes a checked copy while others keep working.
pub fn backup(ctx: &Context, args: &BackupArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login_sqlite()?;
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
    Ok(())
}

/// `keukentafel restore FILE [--force]`: verifies the file first; replacing an existing
/// database needs `--force` and a beheerder login on that database.
pub fn restore(ctx: &Context, args: &RestoreArgs) -> Result<(), CliError> {
    let target = ctx.database();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let prepared =
        prepare_restore(&args.file, &target, Arc::clone(&clock)).map_err(|e| ctx.fail(e))?;
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
        let (store, session) = ctx.login_sqlite()?;
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
