//! Taking the terminal over and giving it back.
//!
//! [`TerminalGuard::enter`] switches to raw mode, the alternate screen and bracketed paste (a
//! paste arrives as one text, never as keys); the terminal is
//! restored on every way out: the guard's `Drop` (normal quit, an error returned from the loop,
//! unwinding), the panic hook (before anything is printed) and the signals the event loop
//! watches ([`Signals`]). Restoring clears the alternate screen and erases the scrollback, so no
//! client data stays behind in the terminal.
//!
//! On a panic the hook also writes a short crash report (version, time, location, backtrace)
//! with mode 0600 to the data directory and prints one line that says where. The panic's
//! message is never written anywhere: it can hold text the user typed.

use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, KeyCode, KeyEvent};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::i18n::Lang;

/// The terminal the app draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is taken over (raw mode, alternate screen) and needs restoring.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The language of the panic message (0 Dutch, 1 English).
static PANIC_LANG: AtomicUsize = AtomicUsize::new(0);

/// Where crash reports go: the data directory, found when the terminal is taken over.
static CRASH_DIR: OnceLock<PathBuf> = OnceLock::new();

/// "Erase saved lines": clears the terminal's scrollback.
const ERASE_SCROLLBACK: &[u8] = b"\x1b[3J";

/// Owns the taken-over terminal; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Tui,
}

impl TerminalGuard {
    /// Installs the panic hook, then enters raw mode and the alternate screen.
    /// On failure the terminal is restored before the error is returned.
    pub fn enter(lang: Lang) -> io::Result<TerminalGuard> {
        PANIC_LANG.store(usize::from(lang == Lang::En), Ordering::SeqCst);
        if let Some(paths) = crate::config::Paths::discover() {
            let _ = CRASH_DIR.set(paths.data_dir);
        }
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let setup = || -> io::Result<Tui> {
            let mut stdout = io::stdout();
            execute!(
                stdout,
                EnterAlternateScreen,
                EnableBracketedPaste,
                Hide,
                Clear(ClearType::All)
            )?;
            let mut terminal = Terminal::new(CrosstermBackend::new(stdout))?;
            terminal.clear()?;
            Ok(terminal)
        };
        match setup() {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Tui {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Gives the terminal back: clears the alternate screen, leaves it, erases the scrollback,
/// shows the cursor and ends raw mode. Does nothing when the terminal is not taken over, so it
/// is safe to call more than once. Errors are ignored: the terminal may be gone (SIGHUP).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    // Show the cursor on both screens: some terminals keep the mode per screen.
    let _ = execute!(
        out,
        DisableBracketedPaste,
        Clear(ClearType::All),
        Show,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.write_all(ERASE_SCROLLBACK);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Replaces the panic hook (once): restore the terminal first, write the crash report, then
/// one line that says where it is. The panic's payload is left out everywhere, because it could
/// hold client data; the location (file and line in our source) is enough to find the bug.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            restore();
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_else(|| "?".to_string());
            let english = PANIC_LANG.load(Ordering::SeqCst) == 1;
            let report = match CRASH_DIR.get() {
                Some(dir) => write_crash_report(dir, &location),
                None => Err(io::Error::new(io::ErrorKind::NotFound, "no data directory")),
            };
            let message = match (&report, english) {
                (Ok(path), false) => format!(
                    "keukentafel is onverwacht gestopt (interne fout bij {location}). Er is niets half opgeslagen. Het crashrapport (zonder cliëntgegevens) staat in {}",
                    path.display()
                ),
                (Ok(path), true) => format!(
                    "keukentafel stopped unexpectedly (internal error at {location}). Nothing was half saved. The crash report (without client data) is in {}",
                    path.display()
                ),
                (Err(e), false) => format!(
                    "keukentafel is onverwacht gestopt (interne fout bij {location}). Er is niets half opgeslagen. Het crashrapport kon niet worden geschreven: {e}"
                ),
                (Err(e), true) => format!(
                    "keukentafel stopped unexpectedly (internal error at {location}). Nothing was half saved. The crash report could not be written: {e}"
                ),
            };
            let _ = writeln!(io::stderr(), "{message}");
        }));
    });
}

/// Writes `crash-<time>-<pid>.txt` (mode 0600) into `dir`: version, time, location, thread and
/// backtrace. Function names and source lines only; no values, no panic message.
fn write_crash_report(dir: &Path, location: &str) -> io::Result<PathBuf> {
    crate::private_file::create_private_dir(dir)?;
    let now = chrono::Utc::now();
    let path = dir.join(format!(
        "crash-{}-{}.txt",
        now.format("%Y%m%dT%H%M%SZ"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    let thread = std::thread::current();
    writeln!(file, "keukentafel crash report")?;
    writeln!(file, "version: {}", env!("CARGO_PKG_VERSION"))?;
    writeln!(file, "time: {}", now.to_rfc3339())?;
    writeln!(file, "location: {location}")?;
    writeln!(file, "thread: {}", thread.name().unwrap_or("?"))?;
    writeln!(
        file,
        "The panic message is left out on purpose: it can hold client data.\n"
    )?;
    writeln!(
        file,
        "backtrace:\n{}",
        std::backtrace::Backtrace::force_capture()
    )?;
    file.sync_all()?;
    Ok(path)
}

/// Test hook for the end-to-end tests: with `KEUKENTAFEL_TEST_PANIC=1` in the environment, F12
/// makes the running app panic, with made-up client text in the panic message, so a test can
/// check that the terminal is restored and that neither the screen nor the crash report shows
/// that text. Without the variable F12 does nothing here.
#[allow(
    clippy::panic,
    reason = "the panic is the test hook's purpose, armed only by the test's variable"
)]
pub fn test_panic_on(key: &KeyEvent) {
    static ARMED: OnceLock<bool> = OnceLock::new();
    let armed = || std::env::var_os("KEUKENTAFEL_TEST_PANIC").is_some_and(|v| v == "1");
    if key.code == KeyCode::F(12) && *ARMED.get_or_init(armed) {
        panic!("test panic, with client text that must not leak: Fatima El Amrani, 111222333");
    }
}

/// How long the event loop gets to end cleanly after a signal before the watchdog ends the
/// process itself.
const GRACE: Duration = Duration::from_secs(2);

/// How often the watchdog looks at the signal flag and the terminal.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// The signals that end the app cleanly (log out, restore the terminal): SIGTERM, SIGHUP,
/// SIGINT and SIGQUIT. Registering replaces their default action (ending the process on the
/// spot), so the event loop checks [`Signals::received`] on every turn.
///
/// A watchdog thread guards the cases where the loop cannot come round: when the terminal hangs
/// up, crossterm keeps reading end-of-file and never returns. The watchdog treats a terminal
/// that is gone as SIGHUP, and when the loop has not finished [`GRACE`] after a signal, it
/// restores what it can and ends the process with 128 + the signal's number. Everything saved
/// is already committed (each write is one SQLite transaction), so nothing is half saved.
pub struct Signals {
    received: Arc<AtomicUsize>,
    finished: Arc<AtomicBool>,
}

impl Signals {
    /// Starts watching the signals.
    pub fn register() -> io::Result<Signals> {
        use signal_hook::consts::signal::{SIGINT, SIGTERM};
        let received = Arc::new(AtomicUsize::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let mut signals = vec![SIGTERM, SIGINT];
        #[cfg(unix)]
        signals.extend([
            signal_hook::consts::signal::SIGHUP,
            signal_hook::consts::signal::SIGQUIT,
        ]);
        for signal in signals {
            let value = usize::try_from(signal).unwrap_or(usize::MAX);
            signal_hook::flag::register_usize(signal, Arc::clone(&received), value)?;
        }
        let (flag, done) = (Arc::clone(&received), Arc::clone(&finished));
        std::thread::Builder::new()
            .name("keukentafel-watchdog".into())
            .spawn(move || watchdog(&flag, &done))?;
        Ok(Signals { received, finished })
    }

    /// The number of the signal that arrived, if one did.
    pub fn received(&self) -> Option<i32> {
        signal_number(&self.received)
    }

    /// The event loop has ended and the terminal is restored: the watchdog stands down.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::SeqCst);
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.finish();
    }
}

fn signal_number(flag: &AtomicUsize) -> Option<i32> {
    match flag.load(Ordering::SeqCst) {
        0 => None,
        n => Some(i32::try_from(n).unwrap_or(i32::MAX)),
    }
}

/// The signal number a hung-up terminal counts as.
#[cfg(unix)]
const HANGUP: usize = signal_hook::consts::signal::SIGHUP as usize;
#[cfg(not(unix))]
const HANGUP: usize = 1;

/// Waits for a signal or a hung-up terminal, then gives the event loop [`GRACE`] to end.
fn watchdog(received: &AtomicUsize, finished: &AtomicBool) {
    use std::io::IsTerminal;
    let signal = loop {
        if finished.load(Ordering::SeqCst) {
            return;
        }
        if let Some(signal) = signal_number(received) {
            break signal;
        }
        if !io::stdin().is_terminal() {
            // The terminal hung up (a closed window, a killed tmux): as good as SIGHUP.
            let _ = received.compare_exchange(0, HANGUP, Ordering::SeqCst, Ordering::SeqCst);
            continue;
        }
        std::thread::sleep(WATCH_EVERY);
    };
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if finished.load(Ordering::SeqCst) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    restore();
    std::process::exit(128 + signal);
}
