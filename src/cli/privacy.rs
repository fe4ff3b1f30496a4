//! The privacy commands: passwords and account blocking, the audit trail, the AVG export and
//! erasure, retention, regisseur reassignment and consents.

use std::path::PathBuf;

use super::{
    AuditArgs, CliError, ConsentAddArgs, ConsentWithdrawArgs, Context, EraseArgs, ExportArgs,
    ExportFormat, ReassignArgs,
};
use crate::clock::{Clock, SystemClock};
use crate::domain::dates::parse_date;
use crate::domain::user::validate_username;
use crate::model::access_log::{local_time, role_name};

/// `keukentafel user passwd NAME`: your own password, or (beheerder) someone else's.
pub fn user_passwd(ctx: &Context, name: &str) -> Result<(), CliError> {
    let username = validate_username(name).map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    if username != session.username {
        // Refuse before asking for the new password.
        store.may_manage_users(&session).map_err(|e| ctx.fail(e))?;
    }
    let password = ctx.read_new_password(&username)?;
    store
        .set_password(&session, &username, &password)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!("Wachtwoord van {username} gewijzigd."),
            &format!("Password of {username} changed."),
        )
    );
    Ok(())
}

/// `keukentafel user disable NAME` / `user enable NAME`.
pub fn user_disable(ctx: &Context, name: &str, disable: bool) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    store
        .set_disabled(&session, name, disable)
        .map_err(|e| ctx.fail(e))?;
    let name = name.trim().to_lowercase();
    let message = match disable {
        true => ctx.text(
            &format!("Account {name} is geblokkeerd: inloggen kan niet meer."),
            &format!("Account {name} is disabled: it can no longer log in."),
        ),
        false => ctx.text(
            &format!("Account {name} is weer vrijgegeven."),
            &format!("Account {name} is enabled again."),
        ),
    };
    say!("{message}");
    Ok(())
}

/// `keukentafel audit --household ID` or `audit --of-user NAME`.
pub fn audit(ctx: &Context, args: &AuditArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    if let Some(id) = args.household {
        let entries = store
            .household_access_log(&session, id)
            .map_err(|e| ctx.fail(e))?;
        say!(
            "{}",
            ctx.text(
                &format!(
                    "Inzageoverzicht van huishouden {id}: wie het dossier heeft bekeken of gewijzigd, en wanneer."
                ),
                &format!(
                    "Access log of household {id}: who looked at or changed the file, and when."
                ),
            )
        );
        say!(
            "{}",
            ctx.text(
                "Tijden in plaatselijke tijd. Ook deze opvraging wordt vastgelegd.",
                "Times in local time. This request is recorded as well.",
            )
        );
        say!();
        let rows: Vec<[String; 4]> = entries
            .iter()
            .map(|e| {
                [
                    e.local_time(),
                    e.who(),
                    e.role_name(ctx.lang),
                    e.describe(ctx.lang),
                ]
            })
            .collect();
        let header = [
            ctx.text("WANNEER", "WHEN"),
            ctx.text("WIE", "WHO"),
            ctx.text("ROL", "ROLE"),
            ctx.text("WAT", "WHAT"),
        ];
        print_table(&header, &rows);
        say!();
        say!(
            "{}",
            ctx.text(&rows_nl(entries.len()), &rows_en(entries.len()),)
        );
        return Ok(());
    }
    let Some(name) = args.of_user.as_deref() else {
        return Err(ctx.error(
            "Geef --household ID of --of-user NAAM.",
            "Give --household ID or --of-user NAME.",
        ));
    };
    let rows = store.user_trail(&session, name).map_err(|e| ctx.fail(e))?;
    let name = name.trim().to_lowercase();
    say!(
        "{}",
        ctx.text(
            &format!(
                "Auditspoor van {name}: {} regels, oudste eerst.",
                rows.len()
            ),
            &format!("Audit trail of {name}: {} rows, oldest first.", rows.len()),
        )
    );
    say!();
    let header = [
        ctx.text("WANNEER", "WHEN"),
        ctx.text("ROL", "ROLE"),
        ctx.text("ACTIE", "ACTION"),
        "OBJECT".to_string(),
        ctx.text("HUISHOUDEN", "HOUSEHOLD"),
        ctx.text("WERKPLEK", "WORKSTATION"),
        "DETAIL".to_string(),
    ];
    let table: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                local_time(&r.at),
                role_name(&r.role, ctx.lang),
                action_name(&r.action, ctx.lang),
                match r.object_id {
                    Some(id) => format!("{} {id}", r.object),
                    None => r.object.clone(),
                },
                r.household_id.map(|h| h.to_string()).unwrap_or_default(),
                r.workstation.clone(),
                r.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_table(&header, &table);
    Ok(())
}

fn rows_nl(n: usize) -> String {
    match n {
        1 => "1 regel".to_string(),
        n => format!("{n} regels"),
    }
}

fn rows_en(n: usize) -> String {
    match n {
        1 => "1 row".to_string(),
        n => format!("{n} rows"),
    }
}

/// An audit action code in words.
fn action_name(code: &str, lang: crate::i18n::Lang) -> String {
    let nl = lang == crate::i18n::Lang::Nl;
    let (d, e) = match code {
        "read" => ("inzien", "read"),
        "create" => ("toevoegen", "create"),
        "update" => ("wijzigen", "update"),
        "end" => ("beëindigen", "end"),
        "export" => ("exporteren", "export"),
        "search" => ("zoeken", "search"),
        "refused" => ("geweigerd", "refused"),
        "login" => ("inloggen", "login"),
        "erase" => ("wissen", "erase"),
        "delete" => ("verwijderen", "delete"),
        other => (other, other),
    };
    if nl { d } else { e }.to_string()
}

/// Prints aligned columns; the last column is not padded.
fn print_table<const N: usize>(header: &[String; N], rows: &[[String; N]]) {
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows.iter()) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        say!("{}", line.trim_end());
    }
}

/// `keukentafel export household ID --format json [-o FILE]`.
pub fn export(ctx: &Context, args: &ExportArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let export = store
        .export_household(&session, args.id)
        .map_err(|e| ctx.fail(e))?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("huishouden-{}.json", args.id)));
    let bytes = match args.format {
        ExportFormat::Json => serde_json::to_vec_pretty(&export).map_err(|e| {
            ctx.error(
                &format!("De export kon niet gemaakt worden: {e}"),
                &format!("The export could not be made: {e}"),
            )
        })?,
    };
    crate::private_file::write_private(&path, &bytes).map_err(|e| {
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
    })?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Alle gegevens van huishouden {} staan in {} (alleen leesbaar voor jou). Deel het bestand alleen met de bewoners zelf.",
                args.id,
                path.display()
            ),
            &format!(
                "All data of household {} is in {} (readable by you only). Share the file with the residents only.",
                args.id,
                path.display()
            ),
        )
    );
    Ok(())
}

/// `keukentafel erase household ID --reason TEXT`.
pub fn erase(ctx: &Context, args: &EraseArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let today = SystemClock.today();
    let erased = store
        .erase_household(
            &session,
            args.id,
            &args.reason,
            &ctx.config.retention,
            today,
            args.yes,
        )
        .map_err(|e| ctx.fail(e))?;
    if !args.yes {
        say!(
            "{}",
            ctx.text(
                &format!(
                    "Dit zou gewist worden: huishouden {}, met namen, adres, geboortedata, BSN en telefoonnummers van {} personen en {} teksten. De cijfers en de auditketen blijven heel.",
                    erased.id, erased.persons, erased.texts
                ),
                &format!(
                    "This would be erased: household {}, with names, address, birth dates, BSN and phone numbers of {} people and {} texts. The figures and the audit chain stay intact.",
                    erased.id, erased.persons, erased.texts
                ),
            )
        );
        return Err(ctx.error(
            "Er is niets gewist. Wissen kan niet ongedaan worden gemaakt: herhaal de opdracht met --yes om te wissen.",
            "Nothing was erased. Erasure cannot be undone: repeat the command with --yes to erase.",
        ));
    }
    say!(
        "{}",
        ctx.text(
            &format!(
                "Huishouden {} is gewist: namen, adres, geboortedata, BSN en telefoonnummers van {} personen en {} teksten zijn verwijderd. De cijfers en de auditketen blijven heel.",
                erased.id, erased.persons, erased.texts
            ),
            &format!(
                "Household {} is erased: names, address, birth dates, BSN and phone numbers of {} people and {} texts were removed. The figures and the audit chain stay intact.",
                erased.id, erased.persons, erased.texts
            ),
        )
    );
    Ok(())
}

/// `keukentafel retention --due`.
pub fn retention_due(ctx: &Context) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let policy = &ctx.config.retention;
    let due = store
        .retention_due(&session, policy, SystemClock.today())
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Bewaartermijn: {} jaar na afsluiten, {} jaar bij jeugdhulp. Te wissen: {} huishoudens.",
                policy.years,
                policy.youth_care_years,
                due.len()
            ),
            &format!(
                "Retention: {} years after closing, {} years with youth care. Due for erasure: {} households.",
                policy.years,
                policy.youth_care_years,
                due.len()
            ),
        )
    );
    if due.is_empty() {
        return Ok(());
    }
    say!();
    let header = [
        ctx.text("HUISHOUDEN", "HOUSEHOLD"),
        "TEAM".to_string(),
        ctx.text("AFGESLOTEN", "CLOSED"),
        ctx.text("TE WISSEN SINDS", "DUE SINCE"),
        ctx.text("JEUGDHULP", "YOUTH CARE"),
    ];
    let rows: Vec<[String; 5]> = due
        .iter()
        .map(|d| {
            [
                d.id.to_string(),
                d.team.clone(),
                d.closed_on.format("%d-%m-%Y").to_string(),
                d.due_on.format("%d-%m-%Y").to_string(),
                match d.youth_care {
                    true => ctx.text("ja", "yes"),
                    false => ctx.text("nee", "no"),
                },
            ]
        })
        .collect();
    print_table(&header, &rows);
    say!();
    say!(
        "{}",
        ctx.text(
            "Wissen: keukentafel erase household ID --reason \"bewaartermijn verstreken\"",
            "Erase: keukentafel erase household ID --reason \"retention period over\"",
        )
    );
    Ok(())
}

/// `keukentafel reassign ID --to NAME`.
pub fn reassign(ctx: &Context, args: &ReassignArgs) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let user = store
        .reassign_regisseur(&session, args.id, &args.to)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "{} ({}) is nu regisseur van huishouden {}.",
                user.display_name, user.username, args.id
            ),
            &format!(
                "{} ({}) is now the regisseur of household {}.",
                user.display_name, user.username, args.id
            ),
        )
    );
    Ok(())
}

fn date_or_today(ctx: &Context, text: Option<&str>) -> Result<chrono::NaiveDate, CliError> {
    let today = SystemClock.today();
    match text {
        Some(t) => parse_date(t, today).map_err(|e| ctx.fail(e)),
        None => Ok(today),
    }
}

/// `keukentafel consent add HOUSEHOLD --purpose TEXT [--on DATE]`.
pub fn consent_add(ctx: &Context, args: &ConsentAddArgs) -> Result<(), CliError> {
    let on = date_or_today(ctx, args.on.as_deref())?;
    let (mut store, session) = ctx.login()?;
    let consent = store
        .add_consent(&session, args.household, None, &args.purpose, on)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Toestemming {} vastgelegd voor huishouden {}, gegeven op {}.",
                consent.id,
                args.household,
                on.format("%d-%m-%Y")
            ),
            &format!(
                "Consent {} recorded for household {}, given on {}.",
                consent.id,
                args.household,
                on.format("%d-%m-%Y")
            ),
        )
    );
    Ok(())
}

/// `keukentafel consent withdraw CONSENT [--on DATE]`.
pub fn consent_withdraw(ctx: &Context, args: &ConsentWithdrawArgs) -> Result<(), CliError> {
    let on = date_or_today(ctx, args.on.as_deref())?;
    let (mut store, session) = ctx.login()?;
    store
        .withdraw_consent(&session, args.consent, on)
        .map_err(|e| ctx.fail(e))?;
    say!(
        "{}",
        ctx.text(
            &format!(
                "Toestemming {} is ingetrokken per {}.",
                args.consent,
                on.format("%d-%m-%Y")
            ),
            &format!(
                "Consent {} is withdrawn as of {}.",
                args.consent,
                on.format("%d-%m-%Y")
            ),
        )
    );
    Ok(())
}
