//! `keukentafel report`: the steering figures of a period, aggregated and suppressed.

use std::io::Write;

use super::plan::check_writable;
use super::{CliError, Context, ReportArgs};
use crate::clock::{Clock, SystemClock};
use crate::domain::dates::parse_date;
use crate::export::report::{ReportFormat, render};
use crate::model::report::{ReportRequest, check_period};

/// `keukentafel report --from DATE --to DATE [--team TEAM] --format table|csv|json [-o FILE]`.
pub fn report(ctx: &Context, args: &ReportArgs) -> Result<(), CliError> {
    let format = ReportFormat::parse(&args.format).ok_or_else(|| {
        ctx.error(
            &format!(
                "Onbekend formaat '{}'. Kies uit: table, csv, json.",
                args.format
            ),
            &format!(
                "Unknown format '{}'. Choose one of: table, csv, json.",
                args.format
            ),
        )
    })?;
    let today = SystemClock.today();
    let date = |flag: &str, text: &str| {
        parse_date(text, today).map_err(|e| {
            CliError(format!(
                "{flag}: {}",
                crate::i18n::Localize::localize(&e, ctx.lang)
            ))
        })
    };
    let from = date("--from", &args.from)?;
    let to = date("--to", &args.to)?;
    check_period(from, to).map_err(|e| ctx.fail(e))?;
    if let Some(path) = &args.output {
        check_writable(ctx, path)?;
    }
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    let request = ReportRequest {
        from,
        to,
        team: args.team.clone(),
    };
    let report = store
        .steering_report(&session, &request, &reference, ctx.lang)
        .map_err(|e| ctx.fail(e))?;
    let text = render(&report, format, ctx.lang);
    match &args.output {
        Some(path) => {
            crate::export::write_atomically(path, text.as_bytes()).map_err(|e| ctx.fail(e))?;
            esay!(
                "{}",
                ctx.text(
                    &format!("Stuurcijfers opgeslagen in {}.", path.display()),
                    &format!("Steering figures saved to {}.", path.display()),
                )
            );
        }
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| {
                ctx.error(
                    &format!("Schrijven mislukt: {e}"),
                    &format!("Writing failed: {e}"),
                )
            })?,
    }
    Ok(())
}
