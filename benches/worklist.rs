//! The backoffice worklist on the 100k-household demo database: loading the list of provisions
//! awaiting a beschikking (all of it, as the export does; the first page with the counts, as
//! the screen does), filtering it per keystroke in the store, and one bulk action on
//! 1,000 selected rows against the same updates as plain SQL. Every sample is kept, so p50 and
//! p99 are real: `cargo bench --bench worklist --features bench-baselines`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::model::worklists::{
    BulkAction, PAGE_ROWS, SortKey, Worklist, WorklistQuery, filter_words,
};
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

    // What login reads of the user's own contacts (habits, the prefilled kind): carla, who
    // recorded none, and anna, who recorded many. By index, not a scan of every contact.
    let anna = store
        .authenticate("anna", "demo", WORKSTATION)
        .expect("anna");
    for (name, session) in [("carla", &carla), ("anna", &anna)] {
        let mut samples = Vec::new();
        for _ in 0..50 {
            let start = Instant::now();
            let habits = store.contact_habits(session).expect("habits");
            let last = store.last_contact_choice(session).expect("last");
            std::hint::black_box((habits, last));
            samples.push(start.elapsed());
        }
        report(
            &format!("login: contact habits + last kind, {name}"),
            &mut samples,
        );
    }

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

    // What the screen asks for: the first page with the counts, and per keystroke of the
    // filter the first page of what matches (filtered in the store, over the whole list).
    let page = |store: &mut Store, query: &WorklistQuery| {
        store
            .worklist_page(
                &carla,
                Worklist::AwaitingBeschikking,
                today,
                query,
                &filter_words(&query.filter, &reference.products),
                0,
                PAGE_ROWS,
            )
            .expect("page")
    };
    let mut open = Vec::new();
    for _ in 0..100 {
        let start = Instant::now();
        std::hint::black_box(page(&mut store, &WorklistQuery::default()));
        open.push(start.elapsed());
    }
    report("open: first page + counts (audited)", &mut open);
    // The filter index (built once per list, as the screen asks while the first page is looked
    // at).
    let mut build = Vec::new();
    for i in 0..10 {
        // A day apart: another key, so each call builds (the list is the same).
        let day = today + chrono::Duration::days(i % 2);
        let start = Instant::now();
        store
            .prepare_worklist_filter(&carla, Worklist::AwaitingBeschikking, day)
            .expect("prepare");
        build.push(start.elapsed());
    }
    report("filter index build (once per list open)", &mut build);
    for typed in [
        "fam",
        "j",
        "ja",
        "jan",
        "jansen",
        "02a05",
        "begeleiding jan",
        "zzz",
    ] {
        let query = WorklistQuery {
            filter: typed.to_string(),
            ..WorklistQuery::default()
        };
        let mut samples = Vec::new();
        let mut matching = 0;
        for _ in 0..50 {
            let start = Instant::now();
            matching = page(&mut store, &query).matching;
            samples.push(start.elapsed());
        }
        report(
            &format!("filter '{typed}' ({matching} match)"),
            &mut samples,
        );
    }
    for sort in [SortKey::End, SortKey::Household, SortKey::Product] {
        let query = WorklistQuery {
            sort,
            ..WorklistQuery::default()
        };
        let mut samples = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            std::hint::black_box(page(&mut store, &query));
            samples.push(start.elapsed());
        }
        report(
            &format!("sorted on {}: first page", sort.name()),
            &mut samples,
        );
    }

    // One bulk grant of 1,000 selected rows against its baseline, the same updates as plain
    // SQL in one transaction, timed alternately on the same rows in the same state, so both
    // move the rows off this list and onto the next (the same index work) on the same disk.
    // Each round: the bulk (timed), its undo (not timed), the baseline on the same requested
    // rows (timed), and the baseline taken back in plain SQL (not timed).
    let mut bulk = Vec::new();
    let mut plain = Vec::new();
    let chunks: Vec<Vec<i64>> = items
        .chunks(1000)
        .filter(|c| c.len() == 1000)
        .map(|c| c.iter().map(|i| i.provision.id).collect())
        .collect();
    assert!(
        !chunks.is_empty(),
        "at least 1,000 provisions await a beschikking"
    );
    for round in 0..ROUNDS {
        let ids = &chunks[round % chunks.len()];
        let number = format!("B-BENCH-{round}");
        let grant = BulkAction::Grant {
            on: today,
            number: number.clone(),
        };
        let start = Instant::now();
        let (n, undo) = store.bulk_undoable(&carla, ids, &grant).expect("bulk");
        bulk.push(start.elapsed());
        assert_eq!(n, 1000);
        store.undo_bulk(&carla, &undo).expect("undo");
        let start = Instant::now();
        let n = store
            .bulk_grant_baseline(ids, today, &number)
            .expect("baseline");
        plain.push(start.elapsed());
        assert_eq!(n, 1000);
        store.bulk_grant_baseline_revert(ids).expect("revert");
    }
    // The whole list in one bulk (50,000 rows and more at a million households), once, and
    // its undo: what "select all" and Enter do.
    let all: Vec<i64> = items.iter().map(|i| i.provision.id).collect();
    let grant = BulkAction::Grant {
        on: today,
        number: "B-BENCH-ALL".into(),
    };
    let start = Instant::now();
    let (n, undo) = store.bulk_undoable(&carla, &all, &grant).expect("bulk all");
    let whole = start.elapsed();
    assert_eq!(n, all.len());
    let start = Instant::now();
    store.undo_bulk(&carla, &undo).expect("undo all");
    println!(
        "bulk grant of the whole list ({} rows): {:.2} s, its undo {:.2} s",
        all.len(),
        whole.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    let bulk_p50 = percentile(&mut bulk, 0.5);
    let plain_p50 = percentile(&mut plain, 0.5);
    report("bulk grant of 1,000 rows (one transaction)", &mut bulk);
    report("baseline: the same updates as plain SQL", &mut plain);
    println!(
        "bulk / baseline (p50): {:.2}x",
        bulk_p50.as_secs_f64() / plain_p50.as_secs_f64()
    );
}

/// Rounds of the bulk bench (each a bulk, a baseline and an undo of 1,000 rows).
const ROUNDS: usize = 20;
