//! What every command needs: language, paths, configuration, passwords and login.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use super::Cli;
use crate::auth::{Session, workstation_name};
use crate::config::{Config, Paths};
use crate::i18n::{Lang, Localize};
use std::sync::Arc;

use crate::clock::SystemClock;
use crate::store::location::Location;
use crate::store::{Backend, Store};

/// A failure to report on stderr, already in the user's language.
#[derive(Debug)]
pub struct CliError(pub String);

impl CliError {
    /// Prints the message and gives the failure exit code.
    pub fn report(&self) -> ExitCode {
        esay!("keukentafel: {}", self.0);
        ExitCode::FAILURE
    }
}

/// The environment of one command run.
pub struct Context {
    /// The language messages are printed in.
    pub lang: Lang,
    /// Where config and data live.
    pub paths: Paths,
    /// The configuration.
    pub config: Config,
    /// `--db` or `KEUKENTAFEL_DB`, when given: a file path or a `postgres://` URL.
    pub explicit_db: Option<String>,
    /// `--user`.
    pub user: Option<String>,
    /// `--password-stdin`.
    pub password_stdin: bool,
    /// This machine's name for the audit log.
    pub workstation: String,
    stdin_lines: Mutex<Option<std::io::StdinLock<'static>>>,
}

impl Context {
    /// Finds the directories and reads the configuration.
    pub fn new(cli: &Cli) -> Result<Context, CliError> {
        let paths = Paths::discover().ok_or_else(|| {
            CliError("Geen thuismap gevonden voor de instellingen; zet KEUKENTAFEL_CONFIG_DIR en KEUKENTAFEL_DATA_DIR.".into())
        })?;
        let file = paths.config_file();
        let config = Config::load(&file).map_err(|e| CliError(e.localize(Lang::Nl)))?;
        // A typo in a reference (a flag type in `[retention]`) must never pass as a setting.
        let reference = crate::config::load_reference_data(Some(&paths.config_dir))
            .map_err(|e| CliError(e.localize(config.language)))?;
        let text = std::fs::read_to_string(&file).ok();
        crate::config::check_references(
            &config,
            &reference,
            &file.display().to_string(),
            text.as_deref(),
        )
        .map_err(|e| CliError(e.localize(config.language)))?;
        Ok(Context {
            lang: config.language,
            paths,
            config,
            explicit_db: cli.db.clone().or_else(|| {
                std::env::var("KEUKENTAFEL_DB")
                    .ok()
                    .filter(|v| !v.is_empty())
            }),
            user: cli.user.clone(),
            password_stdin: cli.password_stdin,
            workstation: workstation_name(),
            stdin_lines: Mutex::new(None),
        })
    }

    /// A message in the user's language.
    pub fn text(&self, nl: &str, en: &str) -> String {
        match self.lang {
            Lang::Nl => nl.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// A failure in the user's language.
    pub fn error(&self, nl: &str, en: &str) -> CliError {
        CliError(self.text(nl, en))
    }

    /// A library error in the user's language.
    pub fn fail<E: Localize>(&self, e: E) -> CliError {
        CliError(e.localize(self.lang))
    }

    /// The database for ordinary commands: `--db`, else the config's, else the default file.
    /// A mistyped server address is refused here, before anything is opened or made.
    pub fn location(&self) -> Result<Location, CliError> {
        match &self.explicit_db {
            Some(text) => Location::parse(text).map_err(|e| self.fail(e)),
            None => match &self.config.database {
                Some(configured) => {
                    Location::parse(&configured.to_string_lossy()).map_err(|e| self.fail(e))
                }
                None => Ok(Location::File(self.paths.default_database())),
            },
        }
    }

    /// The demo database: `--db` (or `KEUKENTAFEL_DB`) when given, else the demo file in the
    /// data directory, so that a demo never touches the real database by accident.
    pub fn demo_location(&self) -> Result<Location, CliError> {
        match &self.explicit_db {
            Some(text) => Location::parse(text).map_err(|e| self.fail(e)),
            None => Ok(Location::File(self.paths.demo_database())),
        }
    }

    /// The database file for the acts that exist only for a file (`backup`, `restore`): on a
    /// server the message names the server's own tools.
    pub fn database_file(&self, act: &'static str) -> Result<PathBuf, CliError> {
        match self.location()? {
            Location::File(path) => Ok(path),
            Location::Server(url) => Err(self.fail(crate::store::StoreError::Server {
                location: url.shown(),
                problem: crate::store::ServerProblem::FileOnly(act),
            })),
        }
    }

    /// Reads a password: the next line of stdin with `--password-stdin`, else from the
    /// terminal without echo.
    pub fn read_password(&self, prompt: &str) -> Result<String, CliError> {
        if self.password_stdin {
            let mut guard = self
                .stdin_lines
                .lock()
                .map_err(|_| CliError("stdin".into()))?;
            let input = guard.get_or_insert_with(|| std::io::stdin().lock());
            // Never more than the longest password (4 bytes a character) and its line end.
            let limit = crate::domain::user::MAX_PASSWORD_CHARS * 4 + 2;
            let mut line = Vec::new();
            let read =
                std::io::Read::take(&mut *input, limit as u64 + 1).read_until(b'\n', &mut line);
            return match read {
                Ok(0) | Err(_) => Err(self.error(
                    "Geen wachtwoord op standaardinvoer (één regel per wachtwoord).",
                    "No password on standard input (one line per password).",
                )),
                Ok(_) => {
                    let text = String::from_utf8_lossy(&line);
                    let password = text.trim_end_matches(['\r', '\n']);
                    if line.len() > limit
                        || password.chars().count() > crate::domain::user::MAX_PASSWORD_CHARS
                    {
                        return Err(self.fail(crate::store::StoreError::Invalid(
                            crate::domain::user::too_long_password(),
                        )));
                    }
                    Ok(password.to_string())
                }
            };
        }
        let password = rpassword::prompt_password(prompt).map_err(|_| {
            self.error(
                "Geen terminal om het wachtwoord te vragen; gebruik --password-stdin.",
                "No terminal to ask for the password; use --password-stdin.",
            )
        })?;
        if password.chars().count() > crate::domain::user::MAX_PASSWORD_CHARS {
            return Err(self.fail(crate::store::StoreError::Invalid(
                crate::domain::user::too_long_password(),
            )));
        }
        Ok(password)
    }

    /// Reads a new password; on a terminal it is asked twice.
    pub fn read_new_password(&self, whose: &str) -> Result<String, CliError> {
        let first = self.read_password(&self.text(
            &format!("Nieuw wachtwoord voor {whose}: "),
            &format!("New password for {whose}: "),
        ))?;
        if !self.password_stdin {
            let again = self.read_password(&self.text("Nog een keer: ", "Once more: "))?;
            if again != first {
                return Err(self.error(
                    "De wachtwoorden zijn niet gelijk; er is niets veranderd.",
                    "The passwords differ; nothing was changed.",
                ));
            }
        }
        Ok(first)
    }

    /// Opens the database (a file or a server) and logs in as `--user`.
    pub fn login(&self) -> Result<(Box<dyn Backend>, Session), CliError> {
        let user = self.required_user()?;
        let location = self.location()?;
        let mut store =
            crate::store::open(&location, Arc::new(SystemClock)).map_err(|e| self.fail(e))?;
        store.set_days_without_start(self.config.days_without_start);
        let password = self.read_password(&self.text(
            &format!("Wachtwoord van {user}: "),
            &format!("Password of {user}: "),
        ))?;
        let session = store
            .authenticate(user, &password, &self.workstation)
            .map_err(|e| self.fail(e))?;
        Ok((store, session))
    }

    fn required_user(&self) -> Result<&str, CliError> {
        self.user.as_deref().ok_or_else(|| {
            self.error(
                "Deze opdracht werkt met persoonsgegevens: geef --user NAAM op.",
                "This command works with personal data: give --user NAME.",
            )
        })
    }

    /// [`Context::login`] for the commands that work on the SQLite file itself (backup,
    /// restore, the toewijzing export).
    pub fn login_sqlite(&self, act: &'static str) -> Result<(Store, Session), CliError> {
        self.login_sqlite_with(act, None)
    }

    /// [`Context::login_sqlite`] with the password when it was read already.
    pub fn login_sqlite_with(
        &self,
        act: &'static str,
        password: Option<&str>,
    ) -> Result<(Store, Session), CliError> {
        let path = self.database_file(act)?;
        let user = self.required_user()?;
        let mut store = Store::open(&path).map_err(|e| self.fail(e))?;
        store.set_days_without_start(self.config.days_without_start);
        let password = match password {
            Some(p) => p.to_string(),
            None => self.read_password(&self.text(
                &format!("Wachtwoord van {user}: "),
                &format!("Password of {user}: "),
            ))?,
        };
        let session = store
            .authenticate(user, &password, &self.workstation)
            .map_err(|e| self.fail(e))?;
        Ok((store, session))
    }
}
