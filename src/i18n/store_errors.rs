//! The store's errors worded for the user: Dutch (also their `Display`) and English.

use std::fmt;

use crate::i18n::{Lang, Localize};
use crate::store::{
    BackendError, BackendErrorKind, EncryptionProblem, Missing, Refused, ServerProblem, StoreError,
};

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::Nl))
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => dutch(self),
            Lang::En => english(self),
        }
    }
}

fn dutch(e: &StoreError) -> String {
    match e {
        StoreError::Missing(p) => format!(
            "Er is geen database op {}. Maak er een met `keukentafel init --admin NAAM` of `keukentafel demo`.",
            p.display()
        ),
        StoreError::AlreadyExists(p) => {
            format!("Er staat al een database op {}; die laat ik ongemoeid.", p.display())
        }
        StoreError::NotOurs(p) => format!("{} is geen keukentafel-database.", p.display()),
        StoreError::TooNew {
            path,
            found,
            supported,
        } => format!(
            "{} is gemaakt door een nieuwere versie van keukentafel (schema {found}, deze versie kent t/m {supported}). Werk keukentafel bij.",
            path.display()
        ),
        StoreError::Busy => "De database is bezet door een andere gebruiker; probeer het zo nog eens. Er is niets opgeslagen.".into(),
        StoreError::Denied { role, refused } => format!(
            "Dat mag je niet met jouw rol ({}): {}.",
            role.code(),
            refused_nl(*refused)
        ),
        StoreError::LoginDelayed { wait_seconds } => format!(
            "Te veel mislukte inlogpogingen voor dit account. Probeer het over {} opnieuw.",
            wait_nl(*wait_seconds)
        ),
        StoreError::AccountDisabled => {
            "Dit account is geblokkeerd. Vraag de beheerder om het weer vrij te geven.".into()
        }
        StoreError::NotFound(what) => format!("{} niet gevonden.", missing_nl(what)),
        StoreError::Invalid(i) => i.localize(Lang::Nl),
        StoreError::Corrupt {
            table,
            column,
            value,
        } => format!(
            "De database bevat een ongeldige waarde in {table}.{column}: {value}. Draai `keukentafel check`."
        ),
        StoreError::Io { path, source } => format!(
            "Bestand {} kon niet worden gebruikt: {}.",
            path.display(),
            io_reason_nl(source)
        ),
        StoreError::BackupFailed { path, nl, .. } => format!(
            "De back-up naar {} is niet gemaakt: {nl}. De database zelf is niet veranderd.",
            path.display()
        ),
        StoreError::NotRestorable { path, nl, .. } => format!(
            "{} is niet teruggezet: {nl}. De bestaande database is niet aangeraakt.",
            path.display()
        ),
        StoreError::InUse(p) => format!(
            "De database {} is nog geopend door iemand anders (de terminal-app of een keukentafel-opdracht). Laat die eerst afsluiten; er is niets teruggezet.",
            p.display()
        ),
        StoreError::Replaced(p) => format!(
            "De database {} is vervangen nadat deze app hem opende (teruggezet of verplaatst). Er is niets opgeslagen; sluit keukentafel en start opnieuw.",
            p.display()
        ),
        StoreError::Backend(b) => backend_nl(b),
        StoreError::Encryption { path, problem } => encryption_nl(path, *problem),
        StoreError::Server { location, problem } => server_nl(location, problem),
        StoreError::Conflict { record, by, at } => format!(
            "{} is intussen gewijzigd door {by} ({}). Er is niets opgeslagen; wat je typte staat er nog en de nieuwe versie staat op het dashboard. Sla opnieuw op om die te vervangen.",
            missing_nl(record),
            moment(at)
        ),
    }
}

/// A stored moment (RFC 3339) as the user reads it: `1-12-2026 14:32`, local time.
fn moment(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%-d-%-m-%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

fn encryption_nl(path: &std::path::Path, problem: EncryptionProblem) -> String {
    let p = path.display();
    match problem {
        EncryptionProblem::NotBuiltIn => format!(
            "De database {p} is versleuteld, maar deze keukentafel is gebouwd zonder versleuteling. Gebruik een keukentafel met versleuteling (cargo build --features encryption)."
        ),
        EncryptionProblem::KeyFileMissing => {
            let keys = crate::store::sqlite::cipher::key_file_path(path);
            format!(
                "{p} is geen gewoon databasebestand en er staat geen sleutelbestand {} naast. Is het een versleutelde database, zet dan het sleutelbestand terug uit de back-up waar het bij hoort; zonder dat bestand is de database niet te openen.",
                keys.display()
            )
        }
        EncryptionProblem::KeyFileBroken => format!(
            "Het sleutelbestand {p} is beschadigd of geen sleutelbestand van keukentafel. Zet het terug uit de back-up waar het bij hoort."
        ),
        EncryptionProblem::WrongKey => format!(
            "De sleutel past niet op de database {p}: het sleutelbestand hoort bij een andere database. Er is niets geopend."
        ),
        EncryptionProblem::Locked => format!(
            "De database {p} is versleuteld: log eerst in (geef --user NAAM op; het wachtwoord ontgrendelt de database)."
        ),
        EncryptionProblem::UnusableHash => format!(
            "Het wachtwoord van {p} kan de databasesleutel niet beveiligen (geen argon2id). Stel eerst een nieuw wachtwoord in."
        ),
        EncryptionProblem::AlreadyEncrypted => {
            format!("De database {p} is al versleuteld; er is niets veranderd.")
        }
    }
}

fn encryption_en(path: &std::path::Path, problem: EncryptionProblem) -> String {
    let p = path.display();
    match problem {
        EncryptionProblem::NotBuiltIn => format!(
            "The database {p} is encrypted, but this keukentafel was built without encryption. Use a keukentafel with encryption (cargo build --features encryption)."
        ),
        EncryptionProblem::KeyFileMissing => {
            let keys = crate::store::sqlite::cipher::key_file_path(path);
            format!(
                "{p} is not a plain database file and has no key file {} next to it. If it is an encrypted database, put the key file back from the backup it belongs to; without it the database cannot be opened.",
                keys.display()
            )
        }
        EncryptionProblem::KeyFileBroken => format!(
            "The key file {p} is damaged or not a keukentafel key file. Put it back from the backup it belongs to."
        ),
        EncryptionProblem::WrongKey => format!(
            "The key does not fit the database {p}: the key file belongs to another database. Nothing was opened."
        ),
        EncryptionProblem::Locked => format!(
            "The database {p} is encrypted: log in first (give --user NAME; the password unlocks the database)."
        ),
        EncryptionProblem::UnusableHash => format!(
            "The password of {p} cannot protect the database key (not argon2id). Set a new password first."
        ),
        EncryptionProblem::AlreadyEncrypted => {
            format!("The database {p} is encrypted already; nothing was changed.")
        }
    }
}

fn server_nl(location: &str, problem: &ServerProblem) -> String {
    match problem {
        ServerProblem::Unreachable(detail) => format!(
            "De databaseserver {location} is niet bereikbaar ({detail}). Controleer het adres en of de server draait; er is niets opgeslagen."
        ),
        ServerProblem::UntrustedCertificate(why) => format!(
            "Het certificaat van de databaseserver {location} is niet te vertrouwen ({why}). Is het door de eigen certificaatautoriteit van de gemeente uitgegeven, zet dan PGSSLROOTCERT op dat CA-bestand (PEM)."
        ),
        ServerProblem::UnknownDatabase => format!(
            "De server kent de database in {location} niet. Controleer de naam, of laat de beheerder van de server hem maken."
        ),
        ServerProblem::LoginRefused => format!(
            "De databaseserver {location} weigert de verbinding: onbekende gebruiker, onjuist wachtwoord of geen toegang."
        ),
        ServerProblem::NotInitialised => format!(
            "De database {location} is nog leeg. Maak hem klaar met `keukentafel init --server postgres://EIGENAAR@SERVER/DATABASE --admin NAAM` of `keukentafel --db … demo`."
        ),
        ServerProblem::NotOurs => format!(
            "De database {location} bevat tabellen die niet van keukentafel zijn; die laat ik ongemoeid."
        ),
        ServerProblem::AlreadyInitialised => {
            format!(
                "De database {location} is al in gebruik door keukentafel; die laat ik ongemoeid."
            )
        }
        ServerProblem::TooNew { found, supported } => format!(
            "De database {location} is gemaakt door een nieuwere versie van keukentafel (schema {found}, deze versie kent t/m {supported}). Werk keukentafel bij."
        ),
        ServerProblem::NotEmpty => format!(
            "De database {location} is niet leeg; migreren kan alleen naar een lege database. Er is niets gekopieerd."
        ),
        ServerProblem::PasswordMissing => format!(
            "De databaseserver {location} vraagt een wachtwoord voor de gebruiker in het adres (de eigenaar). Geef het in PGPASSWORD (of in het adres: postgres://EIGENAAR:WACHTWOORD@…). Er is niets veranderd."
        ),
        ServerProblem::OwnerOnly(act) => format!(
            "`keukentafel {act}` op een server doet de eigenaar van de database: `keukentafel --db postgres://EIGENAAR@SERVER/DATABASE {act}`, met het wachtwoord in PGPASSWORD ({location})."
        ),
        ServerProblem::OwnerMustMigrate { found, latest } => format!(
            "De database {location} heeft schema {found}; deze versie van keukentafel werkt met schema {latest}. Alleen de eigenaar van de database kan hem bijwerken: `keukentafel --db postgres://EIGENAAR@SERVER/DATABASE check` (zie de README, \"De database op een server\"). Er is niets veranderd."
        ),
        ServerProblem::FileOnly(act) => format!(
            "`keukentafel {act}` werkt alleen op een databasebestand. Op een PostgreSQL-server ({location}) doen de eigen hulpmiddelen van de server dit: pg_dump en pg_restore."
        ),
        ServerProblem::NotBuiltIn => {
            format!("Deze keukentafel is gebouwd zonder PostgreSQL; {location} kan ik niet openen.")
        }
    }
}

fn server_en(location: &str, problem: &ServerProblem) -> String {
    match problem {
        ServerProblem::Unreachable(detail) => format!(
            "The database server {location} cannot be reached ({detail}). Check the address and that the server runs; nothing was saved."
        ),
        ServerProblem::UntrustedCertificate(why) => format!(
            "The certificate of the database server {location} is not trusted ({why}). If the municipality's own certificate authority issued it, set PGSSLROOTCERT to that CA file (PEM)."
        ),
        ServerProblem::UnknownDatabase => format!(
            "The server does not know the database in {location}. Check the name, or ask the server's administrator to create it."
        ),
        ServerProblem::LoginRefused => format!(
            "The database server {location} refuses the connection: unknown user, wrong password or no access."
        ),
        ServerProblem::NotInitialised => format!(
            "The database {location} is still empty. Prepare it with `keukentafel init --server postgres://OWNER@SERVER/DATABASE --admin NAME` or `keukentafel --db … demo`."
        ),
        ServerProblem::NotOurs => format!(
            "The database {location} holds tables that are not keukentafel's; left untouched."
        ),
        ServerProblem::AlreadyInitialised => {
            format!("The database {location} is already used by keukentafel; left untouched.")
        }
        ServerProblem::TooNew { found, supported } => format!(
            "The database {location} was made by a newer keukentafel (schema {found}, this version knows up to {supported}). Update keukentafel."
        ),
        ServerProblem::NotEmpty => format!(
            "The database {location} is not empty; migrating needs an empty database. Nothing was copied."
        ),
        ServerProblem::PasswordMissing => format!(
            "The database server {location} asks a password for the user in the address (the owner). Give it in PGPASSWORD (or in the address: postgres://OWNER:PASSWORD@…). Nothing was changed."
        ),
        ServerProblem::OwnerOnly(act) => format!(
            "`keukentafel {act}` on a server is for the database's owner: `keukentafel --db postgres://OWNER@SERVER/DATABASE {act}`, with the password in PGPASSWORD ({location})."
        ),
        ServerProblem::OwnerMustMigrate { found, latest } => format!(
            "The database {location} has schema {found}; this keukentafel works with schema {latest}. Only the database's owner can update it: `keukentafel --db postgres://OWNER@SERVER/DATABASE check` (see the README). Nothing was changed."
        ),
        ServerProblem::FileOnly(act) => format!(
            "`keukentafel {act}` works on a database file only. On a PostgreSQL server ({location}) the server's own tools do this: pg_dump and pg_restore."
        ),
        ServerProblem::NotBuiltIn => {
            format!("This keukentafel was built without PostgreSQL; it cannot open {location}.")
        }
    }
}

fn english(e: &StoreError) -> String {
    match e {
        StoreError::Missing(p) => format!(
            "There is no database at {}. Create one with `keukentafel init --admin NAME` or `keukentafel demo`.",
            p.display()
        ),
        StoreError::AlreadyExists(p) => format!(
            "A database already exists at {}; left untouched.",
            p.display()
        ),
        StoreError::NotOurs(p) => format!("{} is not a keukentafel database.", p.display()),
        StoreError::TooNew {
            path,
            found,
            supported,
        } => format!(
            "{} was made by a newer keukentafel (schema {found}, this version knows up to {supported}). Update keukentafel.",
            path.display()
        ),
        StoreError::Busy => {
            "The database is busy with another user; try again shortly. Nothing was saved.".into()
        }
        StoreError::Denied { role, refused } => format!(
            "Your role ({}) does not allow this: {}.",
            role.code(),
            refused_en(*refused)
        ),
        StoreError::NotFound(what) => format!("{} not found.", missing_en(what)),
        StoreError::LoginDelayed { wait_seconds } => format!(
            "Too many failed logins for this account. Try again in {}.",
            wait_en(*wait_seconds)
        ),
        StoreError::AccountDisabled => {
            "This account is disabled. Ask the administrator to enable it again.".into()
        }
        StoreError::Invalid(i) => i.localize(Lang::En),
        StoreError::Corrupt {
            table,
            column,
            value,
        } => format!(
            "The database holds an invalid value in {table}.{column}: {value}. Run `keukentafel check`."
        ),
        StoreError::Io { path, source } => {
            format!("File {} could not be used: {source}.", path.display())
        }
        StoreError::BackupFailed { path, en, .. } => format!(
            "The backup to {} was not made: {en}. The database itself is unchanged.",
            path.display()
        ),
        StoreError::NotRestorable { path, en, .. } => format!(
            "{} was not restored: {en}. The existing database was not touched.",
            path.display()
        ),
        StoreError::InUse(p) => format!(
            "The database {} is still open elsewhere (the terminal app or a keukentafel command). Have it closed first; nothing was restored.",
            p.display()
        ),
        StoreError::Replaced(p) => format!(
            "The database {} was replaced after this app opened it (restored or moved). Nothing was saved; close keukentafel and start again.",
            p.display()
        ),
        StoreError::Backend(b) => backend_en(b),
        StoreError::Encryption { path, problem } => encryption_en(path, *problem),
        StoreError::Server { location, problem } => server_en(location, problem),
        StoreError::Conflict { record, by, at } => format!(
            "{} was changed meanwhile by {by} ({}). Nothing was saved; what you typed is still here and the new version is on the dashboard. Save again to replace it.",
            missing_en(record),
            moment(at)
        ),
    }
}

fn refused_nl(r: Refused) -> &'static str {
    match r {
        Refused::Operation(op) => op.describe(),
        Refused::OtherTeamReport => "stuurcijfers van een ander team bekijken",
    }
}

fn refused_en(r: Refused) -> &'static str {
    match r {
        Refused::Operation(op) => op.describe_en(),
        Refused::OtherTeamReport => "see another team's steering figures",
    }
}

fn missing_nl(m: &Missing) -> String {
    match m {
        Missing::Household(id) => format!("Huishouden {id}"),
        Missing::ErasedHousehold(id) => format!("Huishouden {id} (gewist)"),
        Missing::Person(id) => format!("Persoon {id}"),
        Missing::Agreement(id) => format!("Afspraak {id}"),
        Missing::Flag(id) => format!("Signaal {id}"),
        Missing::Goal(id) => format!("Doel {id}"),
        Missing::Consent(id) => format!("Toestemming {id}"),
        Missing::Provision(id) => format!("Voorziening {id}"),
        Missing::Provider(id) => format!("Aanbieder {id}"),
        Missing::ProviderAgb(agb) => format!("Aanbieder met AGB-code {agb}"),
        Missing::User(id) => format!("Medewerker {id}"),
        Missing::Username(name) => format!("Medewerker '{name}'"),
        Missing::TeamName(name) => format!("Team '{name}'"),
        Missing::Team(id) => format!("Team {id}"),
        Missing::Request(id) => format!("Verzoek {id}"),
        Missing::DemoReference(what) => format!("Demo-gegeven '{what}'"),
    }
}

fn missing_en(m: &Missing) -> String {
    match m {
        Missing::Household(id) => format!("Household {id}"),
        Missing::ErasedHousehold(id) => format!("Household {id} (erased)"),
        Missing::Person(id) => format!("Person {id}"),
        Missing::Agreement(id) => format!("Agreement {id}"),
        Missing::Flag(id) => format!("Flag {id}"),
        Missing::Goal(id) => format!("Goal {id}"),
        Missing::Consent(id) => format!("Consent {id}"),
        Missing::Provision(id) => format!("Provision {id}"),
        Missing::Provider(id) => format!("Provider {id}"),
        Missing::ProviderAgb(agb) => format!("Provider with AGB code {agb}"),
        Missing::User(id) => format!("User {id}"),
        Missing::Username(name) => format!("User '{name}'"),
        Missing::TeamName(name) => format!("Team '{name}'"),
        Missing::Team(id) => format!("Team {id}"),
        Missing::Request(id) => format!("Request {id}"),
        Missing::DemoReference(what) => format!("Demo reference '{what}'"),
    }
}

fn backend_nl(b: &BackendError) -> String {
    let what = match b.kind {
        BackendErrorKind::DiskFull => "De schijf is vol: er is niets opgeslagen.",
        BackendErrorKind::ReadOnly => {
            "De database neemt geen wijzigingen aan (alleen-lezen): er is niets opgeslagen."
        }
        BackendErrorKind::Damaged => {
            "De database is beschadigd. Draai `keukentafel check` en zet zo nodig een back-up terug."
        }
        BackendErrorKind::Connection => {
            "De verbinding met de database is weg of kwam niet tot stand: er is niets opgeslagen."
        }
        BackendErrorKind::Constraint => {
            "De database weigerde deze wijziging (een regel van het schema): er is niets opgeslagen."
        }
        BackendErrorKind::Other => {
            "De database gaf een fout; er is niets half opgeslagen. Probeer het opnieuw, of draai `keukentafel check`."
        }
    };
    format!("{what} ({})", b.detail)
}

fn backend_en(b: &BackendError) -> String {
    let what = match b.kind {
        BackendErrorKind::DiskFull => "The disk is full: nothing was saved.",
        BackendErrorKind::ReadOnly => {
            "The database accepts no changes (read-only): nothing was saved."
        }
        BackendErrorKind::Damaged => {
            "The database is damaged. Run `keukentafel check` and restore a backup if needed."
        }
        BackendErrorKind::Connection => {
            "The connection to the database was lost or could not be made: nothing was saved."
        }
        BackendErrorKind::Constraint => {
            "The database refused this change (a rule of the schema): nothing was saved."
        }
        BackendErrorKind::Other => {
            "The database reported an error; nothing was half saved. Try again, or run `keukentafel check`."
        }
    };
    format!("{what} ({})", b.detail)
}

/// The operating system's reason in Dutch for the common cases, its own words otherwise.
pub fn io_reason_nl(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "het bestaat niet".into(),
        PermissionDenied => "geen toegang (rechten)".into(),
        AlreadyExists => "het bestaat al".into(),
        StorageFull => "de schijf is vol".into(),
        ReadOnlyFilesystem => "de schijf is alleen-lezen".into(),
        IsADirectory => "dat is een map".into(),
        NotADirectory => "een deel van het pad is geen map".into(),
        _ => format!("het besturingssysteem meldt: {e}"),
    }
}

/// A wait in Dutch: "45 seconden", "1 minuut", "3 minuten" (minutes rounded up).
pub fn wait_nl(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 seconde".to_string(),
        2..=59 => format!("{seconds} seconden"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minuut".to_string(),
            m => format!("{m} minuten"),
        },
    }
}

/// A wait in English: "45 seconds", "1 minute", "3 minutes" (minutes rounded up).
pub fn wait_en(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 second".to_string(),
        2..=59 => format!("{seconds} seconds"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minute".to_string(),
            m => format!("{m} minutes"),
        },
    }
}
