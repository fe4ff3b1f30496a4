//! Choosing a backend and moving between them: `--db` with a server URL, a mistyped address,
//! `backup`/`restore` on a server, `migrate --to`, and the workstation over SSH.

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use tempfile::TempDir;

#[allow(unused_imports)]
use crate::common::*;

/// The binary in an installation of its own (config and data in `dir`).
fn cmd(dir: &Path) -> Command {
    let mut cmd = keukentafel(dir);
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn a_mistyped_server_address_never_becomes_a_file() {
    let dir = TempDir::new().unwrap();
    for typo in [
        "postgress://kt@db.gemeente.nl/keukentafel",
        "postgres:/kt@db/keukentafel",
        "postgresql:keukentafel",
    ] {
        cmd(dir.path())
            .args([
                "--db",
                typo,
                "--password-stdin",
                "init",
                "--admin",
                "beheer",
            ])
            .write_stdin("beheerder-wachtwoord\n")
            .assert()
            .failure()
            .stderr(contains("is geen databaseadres dat ik ken"));
    }
    // Nothing was made anywhere in the installation or the working directory.
    let made: Vec<_> = walk(dir.path());
    assert!(made.is_empty(), "files made: {made:?}");

    // The same typo in config.toml is refused with its file and line.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/config.toml"),
        "language = \"nl\"\ndatabase = \"postgress://db/kt\"\n",
    )
    .unwrap();
    cmd(dir.path())
        .arg("check")
        .assert()
        .failure()
        .stderr(contains("config.toml, regel 2"))
        .stderr(contains("geen databaseadres"));
}

/// Every file under `dir`, but the config file the test wrote itself.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn the_workstation_over_ssh_is_the_clients_address() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("team.db");
    cmd(dir.path())
        .env("SSH_CONNECTION", "10.20.30.40 52114 10.0.0.5 22")
        .args([
            "--db",
            db.to_str().unwrap(),
            "--password-stdin",
            "init",
            "--admin",
            "beheer",
        ])
        .write_stdin("beheerder-wachtwoord\n")
        .assert()
        .success();
    // The trail request is audited itself: the second shows the first, with its workstation.
    let trail = || {
        let mut c = cmd(dir.path());
        c.env("SSH_CONNECTION", "10.20.30.40 52114 10.0.0.5 22")
            .args([
                "--db",
                db.to_str().unwrap(),
                "--user",
                "beheer",
                "--password-stdin",
            ])
            .args(["audit", "--of-user", "beheer"])
            .write_stdin("beheerder-wachtwoord\n");
        c
    };
    trail().assert().success();
    trail()
        .assert()
        .success()
        .stdout(contains("ssh:10.20.30.40"));
    // Without SSH it is this machine's name, as before.
    assert!(!keukentafel::auth::workstation_from(None).starts_with("ssh:"));
    assert_eq!(
        keukentafel::auth::workstation_from(Some("2001:db8::7 4000 2001:db8::1 22")),
        "ssh:2001:db8::7"
    );
    assert!(!keukentafel::auth::workstation_from(Some("garbage")).starts_with("ssh:"));
}

#[cfg(feature = "postgres")]
mod on_a_server {
    use super::*;

    /// A fresh server database (dropped with the guard) and its URL.
    fn server_db() -> Option<(keukentafel::store::postgres::testing::Scratch, String)> {
        let server = pg_server()?;
        let scratch = keukentafel::store::postgres::testing::Scratch::new(&server).unwrap();
        let url = scratch.url().secret().to_string();
        Some((scratch, url))
    }

    #[test]
    fn backup_and_restore_on_a_server_name_the_servers_own_tools() {
        let Some((_scratch, url)) = server_db() else {
            return;
        };
        let dir = TempDir::new().unwrap();
        cmd(dir.path())
            .args([
                "--db",
                &url,
                "--password-stdin",
                "init",
                "--admin",
                "beheer",
            ])
            .write_stdin("beheerder-wachtwoord\n")
            .assert()
            .success()
            .stdout(contains("Database gemaakt"));
        for args in [vec!["backup", "kopie.db"], vec!["restore", "kopie.db"]] {
            cmd(dir.path())
                .args(["--db", &url, "--user", "beheer", "--password-stdin"])
                .args(&args)
                .write_stdin("beheerder-wachtwoord\n")
                .assert()
                .failure()
                .stderr(contains("pg_dump en pg_restore"));
        }
        assert!(!dir.path().join("kopie.db").exists());
        cmd(dir.path())
            .args(["--db", &url, "check"])
            .assert()
            .success()
            .stdout(contains("keten ongebroken"));
    }

    #[test]
    fn migrate_copies_a_demo_file_whole_and_only_into_an_empty_database() {
        let Some((_scratch, url)) = server_db() else {
            return;
        };
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("demo.db");
        let file = file.to_str().unwrap();
        cmd(dir.path())
            .args(["--db", file, "demo", "--households", "2000"])
            .assert()
            .success();
        let login = ["--db", file, "--user", "beheer", "--password-stdin"];
        cmd(dir.path())
            .args(login)
            .args(["migrate", "--to", &url])
            .write_stdin("demo\n")
            .assert()
            .success()
            .stdout(contains("2000 huishoudens"))
            .stdout(contains("alle aantallen gelijk, keten ongebroken"));
        cmd(dir.path())
            .args(["--db", &url, "check"])
            .assert()
            .success()
            .stdout(contains("keten ongebroken"));
        // The same households on both sides, through the store.
        let source = keukentafel::store::open(
            &keukentafel::store::location::Location::parse(file).unwrap(),
            clock(),
        )
        .unwrap();
        let target = keukentafel::store::open(
            &keukentafel::store::location::Location::parse(&url).unwrap(),
            clock(),
        )
        .unwrap();
        assert_eq!(
            source.household_count().unwrap(),
            target.household_count().unwrap()
        );
        // A second migrate to the same database is refused, and changes nothing there.
        cmd(dir.path())
            .args(login)
            .args(["migrate", "--to", &url])
            .write_stdin("demo\n")
            .assert()
            .failure()
            .stderr(contains("is niet leeg"));
        assert_eq!(target.household_count().unwrap(), 2000);
    }

    #[test]
    fn a_migrate_that_fails_halfway_leaves_the_server_database_empty() {
        let Some((_scratch, url)) = server_db() else {
            return;
        };
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("demo.db");
        let file = file.to_str().unwrap();
        cmd(dir.path())
            .args(["--db", file, "demo", "--households", "50"])
            .assert()
            .success();
        // A value the server's column types refuse, late in the copy (contacts come after
        // households, members, assessments and agreements).
        let raw = rusqlite::Connection::open(file).unwrap();
        raw.execute(
            "UPDATE contact SET contact_on = 'gisteren' WHERE id = (SELECT max(id) FROM contact)",
            [],
        )
        .unwrap();
        drop(raw);
        cmd(dir.path())
            .args(["--db", file, "--user", "beheer", "--password-stdin"])
            .args(["migrate", "--to", &url])
            .write_stdin("demo\n")
            .assert()
            .failure();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let tables: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "the failed migrate left tables behind");
    }

    /// The same test database over TCP with TLS (`scripts/pg-test-server` writes the
    /// address beside its socket), and the certificate authority that signed the server.
    fn over_tls(url: &str) -> (String, std::path::PathBuf) {
        let host = url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("host="))
            .expect("the test server's socket directory");
        let dir = Path::new(host);
        let base = std::fs::read_to_string(dir.join("tls-url"))
            .expect("tls-url beside the test server: start it with scripts/pg-test-server");
        let name = url
            .split_once("@/")
            .and_then(|(_, rest)| rest.split('?').next())
            .expect("a database name");
        (
            format!("{}/{name}?sslmode=require", base.trim()),
            dir.join("tls").join("ca.pem"),
        )
    }

    #[test]
    fn sslmode_require_verifies_the_servers_certificate() {
        let Some((_scratch, url)) = server_db() else {
            return;
        };
        let (tls, ca) = over_tls(&url);
        let dir = TempDir::new().unwrap();
        // Signed by a certificate authority of the municipality's own that this workstation
        // was not told about: refused, with what to do, and nothing made.
        cmd(dir.path())
            .args([
                "--db",
                &tls,
                "--password-stdin",
                "init",
                "--admin",
                "beheer",
            ])
            .env_remove("PGSSLROOTCERT")
            .write_stdin("beheerder-wachtwoord\n")
            .assert()
            .failure()
            .stderr(contains("is niet te vertrouwen"))
            .stderr(contains("PGSSLROOTCERT"));
        cmd(dir.path())
            .args(["--db", &url, "check"])
            .assert()
            .failure()
            .stderr(contains("keukentafel init"));
        // With that authority's certificate: the whole conversation runs over TLS.
        cmd(dir.path())
            .args([
                "--db",
                &tls,
                "--password-stdin",
                "init",
                "--admin",
                "beheer",
            ])
            .env("PGSSLROOTCERT", &ca)
            .write_stdin("beheerder-wachtwoord\n")
            .assert()
            .success()
            .stdout(contains("Database gemaakt"));
        cmd(dir.path())
            .args(["--db", &tls, "check"])
            .env("PGSSLROOTCERT", &ca)
            .assert()
            .success()
            .stdout(contains("keten ongebroken"));
    }
}
