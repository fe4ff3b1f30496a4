//! `export worklist`, `export toewijzingen`, `import providers` and `import flags`.

use std::path::{Path, PathBuf};

use super::{BerichtenArgs, Context, ImportArgs, ToewijzingenArgs, WorklistExportArgs};
use crate::cli::CliError;
use crate::clock::{Clock, SystemClock};
use crate::domain::provision::Law;
use crate::exchange::csv::FileError;
use crate::exchange::import::{self, FLAG_COLUMNS, PROVIDER_COLUMNS};
use crate::exchange::official::Schemas;
use crate::exchange::toewijzing;
use crate::exchange::worklist_csv;
use crate::exchange::{antwoord, cycle};
use crate::i18n::Localize;
use crate::model::exchange::{ExportFilter, Selection, ToewijzingBatch};
use crate::model::imports::{Parsed, RowError};
use crate::model::messages::{ProviderRequest, RequestKind, RequestStatus};
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
    // Every household whose data left shows it in its own access log; without that record
    // the file does not stay.
    let households: Vec<i64> = items.iter().map(|i| i.provision.household_id).collect();
    if let Err(e) = store.record_worklist_export(&session, list, &households) {
        let _ = std::fs::remove_file(&path);
        return Err(ctx.fail(e));
    }
    say!(
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

/// The official checks for outgoing messages: `Some` when the tools and schemas are there;
/// otherwise a warning on stderr, once, and the messages go unchecked.
fn outgoing_checks(ctx: &Context) -> Option<Schemas> {
    let schemas = Schemas::new(ctx.config.istandaarden_dir(&ctx.paths));
    match schemas.available() {
        Ok(()) => Some(schemas),
        Err(why) => {
            esay!(
                "{}",
                ctx.text(
                    &format!(
                        "Let op: de berichten zijn niet met de officiële controles nagekeken. {why}"
                    ),
                    &format!("Note: the messages were not checked with the official checks. {why}"),
                )
            );
            None
        }
    }
}

/// The folder outgoing messages go to (made when missing).
fn outgoing_dir(ctx: &Context, output: Option<&Path>) -> Result<PathBuf, CliError> {
    let dir = output.map_or_else(|| PathBuf::from("uitgaand"), Path::to_path_buf);
    crate::private_file::create_private_dir(&dir).map_err(|e| {
        ctx.error(
            &format!("De map {} kan niet gemaakt worden: {e}.", dir.display()),
            &format!("The folder {} cannot be made: {e}.", dir.display()),
        )
    })?;
    Ok(dir)
}

/// The settings of the message cycle for files in `dir`.
fn settings(ctx: &Context, dir: &Path, checked: bool) -> cycle::Settings {
    cycle::Settings {
        gemeente: ctx.config.gemeentecode.clone(),
        schemas: Schemas::new(ctx.config.istandaarden_dir(&ctx.paths)),
        outgoing: dir.to_path_buf(),
        checked,
    }
}

/// Writes the 301s `filter` asks for into `dir`, one file per message named by its
/// identification; returns the batches with their files. On failure no file is left behind.
pub(crate) fn write_toewijzingen(
    ctx: &Context,
    store: &mut dyn crate::store::MessageStore,
    session: &crate::auth::Session,
    filter: &ExportFilter,
    selection: Selection,
    dir: &Path,
) -> Result<Vec<(ToewijzingBatch, PathBuf)>, CliError> {
    let checked = outgoing_checks(ctx).is_some();
    cycle::write_toewijzingen(
        store,
        session,
        &settings(ctx, dir, checked),
        filter,
        selection,
        SystemClock.today(),
        ctx.lang,
    )
    .map_err(CliError)
}

fn print_toewijzingen(ctx: &Context, written: &[(ToewijzingBatch, PathBuf)]) {
    for (batch, path) in written {
        let name = toewijzing::kind(batch.law).1;
        let changed = batch.items.iter().filter(|i| i.change.is_some()).count();
        let new = batch.items.iter().filter(|i| i.new).count();
        say!(
            "{}",
            ctx.text(
                &format!(
                    "{name} {} aan {} ({}): {} toewijzing(en), {new} nieuw, {changed} gewijzigd, in {}",
                    batch.identification,
                    batch.provider.name,
                    batch.provider.agb_code,
                    batch.items.len(),
                    path.display()
                ),
                &format!(
                    "{name} {} to {} ({}): {} toewijzing(s), {new} new, {changed} changed, in {}",
                    batch.identification,
                    batch.provider.name,
                    batch.provider.agb_code,
                    batch.items.len(),
                    path.display()
                ),
            )
        );
    }
}

/// `keukentafel export toewijzingen [--provider AGB] [--law WET] [--all] [-o MAP]`.
pub fn export_toewijzingen(ctx: &Context, args: &ToewijzingenArgs) -> Result<(), CliError> {
    let law = args
        .law
        .as_deref()
        .map(Law::parse)
        .transpose()
        .map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    let selection = if args.all {
        Selection::All
    } else {
        Selection::New
    };
    let filter = ExportFilter {
        provider: args.provider.clone(),
        law,
        person: None,
    };
    let dir = outgoing_dir(ctx, args.output.as_deref())?;
    let written = write_toewijzingen(ctx, &mut *store, &session, &filter, selection, &dir)?;
    if written.is_empty() {
        say!(
            "{}",
            ctx.text(
                "Geen nieuwe of gewijzigde toewijzingen (gebruik --all om alles opnieuw te sturen).",
                "No new or changed toewijzingen (use --all to send everything again)."
            )
        );
    }
    print_toewijzingen(ctx, &written);
    if !written.is_empty() {
        say!(
            "{}",
            ctx.text(
                &format!(
                    "{} bericht(en) in {} (alleen leesbaar voor jou).",
                    written.len(),
                    dir.display()
                ),
                &format!(
                    "{} message(s) in {} (readable by you only).",
                    written.len(),
                    dir.display()
                ),
            )
        );
    }
    Ok(())
}

/// `keukentafel import berichten FILE…`: each file checked with the official checks, read and
/// applied on its own, all or nothing per message.
pub fn import_berichten(ctx: &Context, args: &BerichtenArgs) -> Result<(), CliError> {
    let schemas = Schemas::new(ctx.config.istandaarden_dir(&ctx.paths));
    schemas.available().map_err(|why| {
        CliError(ctx.text(
            &format!("{why} Zonder de officiële controle wordt geen bericht ingelezen; er is niets gewijzigd."),
            &format!("{why} Without the official check no message is read; nothing was changed."),
        ))
    })?;
    let (mut store, session) = ctx.login()?;
    let settings = settings(ctx, Path::new("."), true);
    let (mut applied, mut refused) = (0usize, 0usize);
    for file in &args.files {
        let shown = file.display().to_string();
        let outcome = cycle::import_file(&mut *store, &session, &settings, file, ctx.lang);
        match outcome {
            Ok(a) => {
                applied += 1;
                say!(
                    "{shown}: {} {} {}",
                    a.message,
                    a.identification,
                    ctx.text(
                        &format!("ingelezen: {}.", a.summary),
                        &format!("read: {}.", a.summary)
                    )
                );
            }
            Err(why) => {
                refused += 1;
                esay!(
                    "{shown}: {} {why}",
                    ctx.text(
                        "geweigerd, er is niets gewijzigd:",
                        "refused, nothing changed:"
                    )
                );
            }
        }
    }
    let total = ctx.text(
        &format!("{applied} bericht(en) ingelezen, {refused} geweigerd."),
        &format!("{applied} message(s) read, {refused} refused."),
    );
    if refused > 0 {
        return Err(CliError(total));
    }
    say!("{total}");
    Ok(())
}

/// The words of a referrer type (code list `TypeVerwijzer`).
fn referrer_label(code: &str) -> &str {
    match code {
        "01" => "gemeente",
        "02" => "huisarts",
        "03" => "jeugdarts",
        "04" => "gecertificeerde instelling",
        "05" => "medisch specialist",
        "06" => "zelfverwijzer",
        "08" => "rechter of officier van justitie",
        other => other,
    }
}

fn request_line(ctx: &Context, r: &ProviderRequest) -> String {
    let kind = match r.kind {
        RequestKind::Toewijzing => "toewijzing",
        RequestKind::Wijziging => "wijziging",
    };
    let status = match r.status {
        RequestStatus::Open => "open".to_string(),
        RequestStatus::Granted => "toegekend".to_string(),
        RequestStatus::Refused => format!(
            "afgewezen ({})",
            crate::exchange::antwoord::reason_label(r.refusal.as_deref().unwrap_or(""))
        ),
    };
    let lines: Vec<String> = r
        .lines
        .iter()
        .map(|l| {
            let what = match (&l.product, l.provision_id) {
                (Some((_, code)), _) => code.clone(),
                (None, Some(id)) => format!("toewijzing {id:09}"),
                _ => "-".into(),
            };
            let volume = l
                .volume
                .map(|(v, u, f)| format!(" {v} {} {}", u.code(), f.name()))
                .unwrap_or_default();
            let period = match (l.start_on, l.end_on) {
                (Some(s), Some(e)) => {
                    format!(" {} t/m {}", s.format("%d-%m-%Y"), e.format("%d-%m-%Y"))
                }
                (Some(s), None) => format!(" vanaf {}", s.format("%d-%m-%Y")),
                _ => String::new(),
            };
            let referrer = l
                .referrer
                .as_ref()
                .map(|(t, n, agb)| {
                    format!(
                        ", verwijzer {}{}{}",
                        referrer_label(t),
                        n.as_deref().map(|n| format!(" {n}")).unwrap_or_default(),
                        agb.as_deref()
                            .map(|a| format!(" AGB {a}"))
                            .unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            format!("{} {what}{volume}{period}{referrer}", l.action)
        })
        .collect();
    let _ = ctx;
    format!(
        "{:>5}  {}  {:<10} {:<9} {} ({})  {} / {}  ref {}  [{}]  {}",
        r.id,
        r.received_on.format("%d-%m-%Y"),
        kind,
        r.law.name(),
        r.provider.name,
        r.provider.agb_code,
        r.household,
        r.person,
        r.reference,
        lines.join("; "),
        status
    )
}

/// `keukentafel verzoeken [--all]`: the worklist "Verzoeken van aanbieders".
pub fn list_requests(ctx: &Context, all: bool) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let requests = store
        .provider_requests(&session, all)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!("Verzoeken van aanbieders: {}", requests.len()),
            &format!("Requests from providers: {}", requests.len())
        )
    );
    for r in &requests {
        say!("{}", request_line(ctx, r));
    }
    Ok(())
}

/// `keukentafel verzoek toekennen ID [-o MAP]`: grants, then sends the client's 301.
pub fn grant_request(ctx: &Context, id: i64, output: Option<&Path>) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let grant = store
        .grant_request(&session, id, SystemClock.today())
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Verzoek {id} ({}) is toegekend: {} toewijzing(en) nieuw of gewijzigd.",
                grant.request.reference,
                grant.provisions.len()
            ),
            &format!(
                "Request {id} ({}) is granted: {} toewijzing(s) new or changed.",
                grant.request.reference,
                grant.provisions.len()
            ),
        )
    );
    let filter = ExportFilter {
        provider: Some(grant.request.provider.agb_code.clone()),
        law: Some(grant.request.law),
        person: Some(grant.request.person_id),
    };
    let dir = outgoing_dir(ctx, output)?;
    let written = write_toewijzingen(ctx, &mut *store, &session, &filter, Selection::New, &dir)
        .map_err(|e| {
            CliError(format!(
                "{} {}",
                e.0,
                ctx.text(
                    "Het verzoek is wel toegekend; de 301 gaat mee met de volgende `export toewijzingen`.",
                    "The request is granted; the 301 goes with the next `export toewijzingen`."
                )
            ))
        })?;
    print_toewijzingen(ctx, &written);
    Ok(())
}

/// `keukentafel verzoek afwijzen ID --reden CODE [-o MAP]`: refuses and writes the 319.
pub fn refuse_request(
    ctx: &Context,
    id: i64,
    reason: &str,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let dir = outgoing_dir(ctx, output)?;
    let checked = outgoing_checks(ctx).is_some();
    let (batch, path) = cycle::refuse_request(
        &mut *store,
        &session,
        &settings(ctx, &dir, checked),
        id,
        reason,
        SystemClock.today(),
        ctx.lang,
    )
    .map_err(CliError)?;
    let path = path.display().to_string();
    let name = crate::exchange::xml::message_name(batch.law, 319);
    say!(
        "{}",
        ctx.text(
            &format!(
                "Verzoek {id} is afgewezen ({}); {name} {} aan {} staat in {path}.",
                antwoord::reason_label(&batch.reason),
                batch.identification,
                batch.provider.name
            ),
            &format!(
                "Request {id} is refused ({}); {name} {} to {} is in {path}.",
                antwoord::reason_label(&batch.reason),
                batch.identification,
                batch.provider.name
            ),
        )
    );
    Ok(())
}

/// The largest import file read: far above any real provider or flag list (a million rows of
/// flags is about 50 MB), so that a wrong file is refused before it fills the memory.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

fn read_input(ctx: &Context, path: &Path) -> Result<Vec<u8>, CliError> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_IMPORT_BYTES
    {
        return Err(ctx.error(
            &format!(
                "{} is {} MB; een importbestand mag hoogstens {} MB zijn. Er is niets ingelezen.",
                path.display(),
                meta.len() / 1_000_000,
                MAX_IMPORT_BYTES / 1_000_000
            ),
            &format!(
                "{} is {} MB; an import file may be {} MB at most. Nothing was imported.",
                path.display(),
                meta.len() / 1_000_000,
                MAX_IMPORT_BYTES / 1_000_000
            ),
        ));
    }
    let cannot = |e: std::io::Error| {
        ctx.error(
            &format!("{} kan niet gelezen worden: {e}.", path.display()),
            &format!("{} cannot be read: {e}.", path.display()),
        )
    };
    // Never more than the limit, also from what has no size (a pipe, a device).
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path).map_err(cannot)?,
            MAX_IMPORT_BYTES + 1,
        ),
        &mut bytes,
    )
    .map_err(cannot)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ctx.error(
            &format!(
                "{} is groter dan {} MB; een importbestand mag hoogstens {} MB zijn. Er is niets ingelezen.",
                path.display(),
                MAX_IMPORT_BYTES / 1_000_000,
                MAX_IMPORT_BYTES / 1_000_000
            ),
            &format!(
                "{} is larger than {} MB; an import file may be {} MB at most. Nothing was imported.",
                path.display(),
                MAX_IMPORT_BYTES / 1_000_000,
                MAX_IMPORT_BYTES / 1_000_000
            ),
        ));
    }
    Ok(bytes)
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
    esay!(
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
    esay!(
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
    say!(
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
    say!(
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
