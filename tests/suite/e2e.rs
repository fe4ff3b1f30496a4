//! End-to-end runs of the real terminal app inside tmux: type like a user, read the screen like
//! a user, and check that the terminal is given back clean (no client data left behind) after
//! quitting and after SIGTERM.
//!
//! Each test starts its own tmux server (`tmux -L <unique socket>`), so tests do not collide with
//! each other or with the developer's own tmux. Without tmux the tests are skipped with a message;
//! CI installs tmux.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The line the pane's script prints once the app has ended.
const ENDED: &str = "keukentafel-ended";
const BIN: &str = env!("CARGO_BIN_EXE_keukentafel");

/// How long to wait for the screen to show something: the machine may be slow and shared.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Pause after keys that must not merge with the next ones (a lone Esc).
const SETTLE: Duration = Duration::from_millis(400);

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // CI installs tmux and sets this, so a missing tmux there fails instead of skipping.
        assert!(
            std::env::var_os("KEUKENTAFEL_REQUIRE_TMUX").is_none(),
            "tmux is required (KEUKENTAFEL_REQUIRE_TMUX is set) but not installed"
        );
        eprintln!(
            "tmux is niet geïnstalleerd: de end-to-end-tests van de terminal-app worden overgeslagen."
        );
    }
    found
}

/// One installation (config and data directories) and, once started, one tmux server with the
/// app in a 100×30 pane.
struct Session {
    dir: TempDir,
    socket: String,
    started: bool,
    /// More environment for the app (name, value).
    extra_env: Vec<(String, String)>,
}

impl Session {
    fn new() -> Session {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = tempfile::tempdir().expect("temp dir");
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let socket = format!("kt-e2e-{}-{n}", std::process::id());
        std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
        std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
        // Our own config: keep dead panes readable, ignore the developer's ~/.tmux.conf.
        std::fs::write(
            dir.path().join("tmux.conf"),
            "set -g remain-on-exit on\nset -g history-limit 2000\nset -g status off\nset -g default-shell /bin/sh\n",
        )
        .expect("tmux.conf");
        Session {
            dir,
            socket,
            started: false,
            extra_env: Vec::new(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn env_vars(&self) -> [(String, PathBuf); 2] {
        [
            ("KEUKENTAFEL_CONFIG_DIR".into(), self.path("config")),
            ("KEUKENTAFEL_DATA_DIR".into(), self.path("data")),
        ]
    }

    /// `keukentafel demo --db DB --households N`, outside tmux.
    fn make_demo(&self, db: &Path, households: u32) {
        let output = Command::new(BIN)
            .args(["demo", "--db"])
            .arg(db)
            .args(["--households", &households.to_string()])
            .envs(self.env_vars())
            .env_remove("KEUKENTAFEL_DB")
            .output()
            .expect("run keukentafel demo");
        assert!(
            output.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .env_remove("TMUX")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Starts `keukentafel ARGS` in a new pane through a small script that writes the app's
    /// pid (`app.pid`) and, when it ends, its exit status (`app.status`). tmux's own
    /// `pane_dead_status` is not dependable: some tmux servers leave the pane's process
    /// unreaped, so the status never shows.
    fn start(&mut self, args: &[&str]) {
        let mut app = String::from("env -u KEUKENTAFEL_DB");
        for (name, value) in self.env_vars() {
            app.push_str(&format!(" {name}={}", quote(&value.display().to_string())));
        }
        for (name, value) in &self.extra_env {
            app.push_str(&format!(" {name}={}", quote(value)));
        }
        for word in std::iter::once(BIN).chain(args.iter().copied()) {
            app.push(' ');
            app.push_str(&quote(word));
        }
        let pid_file = quote(&self.path("app.pid").display().to_string());
        let status_file = quote(&self.path("app.status").display().to_string());
        // After the app: its status, then a marker line. When the marker is on the screen tmux
        // has processed everything the app wrote, while the pane is still alive (a dead pane
        // gets tmux's own treatment, such as a hidden cursor, which would hide the app's).
        let script = format!(
            "sh -c 'echo $$ > \"$0\"; exec \"$@\"' {pid_file} {app}\necho $? > {status_file}\necho {ENDED}\nsleep 60\n"
        );
        std::fs::write(self.path("run.sh"), script).expect("run.sh");
        let command = format!("sh {}", quote(&self.path("run.sh").display().to_string()));
        let conf = self.path("tmux.conf").display().to_string();
        let out = Command::new("tmux")
            .env_remove("TMUX")
            .args(["-L", &self.socket, "-f", &conf])
            .args([
                "new-session",
                "-d",
                "-s",
                "kt",
                "-x",
                "100",
                "-y",
                "30",
                &command,
            ])
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.started = true;
    }

    /// Types literal text.
    fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", "kt", "-l", text]);
        assert!(
            out.status.success(),
            "send-keys: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        sleep(Duration::from_millis(100));
    }

    /// Presses a named key (`Enter`, `Escape`, …) and lets it arrive on its own.
    fn press(&self, key: &str) {
        let out = self.tmux(&["send-keys", "-t", "kt", key]);
        assert!(
            out.status.success(),
            "send-keys: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        sleep(SETTLE);
    }

    /// The visible screen.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-J", "-t", "kt"]).stdout)
            .into_owned()
    }

    /// The screen plus everything in the pane's scrollback.
    fn screen_and_history(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "kt"])
                .stdout,
        )
        .into_owned()
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", "kt", format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Waits until the screen shows every one of `texts`; panics with the screen otherwise.
    fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("the screen did not show {texts:?} within {TIMEOUT:?}; it shows:\n{screen}");
            }
            sleep(Duration::from_millis(150));
        }
    }

    /// The app's process id.
    fn app_pid(&self) -> String {
        let pid = std::fs::read_to_string(self.path("app.pid")).unwrap_or_default();
        let pid = pid.trim().to_string();
        assert!(pid.parse::<u32>().is_ok(), "app.pid {pid:?}");
        pid
    }

    /// Waits for the app to end and tmux to have read all its output; returns the app's exit
    /// status.
    fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let status = std::fs::read_to_string(self.path("app.status")).unwrap_or_default();
            // The marker comes after the app's last byte, the restore included.
            if let Ok(code) = status.trim().parse()
                && self.screen().contains(ENDED)
            {
                return code;
            }
            if Instant::now() > deadline {
                panic!(
                    "keukentafel did not end within {TIMEOUT:?} (status {status:?}); the screen shows:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(150));
        }
    }

    /// After the app ended: the alternate screen is left and neither the screen nor the
    /// scrollback shows client data.
    fn assert_terminal_clean(&self) {
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "the alternate screen is still on"
        );
        assert_eq!(
            self.display("#{cursor_flag}"),
            "1",
            "the cursor is still hidden"
        );
        let all = self.screen_and_history();
        for secret in ["El Amrani", "Fatima", "Financiën"] {
            assert!(
                !all.contains(secret),
                "client data '{secret}' left in the terminal:\n{all}"
            );
        }
    }

    /// Waits until the app has taken the terminal over (the alternate screen is on). Generous:
    /// `--demo` first generates its database.
    fn wait_taken_over(&self) {
        let deadline = Instant::now() + 4 * TIMEOUT;
        while self.display("#{alternate_on}") != "1" {
            if Instant::now() > deadline {
                panic!(
                    "keukentafel did not take the terminal over within {TIMEOUT:?}:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(100));
        }
        sleep(Duration::from_millis(200));
    }

    /// A 300-household demo database, the app started on it, anna logged in at home.
    fn anna_on_a_demo(&mut self) -> PathBuf {
        let db = self.path("demo.db");
        self.make_demo(&db, 300);
        self.start(&["--db", &db.display().to_string()]);
        self.log_in_as_anna();
        db
    }

    /// Logs in as anna (demo password) and waits for home.
    fn log_in_as_anna(&self) {
        self.log_in_as("anna");
    }

    /// Logs in as a demo user (demo password) and waits for home.
    fn log_in_as(&self, user: &str) {
        self.wait_taken_over();
        self.type_text(user);
        self.press("Enter");
        self.type_text("demo");
        self.press("Enter");
        self.wait_for(&["Mijn huishoudens"]);
    }

    /// Opens the El Amrani family with the finder: `/`, `amr`, `Enter`. The demo's first
    /// household is always Fatima's family, and it comes first among the hits.
    fn open_el_amrani(&self) {
        self.type_text("/");
        self.type_text("amr");
        self.wait_for(&["El Amrani"]);
        self.press("Enter");
        self.wait_for(&["Financiën", "Fatima", "El Amrani"]);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.started {
            let _ = self.tmux(&["kill-server"]);
        }
    }
}

/// Single-quotes `text` for the shell tmux runs the command with.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[test]
fn a_visit_from_login_to_quit_leaves_no_client_data_in_the_terminal() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    s.anna_on_a_demo();
    s.open_el_amrani();
    s.press("Escape");
    s.wait_for(&["Mijn huishoudens"]);
    s.press("Escape");
    s.type_text("q");
    assert_eq!(s.wait_exit(), 0, "quitting exits with 0");
    s.assert_terminal_clean();
}

#[test]
fn a_contact_an_agreement_for_friday_and_a_full_zrm_are_in_the_database() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    let db = s.anna_on_a_demo();
    s.open_el_amrani();
    // The date the app uses, read before the keys so a run across midnight cannot differ.
    let today = chrono::Local::now().date_naive();

    s.type_text("c");
    s.wait_for(&["Contactmoment"]);
    s.press("Enter");
    s.wait_for(&["Opgeslagen: contactmoment"]);

    s.type_text("a");
    s.wait_for(&["Nieuwe afspraak"]);
    s.type_text("Fatima belt het budgetteam");
    s.press("Tab");
    s.type_text("vr");
    s.press("Enter");
    s.wait_for(&["Opgeslagen: afspraak"]);

    s.type_text("z");
    s.wait_for(&["vorige"]);
    s.type_text("..3..........");
    s.press("Enter");
    s.wait_for(&["Opgeslagen: ZRM-scores"]);

    s.press("Escape");
    s.wait_for(&["Mijn huishoudens"]);
    s.type_text("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_clean();

    let conn = rusqlite::Connection::open(&db).expect("open the database");
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let day = today.format("%Y-%m-%d").to_string();
    let friday = keukentafel::domain::dates::parse_date("vr", today)
        .expect("vr")
        .format("%Y-%m-%d")
        .to_string();
    let anna = "(SELECT id FROM user WHERE username = 'anna')";
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM contact WHERE contact_on = '{day}' AND recorded_by = {anna}"
        )),
        1
    );
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM agreement WHERE what = 'Fatima belt het budgetteam' AND due_on = '{friday}' AND who = 'client'"
        )),
        1
    );
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM zrm_assessment WHERE assessed_on = '{day}' AND assessed_by = {anna}"
        )),
        1
    );
}

#[test]
fn sigterm_logs_out_and_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    s.anna_on_a_demo();
    s.open_el_amrani();
    let pid = s.app_pid();
    let kill = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(kill.success());
    assert_eq!(s.wait_exit(), 128 + 15, "SIGTERM exits with 128 + 15");
    s.assert_terminal_clean();
}

#[test]
fn a_missing_database_is_explained_before_the_terminal_is_taken_over() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    let db = s.path("nergens.db");
    s.start(&["--db", &db.display().to_string()]);
    assert_eq!(s.wait_exit(), 1);
    // The message may have scrolled partly into the history when tmux sized the pane.
    let screen = s.screen_and_history();
    assert!(screen.contains("Er is geen database"), "{screen}");
    assert!(screen.contains("keukentafel init"), "{screen}");
    assert!(screen.contains("keukentafel --demo"), "{screen}");
    assert_eq!(s.display("#{alternate_on}"), "0");
    assert!(!db.exists(), "nothing is created");
}

#[test]
fn demo_flag_makes_the_demo_database_and_starts_on_it() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    s.start(&["--demo"]);
    s.wait_taken_over();
    assert!(s.path("data").join("keukentafel-demo.db").exists());
    s.log_in_as_anna();
    s.type_text("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_clean();
}

#[test]
fn demo_flag_with_a_command_is_refused() {
    let s = Session::new();
    let output = Command::new(BIN)
        .args(["--demo", "team", "list"])
        .envs(s.env_vars())
        .env_remove("KEUKENTAFEL_DB")
        .output()
        .expect("run keukentafel");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--demo start de terminal-app"), "{stderr}");
}

#[test]
fn demo_flag_without_a_terminal_creates_nothing() {
    let s = Session::new();
    let output = Command::new(BIN)
        .arg("--demo")
        .envs(s.env_vars())
        .env_remove("KEUKENTAFEL_DB")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run keukentafel");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("heeft een terminal nodig"), "{stderr}");
    assert!(!s.path("data").join("keukentafel-demo.db").exists());
}

#[test]
fn closing_the_terminal_ends_the_app() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    let db = s.path("demo.db");
    s.make_demo(&db, 300);
    s.start(&["--db", &db.display().to_string()]);
    s.log_in_as_anna();
    let pid = s.app_pid();
    // Killing the server closes the pane's terminal under the app (like closing a window).
    s.tmux(&["kill-server"]);
    let stat = format!("/proc/{pid}/stat");
    let deadline = Instant::now() + TIMEOUT;
    // Ended means gone, or a zombie when nobody reaps orphans (as in some containers).
    while std::fs::read_to_string(&stat).is_ok_and(|st| !st.contains(") Z ")) {
        assert!(
            Instant::now() < deadline,
            "keukentafel {pid} still runs after its terminal closed"
        );
        sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_panic_restores_the_terminal_and_names_a_private_crash_report_without_client_data() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    let db = s.path("demo.db");
    s.make_demo(&db, 300);
    s.extra_env
        .push(("KEUKENTAFEL_TEST_PANIC".into(), "1".into()));
    s.start(&["--db", &db.display().to_string()]);
    s.log_in_as_anna();
    s.open_el_amrani();
    // The test hook panics on F12 with client text in the panic message.
    s.press("F12");
    assert_eq!(s.wait_exit(), 101, "a panic exits with 101");
    s.assert_terminal_clean();
    let all = s.screen_and_history();
    assert!(all.contains("onverwacht gestopt"), "{all}");
    assert!(
        !all.contains("111222333"),
        "the panic message leaked:\n{all}"
    );

    let data = s.path("data");
    let reports: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("data dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .collect();
    assert_eq!(reports.len(), 1, "one crash report in {}", data.display());
    let report = &reports[0];
    assert!(
        all.contains(&report.display().to_string()),
        "the message names {}:\n{all}",
        report.display()
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(report)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the crash report is private");
    let text = std::fs::read_to_string(report).expect("read the report");
    assert!(text.contains("version: "), "{text}");
    assert!(text.contains("location: src/tui/terminal.rs"), "{text}");
    assert!(text.contains("backtrace:"), "{text}");
    for secret in ["Fatima", "El Amrani", "111222333"] {
        assert!(
            !text.contains(secret),
            "client data '{secret}' in the crash report:\n{text}"
        );
    }
}

#[test]
fn a_100_kb_paste_lands_in_the_field_and_the_keys_typed_after_it_arrive_in_order_at_once() {
    if !tmux_available() {
        return;
    }
    let mut s = Session::new();
    s.anna_on_a_demo();
    s.open_el_amrani();
    let today = chrono::Local::now().date_naive();
    s.type_text("a");
    s.wait_for(&["Nieuwe afspraak"]);
    // 100 KB with newlines and an escape sequence: text for the field, never keys (a pasted
    // "s" would open samen kijken, a pasted Esc would close the form).
    let line = "Fatima belt het budgetteam over de schulden s\n";
    let mut big = String::from("\u{1b}[2J");
    while big.len() < 100_000 {
        big.push_str(line);
    }
    let file = s.path("paste.txt");
    std::fs::write(&file, &big).expect("paste file");
    let out = s.tmux(&["load-buffer", "-b", "big", &file.display().to_string()]);
    assert!(out.status.success(), "load-buffer");
    let out = s.tmux(&["paste-buffer", "-p", "-d", "-b", "big", "-t", "kt"]);
    assert!(out.status.success(), "paste-buffer");
    let sent = Instant::now();
    for keys in [&["Tab"][..], &["-l", "+3d"][..]] {
        let mut args = vec!["send-keys", "-t", "kt"];
        args.extend_from_slice(keys);
        assert!(s.tmux(&args).status.success());
    }
    let expected = keukentafel::domain::dates::format_date(today + chrono::Duration::days(3));
    let screen = s.wait_for(&["tekens bewaard", &expected]);
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "the keys after the paste took {took:?} to show"
    );
    assert!(
        screen.contains("Nieuwe afspraak"),
        "the form is still open:\n{screen}"
    );
    assert!(
        !screen.contains("Samen kijken"),
        "a pasted s is no command:\n{screen}"
    );
    assert!(screen.contains("stuurtekens weggelaten"), "{screen}");
    s.press("Enter");
    s.wait_for(&["Opgeslagen: afspraak"]);
    s.press("Escape");
    s.wait_for(&["Mijn huishoudens"]);
    s.type_text("q");
    assert_eq!(s.wait_exit(), 0);
}

/// The README's team server, end to end: a demo database on the PostgreSQL test server, two
/// terminals as two colleagues of one team, and each sees the other's save once the household
/// is opened again.
#[cfg(feature = "postgres")]
#[test]
fn two_terminals_on_one_server_see_each_others_saves() {
    if !tmux_available() {
        return;
    }
    let Some(server) = crate::common::pg_server() else {
        return;
    };
    let scratch = keukentafel::store::postgres::testing::Scratch::new(&server).unwrap();
    let url = scratch.url().secret().to_string();
    let mut anna = Session::new();
    let made = Command::new(BIN)
        .args(["--db", &url, "demo", "--households", "60"])
        .envs(anna.env_vars())
        .env_remove("KEUKENTAFEL_DB")
        .output()
        .expect("run keukentafel demo");
    assert!(
        made.status.success(),
        "demo on the server: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let mut fenna = Session::new();
    anna.start(&["--db", &url]);
    fenna.start(&["--db", &url]);
    anna.log_in_as("anna");
    fenna.log_in_as("fenna");

    let add_agreement = |s: &Session, what: &str| {
        s.type_text("a");
        s.wait_for(&["Nieuwe afspraak"]);
        s.type_text(what);
        s.press("Tab");
        s.type_text("vr");
        s.press("Enter");
        s.wait_for(&["Opgeslagen: afspraak"]);
    };
    anna.open_el_amrani();
    add_agreement(&anna, "Fatima belt het budgetteam");
    // Fenna, at another workstation, opens the same household: Anna's save is there.
    fenna.open_el_amrani();
    fenna.wait_for(&["Fatima belt het budgetteam"]);
    add_agreement(&fenna, "Fenna belt de verhuurder");
    // Anna goes home and opens it again: Fenna's save is there.
    anna.press("Escape");
    anna.wait_for(&["Mijn huishoudens"]);
    anna.open_el_amrani();
    anna.wait_for(&["Fenna belt de verhuurder", "Fatima belt het budgetteam"]);
    for s in [&anna, &fenna] {
        s.press("Escape");
        s.wait_for(&["Mijn huishoudens"]);
        s.type_text("q");
    }
    assert_eq!(anna.wait_exit(), 0);
    assert_eq!(fenna.wait_exit(), 0);
    // Both saves in the server's chain, which is whole.
    let check = Command::new(BIN)
        .args(["--db", &url, "check"])
        .envs(anna.env_vars())
        .env_remove("KEUKENTAFEL_DB")
        .output()
        .expect("run keukentafel check");
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("keten ongebroken"),
        "check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
}
