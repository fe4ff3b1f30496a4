//! Export benchmarks on the generated 100,000-household demo database: the steering report
//! over one year (one team as the teamleider, all teams as the beheerder) and the fridge plan
//! per format (load + render, and render alone).
//!
//! Run with `cargo bench --bench export`. Works on a fresh copy of the pristine database,
//! because every plan and report appends an audit row.

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use keukentafel::domain::reference::ReferenceData;
use keukentafel::export::plan::{PlanFormat, PlanOptions, render};
use keukentafel::i18n::Lang;
use keukentafel::model::report::ReportRequest;
use keukentafel::store::Store;

mod common;

use common::*;

fn export_benches(c: &mut Criterion) {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let mut store =
        Store::open_with_clock(&copy.path, clock()).expect("open the bench database copy");
    let reference = ReferenceData::embedded();
    let login = |store: &Store, name: &str| {
        store
            .authenticate(name, "demo", WORKSTATION)
            .unwrap_or_else(|e| panic!("log in as {name}: {e}"))
    };
    let (anna, dirk, beheer) = (
        login(&store, "anna"),
        login(&store, "dirk"),
        login(&store, "beheer"),
    );

    // One year up to the bench clock's today (2026-11-23).
    let year = ReportRequest {
        from: NaiveDate::from_ymd_opt(2025, 11, 24).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        team: None,
    };
    {
        let mut group = c.benchmark_group("report");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(20));
        group.bench_function("one year, own team (dirk)", |b| {
            b.iter(|| {
                store
                    .steering_report(&dirk, black_box(&year), &reference, Lang::Nl)
                    .expect("report as dirk")
            });
        });
        group.bench_function("one year, all teams (beheer)", |b| {
            b.iter(|| {
                store
                    .steering_report(&beheer, black_box(&year), &reference, Lang::Nl)
                    .expect("report as beheer")
            });
        });
        group.finish();
    }

    // The design's example household (id 1) is anna's.
    let household = 1;
    let plan = store
        .load_plan(&anna, household, &reference)
        .expect("load the plan");
    {
        let mut group = c.benchmark_group("plan");
        for (name, format) in [
            ("txt", PlanFormat::Txt),
            ("html", PlanFormat::Html),
            ("pdf", PlanFormat::Pdf),
        ] {
            group.bench_function(format!("load + render {name}"), |b| {
                b.iter(|| {
                    let data = store
                        .load_plan(&anna, black_box(household), &reference)
                        .expect("load the plan");
                    render(&data, format, Lang::Nl, &PlanOptions::default()).expect("render")
                });
            });
            group.bench_function(format!("render {name}"), |b| {
                b.iter(|| {
                    render(black_box(&plan), format, Lang::Nl, &PlanOptions::default())
                        .expect("render")
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, export_benches);
criterion_main!(benches);
