//! `keukentafel plan`: the household's one-page fridge plan as text, HTML or PDF, to stdout, a
//! file or the printer.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{CliError, Context, PlanArgs};
use crate::export::plan::{PlanFormat, PlanOptions, find_printer, render, send_to_printer};

/// Parses a household number as typed on the command line.
pub(crate) fn household_id(ctx: &Context, text: &str) -> Result<i64, CliError> {
    text.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ctx.error(
                &format!("'{text}' is geen huishoudnummer; geef het nummer van het huishouden, bijvoorbeeld 12."),
                &format!("'{text}' is not a household number; give the household's number, e.g. 12."),
            )
        })
}

/// `keukentafel plan HOUSEHOLD --format txt|html|pdf [-o FILE] [--print]`.
pub fn plan(ctx: &Context, args: &PlanArgs) -> Result<(), CliError> {
    let format = PlanFormat::parse(&args.format).ok_or_else(|| {
        ctx.error(
            &format!(
                "Onbekend formaat '{}'. Kies uit: txt, html, pdf.",
                args.format
            ),
            &format!(
                "Unknown format '{}'. Choose one of: txt, html, pdf.",
                args.format
            ),
        )
    })?;
    let id = household_id(ctx, &args.household)?;
    let strengths = match args.strengths.as_deref() {
        None => None,
        Some(s) => Some(on_off(ctx, s)?),
    };
    // Everything that can be refused without the database is refused first, so no plan is
    // read (and audited) for output that cannot go anywhere.
    let printer = if args.print {
        Some(find_printer().ok_or_else(|| ctx.fail(crate::export::plan::PrintError::NoPrinter))?)
    } else {
        None
    };
    if args.output.is_none()
        && printer.is_none()
        && format == PlanFormat::Pdf
        && std::io::stdout().is_terminal()
    {
        return Err(ctx.error(
            "Een PDF zet ik niet op het scherm: geef -o BESTAND.pdf of --print.",
            "A PDF is not shown on screen: give -o FILE.pdf or --print.",
        ));
    }
    if let Some(path) = &args.output {
        check_writable(ctx, path)?;
    }
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    if let Some(show) = strengths {
        store
            .set_plan_show_strengths(&session, id, show)
            .map_err(|e| ctx.fail(e))?;
    }
    let data = store
        .load_plan(&session, id, &reference)
        .map_err(|e| ctx.fail(e))?;
    let options = PlanOptions {
        show_scores: args.scores,
        show_flags: args.flags,
    };
    let bytes = render(&data, format, ctx.lang, &options).map_err(|e| ctx.fail(e))?;
    if let Some(path) = &args.output {
        crate::export::write_atomically(path, &bytes).map_err(|e| ctx.fail(e))?;
        esay!(
            "{}",
            ctx.text(
                &format!("Plan opgeslagen in {}.", path.display()),
                &format!("Plan saved to {}.", path.display()),
            )
        );
    }
    if let Some(printer) = printer {
        let pdf = if format == PlanFormat::Pdf {
            bytes
        } else {
            render(&data, PlanFormat::Pdf, ctx.lang, &options).map_err(|e| ctx.fail(e))?
        };
        print(ctx, &printer, &pdf)?;
    } else if args.output.is_none() {
        std::io::stdout().lock().write_all(&bytes).map_err(|e| {
            ctx.error(
                &format!("Schrijven mislukt: {e}"),
                &format!("Writing failed: {e}"),
            )
        })?;
    }
    Ok(())
}

fn on_off(ctx: &Context, s: &str) -> Result<bool, CliError> {
    match s.trim().to_lowercase().as_str() {
        "ja" | "aan" | "yes" | "on" => Ok(true),
        "nee" | "uit" | "no" | "off" => Ok(false),
        _ => Err(ctx.error(
            &format!("'{s}' is geen ja of nee."),
            &format!("'{s}' is not yes or no."),
        )),
    }
}

/// Refuses an output path whose directory does not exist or is a directory itself, before
/// anything is read.
pub(crate) fn check_writable(ctx: &Context, path: &Path) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() || !dir.is_dir() {
        return Err(ctx.error(
            &format!(
                "Kan {} niet schrijven: de map bestaat niet of het is zelf een map. Er is niets geschreven.",
                path.display()
            ),
            &format!(
                "Cannot write {}: the directory does not exist or it is a directory itself. Nothing was written.",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// Sends the PDF to the printer.
fn print(ctx: &Context, printer: &Path, pdf: &[u8]) -> Result<(), CliError> {
    send_to_printer(printer, pdf).map_err(|e| ctx.fail(e))?;
    esay!(
        "{}",
        ctx.text(
            "Het plan is naar de printer gestuurd.",
            "The plan was sent to the printer."
        )
    );
    Ok(())
}
