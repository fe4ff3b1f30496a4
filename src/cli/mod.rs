//! The command line: argument definitions (clap) and dispatch.

/// `println!` for everything the command line prints: every control character but newline and
/// tab, and every text-direction override, is shown escaped (`\u{1b}`), so that names and text
/// from imported files can never move the cursor, recolour or reverse the terminal.
macro_rules! say {
    () => {
        println!()
    };
    ($($arg:tt)*) => {
        println!("{}", $crate::cli::escape_controls(&format!($($arg)*)))
    };
}

/// [`say!`] for standard error.
macro_rules! esay {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::cli::escape_controls(&format!($($arg)*)))
    };
}

/// `s` with control characters (but newline and tab) and text-direction overrides escaped.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if unsafe_char(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

mod backup;
mod commands;
mod context;
mod encrypt;
mod exchange;
mod plan;
mod privacy;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use context::{CliError, Context};

/// What `keukentafel --help` says first.
const ABOUT_NL: &str = "Terminal-app voor buurtteams: huishoudens, ZRM, afspraken, signalen, contactmomenten, één plan.";
/// The same in English (`language = "en"`).
const ABOUT_EN: &str = "Terminal application for Dutch buurtteams: households, ZRM, agreements, flags, contacts, one plan.";

/// keukentafel: registreren in seconden voor buurtteams.
#[derive(Debug, Parser)]
#[command(
    name = "keukentafel",
    version,
    about = ABOUT_NL,
    long_about = None,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Het databasebestand, of een PostgreSQL-server als postgres://… (ook via KEUKENTAFEL_DB; standaard: keukentafel.db in de datamap).
    #[arg(long, global = true, value_name = "PAD|URL")]
    pub db: Option<String>,
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
    /// Het inzageoverzicht van een huishouden (--household) of het auditspoor van een medewerker (--user-trail).
    Audit(AuditArgs),
    /// Exporteer: alle gegevens van een huishouden (AVG), een werklijst als CSV, of toewijzingen als 301-bericht.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Lees aanbieders met contracten of signalen (CSV) of berichten van aanbieders (iWmo/iJw 305, 307, 315, 317) in.
    #[command(subcommand)]
    Import(ImportCommand),
    /// De werklijst "Verzoeken van aanbieders": verzoeken om toewijzing (315) en om wijziging (317) (backoffice).
    Verzoeken(VerzoekenArgs),
    /// Beslis over een verzoek van een aanbieder: toekennen (stuurt een 301) of afwijzen (stuurt een 319) (backoffice).
    #[command(subcommand)]
    Verzoek(VerzoekCommand),
    /// Wis de persoonsgegevens van een afgesloten huishouden waarvan de bewaartermijn voorbij is (beheerder).
    #[command(subcommand)]
    Erase(EraseCommand),
    /// Bewaartermijnen: welke afgesloten huishoudens gewist moeten worden (beheerder).
    Retention(RetentionArgs),
    /// Wijs een andere regisseur aan voor een huishouden (teamleider, binnen het eigen team).
    Reassign(ReassignArgs),
    /// Toestemmingen van een huishouden vastleggen of intrekken.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Het plan voor op de koelkast: één A4 in gewone taal (txt, html of pdf).
    Plan(PlanArgs),
    /// Stuurcijfers over een periode, alleen opgeteld (kleine aantallen als <5).
    Report(ReportArgs),
    /// Maak een back-up van de database terwijl anderen doorwerken (beheerder).
    Backup(BackupArgs),
    /// Zet een back-up terug; controleert het bestand eerst.
    Restore(RestoreArgs),
    /// Verhuis de database (--db, een bestand) naar een lege PostgreSQL-database (beheerder).
    Migrate(MigrateArgs),
    /// Versleutel het databasebestand (beheerder; een keukentafel gebouwd met versleuteling).
    Encrypt,
}

/// `audit`.
#[derive(Debug, Args)]
#[group(id = "target", required = true, multiple = false)]
pub struct AuditArgs {
    /// Toon wie dit huishouden heeft ingezien of gewijzigd (voor een inzageverzoek).
    #[arg(long, value_name = "ID", group = "target")]
    pub household: Option<i64>,
    /// Toon alles wat deze medewerker heeft gedaan (beheerder; privacyfunctionaris).
    #[arg(
        long = "of-user",
        visible_alias = "user-trail",
        value_name = "NAAM",
        group = "target"
    )]
    pub of_user: Option<String>,
}

/// `export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Alle gegevens van één huishouden, ook het inzageoverzicht.
    Household(ExportArgs),
    /// Een werklijst van de backoffice als CSV voor Excel (beschikking, toewijzing, zonder-start, svb, cak, einde).
    Worklist(WorklistExportArgs),
    /// Nieuwe en gewijzigde toewijzingen als iWmo/iJw 3.2 301-berichten (XML): één bestand per cliënt en aanbieder.
    Toewijzingen(ToewijzingenArgs),
}

/// `verzoeken`.
#[derive(Debug, Args)]
pub struct VerzoekenArgs {
    /// Ook de verzoeken waarover al beslist is.
    #[arg(long)]
    pub all: bool,
}

/// `verzoek …`.
#[derive(Debug, Subcommand)]
pub enum VerzoekCommand {
    /// Ken het verzoek toe; de 301 voor de cliënt komt in de map (-o).
    Toekennen {
        /// Het nummer van het verzoek (zie `keukentafel verzoeken`).
        id: i64,
        /// De map voor het bericht (standaard: uitgaand).
        #[arg(short, long, value_name = "MAP")]
        output: Option<PathBuf>,
    },
    /// Wijs het verzoek af met een reden; de 319 komt in de map (-o).
    Afwijzen {
        /// Het nummer van het verzoek.
        id: i64,
        /// De reden: 1 geen wijziging maar nieuwe aanvraag, 2 past niet binnen budget, 3 geen contract, 4 past niet binnen contract, 5 andere gemeente, 6 stapeling, 7 zorginhoudelijke afkeur, 8 woonplaatsbeginsel, 9 leeftijdsgrens bereikt.
        #[arg(long, value_name = "CODE")]
        reden: String,
        /// De map voor het bericht (standaard: uitgaand).
        #[arg(short, long, value_name = "MAP")]
        output: Option<PathBuf>,
    },
}

/// `export worklist`.
#[derive(Debug, Args)]
pub struct WorklistExportArgs {
    /// De werklijst: beschikking, toewijzing, zonder-start, svb, cak of einde.
    pub name: String,
    /// Het bestand (standaard werklijst-NAAM-jjjjmmdd.csv); alleen leesbaar voor jou.
    #[arg(short, long, value_name = "BESTAND")]
    pub output: Option<PathBuf>,
}

/// `export toewijzingen`.
#[derive(Debug, Args)]
pub struct ToewijzingenArgs {
    /// Alleen deze aanbieder (AGB-code, 8 cijfers); standaard alle aanbieders.
    #[arg(long, value_name = "AGB")]
    pub provider: Option<String>,
    /// Alleen deze wet: wmo of jeugdwet.
    #[arg(long, value_name = "WET")]
    pub law: Option<String>,
    /// Een bericht voor elke cliënt met een lopende toewijzing, ook als er niets veranderde (standaard alleen bij iets nieuws of gewijzigds).
    #[arg(long)]
    pub all: bool,
    /// De map voor de berichten (standaard: uitgaand); elk bericht heet IDENTIFICATIE.xml en is alleen leesbaar voor jou.
    #[arg(short, long, value_name = "MAP")]
    pub output: Option<PathBuf>,
}

/// `import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Aanbieders en contracten: naam;agb;contact;product;tarief;eenheid;ingang;einde (backoffice).
    Providers(ImportArgs),
    /// Signalen ("dat"-informatie): bsn;signaal;sinds;bron[;einde] (backoffice).
    Flags(ImportArgs),
    /// Berichten van aanbieders (iWmo/iJw 3.2: 305 start, 307 stop, 315 verzoek om toewijzing, 317 verzoek om wijziging); elk bestand wordt eerst met de officiële XSD en regels gecontroleerd (backoffice).
    Berichten(BerichtenArgs),
}

/// `import berichten`.
#[derive(Debug, Args)]
pub struct BerichtenArgs {
    /// De XML-bestanden; elk bericht wordt in zijn geheel ingelezen of geweigerd.
    #[arg(required = true, value_name = "BESTAND")]
    pub files: Vec<PathBuf>,
}

/// `import providers|flags`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Het CSV-bestand (; of , als scheidingsteken, UTF-8 met of zonder BOM).
    pub file: PathBuf,
    /// Lees de goede rijen in en toon de overgeslagen foute rijen (standaard: alles of niets).
    #[arg(long)]
    pub skip_bad_rows: bool,
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// JSON (machineleesbaar, voor overdracht).
    Json,
}

/// `export household`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Het nummer van het huishouden.
    pub id: i64,
    /// Het formaat.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Het bestand (standaard huishouden-ID.json); alleen leesbaar voor jou.
    #[arg(short, long, value_name = "BESTAND")]
    pub output: Option<PathBuf>,
}

/// `erase …`.
#[derive(Debug, Subcommand)]
pub enum EraseCommand {
    /// Wis één huishouden.
    Household(EraseArgs),
}

/// `erase household`.
#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Het nummer van het huishouden.
    pub id: i64,
    /// Waarom (bijvoorbeeld "bewaartermijn verstreken"); komt in de auditlog.
    #[arg(long, value_name = "TEKST")]
    pub reason: String,
    /// Wis echt; zonder dit toont keukentafel alleen wat er gewist zou worden.
    #[arg(long)]
    pub yes: bool,
}

/// `retention`.
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Toon de afgesloten huishoudens waarvan de bewaartermijn voorbij is.
    #[arg(long, required = true)]
    pub due: bool,
}

/// `reassign`.
#[derive(Debug, Args)]
pub struct ReassignArgs {
    /// Het nummer van het huishouden.
    pub id: i64,
    /// De nieuwe regisseur (gebruikersnaam).
    #[arg(long, value_name = "NAAM")]
    pub to: String,
}

/// `consent …`.
#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Leg een toestemming vast.
    Add(ConsentAddArgs),
    /// Leg vast dat een toestemming is ingetrokken.
    Withdraw(ConsentWithdrawArgs),
}

/// `consent add`.
#[derive(Debug, Args)]
pub struct ConsentAddArgs {
    /// Het nummer van het huishouden.
    pub household: i64,
    /// Waarvoor, bijvoorbeeld "informatie delen met school".
    #[arg(long, value_name = "TEKST")]
    pub purpose: String,
    /// Gegeven op (standaard vandaag; ook "gisteren", "15-3", …).
    #[arg(long, value_name = "DATUM")]
    pub on: Option<String>,
}

/// `consent withdraw`.
#[derive(Debug, Args)]
pub struct ConsentWithdrawArgs {
    /// Het nummer van de toestemming.
    pub consent: i64,
    /// Ingetrokken op (standaard vandaag).
    #[arg(long, value_name = "DATUM")]
    pub on: Option<String>,
}

/// `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Het nummer van het huishouden.
    #[arg(value_name = "HUISHOUDEN")]
    pub household: String,
    /// txt, html of pdf.
    #[arg(long, default_value = "txt", value_name = "FORMAAT")]
    pub format: String,
    /// Schrijf naar dit bestand in plaats van naar het scherm.
    #[arg(short = 'o', long = "output", value_name = "BESTAND")]
    pub output: Option<PathBuf>,
    /// Stuur het plan (als PDF) naar de printer (lp of lpr).
    #[arg(long)]
    pub print: bool,
    /// Zet de ZRM-scores bij "Wat gaat al goed".
    #[arg(long)]
    pub scores: bool,
    /// Zet de signalen op het plan.
    #[arg(long)]
    pub flags: bool,
    /// Wil het huishouden "Wat gaat al goed" op het plan? ja of nee (wordt onthouden).
    #[arg(long, value_name = "JA|NEE")]
    pub strengths: Option<String>,
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Eerste dag van de periode (bijvoorbeeld 1-1-2026 of 2026-01-01).
    #[arg(long, value_name = "DATUM")]
    pub from: String,
    /// Laatste dag van de periode.
    #[arg(long, value_name = "DATUM")]
    pub to: String,
    /// Alleen dit team (standaard: je eigen team; beheerder: alle teams).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// table, csv of json.
    #[arg(long, default_value = "table", value_name = "FORMAAT")]
    pub format: String,
    /// Schrijf naar dit bestand in plaats van naar het scherm.
    #[arg(short = 'o', long = "output", value_name = "BESTAND")]
    pub output: Option<PathBuf>,
}

/// `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// De lege doeldatabase op de server: postgres://gebruiker@server/database.
    #[arg(long, value_name = "URL")]
    pub to: String,
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
    /// Een lege database op een PostgreSQL-server, als de eigenaar (postgres://EIGENAAR@SERVER/DATABASE): maakt ook de rollen, de rechten en de functies (zie de README).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
}

/// `user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Voeg een medewerker toe; het beginwachtwoord wordt gevraagd (met --password-stdin: tweede regel).
    Add(UserAddArgs),
    /// Toon alle medewerkers.
    List,
    /// Wijzig een wachtwoord: je eigen, of als beheerder dat van een ander (met --password-stdin: eerst je eigen, dan het nieuwe).
    Passwd {
        /// Gebruikersnaam.
        name: String,
    },
    /// Blokkeer een account: het kan niet meer inloggen (beheerder).
    Disable {
        /// Gebruikersnaam.
        name: String,
    },
    /// Geef een geblokkeerd account weer vrij; wist ook een wachttijd na mislukte pogingen (beheerder).
    Enable {
        /// Gebruikersnaam.
        name: String,
    },
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

/// The language of the configuration, for clap's own words (help, usage, errors); Dutch when
/// there is none or it cannot be read (that error comes later, in full).
fn configured_language() -> crate::i18n::Lang {
    crate::config::Paths::discover()
        .and_then(|p| crate::config::Config::load(&p.config_file()).ok())
        .map_or(crate::i18n::Lang::Nl, |c| c.language)
}

/// Prints clap's help, version or refusal in the user's language and returns its exit code
/// (0 for help and version, 2 for a wrong command line).
fn clap_exit(e: &clap::Error) -> ExitCode {
    use std::io::Write;
    let text = clap_text(&e.render().to_string(), configured_language());
    let _ = if e.use_stderr() {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// clap's own words in Dutch (`Lang::Nl`), or as clap writes them in English.
pub fn clap_text(text: &str, lang: crate::i18n::Lang) -> String {
    if lang == crate::i18n::Lang::En {
        return text.replace(ABOUT_NL, ABOUT_EN);
    }
    const WORDS: &[(&str, &str)] = &[
        ("Usage:", "Gebruik:"),
        ("[OPTIONS]", "[OPTIES]"),
        ("[COMMAND]", "[OPDRACHT]"),
        ("<COMMAND>", "<OPDRACHT>"),
        ("Commands:", "Opdrachten:"),
        ("Options:", "Opties:"),
        ("Arguments:", "Argumenten:"),
        (
            "Print help (see more with '--help')",
            "Toon de hulp (meer met '--help')",
        ),
        (
            "Print help (see a summary with '-h')",
            "Toon de hulp (kort met '-h')",
        ),
        ("Print help", "Toon de hulp"),
        ("Print version", "Toon de versie"),
        ("[default: ", "[standaard: "),
        ("[possible values: ", "[mogelijk: "),
        ("[aliases: ", "[ook: "),
        ("[env: ", "[omgeving: "),
        ("error: ", "fout: "),
        (
            "For more information, try '--help'.",
            "Meer uitleg: keukentafel --help.",
        ),
        ("unexpected argument '", "onbekend argument '"),
        ("unrecognized subcommand '", "onbekende opdracht '"),
        ("' found", "'"),
        (
            "the following required arguments were not provided:",
            "deze verplichte argumenten ontbreken:",
        ),
        ("a value is required for '", "een waarde is nodig voor '"),
        ("' but none was supplied", "', maar die ontbreekt"),
        ("invalid value '", "ongeldige waarde '"),
        ("' for '", "' voor '"),
        ("invalid digit found in string", "dat is geen getal"),
        (
            "number too large to fit in target type",
            "dat getal is te groot",
        ),
        ("a similar subcommand exists:", "bedoel je:"),
        ("a similar argument exists:", "bedoel je:"),
        ("similar subcommands exist:", "bedoel je een van:"),
        ("to pass '", "om '"),
        ("' as a value, use '", "' als waarde mee te geven: '"),
        ("the argument '", "het argument '"),
        ("' cannot be used multiple times", "' mag maar één keer"),
        ("' cannot be used with '", "' gaat niet samen met '"),
        ("tip: ", "tip: "),
    ];
    let mut out = text.to_string();
    for (en, nl) in WORDS {
        out = out.replace(en, nl);
    }
    out
}

/// Parses the command line and runs it; the exit code tells success (0) or failure (1).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
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
        Some(Command::User(UserCommand::Passwd { name })) => privacy::user_passwd(&ctx, name),
        Some(Command::User(UserCommand::Disable { name })) => {
            privacy::user_disable(&ctx, name, true)
        }
        Some(Command::User(UserCommand::Enable { name })) => {
            privacy::user_disable(&ctx, name, false)
        }
        Some(Command::Audit(args)) => privacy::audit(&ctx, args),
        Some(Command::Export(ExportCommand::Household(args))) => privacy::export(&ctx, args),
        Some(Command::Export(ExportCommand::Worklist(args))) => exchange::export_worklist(&ctx, args),
        Some(Command::Export(ExportCommand::Toewijzingen(args))) => {
            exchange::export_toewijzingen(&ctx, args)
        }
        Some(Command::Import(ImportCommand::Providers(args))) => {
            exchange::import_providers(&ctx, args)
        }
        Some(Command::Import(ImportCommand::Flags(args))) => exchange::import_flags(&ctx, args),
        Some(Command::Import(ImportCommand::Berichten(args))) => {
            exchange::import_berichten(&ctx, args)
        }
        Some(Command::Verzoeken(args)) => exchange::list_requests(&ctx, args.all),
        Some(Command::Verzoek(VerzoekCommand::Toekennen { id, output })) => {
            exchange::grant_request(&ctx, *id, output.as_deref())
        }
        Some(Command::Verzoek(VerzoekCommand::Afwijzen { id, reden, output })) => {
            exchange::refuse_request(&ctx, *id, reden, output.as_deref())
        }
        Some(Command::Erase(EraseCommand::Household(args))) => privacy::erase(&ctx, args),
        Some(Command::Retention(_)) => privacy::retention_due(&ctx),
        Some(Command::Reassign(args)) => privacy::reassign(&ctx, args),
        Some(Command::Consent(ConsentCommand::Add(args))) => privacy::consent_add(&ctx, args),
        Some(Command::Consent(ConsentCommand::Withdraw(args))) => {
            privacy::consent_withdraw(&ctx, args)
        }
        Some(Command::Plan(args)) => plan::plan(&ctx, args),
        Some(Command::Report(args)) => report::report(&ctx, args),
        Some(Command::Backup(args)) => backup::backup(&ctx, args),
        Some(Command::Restore(args)) => backup::restore(&ctx, args),
        Some(Command::Migrate(args)) => backup::migrate(&ctx, args),
        Some(Command::Encrypt) => encrypt::encrypt(&ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
