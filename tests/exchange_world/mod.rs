//! The world of the exchange tests: the privacy world plus a provider contracted for 02A05
//! and 45A01, and provisions in chosen states; and a runner for the real binary on it.

#![allow(dead_code)]

#[path = "../privacy_world/mod.rs"]
mod privacy_world;

use std::path::Path;

use assert_cmd::Command;
pub use privacy_world::*;

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
    let mut cmd = Command::cargo_bin("keukentafel").unwrap();
    cmd.current_dir(dir)
        .env("KEUKENTAFEL_CONFIG_DIR", w.dir.path().join("config"))
        .env("KEUKENTAFEL_DATA_DIR", w.dir.path().join("data"))
        .env_remove("KEUKENTAFEL_DB")
        .arg("--db")
        .arg(&w.path)
        .arg("--user")
        .arg(user)
        .arg("--password-stdin")
        .write_stdin(format!("{PASSWORD}\n"));
    cmd
}
