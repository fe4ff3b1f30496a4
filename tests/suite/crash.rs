//! Crash test: a child process saves registrations and prints each id the moment its save
//! returns; the test kills it with SIGKILL at random moments, many times over. Afterwards the
//! database passes `keukentafel check` and holds every id a child printed.

use crate::processes;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assert_cmd::Command as BinCommand;
use predicates::str::contains;
use processes::*;

/// Kill rounds.
const ROUNDS: usize = 25;

/// A small xorshift generator; the seed is printed so a failing run can be repeated
/// (`KEUKENTAFEL_CRASH_SEED`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
#[ignore = "the child process of the crash test; started by it"]
fn crash_child() {
    child_saves();
}

#[test]
fn saves_survive_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("k.db");
    killed_while_saving(db.to_str().unwrap(), ROUNDS, dir.path());
}

/// On a server: the workstation's process is killed in the middle of saves; every save it
/// reported is on the server (its transaction committed) and the chain is sound.
#[test]
fn saves_on_a_server_survive_sigkill_of_the_workstation() {
    let Some(server) = server_database() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    killed_while_saving(&server.arg(), 12, dir.path());
}

fn killed_while_saving(db: &str, rounds: usize, dir: &std::path::Path) {
    let (household, person) = small_database(db);
    let seed = std::env::var("KEUKENTAFEL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let env = [
        (ENV_DB, db.to_string()),
        (ENV_HOUSEHOLD, household.to_string()),
        (ENV_PERSON, person.to_string()),
    ];

    let mut saved = Vec::new();
    let mut rounds_with_saves = 0;
    for round in 0..rounds {
        let mut child = child("crash::crash_child", &env)
            .spawn()
            .expect("start the child");
        // The child's output, read as it comes (its first save is the signal below).
        let mut stdout = child.stdout.take().expect("the child's stdout");
        let (first_save, saving) = std::sync::mpsc::channel::<()>();
        let reader = std::thread::spawn(move || {
            use std::io::Read;
            let mut all = Vec::new();
            let mut buf = [0u8; 4096];
            let mut signalled = false;
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&buf[..n]);
                if !signalled && String::from_utf8_lossy(&all).contains("saved ") {
                    signalled = first_save.send(()).is_ok();
                }
            }
            all
        });
        // Every fourth round at a random moment from the start (often while it opens the
        // database); the others in the middle of the saving, however slowly the machine
        // starts the child.
        let delay = if round % 4 == 3 {
            Duration::from_millis(20 + rng.next() % 480)
        } else {
            let _ = saving.recv_timeout(Duration::from_secs(30));
            Duration::from_millis(rng.next() % 200)
        };
        std::thread::sleep(delay);
        let started = Instant::now();
        child.kill().expect("SIGKILL the child");
        let mut output = child.wait_with_output().expect("collect the child");
        output.stdout = reader.join().expect("the reader thread");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the child did not die"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("\nerror ")
                && !stderr.contains("panicked"),
            "round {round}: a save failed before the kill:\n{stderr}"
        );
        let ids = saved_ids(&output.stdout);
        if !ids.is_empty() {
            rounds_with_saves += 1;
        }
        saved.extend(ids);
        // The database opens after every kill (WAL recovery) and nothing printed is lost.
        let lost = missing(db, &saved);
        assert!(
            lost.is_empty(),
            "round {round} (seed {seed}): lost {lost:?}"
        );
    }
    assert!(
        rounds_with_saves >= rounds / 2,
        "too few rounds got to save ({rounds_with_saves} of {rounds}); the test proves little"
    );
    let location = keukentafel::store::location::Location::parse(db).expect("location");
    let report = keukentafel::store::open(
        &location,
        std::sync::Arc::new(keukentafel::clock::SystemClock),
    )
    .expect("open")
    .check()
    .expect("check");
    assert!(report.is_sound(), "{report:?}");
    BinCommand::cargo_bin("keukentafel")
        .expect("binary")
        .env("KEUKENTAFEL_CONFIG_DIR", dir.join("config"))
        .env("KEUKENTAFEL_DATA_DIR", dir.join("data"))
        .arg("--db")
        .arg(db)
        .arg("check")
        .assert()
        .success()
        .stdout(contains("In orde"));
    assert!(missing(db, &saved).is_empty());
    eprintln!(
        "{} saves printed in {rounds_with_saves} of {rounds} killed runs, all present",
        saved.len()
    );
}
