//! Nothing left behind, nothing unbounded: every input has a limit with a Dutch message, a
//! backup writes only to a new path, a killed backup leaves no copy for long, and a full disk
//! says so while reads keep working.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self) -> Command {
        crate::common::keukentafel(self.dir.path())
    }

    /// A demo database (password `demo` for every account).
    fn demo(&self, name: &str) -> PathBuf {
        let db = self.path(name);
        self.cmd()
            .args(["demo", "--households", "3", "--db"])
            .arg(&db)
            .assert()
            .success();
        db
    }

    fn as_user(&self, db: &Path, user: &str, password: &str, args: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--db")
            .arg(db)
            .args(["--user", user, "--password-stdin"])
            .args(args)
            .write_stdin(format!("{password}\n"));
        cmd
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

#[test]
fn a_password_longer_than_1024_characters_is_refused_in_dutch_and_makes_nothing() {
    let env = Env::new();
    let db = env.path("k.db");
    let long = "a".repeat(1100);
    env.cmd()
        .arg("--db")
        .arg(&db)
        .args(["init", "--admin", "beheer", "--password-stdin"])
        .write_stdin(format!("{long}\n"))
        .assert()
        .failure()
        .stderr(contains("Het wachtwoord is te lang: meer dan 1024 tekens"));
    assert!(!db.exists(), "no database made");
    // At login too, also for a line without an end.
    let db = env.demo("demo.db");
    let mut login = env.cmd();
    login
        .arg("--db")
        .arg(&db)
        .args(["--user", "beheer", "--password-stdin", "team", "list"])
        .write_stdin("b".repeat(100_000));
    login.assert().failure().stderr(contains("te lang"));
}

#[test]
fn an_import_line_longer_than_any_valid_line_is_refused_and_not_echoed() {
    let env = Env::new();
    let db = env.demo("demo.db");
    let file = env.path("signalen.csv");
    fs::write(
        &file,
        format!(
            "bsn;signaal;sinds;bron\n111222333;{};01-01-2026;test\n",
            "x".repeat(3000)
        ),
    )
    .expect("write");
    let err =
        crate::common::fail(env.as_user(&db, "carla", "demo", &["import", "flags", text(&file)]));
    assert!(err.contains("Regel 2 is langer dan 2000 tekens"), "{err}");
    assert!(!err.contains("111222333"), "the row is never echoed: {err}");
}

#[test]
fn an_import_from_a_device_stops_at_the_size_limit() {
    let env = Env::new();
    let db = env.demo("demo.db");
    env.as_user(&db, "carla", "demo", &["import", "flags", "/dev/zero"])
        .assert()
        .failure()
        .stderr(contains("een importbestand mag hoogstens 67 MB zijn"));
}

#[test]
fn demo_refuses_more_than_ten_million_households() {
    let env = Env::new();
    env.cmd()
        .args(["demo", "--households", "10000001", "--db"])
        .arg(env.path("d.db"))
        .assert()
        .failure()
        .stderr(contains("10000000"));
    assert!(!env.path("d.db").exists());
}

#[test]
fn backup_writes_only_to_a_new_path_never_through_a_link_or_into_a_device() {
    let env = Env::new();
    let db = env.demo("demo.db");
    let elsewhere = env.path("elders.db");
    let link = env.path("koppeling.db");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
    for target in [text(&link), "/dev/null"] {
        env.as_user(&db, "beheer", "demo", &["backup", target])
            .assert()
            .failure()
            .stderr(contains("geen gewoon bestand"));
    }
    assert!(!elsewhere.exists(), "nothing written through the link");
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_copy_left_by_a_killed_backup_is_removed_by_the_next_one_and_the_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let db = env.demo("demo.db");
    let out = env.path("backups");
    let temp = out.join(".keukentafel-tmp");
    fs::create_dir_all(&temp).expect("dir");
    fs::set_permissions(&temp, fs::Permissions::from_mode(0o755)).expect("mode");
    // What a backup killed halfway leaves: a full copy of the database.
    fs::copy(&db, temp.join("b.db.backup-4242")).expect("stale copy");
    fs::write(temp.join("b.db.backup-4242-journal"), "x").expect("stale journal");
    let target = out.join("b.db");
    env.as_user(&db, "beheer", "demo", &["backup", text(&target)])
        .assert()
        .success();
    assert!(!temp.exists(), "the stale copy and its folder are gone");
    let mut names: Vec<String> = fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["b.db", "b.db.ketenkop", "b.db.ketensleutel"]);
    // And a restore cleans up beside the database in the same way.
    let stale = env.path(".keukentafel-tmp");
    fs::create_dir_all(&stale).expect("dir");
    fs::copy(&db, stale.join("demo.db.restore-4242")).expect("stale copy");
    env.as_user(
        &db,
        "beheer",
        "demo",
        &["restore", text(&target), "--force"],
    )
    .assert()
    .success();
    assert!(!stale.exists(), "the stale restore copy is gone");
}

#[test]
fn a_full_disk_reads_de_schijf_is_vol_and_reads_keep_working() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let db = env.demo("demo.db");
    // A colleague's open connection keeps the shared-memory file; the WAL is emptied, so any
    // save has to grow a file.
    let holder = rusqlite::Connection::open(&db).expect("open");
    holder
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let before = fs::read(&db).expect("bytes");
    let full = |args: &[&str]| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("keukentafel"));
        cmd.current_dir(env.dir.path())
            .env("KEUKENTAFEL_CONFIG_DIR", env.path("config"))
            .env("KEUKENTAFEL_DATA_DIR", env.path("data"))
            .env_remove("KEUKENTAFEL_DB")
            .arg("--db")
            .arg(&db)
            .args(["--user", "beheer", "--password-stdin"])
            .args(args);
        // SAFETY: between fork and exec only async-signal-safe calls: no file may grow by a
        // byte (as on a full disk), and the signal that limit sends is ignored, so a write
        // fails with an error instead of killing the process.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: 1,
                    rlim_max: 1,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut cmd = Command::from_std(cmd);
        cmd.write_stdin("demo\n");
        cmd
    };
    full(&["team", "add", "Nieuw"])
        .assert()
        .failure()
        .stderr(contains("De schijf is vol: er is niets opgeslagen"));
    full(&["team", "list"])
        .assert()
        .success()
        .stdout(contains("Overvecht"));
    drop(holder);
    assert_eq!(
        fs::read(&db).expect("bytes"),
        before,
        "the file is as it was"
    );
    env.as_user(&db, "beheer", "demo", &["team", "list"])
        .assert()
        .success()
        .stdout(contains("Nieuw").not());
}

use predicates::prelude::PredicateBooleanExt;
