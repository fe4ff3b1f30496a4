//! The store: the only place with SQL.
//!
//! This module is backend-neutral: the errors, the audit chain's pure half and the access
//! decision every backend calls. Each backend lives in a folder of its own (`sqlite/`) and
//! keeps the same promises: every write runs in one transaction; every write and every read of
//! one household's data appends an audit row in that same transaction; queries use bound
//! parameters only.

pub mod api;
pub mod audit;
mod error;
pub mod sqlite;

use crate::auth::Session;
use crate::auth::policy::{self, Operation};

pub use api::{
    AccountStore, AppStore, Backend, DemoStore, HouseholdStore, ImportStore, MaintenanceStore,
    MessageStore, PrivacyStore,
};
pub use error::{BackendError, BackendErrorKind, Missing, Refused, Result, StoreError};
pub use sqlite::{BUSY_TIMEOUT, Store, remove_database_files};

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
