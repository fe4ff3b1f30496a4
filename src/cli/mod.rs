//! The command line: argument definitions (clap) and dispatch.

mod backup;
mod commands;
mod context;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use context::{CliError, Context};

/// keukentafel: registreren in seconden voor buurtteams.
#[derive(Debug, Parser)]
#[command(name = "keukentafel", version, about, long_about = None, disable_help_subcommand = true)]
pub struct Cli {
    /// Het databasebestand (ook via KEUKENTAFEL_DB; standaard: keukentafel.db in de datamap).
    #[arg(long, global = true, value_name = "PAD")]
    pub db: Option<PathBuf>,
    /// Werk als deze medewerker (nodig voor alles wat cliëntgegevens of medewerkers leest of wijzigt).
    #[arg(long, global = true, value_name = "NAAM")]
    pub user: Option<String>,
    /// Lees wachtwoorden regel voor regel van standaardinvoer in plaats van de terminal.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Start de terminal-app op de demodatabase met verzonnen huishoudens (wordt eerst gemaakt als die er nog niet is).
    #[arg(long)]
    pub demo: bool,
    /// Wat te doen; zonder opdracht start de terminal-app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Maak een nieuwe database met de eerste beheerder.
    Init(InitArgs),
    /// Medewerkers toevoegen en bekijken (beheerder).
    #[command(subcommand)]
    User(UserCommand),
    /// Teams toevoegen en bekijken (beheerder).
    #[command(subcommand)]
    Team(TeamCommand),
    /// Maak of vul een demodatabase met verzonnen huishoudens.
    Demo(DemoArgs),
    /// Controleer de database en de auditketen; toont geen cliëntgegevens.
    Check,
    /// Maak een back-up van de database terwijl anderen doorwerken (beheerder).
    Backup(BackupArgs),
    /// Zet een back-up terug; controleert het bestand eerst.
    Restore(RestoreArgs),
}

/// `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Het nieuwe back-upbestand (mag nog niet bestaan).
    #[arg(value_name = "BESTAND")]
    pub file: PathBuf,
}

/// `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Het back-upbestand dat teruggezet wordt.
    #[arg(value_name = "BESTAND")]
    pub file: PathBuf,
    /// Vervang een bestaande database (vraagt een beheerder-login op die database).
    #[arg(long)]
    pub force: bool,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Gebruikersnaam van de eerste beheerder.
    #[arg(long, value_name = "NAAM")]
    pub admin: String,
}

/// `user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Voeg een medewerker toe; het beginwachtwoord wordt gevraagd (met --password-stdin: tweede regel).
    Add(UserAddArgs),
    /// Toon alle medewerkers.
    List,
}

/// `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Gebruikersnaam (a-z, 0-9, . - _).
    pub name: String,
    /// Rol: professional, backoffice, teamleider of beheerder.
    #[arg(long, value_name = "ROL")]
    pub role: String,
    /// Team (verplicht voor professional en teamleider).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Naam zoals collega's en cliënten die zien.
    #[arg(long = "display-name", value_name = "NAAM")]
    pub display_name: Option<String>,
    /// Telefoonnummer voor op het plan.
    #[arg(long, value_name = "NUMMER")]
    pub phone: Option<String>,
}

/// `team …`.
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Voeg een team toe.
    Add {
        /// Naam van het team, bijvoorbeeld "Overvecht".
        name: String,
    },
    /// Toon alle teams.
    List,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Aantal huishoudens om toe te voegen.
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub households: u64,
    /// Startwaarde: dezelfde waarde geeft dezelfde huishoudens.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
}

/// Parses the command line and runs it; the exit code tells success (0) or failure (1).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match Context::new(&cli) {
        Ok(ctx) => ctx,
        Err(e) => return e.report(),
    };
    let result = match &cli.command {
        None => {
            return match commands::app(&ctx, cli.demo) {
                Ok(code) => code,
                Err(e) => e.report(),
            };
        }
        Some(_) if cli.demo => Err(ctx.error(
            "--demo start de terminal-app en hoort niet bij een opdracht; een demodatabase vullen doe je met `keukentafel demo`.",
            "--demo starts the terminal app and does not go with a command; fill a demo database with `keukentafel demo`.",
        )),
        Some(Command::Init(args)) => commands::init(&ctx, args),
        Some(Command::User(UserCommand::Add(args))) => commands::user_add(&ctx, args),
        Some(Command::User(UserCommand::List)) => commands::user_list(&ctx),
        Some(Command::Team(TeamCommand::Add { name })) => commands::team_add(&ctx, name),
        Some(Command::Team(TeamCommand::List)) => commands::team_list(&ctx),
        Some(Command::Demo(args)) => commands::demo(&ctx, args),
        Some(Command::Check) => commands::check(&ctx),
        Some(Command::Backup(args)) => backup::backup(&ctx, args),
        Some(Command::Restore(args)) => backup::restore(&ctx, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
