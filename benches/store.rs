//! Store benchmarks on a generated 100,000-household demo database.
//!
//! Run with `cargo bench --bench store`. The first run generates
//! `<target>/bench-data/demo-100k-seed1.db` (and prints how long that took); later runs reuse
//! it. Every run works on a fresh copy of that file, because dashboard loads and saves append
//! rows (audit, contacts), so the pristine database never changes and results do not drift.

use std::fs::{self, OpenOptions};
use std::hint::black_box;
use std::io::{Seek, SeekFrom, Write};
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use keukentafel::clock::Clock;
use keukentafel::domain::contact::ContactFields;
use keukentafel::store::Store;

mod common;

use common::*;

fn store_benches(c: &mut Criterion) {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let clock = clock();
    let today: NaiveDate = clock.today();
    let mut store =
        Store::open_with_clock(&copy.path, clock).expect("open the bench database copy");
    let anna = store
        .authenticate("anna", "demo", WORKSTATION)
        .expect("log in as anna");
    let carla = store
        .authenticate("carla", "demo", WORKSTATION)
        .expect("log in as carla");

    // 1. The finder, as a professional (own team only) and as backoffice (all teams).
    {
        let mut group = c.benchmark_group("finder");
        for query in ["j", "jan", "jansen", "el amr", "3563", "fam"] {
            group.bench_function(query, |b| {
                b.iter(|| {
                    store
                        .find_households(&anna, black_box(query), FINDER_LIMIT)
                        .expect("find households as anna")
                });
            });
        }
        group.bench_function("jan as carla", |b| {
            b.iter(|| {
                store
                    .find_households(&carla, black_box("jan"), FINDER_LIMIT)
                    .expect("find households as carla")
            });
        });
        group.finish();
    }

    let ids = anna_households(&mut store, &anna);

    // 2. Opening a dashboard: an audited read, so one audit row and one fsync per load.
    {
        let mut group = c.benchmark_group("dashboard");
        let mut next = 0;
        group.bench_function("load", |b| {
            b.iter(|| {
                let id = ids[next % ids.len()];
                next += 1;
                store.load_dashboard(&anna, id).expect("load a dashboard")
            });
        });
        group.finish();
    }

    // 3. Saving a contact: an audited write, one transaction with one fsync.
    {
        let fields =
            ContactFields::new(today, "huisbezoek", 60, None).expect("valid contact fields");
        let mut group = c.benchmark_group("save");
        let mut next = 0;
        group.bench_function("contact", |b| {
            b.iter(|| {
                let id = ids[next % ids.len()];
                next += 1;
                store
                    .record_contact(&anna, id, &fields)
                    .expect("record a contact")
            });
        });
        group.finish();
    }
    drop(store);

    // 4. Baselines: what one durable write costs on this disk. `raw` appends (the file grows,
    // as the WAL does until a checkpoint lets SQLite wrap around to its start); `overwrite`
    // rewrites the same bytes (the WAL after a checkpoint). SQLite calls fsync, not fdatasync.
    {
        let path = dir.join(format!("fsync-{}.bin", std::process::id()));
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        let bytes = [b'x'; 100];
        let mut group = c.benchmark_group("fsync");
        group.bench_function("raw", |b| {
            b.iter(|| {
                file.write_all(&bytes).expect("write 100 bytes");
                file.sync_all().expect("fsync");
            });
        });
        group.bench_function("overwrite", |b| {
            b.iter(|| {
                file.seek(SeekFrom::Start(0)).expect("seek to the start");
                file.write_all(&bytes)
                    .expect("write 100 bytes at the start");
                file.sync_all().expect("fsync");
            });
        });
        group.finish();
        drop(file);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("cannot remove {}: {e}", path.display()));
    }
    drop(copy);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = store_benches
}
criterion_main!(benches);
