//! The command implementations: each reads arguments, calls the store, prints the result.

use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, Context, DemoArgs, InitArgs, UserAddArgs};
use crate::clock::{Clock, SystemClock};
use crate::demo::{self, DemoCatalogue};
use crate::domain::user::{Role, check_new_password, validate_username};
use crate::store::users::NewUser;
use crate::store::{DatabaseKind, Store, StoreError};

/// `keukentafel init --admin NAME`.
pub fn init(ctx: &Context, args: &InitArgs) -> Result<(), CliError> {
    let path = ctx.database();
    if path.exists() {
        return Err(ctx.fail(StoreError::AlreadyExists(path)));
    }
    let admin = validate_username(&args.admin).map_err(|e| ctx.fail(e))?;
    let password = ctx.read_new_password(&admin)?;
    check_new_password(&password).map_err(|e| ctx.fail(e))?;
    let mut store = Store::create(&path, DatabaseKind::Production, Arc::new(SystemClock)).map_err(|e| ctx.fail(e))?;
    if let Err(e) = store.create_first_admin(&admin, &password, &ctx.workstation) {
        drop(store);
        remove_database(&path);
        return Err(ctx.fail(e));
    }
    println!(
        "{}",
        ctx.text(
            &format!("Database gemaakt: {} (beheerder: {admin}).", path.display()),
            &format!("Database created: {} (administrator: {admin}).", path.display()),
        )
    );
    Ok(())
}

fn remove_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `keukentafel user add NAME --role ROLE [--team TEAM]`.
pub fn user_add(ctx: &Context, args: &UserAddArgs) -> Result<(), CliError> {
    // Validate everything that needs no database first, so a typo costs no password prompt.
    let role: Role = args.role.parse().map_err(|e| ctx.fail(e))?;
    let username = validate_username(&args.name).map_err(|e| ctx.fail(e))?;
    let (mut store, session) = ctx.login()?;
    // Refuse before asking for the new user's password.
    store.may_manage_users(&session).map_err(|e| ctx.fail(e))?;
    let password = ctx.read_new_password(&username)?;
    let new = NewUser {
        username: &username,
        display_name: args.display_name.as_deref().unwrap_or(""),
        role,
        team: args.team.as_deref(),
        phone: args.phone.as_deref(),
        password: &password,
    };
    let user = store.create_user(&session, &new).map_err(|e| ctx.fail(e))?;
    println!(
        "{}",
        ctx.text(
            &format!("Medewerker {} toegevoegd als {}.", user.username, user.role),
            &format!("User {} added as {}.", user.username, user.role),
        )
    );
    Ok(())
}

/// `keukentafel user list`.
pub fn user_list(ctx: &Context) -> Result<(), CliError> {
    let (store, session) = ctx.login()?;
    let users = store.list_users(&session).map_err(|e| ctx.fail(e))?;
    println!(
        "{:<16} {:<24} {:<12} {:<16} STATUS",
        ctx.text("GEBRUIKER", "USER"),
        ctx.text("NAAM", "NAME"),
        ctx.text("ROL", "ROLE"),
        "TEAM",
    );
    for u in users {
        let status = if u.disabled {
            ctx.text("geblokkeerd", "disabled")
        } else {
            ctx.text("actief", "active")
        };
        println!(
            "{:<16} {:<24} {:<12} {:<16} {status}",
            u.username,
            u.display_name,
            u.role.code(),
            u.team_name.unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}

/// `keukentafel team add NAME`.
pub fn team_add(ctx: &Context, name: &str) -> Result<(), CliError> {
    let (mut store, session) = ctx.login()?;
    let team = store.create_team(&session, name).map_err(|e| ctx.fail(e))?;
    println!("{}", ctx.text(&format!("Team {} toegevoegd.", team.name), &format!("Team {} added.", team.name)));
    Ok(())
}

/// `keukentafel team list`.
pub fn team_list(ctx: &Context) -> Result<(), CliError> {
    let (store, session) = ctx.login()?;
    for team in store.list_teams(&session).map_err(|e| ctx.fail(e))? {
        println!("{}", team.name);
    }
    Ok(())
}

/// How many households go into one transaction.
const DEMO_BATCH: u64 = 2_000;

/// `keukentafel demo [--households N] [--seed S]`: creates or extends a demo database.
pub fn demo(ctx: &Context, args: &DemoArgs) -> Result<(), CliError> {
    let path = ctx.explicit_db.clone().unwrap_or_else(|| ctx.paths.demo_database());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let started = Instant::now();
    let mut store = if path.exists() {
        let store = Store::open_with_clock(&path, clock.clone()).map_err(|e| ctx.fail(e))?;
        store.require_demo().map_err(|e| ctx.fail(e))?;
        store
    } else {
        Store::create(&path, DatabaseKind::Demo, clock.clone()).map_err(|e| ctx.fail(e))?
    };
    store
        .ensure_demo_accounts(&demo::demo_teams(), &demo::demo_users(), &ctx.workstation)
        .map_err(|e| ctx.fail(e))?;
    let reference = crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let catalogue = DemoCatalogue {
        zrm_keys: reference.zrm.domains.iter().map(|d| d.key.clone()).collect(),
        flag_keys: reference.flags.flags().iter().map(|f| f.key.clone()).collect(),
        contact_kinds: reference
            .contact_kinds
            .kinds()
            .iter()
            .map(|k| (k.key.clone(), k.default_minutes))
            .collect(),
    };
    let first = u64::try_from(store.household_count().map_err(|e| ctx.fail(e))?).unwrap_or(0);
    let today = clock.today();
    let bar = ProgressBar::new(args.households);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(ctx.text("huishoudens", "households"));
    let mut done = 0;
    while done < args.households {
        let n = DEMO_BATCH.min(args.households - done);
        let batch: Vec<_> = (first + done..first + done + n)
            .map(|i| demo::household(args.seed, i, today, &catalogue))
            .collect();
        store
            .insert_demo_batch(&batch, &ctx.workstation)
            .map_err(|e| ctx.fail(e))?;
        done += n;
        bar.set_position(done);
    }
    bar.finish_and_clear();
    println!(
        "{}",
        ctx.text(
            &format!(
                "Demodatabase {}: {} huishoudens toegevoegd in {:.1} s (totaal {}). Inloggen met anna, bram, carla, dirk of beheer, wachtwoord 'demo'.",
                path.display(),
                args.households,
                started.elapsed().as_secs_f64(),
                first + args.households
            ),
            &format!(
                "Demo database {}: added {} households in {:.1} s (total {}). Log in as anna, bram, carla, dirk or beheer, password 'demo'.",
                path.display(),
                args.households,
                started.elapsed().as_secs_f64(),
                first + args.households
            ),
        )
    );
    Ok(())
}

/// `keukentafel check`: integrity and audit chain; prints no client data.
pub fn check(ctx: &Context) -> Result<(), CliError> {
    let path = ctx.database();
    let store = Store::open(&path).map_err(|e| ctx.fail(e))?;
    let report = store.check().map_err(|e| ctx.fail(e))?;
    if let Some(first) = report.integrity_problems.first() {
        return Err(CliError(ctx.text(
            &format!("{}: de database is beschadigd: {first}", path.display()),
            &format!("{}: the database is damaged: {first}", path.display()),
        )));
    }
    if let Some(broken) = &report.chain.broken {
        return Err(CliError(ctx.text(
            &format!(
                "{}: de auditketen is verbroken bij auditregel {}: {}.",
                path.display(),
                broken.id,
                broken.describe(crate::i18n::Lang::Nl)
            ),
            &format!(
                "{}: the audit chain is broken at audit row {}: {}.",
                path.display(),
                broken.id,
                broken.describe(crate::i18n::Lang::En)
            ),
        )));
    }
    println!(
        "{}",
        ctx.text(
            &format!(
                "In orde: {} is heel, schema {}, {} auditregels, keten ongebroken.",
                path.display(),
                report.schema_version,
                report.chain.rows
            ),
            &format!(
                "Sound: {} is intact, schema {}, {} audit rows, chain unbroken.",
                path.display(),
                report.schema_version,
                report.chain.rows
            ),
        )
    );
    Ok(())
}
