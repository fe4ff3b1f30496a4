//! SQLite's errors as the store's kinds: busy and locked become [`StoreError::Busy`], the rest
//! a [`BackendError`] classed by SQLite's error code.

use crate::store::{BackendError, BackendErrorKind, StoreError};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let kind = match e.sqlite_error_code() {
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => return StoreError::Busy,
            Some(C::DiskFull) => BackendErrorKind::DiskFull,
            Some(C::ReadOnly) => BackendErrorKind::ReadOnly,
            Some(C::DatabaseCorrupt) | Some(C::NotADatabase) => BackendErrorKind::Damaged,
            Some(C::CannotOpen) => BackendErrorKind::Connection,
            Some(C::ConstraintViolation) => BackendErrorKind::Constraint,
            _ => BackendErrorKind::Other,
        };
        StoreError::Backend(BackendError {
            kind,
            detail: e.to_string(),
        })
    }
}
