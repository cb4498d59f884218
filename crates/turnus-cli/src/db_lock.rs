//! An advisory lock that marks an SQLite database file as in use. `serve` and `worker` hold a
//! shared lock on the file while they run, and `restore` takes the exclusive lock before it
//! replaces the file, so a restore fails while a server still has the old file open.
//!
//! The lock is `flock(2)`. SQLite locks with POSIX record locks, which on Linux are
//! independent of `flock` locks, so the two do not block each other.

use std::fs::File;
use std::path::Path;

/// A lock held on a database file until it is dropped.
#[derive(Debug)]
pub struct DatabaseLock {
    #[cfg(target_os = "linux")]
    _lock: nix::fcntl::Flock<File>,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds a lock that conflicts with the one requested.
    InUse,
    /// The file cannot be opened.
    Io(std::io::Error),
}

/// Takes a shared lock on `path` without waiting; any number of processes can share it.
pub fn lock_shared(path: &Path) -> Result<DatabaseLock, LockError> {
    lock(path, false)
}

/// Takes the exclusive lock on `path` without waiting, which fails while any other process
/// holds a shared or exclusive lock.
pub fn lock_exclusive(path: &Path) -> Result<DatabaseLock, LockError> {
    lock(path, true)
}

#[cfg(target_os = "linux")]
fn lock(path: &Path, exclusive: bool) -> Result<DatabaseLock, LockError> {
    use nix::fcntl::{Flock, FlockArg};

    let file = File::open(path).map_err(LockError::Io)?;
    let arg = if exclusive { FlockArg::LockExclusiveNonblock } else { FlockArg::LockSharedNonblock };
    match Flock::lock(file, arg) {
        Ok(lock) => Ok(DatabaseLock { _lock: lock }),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Err(LockError::InUse),
        Err((_, errno)) => Err(LockError::Io(errno.into())),
    }
}

// NOTE: only Linux builds take the lock (the `nix` dependency is Linux-only), so elsewhere
// `restore` cannot tell that a server uses the file.
#[cfg(not(target_os = "linux"))]
fn lock(path: &Path, _exclusive: bool) -> Result<DatabaseLock, LockError> {
    File::open(path).map_err(LockError::Io)?;
    Ok(DatabaseLock {})
}
