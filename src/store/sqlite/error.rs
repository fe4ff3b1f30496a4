//! SQLite's errors as the store's kinds: busy and locked become [`StoreError::Busy`], the rest
//! a [`BackendError`] classed by SQLite's error code.

use crate::store::{BackendError, BackendErrorKind, StoreError};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let kind = match e.sqlite_error_code() {
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => return StoreError::Busy,
            Some(C::DiskFull) => BackendErrorKind::DiskFull,
            // A write the file system refused: no space (SQLite says "full" only for ENOSPC),
            // a quota (EDQUOT) or a file-size limit (EFBIG) all read as a full disk; the
            // transaction is rolled back either way, so nothing was saved.
            Some(C::SystemIoFailure) if is_write_refused(&e) => BackendErrorKind::DiskFull,
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

/// Whether SQLite's I/O error is a refused write (`SQLITE_IOERR_WRITE`, or the fsync or
/// truncate that grows a file).
fn is_write_refused(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi;
    match e {
        rusqlite::Error::SqliteFailure(err, _) => matches!(
            err.extended_code,
            ffi::SQLITE_IOERR_WRITE | ffi::SQLITE_IOERR_TRUNCATE | ffi::SQLITE_IOERR_SHMSIZE
        ),
        _ => false,
    }
}
