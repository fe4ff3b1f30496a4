//! `export worklist`, `export toewijzingen`, `import providers` and `import flags`.

use std::path::{Path, PathBuf};

use super::{Context, ImportArgs, ToewijzingenArgs, WorklistExportArgs};
use crate::cli::CliError;
use crate::clock::{Clock, SystemClock};
use crate::domain::Invalid;
use crate::domain::provision::Law;
use crate::exchange::csv::FileError;
use crate::exchange::import::{self, FLAG_COLUMNS, PROVIDER_COLUMNS};
use crate::exchange::toewijzing::{self, AssignedProduct, Client, Header};
use crate::exchange::worklist_csv;
use crate::i18n::Localize;
use crate::model::exchange::{Selection, ToewijzingBatch};
use crate::model::imports::{Parsed, RowError};
use crate::model::worklists::Worklist;

fn write_file(ctx: &Context, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    crate::private_file::write_private(path, bytes).map_err(|e| {
        ctx.error(
            &format!(
                "{} kon niet geschreven worden: {e}. Er is geen bestand achtergebleven.",
                path.display()
            ),
            &format!(
                "{} could not be written: {e}. No file was left behind.",
                path.display()
            ),
        )
    })
}

/// `keukentafel export worklist NAME [-o FILE]`.
pub fn export_worklist(ctx: &Context, args: &WorklistExportArgs) -> Result<(), CliError> {
    let wanted = args.name.trim().to_lowercase();
    let Some(list) = Worklist::ALL.into_iter().find(|l| l.code() == wanted) else {
        let codes: Vec<&str> = Worklist::ALL.iter().map(|l| l.code()).collect();
        return Err(ctx.error(
            &format!(
                "Onbekende werklijst '{}'. Kies uit: {}.",
                args.name,
                codes.join(", ")
            ),
            &format!(
                "Unknown worklist '{}'. Choose one of: {}.",
                args.name,
                codes.join(", ")
            ),
        ));
    };
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    let today = SystemClock.today();
    let items = store
        .worklist(&session, list, today)
        .map_err(|e| ctx.fail(e))?;
    let path = args.output.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "werklijst-{}-{}.csv",
            list.code(),
            today.format("%Y%m%d")
        ))
    });
    let text = worklist_csv::render(&items, &reference.products);
    write_file(ctx, &path, text.as_bytes())?;
    println!(
        "{}",
        ctx.text(
            &format!(
                "{} ({} rijen) staat in {} (alleen leesbaar voor jou; bevat BSN's).",
                list.title(),
                items.len(),
                path.display()
            ),
            &format!(
                "{} ({} rows) is in {} (readable by you only; contains BSNs).",
                list.title(),
                items.len(),
                path.display()
            ),
        )
    );
    Ok(())
}

/// The message's clients from a batch: one per BSN, products in batch order. The
/// toewijzingnummer is the stored number when it fits the message (at most 9 digits), else
/// the provision's id.
pub fn clients_of(batch: &ToewijzingBatch) -> Vec<Client> {
    let mut clients: Vec<Client> = Vec::new();
    for item in &batch.items {
        let p = &item.provision;
        // Numbers made by `bulk` fit the message (9 digits); an older or foreign one that
        // does not is replaced by the provision's id.
        let (number, assigned_on) = match &p.toewijzing {
            Some((n, on)) if n.len() <= 9 && n.chars().all(|c| c.is_ascii_digit()) => {
                (n.clone(), *on)
            }
            Some((_, on)) => (p.id.to_string(), *on),
            None => (p.id.to_string(), batch.dagtekening),
        };
        let product = AssignedProduct {
            number,
            category: p.category.clone(),
            code: p.product.clone(),
            assigned_on,
            start_on: p.start_on,
            end_on: p.end_on,
            volume: p.volume,
            unit: p.unit,
            frequency: p.frequency,
        };
        let bsn = item.bsn.clone().unwrap_or_default();
        match clients.iter_mut().find(|c| c.bsn == bsn && !bsn.is_empty()) {
            Some(c) => c.products.push(product),
            None => clients.push(Client {
                bsn,
                birth_date: item.birth_date,
                name: item.name.clone(),
                products: vec![product],
            }),
        }
    }
    clients
}

/// `keukentafel export toewijzingen --provider AGB [--law WET] [--all] [-o FILE]`.
pub fn export_toewijzingen(ctx: &Context, args: &ToewijzingenArgs) -> Result<(), CliError> {
    let law = args
        .law
        .as_deref()
        .map(Law::parse)
        .transpose()
        .map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login_sqlite()?;
    let today = SystemClock.today();
    let selection = if args.all {
        Selection::All
    } else {
        Selection::New
    };
    let gemeente = ctx.config.gemeentecode.clone();
    let mut written: Vec<PathBuf> = Vec::new();
    let output = args.output.clone();
    let mut deliver = |batch: &ToewijzingBatch| -> Result<(), Invalid> {
        let header = Header {
            law: batch.law,
            gemeente: gemeente.clone(),
            agb: batch.provider.agb_code.clone(),
            identification: batch.identification.clone(),
            dagtekening: batch.dagtekening,
        };
        let xml = toewijzing::render(&header, &clients_of(batch))?;
        let name = toewijzing::kind(batch.law).1;
        let path = match &output {
            Some(p) if written.is_empty() => p.clone(),
            Some(_) => {
                return Err(Invalid::new(
                    "law",
                    "Er zijn toewijzingen voor de Wmo én de Jeugdwet: dat zijn twee berichten. Kies er één met --law wmo of --law jeugdwet, of laat -o weg.",
                    "There are toewijzingen under both the Wmo and the Jeugdwet: two messages. Choose one with --law wmo or --law jeugdwet, or leave out -o.",
                ));
            }
            None => PathBuf::from(format!(
                "{}-{name}-{}.xml",
                batch.provider.agb_code, batch.identification
            )),
        };
        crate::private_file::write_private(&path, xml.as_bytes()).map_err(|e| {
            Invalid::new(
                "output",
                format!("{} kon niet geschreven worden: {e}.", path.display()),
                format!("{} could not be written: {e}.", path.display()),
            )
        })?;
        written.push(path);
        Ok(())
    };
    let result = store.export_toewijzingen(
        &session,
        &args.provider,
        law,
        selection,
        today,
        &mut deliver,
    );
    let batches = match result {
        Ok(b) => b,
        Err(e) => {
            // Nothing was marked as exported: take back the files already written.
            for path in &written {
                let _ = std::fs::remove_file(path);
            }
            return Err(CliError(format!(
                "{} {}",
                e.localize(ctx.lang),
                ctx.text(
                    "Er is niets als verzonden gemarkeerd en geen bestand achtergebleven.",
                    "Nothing was marked as sent and no file was left behind."
                )
            )));
        }
    };
    if batches.is_empty() {
        println!(
            "{}",
            ctx.text(
                "Geen nieuwe toewijzingen voor deze aanbieder (gebruik --all om alles opnieuw te sturen).",
                "No new toewijzingen for this provider (use --all to send everything again)."
            )
        );
    }
    for (batch, path) in batches.iter().zip(&written) {
        let name = toewijzing::kind(batch.law).1;
        println!(
            "{}",
            ctx.text(
                &format!(
                    "{name} {} aan {} ({}): {} toewijzing(en) in {} (alleen leesbaar voor jou).",
                    batch.identification,
                    batch.provider.name,
                    batch.provider.agb_code,
                    batch.items.len(),
                    path.display()
                ),
                &format!(
                    "{name} {} to {} ({}): {} toewijzing(s) in {} (readable by you only).",
                    batch.identification,
                    batch.provider.name,
                    batch.provider.agb_code,
                    batch.items.len(),
                    path.display()
                ),
            )
        );
    }
    Ok(())
}

fn read_input(ctx: &Context, path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| {
        ctx.error(
            &format!("{} kan niet gelezen worden: {e}.", path.display()),
            &format!("{} cannot be read: {e}.", path.display()),
        )
    })
}

fn file_error(ctx: &Context, path: &Path, e: &FileError, expected: &[&str]) -> CliError {
    let (nl, en) = e.message(expected);
    ctx.error(
        &format!("{}: {nl} Er is niets ingelezen.", path.display()),
        &format!("{}: {en} Nothing was imported.", path.display()),
    )
}

/// Refuses the whole file when rows are bad and skipping was not asked; otherwise lists them.
fn bad_rows<T>(ctx: &Context, parsed: &Parsed<T>, skip: bool) -> Result<(), CliError> {
    if parsed.rejected.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = parsed
        .rejected
        .iter()
        .map(|e| format!("  {}", e.localize(ctx.lang)))
        .collect();
    if !skip {
        return Err(ctx.error(
            &format!(
                "{} foute rij(en); er is niets ingelezen (met --skip-bad-rows worden de goede rijen wel ingelezen):\n{}",
                parsed.rejected.len(),
                lines.join("\n")
            ),
            &format!(
                "{} bad row(s); nothing was imported (with --skip-bad-rows the good rows are):\n{}",
                parsed.rejected.len(),
                lines.join("\n")
            ),
        ));
    }
    eprintln!(
        "{}",
        ctx.text(
            &format!("Overgeslagen rijen:\n{}", lines.join("\n")),
            &format!("Skipped rows:\n{}", lines.join("\n")),
        )
    );
    Ok(())
}

fn skipped(ctx: &Context, rows: &[RowError]) {
    if rows.is_empty() {
        return;
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|e| format!("  {}", e.localize(ctx.lang)))
        .collect();
    eprintln!(
        "{}",
        ctx.text(
            &format!("Overgeslagen rijen:\n{}", lines.join("\n")),
            &format!("Skipped rows:\n{}", lines.join("\n")),
        )
    );
}

/// `keukentafel import providers FILE.csv [--skip-bad-rows]`.
pub fn import_providers(ctx: &Context, args: &ImportArgs) -> Result<(), CliError> {
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let bytes = read_input(ctx, &args.file)?;
    let parsed = import::parse_providers(&bytes, &reference.products)
        .map_err(|e| file_error(ctx, &args.file, &e, &PROVIDER_COLUMNS))?;
    bad_rows(ctx, &parsed, args.skip_bad_rows)?;
    let (mut store, session) = ctx.login()?;
    let report = store
        .import_providers(&session, &parsed.rows, args.skip_bad_rows)
        .map_err(|e| ctx.fail(e))?;
    skipped(ctx, &report.rejected);
    println!(
        "{}",
        ctx.text(
            &format!(
                "Ingelezen: {} aanbieder(s) en {} contract(en) nieuw, {} rij(en) stonden er al, {} overgeslagen.",
                report.providers_created,
                report.contracts_created,
                report.unchanged,
                parsed.rejected.len() + report.rejected.len()
            ),
            &format!(
                "Imported: {} new provider(s) and {} new contract(s), {} row(s) already present, {} skipped.",
                report.providers_created,
                report.contracts_created,
                report.unchanged,
                parsed.rejected.len() + report.rejected.len()
            ),
        )
    );
    Ok(())
}

/// `keukentafel import flags FILE.csv [--skip-bad-rows]`.
pub fn import_flags(ctx: &Context, args: &ImportArgs) -> Result<(), CliError> {
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let bytes = read_input(ctx, &args.file)?;
    let mut expected: Vec<&str> = FLAG_COLUMNS.to_vec();
    expected.push("[einde]");
    let parsed = import::parse_flags(&bytes, &reference.flags)
        .map_err(|e| file_error(ctx, &args.file, &e, &expected))?;
    bad_rows(ctx, &parsed, args.skip_bad_rows)?;
    let (mut store, session) = ctx.login()?;
    let report = store
        .import_flags(&session, &parsed.rows)
        .map_err(|e| ctx.fail(e))?;
    let unmatched: Vec<String> = report.unmatched.iter().map(usize::to_string).collect();
    println!(
        "{}",
        ctx.text(
            &format!(
                "Gevonden: {} rij(en); niet gevonden: {} rij(en){}; afgewezen: {}. Signalen aangezet: {}, beëindigd: {}, stonden al zo: {}.",
                report.matched,
                report.unmatched.len(),
                if unmatched.is_empty() { String::new() } else { format!(" (regel {})", unmatched.join(", ")) },
                parsed.rejected.len(),
                report.set,
                report.ended,
                report.unchanged
            ),
            &format!(
                "Matched: {} row(s); unmatched: {} row(s){}; rejected: {}. Flags set: {}, ended: {}, already so: {}.",
                report.matched,
                report.unmatched.len(),
                if unmatched.is_empty() { String::new() } else { format!(" (line {})", unmatched.join(", ")) },
                parsed.rejected.len(),
                report.set,
                report.ended,
                report.unchanged
            ),
        )
    );
    Ok(())
}
