//! The holder's lock, taken before the storage engine opens anything, and what may be tidied
//! while it is held.
//!
//! `orderdesk.lock` in the data directory carries an exclusive `flock`: the operating system
//! drops it with its holder, `kill -9` included. Holding it first means no other orderdesk is
//! inside the engine's own open, so files that only an open in progress writes can be judged
//! left over.

use super::StoreError;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

/// The lock, held while this value lives.
pub(super) struct Holder {
    _file: File,
}

impl Holder {
    /// Takes the lock of the store in `dir`, or says who holds it.
    pub(super) fn take(dir: &Path) -> Result<Holder, StoreError> {
        let path = dir.join("orderdesk.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| super::io_error(&dir.display().to_string(), e))?;
        // SAFETY: flock on a descriptor this function owns; it blocks nothing (LOCK_NB).
        let taken = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if taken != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(held_by(dir));
            }
            return Err(super::io_error(&path.display().to_string(), e));
        }
        Ok(Holder { _file: file })
    }
}

/// The error for a store another process holds, naming its pid as it wrote it.
pub(super) fn held_by(dir: &Path) -> StoreError {
    let pid = std::fs::read_to_string(dir.join("holder.pid"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    StoreError::Locked {
        dir: dir.display().to_string(),
        pid,
    }
}
