//! The command implementations: each reads arguments, calls the store, prints the result.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, Context, DemoArgs, InitArgs, UserAddArgs};
use crate::clock::{Clock, SystemClock};
use crate::demo::{self, DemoCatalogue};
use crate::domain::user::{Role, check_new_password, validate_username};
use crate::model::admin::DatabaseKind;
use crate::model::users::NewUser;
use crate::store::StoreError;
use crate::store::location::Location;

/// `keukentafel init --admin NAME`.
pub fn init(ctx: &Context, args: &InitArgs) -> Result<(), CliError> {
    let location = match &args.server {
        Some(url) => match Location::parse(url).map_err(|e| ctx.fail(e))? {
            server @ Location::Server(_) => server,
            Location::File(_) => {
                return Err(ctx.error(
                    "--server verwacht het adres van een PostgreSQL-database (postgres://EIGENAAR@SERVER/DATABASE); er is niets gemaakt.",
                    "--server expects the address of a PostgreSQL database (postgres://OWNER@SERVER/DATABASE); nothing was made.",
                ));
            }
        },
        None => ctx.location()?,
    };
    if let Location::File(path) = &location
        && path.exists()
    {
        return Err(ctx.fail(StoreError::AlreadyExists(path.clone())));
    }
    let admin = validate_username(&args.admin).map_err(|e| ctx.fail(e))?;
    let password = ctx.read_new_password(&admin)?;
    check_new_password(&password).map_err(|e| ctx.fail(e))?;
    let mut store =
        crate::store::create(&location, DatabaseKind::Production, Arc::new(SystemClock))
            .map_err(|e| ctx.fail(e))?;
    if let Err(e) = store.create_first_admin(&admin, &password, &ctx.workstation) {
        drop(store);
        if let Location::File(path) = &location {
            crate::store::remove_database_files(path);
        }
        return Err(ctx.fail(e));
    }
    let shown = location.shown();
    say!(
        "{}",
        ctx.text(
            &format!("Database gemaakt: {shown} (beheerder: {admin})."),
            &format!("Database created: {shown} (administrator: {admin})."),
        )
    );
    if let Location::File(path) = &location {
        let key = crate::store::sqlite::anchor::key_path(path);
        say!(
            "{}",
            ctx.text(
                &format!(
                    "Sleutel: {} (alleen voor u leesbaar; hoort bij de database en bij elke back-up, zie README).",
                    key.display()
                ),
                &format!(
                    "Key: {} (readable by you only; belongs with the database and every backup, see README).",
                    key.display()
                ),
            )
        );
    }
    Ok(())
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
    say!(
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
    say!(
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
        say!(
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
    say!(
        "{}",
        ctx.text(
            &format!("Team {} toegevoegd.", team.name),
            &format!("Team {} added.", team.name)
        )
    );
    Ok(())
}

/// `keukentafel team list`.
pub fn team_list(ctx: &Context) -> Result<(), CliError> {
    let (store, session) = ctx.login()?;
    for team in store.list_teams(&session).map_err(|e| ctx.fail(e))? {
        say!("{}", team.name);
    }
    Ok(())
}

/// The most households `demo` generates.
pub const MAX_DEMO_HOUSEHOLDS: u64 = 10_000_000;

/// `keukentafel demo [--households N] [--seed S]`: creates or extends a demo database.
pub fn demo(ctx: &Context, args: &DemoArgs) -> Result<(), CliError> {
    if args.households > MAX_DEMO_HOUSEHOLDS {
        return Err(ctx.error(
            &format!(
                "--households {} is te veel: een demodatabase heeft hoogstens {} huishoudens (de grootste gemeente telt er minder). Er is niets gemaakt.",
                args.households, MAX_DEMO_HOUSEHOLDS
            ),
            &format!(
                "--households {} is too many: a demo database holds {} households at most (more than the largest municipality). Nothing was made.",
                args.households, MAX_DEMO_HOUSEHOLDS
            ),
        ));
    }
    let location = ctx.demo_location()?;
    let made = create_demo_database(ctx, &location, args.households, args.seed)?;
    say!("{}", made.describe(ctx));
    Ok(())
}

/// What [`create_demo_database`] did.
#[derive(Clone, Debug)]
pub struct DemoSummary {
    /// The database (a file, or a server without password).
    pub path: String,
    /// Households added by this run.
    pub added: u64,
    /// Households in the database now.
    pub total: u64,
    /// Seconds it took.
    pub seconds: f64,
}

impl DemoSummary {
    /// One line for the user, with the demo logins.
    pub fn describe(&self, ctx: &Context) -> String {
        let (path, added, total, seconds) = (&self.path, self.added, self.total, self.seconds);
        ctx.text(
            &format!(
                "Demodatabase {path}: {added} huishoudens toegevoegd in {seconds:.1} s (totaal {total}). Inloggen met anna, bram, carla, dirk of beheer, wachtwoord 'demo'."
            ),
            &format!(
                "Demo database {path}: added {added} households in {seconds:.1} s (total {total}). Log in as anna, bram, carla, dirk or beheer, password 'demo'."
            ),
        )
    }
}

/// Creates the demo database at `path`, or extends the one there, with `households` generated
/// households from `seed`. Refuses a database that is not a demo database. Shows a progress bar
/// on stderr when that is a terminal.
pub fn create_demo_database(
    ctx: &Context,
    location: &Location,
    households: u64,
    seed: u64,
) -> Result<DemoSummary, CliError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let started = Instant::now();
    let reference =
        crate::config::load_reference_data(Some(&ctx.paths.config_dir)).map_err(|e| ctx.fail(e))?;
    let catalogue = DemoCatalogue::from_reference(&reference);
    let bar = ProgressBar::new(households);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(ctx.text("huishoudens", "households"));
    let plan = demo::build::Plan {
        location,
        households,
        seed,
        catalogue: &catalogue,
        workstation: &ctx.workstation,
    };
    let built = demo::build::build(&plan, clock, &mut |done| bar.set_position(done))
        .map_err(|e| ctx.fail(e))?;
    bar.finish_and_clear();
    Ok(DemoSummary {
        path: location.shown(),
        added: built.added,
        total: built.total,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How many households `keukentafel --demo` generates in a new demo database.
pub const APP_DEMO_HOUSEHOLDS: u64 = 2_000;

/// `keukentafel` without a command: the terminal app on the configured database, or with
/// `--demo` on the demo database (made first when missing). Everything that can refuse is
/// reported here, before the terminal is taken over. The exit code is 0 after quitting and
/// 128 + the signal's number after a signal.
pub fn app(ctx: &Context, demo: bool) -> Result<ExitCode, CliError> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(ctx.error(
            "De terminal-app heeft een terminal nodig; invoer of uitvoer is nu omgeleid. In scripts gebruik je de opdrachten (zie `keukentafel --help`).",
            "The terminal app needs a terminal; input or output is redirected now. In scripts use the commands (see `keukentafel --help`).",
        ));
    }
    let location = if demo {
        ctx.demo_location()?
    } else {
        ctx.location()?
    };
    let missing = match &location {
        Location::File(path) => !path.exists(),
        Location::Server(_) => false,
    };
    if demo && missing {
        esay!(
            "{}",
            ctx.text(
                &format!(
                    "Demodatabase maken met {APP_DEMO_HOUSEHOLDS} verzonnen huishoudens: {} …",
                    location.shown()
                ),
                &format!(
                    "Making a demo database with {APP_DEMO_HOUSEHOLDS} made-up households: {} …",
                    location.shown()
                ),
            )
        );
        let made = create_demo_database(ctx, &location, APP_DEMO_HOUSEHOLDS, 1)?;
        esay!("{}", made.describe(ctx));
    }
    let opened = crate::store::open(&location, Arc::new(SystemClock));
    let opened = match opened {
        // `--demo` on an empty server database makes the demo there first.
        Err(StoreError::Server {
            problem: crate::store::ServerProblem::NotInitialised,
            ..
        }) if demo => {
            let made = create_demo_database(ctx, &location, APP_DEMO_HOUSEHOLDS, 1)?;
            esay!("{}", made.describe(ctx));
            crate::store::open(&location, Arc::new(SystemClock))
        }
        other => other,
    };
    let mut store = opened.map_err(|e| match e {
        StoreError::Missing(path) => ctx.error(
            &format!(
                "Er is geen database op {}. Maak er een met `keukentafel init --admin NAAM`, of probeer keukentafel met verzonnen huishoudens: `keukentafel --demo`.",
                path.display()
            ),
            &format!(
                "There is no database at {}. Create one with `keukentafel init --admin NAME`, or try keukentafel with made-up households: `keukentafel --demo`.",
                path.display()
            ),
        ),
        e => ctx.fail(e),
    })?;
    store.set_days_without_start(ctx.config.days_without_start);
    if demo && store.kind().map_err(|e| ctx.fail(e))? != DatabaseKind::Demo {
        let shown = location.shown();
        return Err(ctx.error(
            &format!("{shown} is geen demodatabase; --demo opent alleen een demodatabase. Laat --demo weg om deze database te openen."),
            &format!("{shown} is not a demo database; --demo only opens a demo database. Leave out --demo to open this database."),
        ));
    }
    let options = crate::tui::Options {
        lang: ctx.lang,
        theme: ctx.config.theme.clone(),
        no_color: crate::tui::settings::no_color_requested(),
        idle_lock_minutes: ctx.config.idle_lock_minutes,
        config_dir: ctx.paths.config_dir.clone(),
        workstation: ctx.workstation.clone(),
        output_dir: ctx
            .config
            .output_dir
            .clone()
            .unwrap_or_else(|| ctx.paths.data_dir.clone()),
        gemeentecode: ctx.config.gemeentecode.clone(),
        istandaarden: ctx.config.istandaarden_dir(&ctx.paths),
    };
    match crate::tui::start(store, &options).map_err(|e| ctx.fail(e))? {
        crate::tui::Ending::Quit => Ok(ExitCode::SUCCESS),
        crate::tui::Ending::Signal(n) => Ok(ExitCode::from(u8::try_from(128 + n).unwrap_or(1))),
    }
}

/// `keukentafel check`: integrity and audit chain; prints no client data.
pub fn check(ctx: &Context) -> Result<(), CliError> {
    let location = ctx.location()?;
    let store = crate::store::open(&location, Arc::new(SystemClock)).map_err(|e| ctx.fail(e))?;
    let report = match store.check() {
        // An encrypted file is checked after a login: only a password opens it.
        Err(StoreError::Encryption {
            problem: crate::store::EncryptionProblem::Locked,
            ..
        }) if ctx.user.is_some() => {
            drop(store);
            let (store, _session) = ctx.login()?;
            store.check()
        }
        other => other,
    }
    .map_err(|e| ctx.fail(e))?;
    let path = location.shown();
    if let Some(first) = report.integrity_problems.first() {
        return Err(CliError(ctx.text(
            &format!("{}: de database is beschadigd: {first}", path),
            &format!("{}: the database is damaged: {first}", path),
        )));
    }
    if let Some(broken) = &report.chain.broken {
        return Err(CliError(ctx.text(
            &format!(
                "{}: de auditketen is verbroken bij auditregel {}: {}.",
                path,
                broken.id,
                broken.describe(crate::i18n::Lang::Nl)
            ),
            &format!(
                "{}: the audit chain is broken at audit row {}: {}.",
                path,
                broken.id,
                broken.describe(crate::i18n::Lang::En)
            ),
        )));
    }
    use crate::store::audit::AnchorState;
    if let Some(AnchorState::Broken(b)) = &report.anchor {
        return Err(CliError(ctx.text(
            &format!(
                "{}: de auditketen is niet te vertrouwen: {}.",
                path,
                b.describe(crate::i18n::Lang::Nl)
            ),
            &format!(
                "{}: the audit chain cannot be trusted: {}.",
                path,
                b.describe(crate::i18n::Lang::En)
            ),
        )));
    }
    say!(
        "{}",
        ctx.text(
            &format!(
                "In orde: {} is heel, schema {}, {} auditregels, keten ongebroken.",
                path, report.schema_version, report.chain.rows
            ),
            &format!(
                "Sound: {} is intact, schema {}, {} audit rows, chain unbroken.",
                path, report.schema_version, report.chain.rows
            ),
        )
    );
    match &report.anchor {
        Some(AnchorState::NotAnchored) => say!(
            "{}",
            ctx.text(
                "De keten is niet verankerd: deze database is gemaakt voor er een sleutelbestand (.ketensleutel) bestond, dus een kopie van het bestand zou de auditlog kunnen herschrijven zonder dat check het ziet. Zie README, \"Sleutel en getuige\".",
                "The chain is not anchored: this database was made before key files (.ketensleutel) existed, so a copy of the file could rewrite the audit log without check noticing. See README, \"Sleutel en getuige\".",
            )
        ),
        Some(AnchorState::Anchored { witnessed }) => say!(
            "{}",
            ctx.text(
                &format!(
                    "Verankerd: elke auditregel klopt met de sleutel, de getuige kent t/m auditregel {}.",
                    witnessed.unwrap_or(0)
                ),
                &format!(
                    "Anchored: every audit row matches the key, the witness knows up to audit row {}.",
                    witnessed.unwrap_or(0)
                ),
            )
        ),
        _ => {}
    }
    Ok(())
}
