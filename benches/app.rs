//! Terminal-app benchmarks on the generated 100k-household database: launch to first frame,
//! the finder per keystroke (p50 and p99) against its bare index query, and the dashboard load
//! against its bare reads. Percentiles need every sample, so this bench times each call itself
//! instead of using criterion. Run with `cargo bench --bench app`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use keukentafel::app::App;
use keukentafel::app::keymap::KeyMap;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::store::{DatabaseKind, Store};
use keukentafel::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;

use common::*;

/// Samples per measured case.
const SAMPLES: usize = 300;

/// The median and the 99th percentile of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `f` `SAMPLES` times after a short warm-up.
fn sample(mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..10 {
        f();
    }
    let samples = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--test`-like flags; only run for real
    // under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = bench_dir();
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);

    // Launch to first frame: open the database, read the reference data, build the app and
    // draw the login screen (in-process; process start-up is not included).
    let (launch50, launch99) = sample(|| {
        let store = Store::open_with_clock(&copy.path, clock()).expect("open");
        let demo = store.kind().expect("kind") == DatabaseKind::Demo;
        let reference = Arc::new(ReferenceData::embedded());
        let app = App::new(
            Lang::Nl,
            KeyMap::default(),
            reference,
            Theme::default(),
            demo,
            store.clock().today(),
        );
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        terminal
            .draw(|f| keukentafel::ui::view(&app, f))
            .expect("draw");
        black_box(terminal);
    });
    println!(
        "launch/first_frame              p50 {:7.2} ms  p99 {:7.2} ms",
        ms(launch50),
        ms(launch99)
    );

    let mut store = Store::open_with_clock(&copy.path, clock()).expect("open");
    let anna = store
        .authenticate("anna", "demo", WORKSTATION)
        .expect("anna");
    let carla = store
        .authenticate("carla", "demo", WORKSTATION)
        .expect("carla");
    for (who, session) in [("anna", &anna), ("carla", &carla)] {
        for query in ["j", "jan", "jansen", "el amr", "3563"] {
            let (f50, f99) = sample(|| {
                black_box(
                    store
                        .find_households(session, query, FINDER_LIMIT)
                        .expect("find"),
                );
            });
            let (b50, b99) = sample(|| {
                black_box(
                    store
                        .finder_baseline(session, query, FINDER_LIMIT)
                        .expect("baseline"),
                );
            });
            println!(
                "finder/{who}/{query:<8}  p50 {:7.2} ms  p99 {:7.2} ms   bare SQL p50 {:6.3} ms p99 {:6.3} ms   ratio p50 {:5.1}x",
                ms(f50),
                ms(f99),
                ms(b50),
                ms(b99),
                f50.as_secs_f64() / b50.as_secs_f64().max(1e-9)
            );
        }
    }

    let ids = anna_households(&mut store, &anna);
    let mut next = ids.iter().cycle();
    let (d50, d99) = sample(|| {
        let id = *next.next().expect("cycle");
        black_box(store.load_dashboard(&anna, id).expect("dashboard"));
    });
    let mut next = ids.iter().cycle();
    let (r50, r99) = sample(|| {
        let id = *next.next().expect("cycle");
        black_box(store.dashboard_baseline(id).expect("bare reads"));
    });
    println!(
        "dashboard/load (audited, fsync) p50 {:7.2} ms  p99 {:7.2} ms   bare reads p50 {:6.3} ms p99 {:6.3} ms   ratio p50 {:5.1}x",
        ms(d50),
        ms(d99),
        ms(r50),
        ms(r99),
        d50.as_secs_f64() / r50.as_secs_f64().max(1e-9)
    );
}
