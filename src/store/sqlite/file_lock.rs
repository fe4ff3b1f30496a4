//! Who has the database file open: every open store holds a shared lock (`flock`) on the file
//! for as long as it lives, and a restore takes the exclusive lock for the whole swap, so a
//! restore never replaces a file that a terminal app or a command still uses. SQLite's own
//! locks are POSIX record locks, which on Linux are independent of `flock`.
//!
//! A store also remembers which file it opened (device and inode): when the path names another
//! file later (replaced behind its back), its next save is refused instead of going to the
//! unlinked file.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use crate::store::{Result, StoreError};

/// The identity of a file: device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileId {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
fn id_of(meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    }
}

#[cfg(not(unix))]
fn id_of(_meta: &std::fs::Metadata) -> FileId {
    FileId { dev: 0, ino: 0 }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The identity of the file at `path` now.
pub(crate) fn current_id(path: &Path) -> Option<FileId> {
    std::fs::metadata(path).ok().map(|m| id_of(&m))
}

/// A shared lock on the database file, held by an open store.
#[derive(Debug)]
pub(crate) struct SharedLock {
    _file: File,
    id: FileId,
}

impl SharedLock {
    /// Takes the shared lock on the file at `path`, waiting while a restore holds it; when the
    /// restore replaced the file meanwhile, locks the new one.
    pub(crate) fn take(path: &Path) -> Result<SharedLock> {
        for _ in 0..5 {
            let file = File::open(path).map_err(io(path))?;
            file.lock_shared().map_err(io(path))?;
            let id = id_of(&file.metadata().map_err(io(path))?);
            if current_id(path) == Some(id) {
                return Ok(SharedLock { _file: file, id });
            }
        }
        Err(StoreError::Replaced(path.to_path_buf()))
    }

    /// The file this lock is on.
    pub(crate) fn id(&self) -> FileId {
        self.id
    }
}

/// The exclusive lock a restore holds from the moment it knows nobody else has the database
/// open until the verified copy is in place.
#[derive(Debug)]
pub struct ExclusiveLock {
    _file: File,
    path: PathBuf,
}

impl ExclusiveLock {
    /// Takes the exclusive lock on the file at `path` without waiting; refuses with
    /// [`StoreError::InUse`] while any other store (in any process) has the file open.
    pub(crate) fn try_take(path: &Path) -> Result<ExclusiveLock> {
        let file = File::open(path).map_err(io(path))?;
        match file.try_lock() {
            Ok(()) => Ok(ExclusiveLock {
                _file: file,
                path: path.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(StoreError::InUse(path.to_path_buf())),
            Err(TryLockError::Error(e)) => Err(io(path)(e)),
        }
    }

    /// The database file locked.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}
