//! The world of the exchange tests: the privacy world plus a provider contracted for 02A05
//! and 45A01, and provisions in chosen states; and a runner for the real binary on it.

#![allow(dead_code)]

use std::path::Path;

pub use crate::privacy_world::*;
use assert_cmd::Command;

use keukentafel::domain::provision::{Financing, Frequency, Law, ProvisionFields, Unit};
use keukentafel::model::changes::Change;
use keukentafel::model::providers::ContractFields;
use keukentafel::model::worklists::BulkAction;

/// The AGB code of the test provider.
pub const AGB: &str = "73051234";

/// Registers "Buurtzorg Utrecht" with contracts for 02A05 (Wmo) and 45A01 (Jeugdwet).
pub fn contracted_provider(w: &mut World) -> i64 {
    let carla = w.carla.clone();
    let p = w
        .store
        .add_provider(&carla, "Buurtzorg Utrecht", AGB, Some("030 123 4567"))
        .unwrap();
    for (product, unit) in [("02A05", Unit::Uur), ("45A01", Unit::Uur)] {
        w.store
            .add_contract(
                &carla,
                p.id,
                &ContractFields {
                    product: product.into(),
                    tariff_cents: 6250,
                    unit,
                    valid_from: date(2026, 1, 1),
                    valid_to: None,
                },
            )
            .unwrap();
    }
    p.id
}

/// The Wmo request of the tests: 02A05, 3 hours a week, 01-12-2026 to 31-05-2027.
pub fn wmo(person: i64) -> ProvisionFields {
    ProvisionFields {
        person_id: person,
        law: Law::Wmo,
        category: "02".into(),
        product: "02A05".into(),
        provider_id: None,
        start_on: date(2026, 12, 1),
        end_on: Some(date(2027, 5, 31)),
        volume: 3,
        unit: Unit::Uur,
        frequency: Frequency::PerWeek,
        financing: Financing::Zin,
        eigen_bijdrage: true,
        motivation: Some("Overzicht in de administratie".into()),
    }
}

/// Anna requests `fields` for the Overvecht household; returns the provision id.
pub fn request(w: &mut World, fields: ProvisionFields) -> i64 {
    let h = w.overvecht_household;
    let anna = w.anna.clone();
    w.store
        .apply(&anna, h, &Change::RequestProvision(fields))
        .unwrap()
        .record_id
}

/// Carla grants `ids` (beschikking B-2026-1 of 23-11-2026).
pub fn grant(w: &mut World, ids: &[i64]) {
    let carla = w.carla.clone();
    w.store
        .bulk(
            &carla,
            ids,
            &BulkAction::Grant {
                on: today(),
                number: "B-2026-1".into(),
            },
        )
        .unwrap();
}

/// Carla assigns `ids` to `provider` on 24-11-2026.
pub fn assign(w: &mut World, ids: &[i64], provider: i64) {
    let carla = w.carla.clone();
    w.store
        .bulk(
            &carla,
            ids,
            &BulkAction::Assign {
                provider_id: provider,
                on: date(2026, 11, 24),
            },
        )
        .unwrap();
}

/// The binary on this world's database as `user`, in `dir`, with its own config directory.
pub fn cli(w: &World, user: &str, dir: &Path) -> Command {
    let mut cmd = crate::common::keukentafel(dir);
    // The world's config and data directories, wherever the command runs.
    cmd.env("KEUKENTAFEL_CONFIG_DIR", w.db.dir.path().join("config"))
        .env("KEUKENTAFEL_DATA_DIR", w.db.dir.path().join("data"))
        .arg("--db")
        .arg(w.db.arg())
        .arg("--user")
        .arg(user)
        .arg("--password-stdin")
        .write_stdin(format!("{PASSWORD}\n"));
    cmd
}

/// The official iWmo/iJw 3.2 checks in `../shared/istandaarden/` (beside the repository), with
/// xmllint and xsltproc. `None` (with a message) when they are missing outside CI; in CI
/// (the variable `CI` set) a missing tool or schema fails the test.
pub fn official() -> Option<keukentafel::exchange::official::Schemas> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("istandaarden");
    let schemas = keukentafel::exchange::official::Schemas::new(dir);
    match schemas.available() {
        Ok(()) => Some(schemas),
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "the official checks are required in CI: {why}"
            );
            eprintln!("SKIPPED: the official iStandaarden checks are missing: {why}");
            None
        }
    }
}

/// Asserts that `xml` (message `number` under `law`) validates against its XSD and gets a
/// rules report without any `Fout`, running xmllint and xsltproc directly.
pub fn assert_official(
    schemas: &keukentafel::exchange::official::Schemas,
    law: Law,
    number: u16,
    xml: &str,
) {
    use std::io::Write as _;
    use std::process::{Command as Process, Stdio};
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let mut child = Process::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(xml.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let xsd = schemas.xsd(law, number);
    let out = run(
        "xmllint",
        &[
            "--noout".as_ref(),
            "--schema".as_ref(),
            xsd.as_os_str(),
            "-".as_ref(),
        ],
    );
    assert!(
        out.status.success(),
        "{} does not validate:\n{}\n{xml}",
        xsd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let rules = schemas.rules(law);
    let out = run("xsltproc", &[rules.as_os_str(), "-".as_ref()]);
    assert!(out.status.success(), "xsltproc failed");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(report.contains("Rapport"), "no rules report: {report}");
    assert!(
        !report.contains(":Fout>"),
        "the rules report has errors:\n{report}\n{xml}"
    );
}

/// The binary with the official checks configured (KEUKENTAFEL_ISTANDAARDEN).
pub fn cli_checked(w: &World, user: &str, dir: &Path) -> Command {
    let mut cmd = cli(w, user, dir);
    cmd.env(
        "KEUKENTAFEL_ISTANDAARDEN",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/istandaarden"),
    );
    cmd
}
