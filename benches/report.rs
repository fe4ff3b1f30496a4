//! The steering report on the 100k-household demo database against its headline figures in
//! plain SQL, timed alternately in the same run; and a fingerprint of the figures themselves
//! (SHA-256 of the reports), so that a faster report can be checked to say exactly the same:
//! `cargo bench --bench report --features bench-baselines`.

mod common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::*;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::model::report::ReportRequest;
use keukentafel::store::Store;
use sha2::{Digest, Sha256};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, samples: &mut [Duration]) -> Duration {
    let p50 = percentile(samples, 0.5);
    let p99 = percentile(samples, 0.99);
    println!(
        "{name:<44} p50 {:>8.2} ms  p99 {:>8.2} ms  ({} samples)",
        ms(p50),
        ms(p99),
        samples.len()
    );
    p50
}

/// Samples per case.
const SAMPLES: usize = 5;

fn main() {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let mut store = Store::open_with_clock(&copy.path, clock()).expect("open");
    let reference = ReferenceData::embedded();
    let login = |store: &Store, name: &str| {
        store
            .authenticate(name, "demo", WORKSTATION)
            .unwrap_or_else(|e| panic!("log in as {name}: {e}"))
    };
    let (dirk, beheer) = (login(&store, "dirk"), login(&store, "beheer"));
    let today = store.clock().today();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let year = ReportRequest {
        from: date(2025, 11, 24),
        to: date(2026, 11, 23),
        team: None,
    };

    // What the reports say, as one fingerprint.
    let mut hasher = Sha256::new();
    for (who, session) in [("dirk", &dirk), ("beheer", &beheer)] {
        for (from, to) in [
            (date(2025, 11, 24), date(2026, 11, 23)),
            (date(2023, 1, 1), date(2026, 11, 23)),
            (date(2026, 10, 1), date(2026, 10, 31)),
        ] {
            let request = ReportRequest {
                from,
                to,
                team: None,
            };
            let r = store
                .steering_report(session, &request, &reference, Lang::Nl)
                .unwrap_or_else(|e| panic!("report as {who}: {e}"));
            hasher.update(format!("{who} {from} {to}\n{r:?}\n"));
        }
    }
    println!("figures sha256: {}", hex::encode(hasher.finalize()));

    let mut all = Vec::new();
    let mut team = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..SAMPLES {
        let start = Instant::now();
        std::hint::black_box(
            store
                .steering_report(&beheer, &year, &reference, Lang::Nl)
                .expect("report"),
        );
        all.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(
            store
                .report_headline_baseline(year.from, year.to, today)
                .expect("baseline"),
        );
        plain.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(
            store
                .steering_report(&dirk, &year, &reference, Lang::Nl)
                .expect("report"),
        );
        team.push(start.elapsed());
    }
    let all_p50 = report("report one year, all teams (beheer)", &mut all);
    report("report one year, own team (dirk)", &mut team);
    let plain_p50 = report("baseline: headline figures in plain SQL", &mut plain);
    println!(
        "all teams / baseline (p50): {:.2}x",
        all_p50.as_secs_f64() / plain_p50.as_secs_f64()
    );

    // Ten years, all teams: what a beheerder may ask for (the demo's history is shorter, so
    // this is the cost of the longer date range over the same rows).
    let decade = ReportRequest {
        from: date(2016, 11, 24),
        to: date(2026, 11, 23),
        team: None,
    };
    let (mut long, mut long_plain) = (Vec::new(), Vec::new());
    for _ in 0..SAMPLES.min(3) {
        let start = Instant::now();
        std::hint::black_box(
            store
                .steering_report(&beheer, &decade, &reference, Lang::Nl)
                .expect("report"),
        );
        long.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(
            store
                .report_headline_baseline(decade.from, decade.to, today)
                .expect("baseline"),
        );
        long_plain.push(start.elapsed());
    }
    let long_p50 = report("report ten years, all teams (beheer)", &mut long);
    let long_plain_p50 = report("baseline: ten years in plain SQL", &mut long_plain);
    println!(
        "ten years / baseline (p50): {:.2}x",
        long_p50.as_secs_f64() / long_plain_p50.as_secs_f64()
    );
}
