//! The PostgreSQL backend's own promises: creating and opening a database on a server, its
//! refusals, and the audit chain under concurrent saves. Needs a test server
//! (`KEUKENTAFEL_TEST_PG`, see scripts/pg-test-server); in CI a missing server fails.

#![cfg(feature = "postgres")]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use keukentafel::clock::FixedClock;
use keukentafel::model::admin::DatabaseKind;
use keukentafel::store::postgres::{Store, testing};
use keukentafel::store::{ServerProblem, StoreError};

fn server() -> Option<String> {
    let server = testing::server();
    if server.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "KEUKENTAFEL_TEST_PG is not set: CI must run the PostgreSQL tests"
        );
        eprintln!("KEUKENTAFEL_TEST_PG is not set: PostgreSQL tests skipped");
    }
    server
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    ))
}

#[test]
fn a_new_database_on_a_server_is_made_once_and_checks_clean() {
    let Some(server) = server() else { return };
    let scratch = testing::Scratch::new(&server).unwrap();
    let url = scratch.url().clone();
    let store = Store::create(&url, DatabaseKind::Demo, clock()).unwrap();
    assert_eq!(store.kind().unwrap(), DatabaseKind::Demo);
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(report.chain.rows, 1);
    drop(store);
    let again = Store::create(&url, DatabaseKind::Production, clock()).unwrap_err();
    assert!(
        matches!(
            again,
            StoreError::Server {
                problem: ServerProblem::AlreadyInitialised,
                ..
            }
        ),
        "{again:?}"
    );
    let reopened = Store::open_with_clock(&url, clock()).unwrap();
    assert_eq!(reopened.kind().unwrap(), DatabaseKind::Demo);
}

#[test]
fn an_empty_or_foreign_or_missing_database_is_refused_in_dutch() {
    let Some(server) = server() else { return };
    let scratch = testing::Scratch::new(&server).unwrap();
    let empty = scratch.url().clone();
    let err = Store::open_with_clock(&empty, clock()).unwrap_err();
    assert!(err.to_string().contains("nog leeg"), "{err}");

    let missing = keukentafel::store::location::Location::parse(&testing::with_database(
        &server,
        "bestaat_niet",
    ))
    .unwrap();
    let keukentafel::store::location::Location::Server(missing) = missing else {
        panic!("server url")
    };
    let err = Store::open_with_clock(&missing, clock()).unwrap_err();
    assert!(err.to_string().contains("kent de database"), "{err}");
}
