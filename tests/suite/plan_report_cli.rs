//! `keukentafel plan` and `keukentafel report` as a user runs them: output, files, and clear
//! Dutch refusals that leave nothing behind; on every backend.

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

use crate::common::{Cli, Db, each_backend};

/// A demo database with 40 households on `db`.
fn demo(db: &Db) -> Cli<'_> {
    let cli = Cli::on(db);
    cli.demo(40, 1);
    cli
}

/// The binary as `user` (password `demo` on stdin), never touching a real home.
fn as_(cli: &Cli, user: &str) -> Command {
    cli.as_user(user, &["demo"], &[])
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn anna_prints_the_plan_as_text_and_saves_html_and_pdf() {
    each_backend(|db| {
        let env = demo(db);
        let out = as_(&env, "anna")
            .args(["plan", "1"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("HET PLAN VAN FAM. EL AMRANI"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 80));
        for (format, magic) in [("html", "<!DOCTYPE html>"), ("pdf", "%PDF-")] {
            let file = env.path(&format!("plan.{format}"));
            as_(&env, "anna")
                .args(["plan", "1", "--format", format, "-o"])
                .arg(&file)
                .assert()
                .success()
                .stderr(contains("Plan opgeslagen"));
            let bytes = std::fs::read(&file).unwrap();
            assert!(bytes.starts_with(magic.as_bytes()), "{format}");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{format}");
            }
        }
    });
}

#[test]
fn a_plan_to_a_missing_directory_fails_and_leaves_nothing() {
    each_backend(|db| {
        let env = demo(db);
        let before = files_in(env.root());
        as_(&env, "anna")
            .args(["plan", "1", "--format", "pdf", "-o"])
            .arg(env.path("bestaat-niet/plan.pdf"))
            .assert()
            .failure()
            .stderr(contains("Kan "))
            .stderr(contains("niet schrijven"));
        assert_eq!(files_in(env.root()), before);
    });
}

#[test]
fn a_household_of_another_team_is_not_found() {
    each_backend(|db| {
        let env = demo(db);
        as_(&env, "bram")
            .args(["plan", "1"])
            .assert()
            .failure()
            .stderr(contains("Huishouden 1 niet gevonden."));
        as_(&env, "anna")
            .args(["plan", "abc"])
            .assert()
            .failure()
            .stderr(contains("is geen huishoudnummer"));
    });
}

#[test]
fn print_without_a_printer_says_so() {
    each_backend(|db| {
        let env = demo(db);
        let empty = env.path("lege-bin");
        std::fs::create_dir_all(&empty).unwrap();
        as_(&env, "anna")
            .env("PATH", &empty)
            .args(["plan", "1", "--print"])
            .assert()
            .failure()
            .stderr(contains("Er is geen printer op deze computer"));
    });
}

#[test]
fn dirk_gets_his_teams_figures_as_table_csv_and_json() {
    each_backend(|db| {
        let env = demo(db);
        let table = as_(&env, "dirk")
            .args(["report", "--from", "1-1-2026", "--to", "31-12-2026"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let table = String::from_utf8(table).unwrap();
        assert!(table.contains("Stuurcijfers Overvecht"), "{table}");
        assert!(
            table.contains("<5"),
            "a small demo has small cells: {table}"
        );
        assert!(
            !table.contains("Fam. "),
            "no household in a report: {table}"
        );
        let csv = env.path("cijfers.csv");
        as_(&env, "dirk")
            .args([
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--format",
                "csv",
                "-o",
            ])
            .arg(&csv)
            .assert()
            .success();
        let csv = std::fs::read_to_string(&csv).unwrap();
        assert!(csv.starts_with("section,row,column,value,suppressed\n"));
        let json = as_(&env, "dirk")
            .args([
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--format",
                "json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(json["scope"], "Overvecht");
    });
}

#[test]
fn bad_report_requests_fail_clearly_and_write_nothing() {
    each_backend(|db| {
        let env = demo(db);
        let before = files_in(env.root());
        as_(&env, "dirk")
            .args(["report", "--from", "2026-12-31", "--to", "2026-01-01"])
            .assert()
            .failure()
            .stderr(contains("ligt vóór de begindatum"));
        as_(&env, "beheer")
            .args([
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--team",
                "Atlantis",
            ])
            .assert()
            .failure()
            .stderr(contains("Team 'Atlantis' niet gevonden."));
        as_(&env, "dirk")
            .args([
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--team",
                "Zuid",
            ])
            .assert()
            .failure()
            .stderr(contains("Dat mag je niet"));
        as_(&env, "dirk")
            .args(["report", "--from", "2026-01-01", "--to", "2026-12-31", "-o"])
            .arg(env.path("nergens/cijfers.csv"))
            .assert()
            .failure()
            .stderr(contains("niet schrijven"));
        assert_eq!(files_in(env.root()), before);
    });
}

#[cfg(unix)]
#[test]
fn print_sends_a_pdf_to_lp() {
    use std::os::unix::fs::PermissionsExt;
    each_backend(|db| {
        let env = demo(db);
        let bin = env.path("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let printed = env.path("printed.pdf");
        let lp = bin.join("lp");
        std::fs::write(
            &lp,
            format!("#!/bin/sh\n/bin/cp \"$1\" '{}'\n", printed.display()),
        )
        .unwrap();
        std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).unwrap();
        as_(&env, "anna")
            .env("PATH", &bin)
            .args(["plan", "1", "--print"])
            .assert()
            .success()
            .stderr(contains("naar de printer gestuurd"));
        let pdf = std::fs::read(&printed).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    });
}
