//! Kill points for the crash harness (`scripts/crash-harness`): numbered places where a debug
//! build can be told to die, so that a seed replays the same deaths.
//!
//! Each place that matters for durability (a store commit, a flush, a request to a shop, its
//! answer) calls [`here`]. With `ORDERDESK_KILL_AT=N` the N-th call of the process, counting
//! from 1, sends SIGKILL to the process itself: what `kill -9` from outside would do at that
//! very instruction. With `ORDERDESK_KILL_LOG=PATH` every call appends `N label` to PATH, so
//! the harness learns where a run died and how many points an unkilled run passed.
//!
//! A leaf: it uses nothing else of the crate. A release build compiles [`here`] to nothing.

/// Marks a kill point; `label` says what kind of place it is.
#[inline]
pub fn here(label: &'static str) {
    #[cfg(debug_assertions)]
    armed::here(label);
    #[cfg(not(debug_assertions))]
    let _ = label;
}

#[cfg(debug_assertions)]
mod armed {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Mutex, OnceLock};

    /// What the environment asked for, read once per process.
    struct Plan {
        kill_at: Option<u64>,
        log: Option<Mutex<std::fs::File>>,
    }

    static PLAN: OnceLock<Plan> = OnceLock::new();
    static PASSED: AtomicU64 = AtomicU64::new(0);

    fn plan() -> Plan {
        let kill_at = std::env::var("ORDERDESK_KILL_AT")
            .ok()
            .and_then(|v| v.trim().parse().ok());
        let log = std::env::var_os("ORDERDESK_KILL_LOG").and_then(|p| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .ok()
        });
        Plan {
            kill_at,
            log: log.map(Mutex::new),
        }
    }

    pub(super) fn here(label: &'static str) {
        let plan = PLAN.get_or_init(plan);
        if plan.kill_at.is_none() && plan.log.is_none() {
            return;
        }
        let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(log) = &plan.log
            && let Ok(mut f) = log.lock()
        {
            // One write per line: a kill right after it still leaves the line whole.
            let _ = f.write_all(format!("{n} {label}\n").as_bytes());
        }
        if plan.kill_at == Some(n) {
            // SAFETY: getpid and kill have no preconditions; SIGKILL ends the process here.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
        }
    }
}
