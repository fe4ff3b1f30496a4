//! Terminal-app benchmarks on the generated 100k-household database: launch to first frame,
//! the finder per keystroke (p50 and p99) against its bare index query, the dashboard load
//! against its bare reads, each save (contact, agreement, full 13-domain ZRM) against one raw
//! fsync on the same disk, and the peak memory (RSS) of a process that opens the database, logs
//! in, finds and opens households. Percentiles need every sample, so this bench times each call
//! itself instead of using criterion. Run with
//! `cargo bench --bench app --features bench-baselines`.

use std::fs::OpenOptions;
use std::hint::black_box;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::zrm::{Score, Scores};

use keukentafel::app::App;
use keukentafel::app::keymap::KeyMap;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::store::Store;
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

/// Set in the child process that measures peak memory: the database it opens.
const RSS_CHILD: &str = "KEUKENTAFEL_BENCH_RSS_DB";

/// A field of `/proc/self/status` in KiB (`VmHWM` is the peak resident set size).
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The child's work: what a professional's session does (open, log in, draw the login screen,
/// type in the finder, open dashboards), then print the peak RSS. With an empty path it only
/// prints the peak RSS of the bare process, for comparison.
fn rss_child(db: &str) {
    if !db.is_empty() {
        let mut store = Store::open_with_clock(Path::new(db), clock()).expect("open");
        let app = App::new(
            Lang::Nl,
            KeyMap::default(),
            Arc::new(ReferenceData::embedded()),
            Theme::default(),
            true,
            store.clock().today(),
        );
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        terminal
            .draw(|f| keukentafel::ui::view(&app, f))
            .expect("draw");
        let anna = store
            .authenticate("anna", "demo", WORKSTATION)
            .expect("anna");
        for query in [
            "j", "ja", "jan", "jans", "janse", "jansen", "el amr", "3563",
        ] {
            black_box(
                store
                    .find_households(&anna, query, FINDER_LIMIT)
                    .expect("find"),
            );
        }
        for id in anna_households(&mut store, &anna) {
            black_box(store.load_dashboard(&anna, id).expect("dashboard"));
        }
    }
    println!("VmHWM {}", proc_status_kib("VmHWM").unwrap_or(0));
}

/// Runs this bench binary again as an RSS child on `db` and returns its peak RSS in KiB.
fn peak_rss_kib(db: &str) -> u64 {
    let exe = std::env::current_exe().expect("bench binary");
    let out = std::process::Command::new(exe)
        .arg("--bench")
        .env(RSS_CHILD, db)
        .output()
        .expect("run the RSS child");
    assert!(
        out.status.success(),
        "RSS child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM ")?.trim().parse().ok())
        .expect("VmHWM line")
}

/// Prints one save's p50/p99 and its ratio to one raw fsync.
fn report_save(name: &str, (p50, p99): (Duration, Duration), fsync: (Duration, Duration)) {
    println!(
        "save/{name:<24}  p50 {:7.2} ms  p99 {:7.2} ms   raw fsync p50 {:6.3} ms p99 {:6.3} ms   ratio p50 {:5.1}x  p99 {:5.1}x",
        ms(p50),
        ms(p99),
        ms(fsync.0),
        ms(fsync.1),
        p50.as_secs_f64() / fsync.0.as_secs_f64().max(1e-9),
        p99.as_secs_f64() / fsync.1.as_secs_f64().max(1e-9)
    );
}

/// Times `a` and `b` alternately, `SAMPLES` times each, so that both see the same load on a
/// shared machine; returns the percentiles of each.
fn sample_interleaved(
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> ((Duration, Duration), (Duration, Duration)) {
    for _ in 0..10 {
        a();
        b();
    }
    let (mut xs, mut ys) = (Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES));
    for _ in 0..SAMPLES {
        let started = Instant::now();
        a();
        xs.push(started.elapsed());
        let started = Instant::now();
        b();
        ys.push(started.elapsed());
    }
    (percentiles(xs), percentiles(ys))
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--test`-like flags; only run for real
    // under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Ok(db) = std::env::var(RSS_CHILD) {
        rss_child(&db);
        return;
    }
    let dir = bench_dir();
    remove_leftovers(&dir);
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

    // Saves: each one audited write in one transaction with one fsync (WAL, synchronous=FULL),
    // each timed alternately with one raw fsync of a file in the same directory (append 100
    // bytes, then fsync, as SQLite's WAL grows), so both see the same load.
    let today = store.clock().today();
    let fsync_path = dir.join(format!("fsync-{}.bin", std::process::id()));
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&fsync_path)
        .expect("fsync file");
    let bytes = [b'x'; 100];
    let mut fsync = || {
        file.write_all(&bytes).expect("write");
        file.sync_all().expect("fsync");
    };
    let contact = ContactFields::new(today, "huisbezoek", 60, None).expect("contact fields");
    let mut next = ids.iter().cycle();
    let (contact_times, fsync_contact) = sample_interleaved(
        || {
            let id = *next.next().expect("cycle");
            black_box(store.record_contact(&anna, id, &contact).expect("contact"));
        },
        &mut fsync,
    );
    report_save("contact", contact_times, fsync_contact);
    let agreement = AgreementFields::new(
        "Fatima belt het budgetteam",
        Actor::Client,
        Some(today),
        false,
        None,
    )
    .expect("agreement fields");
    let mut next = ids.iter().cycle();
    let (agreement_times, fsync_agreement) = sample_interleaved(
        || {
            let id = *next.next().expect("cycle");
            black_box(
                store
                    .add_agreement(&anna, id, &agreement)
                    .expect("agreement"),
            );
        },
        &mut fsync,
    );
    report_save("agreement", agreement_times, fsync_agreement);
    let reference = ReferenceData::embedded();
    let scores: Scores = reference
        .zrm
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.clone(), Score::Level(1 + (i % 5) as u8)))
        .collect();
    assert_eq!(scores.len(), 13, "a full ZRM scores 13 domains");
    let people: Vec<i64> = ids
        .iter()
        .map(|&id| store.load_dashboard(&anna, id).expect("dashboard").members[0].id)
        .collect();
    let mut next = people.iter().cycle();
    let (zrm_times, fsync_zrm) = sample_interleaved(
        || {
            let person = *next.next().expect("cycle");
            black_box(
                store
                    .record_zrm(&anna, person, today, &scores)
                    .expect("zrm"),
            );
        },
        &mut fsync,
    );
    report_save("zrm (13 domains)", zrm_times, fsync_zrm);
    // The same fsync without any save in between, and rewriting the same bytes (the WAL after
    // a checkpoint), for comparison.
    let alone = sample(&mut fsync);
    let overwrite = sample(|| {
        file.seek(SeekFrom::Start(0)).expect("seek");
        file.write_all(&bytes).expect("write");
        file.sync_all().expect("fsync");
    });
    drop(file);
    std::fs::remove_file(&fsync_path).expect("remove the fsync file");
    println!(
        "fsync/append 100 B alone         p50 {:7.3} ms  p99 {:7.3} ms",
        ms(alone.0),
        ms(alone.1)
    );
    println!(
        "fsync/overwrite 100 B alone      p50 {:7.3} ms  p99 {:7.3} ms",
        ms(overwrite.0),
        ms(overwrite.1)
    );
    drop(store);

    // Peak memory of a whole session on the 100k database, next to the bare process.
    let bare = peak_rss_kib("");
    let session = peak_rss_kib(&copy.path.display().to_string());
    println!(
        "memory/peak RSS (VmHWM)          session on {} households {:6.1} MiB   bare bench process {:6.1} MiB",
        size_label(),
        session as f64 / 1024.0,
        bare as f64 / 1024.0
    );
}
