//! What a beheerder runs over the whole database, on the bench database with a year of
//! audited reads (ten per household): `check` (integrity and the whole audit chain) against
//! the same reads without hashing, and `backup` against a plain copy of the file with one
//! fsync. Every sample is kept: `cargo bench --bench maintenance --features bench-baselines`.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::*;
use keukentafel::store::Store;

/// Samples per case (each reads the whole database): three, one at a million households
/// (where one check takes minutes).
fn samples() -> usize {
    if households() >= 1_000_000 { 1 } else { 3 }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let size = fs::metadata(&copy.path).map(|m| m.len()).unwrap_or(0);
    let mut store = Store::open_with_clock(&copy.path, clock()).expect("open");
    let beheer = store
        .authenticate("beheer", "demo", WORKSTATION)
        .expect("log in as beheer");
    let rows = store.check_baseline().expect("baseline read");
    println!(
        "database {:.0} MiB, {rows} audit rows",
        size as f64 / (1024.0 * 1024.0)
    );

    // Alternately, so both see the same page cache.
    let (mut check, mut read) = (Vec::new(), Vec::new());
    for _ in 0..samples() {
        let start = Instant::now();
        let report = store.check().expect("check");
        check.push(start.elapsed());
        assert!(
            report.integrity_problems.is_empty(),
            "integrity: {:?}",
            report.integrity_problems
        );
        let start = Instant::now();
        std::hint::black_box(store.check_baseline().expect("baseline read"));
        read.push(start.elapsed());
    }
    let (check, read) = (median(check), median(read));
    println!(
        "check: {:.2} s   baseline (integrity_check + every audit row, no hashing): {:.2} s   ratio {:.2}x",
        secs(check),
        secs(read),
        secs(check) / secs(read)
    );

    let (mut backup, mut plain) = (Vec::new(), Vec::new());
    for i in 0..samples() {
        let target = dir.join(format!("run-{}-backup-{i}.db", std::process::id()));
        remove_db(&target);
        let start = Instant::now();
        store.backup_to(&beheer, &target).expect("backup");
        backup.push(start.elapsed());
        remove_db(&target);
        let start = Instant::now();
        fs::copy(&copy.path, &target).expect("copy");
        fs::File::open(&target)
            .and_then(|f| f.sync_all())
            .expect("fsync");
        plain.push(start.elapsed());
        remove_db(&target);
    }
    let (backup, plain) = (median(backup), median(plain));
    println!(
        "backup: {:.2} s   baseline (copy of the file + one fsync): {:.2} s   ratio {:.2}x",
        secs(backup),
        secs(plain),
        secs(backup) / secs(plain)
    );
}
