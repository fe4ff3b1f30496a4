//! The terminal shell around the pure app: terminal set-up and restore, the event loop and
//! the executor that runs effects.
//!
//! [`start`] prepares everything that can fail with a message (the database kind, the
//! reference data) before the terminal is taken over, so such messages land on a normal
//! terminal. Warnings that do not stop the app (a broken theme or `keymap.toml`) are shown
//! inside it.

pub mod executor;
pub mod run;
pub mod settings;
pub mod terminal;
pub mod worker;

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use crate::app::state::{Notice, NoticeKind};
use crate::app::{App, Effect};
use crate::domain::reference::ReferenceError;
use crate::i18n::{Lang, Localize};
use crate::model::admin::DatabaseKind;
use crate::store::{AppStore, StoreError};

pub use run::Ending;

/// What the terminal app needs besides the database.
#[derive(Clone, Debug)]
pub struct Options {
    /// Message language.
    pub lang: Lang,
    /// Theme name from the configuration.
    pub theme: String,
    /// Draw without colours (`NO_COLOR`); wins over `theme`.
    pub no_color: bool,
    /// Minutes without a key press before the screen locks.
    pub idle_lock_minutes: u32,
    /// The config directory (reference data, themes, `keymap.toml`).
    pub config_dir: PathBuf,
    /// This machine's name for the audit log.
    pub workstation: String,
    /// The folder that holds `exporten/` and `plannen/` (the `output_dir` setting).
    pub output_dir: PathBuf,
    /// Our gemeentecode (messages to and from providers).
    pub gemeentecode: String,
    /// The folder with the official iStandaarden checks.
    pub istandaarden: PathBuf,
}

/// Why the terminal app could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The database could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A reference data file is broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The terminal could not be set up or used.
    #[error("De terminal werkt niet mee: {0}")]
    Terminal(#[from] io::Error),
}

impl Localize for TuiError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            TuiError::Store(e) => e.localize(lang),
            TuiError::Reference(e) => e.localize(lang),
            TuiError::Terminal(e) => match lang {
                Lang::Nl => format!("De terminal werkt niet mee: {e}"),
                Lang::En => format!("The terminal does not cooperate: {e}"),
            },
        }
    }
}

/// Runs the terminal app on `store` until the user quits or a signal arrives.
/// Everything that can refuse is checked before the terminal is taken over; the terminal is
/// restored before this returns, also on error.
pub fn start(store: Box<dyn AppStore>, options: &Options) -> Result<Ending, TuiError> {
    let mut app = prepare(store.as_ref(), options)?;
    let executor = executor::Executor::new(
        store,
        options.workstation.clone(),
        options.lang,
        options.output_dir.clone(),
    )
    .with_reference(app.reference.clone())
    .with_messages(options.gemeentecode.clone(), options.istandaarden.clone());
    let signals = terminal::Signals::register()?;
    let idle_lock = chrono::Duration::minutes(i64::from(options.idle_lock_minutes.max(1)));
    let clock = crate::clock::SystemClock;
    let mut worker = worker::Worker::spawn(executor)?;
    let mut guard = terminal::TerminalGuard::enter(options.lang)?;
    let result = run::event_loop(
        guard.terminal(),
        &mut app,
        &mut worker,
        &clock,
        &signals,
        idle_lock,
    );
    // Finish what was sent (a last save), log out and give the terminal back on every way out
    // of the loop.
    if let Some(mut executor) = worker.finish() {
        executor.run(Effect::Logout);
    }
    drop(guard);
    signals.finish();
    match (result, signals.received()) {
        // A closed terminal (SIGHUP) makes reading fail before the loop sees the signal.
        (Err(_), Some(signal)) => Ok(Ending::Signal(signal)),
        (result, _) => Ok(result?),
    }
}

/// The app on its login screen, with the warnings of the theme and key map as its notice.
pub fn prepare(store: &dyn AppStore, options: &Options) -> Result<App, TuiError> {
    let demo = match store.kind() {
        Ok(kind) => kind == DatabaseKind::Demo,
        // An encrypted file is opened by the login on the login screen; until then it shows
        // as a production database.
        Err(StoreError::Encryption {
            problem: crate::store::EncryptionProblem::Locked,
            ..
        }) => false,
        Err(e) => return Err(e.into()),
    };
    let reference = Arc::new(crate::config::load_reference_data(Some(
        &options.config_dir,
    ))?);
    let (theme, theme_warning) = settings::load_theme(
        &options.theme,
        &options.config_dir,
        options.no_color,
        options.lang,
    );
    let (keymap, keymap_warning) = settings::load_keymap(&options.config_dir, options.lang);
    let today = store.clock().today();
    let mut app = App::new(options.lang, keymap, reference, theme, demo, today);
    let warnings: Vec<String> = [theme_warning, keymap_warning]
        .into_iter()
        .flatten()
        .collect();
    if !warnings.is_empty() {
        app.notice = Some(Notice {
            text: warnings.join(" · "),
            kind: NoticeKind::Warning,
        });
    }
    Ok(app)
}
