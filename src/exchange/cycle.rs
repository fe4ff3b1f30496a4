//! The message cycle's files, shared by the command line and the terminal app: reading
//! providers' messages (official checks, then the store applies each whole or refuses it), and
//! writing the 301s and 319s the store hands out (each checked before it is written, one file
//! per message named by its identification). Messages are returned in the user's language.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::official::Schemas;
use super::toewijzing::{self, Address, AssignedProduct, Client, Header};
use super::{antwoord, berichten};
use crate::auth::Session;
use crate::domain::Invalid;
use crate::domain::provision::Law;
use crate::i18n::{Lang, Localize};
use crate::model::exchange::{ExportFilter, Selection, ToewijzingBatch};
use crate::model::messages::{AnswerBatch, Applied};
use crate::store::MessageStore;

/// Where messages come from and go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Our CBS code (sender of 301 and 319, receiver of the providers' messages).
    pub gemeente: String,
    /// The official checks.
    pub schemas: Schemas,
    /// The folder written messages go to.
    pub outgoing: PathBuf,
    /// Whether written messages are checked first (the checks must then be available).
    pub checked: bool,
}

/// The message's client from a batch. The toewijzingnummer is the stored number when it fits
/// the message (at most 9 digits), else the provision's id.
pub fn client_of(batch: &ToewijzingBatch) -> Result<Client, Invalid> {
    let c = &batch.client;
    let bsn = c.bsn.clone().unwrap_or_default();
    let masked = format!("*****{}", bsn.get(5..).unwrap_or(""));
    let (street, number, postcode, city) = &c.address;
    let address = Address::from_household(street, number, postcode, city).map_err(|e| {
        Invalid::new(
            "address",
            format!("Cliënt met BSN {masked}: {}", e.nl),
            format!("Client with BSN {masked}: {}", e.en),
        )
    })?;
    let products = batch
        .items
        .iter()
        .map(|item| {
            let p = &item.provision;
            let (number, assigned_on) = match &p.toewijzing {
                Some((n, on)) if n.len() <= 9 && n.chars().all(|c| c.is_ascii_digit()) => {
                    (n.clone(), *on)
                }
                Some((_, on)) => (p.id.to_string(), *on),
                None => (p.id.to_string(), batch.dagtekening),
            };
            AssignedProduct {
                number,
                category: p.category.clone(),
                code: p.product.clone(),
                // Rule TR134: never after the message's date (a toewijzing dated ahead).
                assigned_on: assigned_on.min(batch.dagtekening),
                start_on: p.start_on,
                end_on: item.end_on,
                change: item.change,
                volume: p.volume,
                unit: p.unit,
                frequency: p.frequency,
            }
        })
        .collect();
    Ok(Client {
        bsn,
        birth_date: c.birth_date,
        name: c.name.clone(),
        address,
        products,
    })
}

/// Checks `xml` (message `number` under `law`) when the checks are there (`schemas`).
pub fn check_outgoing(
    schemas: Option<&Schemas>,
    law: Law,
    number: u16,
    identification: &str,
    xml: &str,
) -> Result<(), Invalid> {
    let Some(schemas) = schemas else {
        return Ok(());
    };
    let errors = schemas.check(law, number, xml.as_bytes());
    if let Some(first) = errors.first() {
        let name = super::xml::message_name(law, number);
        return Err(Invalid::new(
            "bericht",
            format!(
                "{name} {identification} haalt de officiële controle niet: {}",
                first.localize(Lang::Nl)
            ),
            format!(
                "{name} {identification} fails the official check: {}",
                first.localize(Lang::En)
            ),
        ));
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), Invalid> {
    crate::private_file::write_private(path, text.as_bytes()).map_err(|e| {
        Invalid::new(
            "output",
            format!("{} kon niet geschreven worden: {e}.", path.display()),
            format!("{} could not be written: {e}.", path.display()),
        )
    })
}

fn ensure_dir(dir: &Path, lang: Lang) -> Result<(), String> {
    crate::private_file::create_private_dir(dir).map_err(|e| match lang {
        Lang::Nl => format!("De map {} kan niet gemaakt worden: {e}.", dir.display()),
        Lang::En => format!("The folder {} cannot be made: {e}.", dir.display()),
    })
}

/// Writes the 301s `filter` and `selection` ask for into the outgoing folder, one file per
/// message (checked first when `settings.checked`). On failure nothing is marked as sent and
/// no file is left behind.
pub fn write_toewijzingen(
    store: &mut dyn MessageStore,
    session: &Session,
    settings: &Settings,
    filter: &ExportFilter,
    selection: Selection,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<(ToewijzingBatch, PathBuf)>, String> {
    ensure_dir(&settings.outgoing, lang)?;
    let schemas = settings.checked.then_some(&settings.schemas);
    let mut written: Vec<PathBuf> = Vec::new();
    let mut deliver = |batch: &ToewijzingBatch| -> Result<(), Invalid> {
        let header = Header {
            law: batch.law,
            gemeente: settings.gemeente.clone(),
            agb: batch.provider.agb_code.clone(),
            identification: batch.identification.clone(),
            dagtekening: batch.dagtekening,
        };
        let xml = toewijzing::render(&header, &client_of(batch)?)?;
        check_outgoing(schemas, batch.law, 301, &batch.identification, &xml)?;
        let path = settings
            .outgoing
            .join(format!("{}.xml", batch.identification));
        write_file(&path, &xml)?;
        written.push(path);
        Ok(())
    };
    match store.export_toewijzingen(session, filter, selection, today, &mut deliver) {
        Ok(batches) => Ok(batches.into_iter().zip(written).collect()),
        Err(e) => {
            // Nothing was marked as sent: take back the files already written.
            for path in &written {
                let _ = std::fs::remove_file(path);
            }
            Err(format!(
                "{} {}",
                e.localize(lang),
                match lang {
                    Lang::Nl =>
                        "Er is niets als verzonden gemarkeerd en geen bestand achtergebleven.",
                    Lang::En => "Nothing was marked as sent and no file was left behind.",
                }
            ))
        }
    }
}

/// Refuses request `id` with `reason` and writes its 319 into the outgoing folder.
pub fn refuse_request(
    store: &mut dyn MessageStore,
    session: &Session,
    settings: &Settings,
    id: i64,
    reason: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<(AnswerBatch, PathBuf), String> {
    ensure_dir(&settings.outgoing, lang)?;
    let schemas = settings.checked.then_some(&settings.schemas);
    let mut written: Option<PathBuf> = None;
    let mut deliver = |batch: &AnswerBatch| -> Result<(), Invalid> {
        let xml = antwoord::render(&antwoord::Answer {
            law: batch.law,
            gemeente: settings.gemeente.clone(),
            agb: batch.provider.agb_code.clone(),
            identification: batch.identification.clone(),
            dagtekening: batch.dagtekening,
            reference: batch.reference.clone(),
            reason: batch.reason.clone(),
        })?;
        check_outgoing(schemas, batch.law, 319, &batch.identification, &xml)?;
        let path = settings
            .outgoing
            .join(format!("{}.xml", batch.identification));
        write_file(&path, &xml)?;
        written = Some(path);
        Ok(())
    };
    match store.refuse_request(session, id, reason, today, &mut deliver) {
        Ok(batch) => Ok((batch.clone(), written.unwrap_or_default())),
        Err(e) => {
            if let Some(path) = &written {
                let _ = std::fs::remove_file(path);
            }
            Err(e.localize(lang))
        }
    }
}

/// Reads one provider's message file: the official checks, then the store applies it whole
/// or refuses it. The checks must be available.
pub fn import_file(
    store: &mut dyn MessageStore,
    session: &Session,
    settings: &Settings,
    file: &Path,
    lang: Lang,
) -> Result<Applied, String> {
    // One message is a few kilobytes; anything far larger is not one.
    const MAX_MESSAGE_BYTES: u64 = 16 * 1024 * 1024;
    if let Ok(meta) = std::fs::metadata(file)
        && meta.len() > MAX_MESSAGE_BYTES
    {
        return Err(match lang {
            Lang::Nl => format!(
                "is {} MB; een bericht is hoogstens {} MB. Er is niets ingelezen.",
                meta.len() / 1_000_000,
                MAX_MESSAGE_BYTES / 1_000_000
            ),
            Lang::En => format!(
                "is {} MB; a message is {} MB at most. Nothing was read.",
                meta.len() / 1_000_000,
                MAX_MESSAGE_BYTES / 1_000_000
            ),
        });
    }
    let bytes = std::fs::read(file).map_err(|e| match lang {
        Lang::Nl => format!("kan niet gelezen worden: {e}."),
        Lang::En => format!("cannot be read: {e}."),
    })?;
    let (law, kind) = berichten::identify(&bytes).map_err(|e| e.localize(lang))?;
    let errors = settings.schemas.check(law, kind.number(), &bytes);
    if !errors.is_empty() {
        let lines: Vec<String> = errors.iter().map(|e| e.localize(lang)).collect();
        let name = berichten::name(law, kind);
        return Err(format!(
            "{} {}",
            match lang {
                Lang::Nl => format!("{name} haalt de officiële controle niet:"),
                Lang::En => format!("{name} fails the official check:"),
            },
            lines.join("; ")
        ));
    }
    let message = berichten::parse(&bytes).map_err(|e| e.localize(lang))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    store
        .apply_message(session, &name, &message, &settings.gemeente)
        .map_err(|e| e.localize(lang))
}

/// One line per file: what was read or why it was refused, and a total; `Err` when any file
/// was refused (the lines are in it too).
pub fn import_files(
    store: &mut dyn MessageStore,
    session: &Session,
    settings: &Settings,
    files: &[PathBuf],
    lang: Lang,
) -> Result<String, String> {
    settings.schemas.available().map_err(|why| match lang {
        Lang::Nl => format!(
            "{why} Zonder de officiële controle wordt geen bericht ingelezen; er is niets gewijzigd."
        ),
        Lang::En => {
            format!("{why} Without the official check no message is read; nothing was changed.")
        }
    })?;
    let mut lines = Vec::new();
    let (mut applied, mut refused) = (0usize, 0usize);
    for file in files {
        let shown = file.display();
        match import_file(store, session, settings, file, lang) {
            Ok(a) => {
                applied += 1;
                lines.push(match lang {
                    Lang::Nl => format!(
                        "{shown}: {} {} ingelezen: {}.",
                        a.message, a.identification, a.summary
                    ),
                    Lang::En => format!(
                        "{shown}: {} {} read: {}.",
                        a.message, a.identification, a.summary
                    ),
                });
            }
            Err(why) => {
                refused += 1;
                lines.push(match lang {
                    Lang::Nl => format!("{shown}: geweigerd, er is niets gewijzigd: {why}"),
                    Lang::En => format!("{shown}: refused, nothing changed: {why}"),
                });
            }
        }
    }
    lines.push(match lang {
        Lang::Nl => format!("{applied} bericht(en) ingelezen, {refused} geweigerd."),
        Lang::En => format!("{applied} message(s) read, {refused} refused."),
    });
    let text = lines.join("\n");
    if refused > 0 { Err(text) } else { Ok(text) }
}
