//! The first frame after login for every role, through the real binary in tmux on the bench
//! database: from the Enter that sends the password until the role's home is on the screen,
//! and (where home fills in later) until its figures are. The baseline is the same login's
//! password check and session alone (`Store::authenticate` in this process), which the time to
//! the first frame includes. Needs tmux. Run with
//! `cargo bench --bench first_frame --features bench-baselines`.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::*;
use keukentafel::store::Store;

/// Logins per role.
const SAMPLES: usize = 10;
/// The app under test: the release binary of this build.
const BIN: &str = env!("CARGO_BIN_EXE_keukentafel");

/// A role's demo account, what its home's first frame shows, and what shows once its figures
/// are in (`None`: the first frame has them).
const ROLES: [(&str, &str, &str, Option<&str>); 4] = [
    ("professional", "anna", "Mijn huishoudens", None),
    ("backoffice", "carla", "Werklijsten", Some("geselecteerd")),
    ("teamleider", "dirk", "Stuurcijfers", Some("◀ 1/")),
    ("beheerder", "beheer", "Stuurcijfers", Some("◀ 1/")),
];

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .env_remove("TMUX")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux (the first-frame bench needs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "kt"]).stdout).into_owned()
    }

    /// Polls the screen until it shows `text`; the time it first did, measured from `since`.
    fn wait_for(&self, text: &str, since: Instant) -> Duration {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if self.screen().contains(text) {
                return since.elapsed();
            }
            assert!(
                Instant::now() < deadline,
                "waited 120 s for {text:?}:\n{}",
                self.screen()
            );
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn max(samples: &[Duration]) -> Duration {
    samples.iter().copied().max().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One login of `user` in a fresh app: (first frame of home, figures in).
fn login(db: &Path, n: usize, user: &str, first: &str, full: Option<&str>) -> (Duration, Duration) {
    let tmux = Tmux {
        socket: format!("kt-bench-{}-{n}", std::process::id()),
    };
    let home = tempfile::tempdir().expect("a home for the app");
    let home = home.path();
    std::fs::create_dir_all(home.join("config")).expect("config dir");
    std::fs::create_dir_all(home.join("data")).expect("data dir");
    let command = format!(
        "env -u KEUKENTAFEL_DB KEUKENTAFEL_CONFIG_DIR='{}' KEUKENTAFEL_DATA_DIR='{}' '{BIN}' --db '{}'",
        home.join("config").display(),
        home.join("data").display(),
        db.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "kt",
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    assert!(
        out.status.success(),
        "tmux: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux.wait_for("Gebruikersnaam", Instant::now());
    tmux.run(&["send-keys", "-t", "kt", "-l", user]);
    tmux.run(&["send-keys", "-t", "kt", "Enter"]);
    tmux.run(&["send-keys", "-t", "kt", "-l", "demo"]);
    // Let the password field take the text before the clock starts.
    std::thread::sleep(Duration::from_millis(100));
    let sent = Instant::now();
    tmux.run(&["send-keys", "-t", "kt", "Enter"]);
    let first_frame = tmux.wait_for(first, sent);
    let figures = match full {
        Some(text) => tmux.wait_for(text, sent),
        None => first_frame,
    };
    // The app logs out when its terminal goes (SIGHUP): let it, so the next login does not
    // meet its last write.
    let _ = tmux.run(&["kill-server"]);
    std::thread::sleep(Duration::from_millis(300));
    (first_frame, figures)
}

fn main() {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    println!(
        "role          user    first frame p50 / max   figures in p50 / max   login alone p50   frame - login p50"
    );
    for (role, user, first, full) in ROLES {
        // The baseline first, with no app running (its logout would compete for the lock).
        let mut alone = Vec::new();
        {
            let store = Store::open_with_clock(&copy.path, clock()).expect("open");
            for _ in 0..SAMPLES {
                let start = Instant::now();
                std::hint::black_box(
                    store
                        .authenticate(user, "demo", WORKSTATION)
                        .expect("login"),
                );
                alone.push(start.elapsed());
            }
        }
        let (mut frames, mut figures) = (Vec::new(), Vec::new());
        for n in 0..SAMPLES {
            let (frame, all) = login(&copy.path, n, user, first, full);
            frames.push(frame);
            figures.push(all);
        }
        let (frame50, login50) = (median(frames.clone()), median(alone));
        println!(
            "{role:<13} {user:<7} {:>8.1} / {:>6.1} ms   {:>8.1} / {:>6.1} ms   {:>8.1} ms        {:>6.1} ms",
            ms(frame50),
            ms(max(&frames)),
            ms(median(figures.clone())),
            ms(max(&figures)),
            ms(login50),
            ms(frame50.saturating_sub(login50))
        );
    }
}
