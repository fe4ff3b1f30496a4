//! PostgreSQL's errors as the store's kinds: a lock wait beyond the busy limit and a
//! serialisation failure become [`StoreError::Busy`], the rest a [`BackendError`] classed by
//! the SQLSTATE code.

use postgres::error::SqlState;

use crate::store::{BackendError, BackendErrorKind, ServerProblem, StoreError};

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        let kind = match e.code() {
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => return StoreError::Busy,
            Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE => return StoreError::Busy,
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED => return StoreError::Busy,
            Some(c) if *c == SqlState::DISK_FULL => BackendErrorKind::DiskFull,
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => BackendErrorKind::ReadOnly,
            Some(c) if *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED => {
                BackendErrorKind::Damaged
            }
            Some(c) if c.code().starts_with("23") => BackendErrorKind::Constraint,
            Some(c) if c.code().starts_with("08") || c.code().starts_with("57P") => {
                BackendErrorKind::Connection
            }
            _ if e.is_closed() => BackendErrorKind::Connection,
            None => BackendErrorKind::Connection,
            _ => BackendErrorKind::Other,
        };
        StoreError::Backend(BackendError {
            kind,
            // The server's own words ("permission denied for table …"), not only "db error".
            detail: match e.as_db_error() {
                Some(db) => format!("{} ({})", db.message(), db.code().code()),
                None => e.to_string(),
            },
        })
    }
}

/// A failed connection attempt to `location`, classed for the user.
pub(crate) fn connect_error(location: &str, e: &postgres::Error) -> StoreError {
    let problem = match e.code() {
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => ServerProblem::UnknownDatabase,
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                || *c == SqlState::INSUFFICIENT_PRIVILEGE =>
        {
            ServerProblem::LoginRefused
        }
        _ if short(e).contains("certificate") => ServerProblem::UntrustedCertificate(short(e)),
        _ if e.to_string().contains("password missing")
            || short(e).contains("password missing") =>
        {
            ServerProblem::PasswordMissing
        }
        _ => ServerProblem::Unreachable(short(e)),
    };
    StoreError::Server {
        location: location.to_string(),
        problem,
    }
}

/// The first line of a driver error, without the chain of causes.
fn short(e: &postgres::Error) -> String {
    let text = match std::error::Error::source(e) {
        Some(source) => source.to_string(),
        None => e.to_string(),
    };
    text.lines().next().unwrap_or_default().to_string()
}
