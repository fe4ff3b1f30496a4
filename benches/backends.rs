//! The same acts on both backends, side by side in one run, on the generated 100k-household
//! database: the finder per keystroke (1, 3 and 6 letters), opening a dashboard, saving a
//! contact, adding and editing an agreement from the dashboard, a login, opening a worklist (its
//! first page and counts), filtering it per keystroke, reading it whole, and the yearly steering
//! report. Per act:
//! p50 and p99 on SQLite and on PostgreSQL, their ratio, and on PostgreSQL the round trips to
//! the server per act.
//!
//! `KEUKENTAFEL_BENCH_PG` names a PostgreSQL server (an admin URL such as the one
//! `scripts/pg-test-server start` prints); the bench database `kt_bench_100k` is made there once
//! with `migrate` from the SQLite bench file and reused. Without it only SQLite is measured.
//! Run with `cargo bench --bench backends`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use keukentafel::clock::Clock;
use keukentafel::domain::agreement::{Actor, AgreementFields};
use keukentafel::domain::contact::ContactFields;
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::model::changes::Change;
use keukentafel::model::report::ReportRequest;
use keukentafel::model::worklists::{PAGE_ROWS, Worklist, WorklistQuery};
use keukentafel::store::{AppStore, Store};

mod common;

use common::*;

/// Samples per act.
const SAMPLES: usize = 200;
/// Samples of the yearly report (seconds each at this size).
const REPORT_SAMPLES: usize = 5;

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One act's figures on one backend.
#[derive(Clone, Copy)]
struct Figures {
    p50: Duration,
    p99: Duration,
    trips: Option<f64>,
}

/// Times `act` `n` times; `trips` reads the backend's round-trip counter, if it has one.
fn measure(n: usize, trips: &dyn Fn() -> Option<u64>, act: &mut dyn FnMut(usize)) -> Figures {
    act(0);
    let before = trips();
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        act(i + 1);
        samples.push(started.elapsed());
    }
    let after = trips();
    let (p50, p99) = percentiles(samples);
    Figures {
        p50,
        p99,
        trips: before.zip(after).map(|(b, a)| (a - b) as f64 / n as f64),
    }
}

/// Every act on one backend, in a fixed order.
fn acts(store: &mut dyn AppStore, trips: &dyn Fn() -> Option<u64>) -> Vec<(String, Figures)> {
    let anna = store
        .authenticate("anna", "demo", WORKSTATION)
        .expect("anna");
    let carla = store
        .authenticate("carla", "demo", WORKSTATION)
        .expect("carla");
    let beheer = store
        .authenticate("beheer", "demo", WORKSTATION)
        .expect("beheer");
    let today = store.clock().today();
    let mut out = Vec::new();
    for query in ["j", "jan", "jansen"] {
        let f = measure(SAMPLES, trips, &mut |_| {
            store
                .find_households(&anna, query, FINDER_LIMIT)
                .expect("finder");
        });
        out.push((format!("finder '{query}'"), f));
    }
    // Home as anna opens it (her households, her agreements due, most urgent first).
    let f = measure(SAMPLES, trips, &mut |_| {
        store.load_home(&anna, today).expect("home");
    });
    out.push(("home (anna)".into(), f));
    let ids: Vec<i64> = store
        .load_home(&anna, today)
        .expect("home")
        .households
        .iter()
        .map(|h| h.id)
        .take(CYCLE)
        .collect();
    assert!(!ids.is_empty(), "anna has households");
    let f = measure(SAMPLES, trips, &mut |i| {
        store
            .load_dashboard(&anna, ids[i % ids.len()])
            .expect("dashboard");
    });
    out.push(("dashboard open".into(), f));
    let contact = ContactFields::new(today, "huisbezoek", 45, None).expect("contact");
    let f = measure(SAMPLES, trips, &mut |i| {
        store
            .apply(&anna, ids[i % ids.len()], &Change::Contact(contact.clone()))
            .expect("save");
    });
    out.push(("save contact (+dashboard)".into(), f));
    let agreement =
        AgreementFields::new("Belastingdienst bellen", Actor::Client, None, false, None)
            .expect("agreement");
    let f = measure(SAMPLES, trips, &mut |i| {
        store
            .apply(
                &anna,
                ids[i % ids.len()],
                &Change::AddAgreement(agreement.clone()),
            )
            .expect("save");
    });
    out.push(("save agreement (+dashboard)".into(), f));
    // Editing the same agreement again and again: each edit names the version it was shown.
    let edited = ids[0];
    let mut applied = store
        .apply(&anna, edited, &Change::AddAgreement(agreement.clone()))
        .expect("agreement to edit");
    let record = applied.record_id;
    let f = measure(SAMPLES, trips, &mut |i| {
        let version = applied
            .dashboard
            .as_ref()
            .and_then(|d| d.agreements.iter().find(|a| a.id == record))
            .map(|a| a.version)
            .expect("the edited agreement on the dashboard");
        let mut fields = agreement.clone();
        fields.what = format!("Belastingdienst bellen ({i})");
        applied = store
            .apply(
                &anna,
                edited,
                &Change::EditAgreement {
                    id: record,
                    version,
                    fields,
                },
            )
            .expect("edit");
    });
    out.push(("edit agreement (+dashboard)".into(), f));
    let f = measure(SAMPLES / 10, trips, &mut |_| {
        store.login("anna", "demo", WORKSTATION).expect("login");
    });
    out.push(("login (argon2 included)".into(), f));
    let reference = ReferenceData::embedded();
    // The worklist as the screen opens it: the first page and the counts.
    let f = measure(SAMPLES, trips, &mut |_| {
        store
            .worklist_page(
                &carla,
                Worklist::AwaitingBeschikking,
                today,
                &WorklistQuery::default(),
                &reference,
                0,
                PAGE_ROWS,
            )
            .expect("worklist");
    });
    out.push(("worklist open (page+count)".into(), f));
    // The filter index, as the screen has it built while the first page is looked at.
    let f = measure(REPORT_SAMPLES * 2, trips, &mut |i| {
        // A day apart: another key, so each call builds (the list is the same).
        let day = today + chrono::Duration::days(i as i64 % 2);
        store
            .prepare_worklist_filter(&carla, Worklist::AwaitingBeschikking, day)
            .expect("filter index");
    });
    out.push(("worklist filter index build".into(), f));
    // Typing a name into its filter, a keystroke at a time: each answer is the first page
    // of what matches and its count, filtered in the store over the whole list.
    let typed = ["j", "ja", "jan", "jans", "janse", "jansen"];
    let f = measure(SAMPLES, trips, &mut |i| {
        let query = WorklistQuery {
            filter: typed[i % typed.len()].to_string(),
            ..WorklistQuery::default()
        };
        store
            .worklist_page(
                &carla,
                Worklist::AwaitingBeschikking,
                today,
                &query,
                &reference,
                0,
                PAGE_ROWS,
            )
            .expect("worklist filter");
    });
    out.push(("worklist filter/keystroke".into(), f));
    // The whole list, as the export reads it (what opening it cost before pages).
    let f = measure(SAMPLES / 10, trips, &mut |_| {
        store
            .worklist(&carla, Worklist::AwaitingBeschikking, today)
            .expect("worklist");
    });
    out.push(("worklist all rows (export)".into(), f));
    let request = ReportRequest {
        from: today - chrono::Duration::days(365),
        to: today,
        team: None,
    };
    let f = measure(REPORT_SAMPLES, trips, &mut |_| {
        store
            .steering_report(&beheer, &request, &reference, Lang::Nl)
            .expect("report");
    });
    out.push(("report one year, all teams".into(), f));
    out
}

fn main() {
    let dir = bench_dir();
    remove_leftovers(&dir);
    let pristine = pristine_db(&dir);
    let copy = WorkingCopy::new(&pristine, &dir);
    let mut sqlite = Store::open_with_clock(&copy.path, clock()).expect("open the SQLite copy");
    let sqlite_figures = acts(&mut sqlite, &|| None);
    let pg_figures = server(&pristine).map(|mut pg| {
        let counter = pg.round_trips_handle();
        acts(&mut pg, &move || Some(counter.get()))
    });
    println!();
    println!(
        "{:<28} {:>10} {:>10}   {:>10} {:>10}   {:>7} {:>7}   {:>6}",
        format!("act ({} households)", size_label()),
        "SQLite p50",
        "p99",
        "PG p50",
        "p99",
        "p50 ×",
        "p99 ×",
        "trips"
    );
    for (i, (name, s)) in sqlite_figures.iter().enumerate() {
        match pg_figures.as_ref().and_then(|p| p.get(i)) {
            Some((_, p)) => println!(
                "{name:<28} {:>8.2}ms {:>8.2}ms   {:>8.2}ms {:>8.2}ms   {:>6.1}× {:>6.1}×   {:>6.1}",
                ms(s.p50),
                ms(s.p99),
                ms(p.p50),
                ms(p.p99),
                p.p50.as_secs_f64() / s.p50.as_secs_f64().max(1e-9),
                p.p99.as_secs_f64() / s.p99.as_secs_f64().max(1e-9),
                p.trips.unwrap_or(0.0)
            ),
            None => println!(
                "{name:<28} {:>8.2}ms {:>8.2}ms   (no KEUKENTAFEL_BENCH_PG)",
                ms(s.p50),
                ms(s.p99)
            ),
        }
    }
}

/// The bench database on the PostgreSQL server, made from the SQLite bench file once.
fn server(pristine: &std::path::Path) -> Option<keukentafel::store::postgres::Store> {
    use keukentafel::store::location::Location;
    let admin = std::env::var("KEUKENTAFEL_BENCH_PG")
        .ok()
        .filter(|v| !v.is_empty())?;
    let name = format!("kt_bench_{}", size_label());
    let url = keukentafel::store::postgres::testing::with_database(&admin, &name);
    let Ok(Location::Server(url)) = Location::parse(&url) else {
        panic!("not a server URL: {url}");
    };
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("bench server");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .expect("pg_database")
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the bench database");
        let started = Instant::now();
        let mut source = Store::open_with_clock(pristine, clock()).expect("open the SQLite file");
        let beheer = source
            .authenticate("beheer", "demo", WORKSTATION)
            .expect("beheer");
        keukentafel::store::postgres::migrate::migrate(&mut source, &beheer, "demo", &url, clock())
            .expect("migrate the bench file to the server");
        eprintln!(
            "made {name} on the server with migrate in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // Fresh statistics for the planner after the bulk load.
        postgres::Client::connect(url.secret(), postgres::NoTls)
            .and_then(|mut c| c.batch_execute("VACUUM ANALYZE"))
            .expect("analyze");
    }
    // Every demo user logs in with their own role (password `demo`), as `user passwd` would
    // give it after a migration; one verifier serves them all.
    let verifier = postgres_protocol::password::scram_sha_256(b"demo");
    postgres::Client::connect(url.secret(), postgres::NoTls)
        .and_then(|mut c| {
            c.execute(
                "SELECT kt_role_password(u.username, $1) FROM app_user u
                 WHERE NOT EXISTS (SELECT 1 FROM pg_roles r
                                   WHERE r.rolname = current_database() || '_' || lower(u.username))",
                &[&verifier],
            )
        })
        .expect("the demo users' roles");
    Some(
        keukentafel::store::postgres::Store::open_with_clock(&url, clock() as Arc<dyn Clock>)
            .expect("open the bench database on the server"),
    )
}
