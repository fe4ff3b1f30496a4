//! The backoffice worklist on the 100k-household demo database: loading the list of provisions
//! awaiting a beschikking, filtering it per keystroke as the screen does, and one bulk action on
//! 1,000 selected rows. Every sample is kept, so p50 and p99 are real:
//! `cargo bench --bench worklist`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use keukentafel::app::worklist::WorklistView;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::model::worklists::{BulkAction, Worklist};
use keukentafel::store::Store;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, samples: &mut [Duration]) {
    let p50 = percentile(samples, 0.5);
    let p99 = percentile(samples, 0.99);
    println!(
        "{name:<44} p50 {:>8.2} ms  p99 {:>8.2} ms  ({} samples)",
        ms(p50),
        ms(p99),
        samples.len()
    );
}

fn main() {
    let dir = bench_dir();
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let mut store = Store::open_with_clock(&copy.path, clock()).expect("open");
    let carla = store
        .authenticate("carla", "demo", WORKSTATION)
        .expect("carla");
    let today = store.clock().today();
    let reference = ReferenceData::embedded();

    // Loading the list (one audited read).
    let mut load = Vec::new();
    let mut items = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        items = store
            .worklist(&carla, Worklist::AwaitingBeschikking, today)
            .expect("worklist");
        load.push(start.elapsed());
    }
    println!(
        "worklist awaiting a beschikking: {} provisions",
        items.len()
    );
    report("load (audited read)", &mut load);

    // Filtering per keystroke: what the screen recomputes for every key.
    let mut view = WorklistView::new(Worklist::AwaitingBeschikking);
    view.loaded(Ok(items.clone()), &reference);
    for typed in ["j", "ja", "jan", "jansen", "02a05", "begeleiding jan"] {
        view.filter.set(typed);
        let mut samples = Vec::new();
        let mut shown = 0;
        for _ in 0..200 {
            let start = Instant::now();
            shown = view.shown(&reference).len();
            samples.push(start.elapsed());
        }
        report(&format!("filter '{typed}' ({shown} shown)"), &mut samples);
    }
    // The baseline: walking the rows once without matching.
    let mut baseline = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let n = items.iter().filter(|i| i.provision.id > 0).count();
        std::hint::black_box(n);
        baseline.push(start.elapsed());
    }
    report("baseline: one pass over the rows", &mut baseline);

    // One bulk grant of 1,000 selected rows, on disjoint rows each run.
    let mut bulk = Vec::new();
    for (run, chunk) in items.chunks(1000).take(5).enumerate() {
        if chunk.len() < 1000 {
            break;
        }
        let ids: Vec<i64> = chunk.iter().map(|i| i.provision.id).collect();
        let grant = BulkAction::Grant {
            on: today,
            number: format!("B-BENCH-{run}"),
        };
        let start = Instant::now();
        let n = store.bulk(&carla, &ids, &grant).expect("bulk");
        bulk.push(start.elapsed());
        assert_eq!(n, 1000);
    }
    report("bulk grant of 1,000 rows (one transaction)", &mut bulk);
}
