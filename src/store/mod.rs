//! The store: the only place with SQL.
//!
//! This module is backend-neutral: the errors, the audit chain's pure half and the access
//! decision every backend calls. Each backend lives in a folder of its own (`sqlite/`) and
//! keeps the same promises: every write runs in one transaction; every write and every read of
//! one household's data appends an audit row in that same transaction; queries use bound
//! parameters only.

pub mod api;
pub mod audit;
pub mod conflict;
mod error;
pub mod location;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod shared;
pub mod sqlite;

use crate::auth::Session;
use crate::auth::policy::{self, Operation};

pub use api::{
    AccountStore, AppStore, Backend, DemoStore, HouseholdStore, ImportStore, MaintenanceStore,
    MessageStore, PrivacyStore,
};
pub use error::{
    BackendError, BackendErrorKind, EncryptionProblem, Missing, Refused, Result, ServerProblem,
    StoreError,
};
pub use sqlite::{BUSY_TIMEOUT, Store, remove_database_files};

/// Creates a new database at `location` (a file, or an empty database on a server).
pub fn create(
    location: &location::Location,
    kind: crate::model::admin::DatabaseKind,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    match location {
        location::Location::File(path) => Ok(Box::new(Store::create(path, kind, clock)?)),
        location::Location::Server(url) => server_create(url, kind, clock),
    }
}

/// Opens the database at `location`, migrating it forward when it is older than this build.
pub fn open(
    location: &location::Location,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    match location {
        location::Location::File(path) => Ok(Box::new(Store::open_with_clock(path, clock)?)),
        location::Location::Server(url) => server_open(url, clock),
    }
}

#[cfg(feature = "postgres")]
fn server_create(
    url: &location::ServerUrl,
    kind: crate::model::admin::DatabaseKind,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    Ok(Box::new(postgres::Store::create(url, kind, clock)?))
}

#[cfg(feature = "postgres")]
fn server_open(
    url: &location::ServerUrl,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    Ok(Box::new(postgres::Store::open_with_clock(url, clock)?))
}

#[cfg(not(feature = "postgres"))]
fn server_create(
    url: &location::ServerUrl,
    _kind: crate::model::admin::DatabaseKind,
    _clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    Err(StoreError::Server {
        location: url.shown(),
        problem: ServerProblem::NotBuiltIn,
    })
}

#[cfg(not(feature = "postgres"))]
fn server_open(
    url: &location::ServerUrl,
    _clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn Backend>> {
    Err(StoreError::Server {
        location: url.shown(),
        problem: ServerProblem::NotBuiltIn,
    })
}

/// Refuses `op` unless the policy allows it for this session and household team.
pub(crate) fn authorize(
    session: &Session,
    op: Operation,
    household_team: Option<i64>,
) -> Result<()> {
    if policy::allows(session, op, household_team) {
        Ok(())
    } else {
        Err(StoreError::Denied {
            role: session.role,
            refused: Refused::Operation(op),
        })
    }
}
