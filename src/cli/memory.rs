//! The allocator's settings for a process that stays open all day (the console, the demo,
//! the service).
//!
//! glibc gives each thread that allocates an arena of its own, and keeps what was freed in
//! each for later: the console's threads (the screen, the runtime's workers, the blocking
//! tasks that take in a sync's orders) left it holding about 30 MB more than it uses, measured
//! on the million-order store (BENCHMARKS.md, "the console's memory"). One arena, and memory
//! above 1 MB at its top given back to the system, cost the console nothing it would notice:
//! its allocations are small and mostly on one thread at a time.

/// Sets them, unless the user chose their own through glibc's `MALLOC_ARENA_MAX` or
/// `MALLOC_TRIM_THRESHOLD_`. Call it before any thread is started.
pub fn keep_small() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            // SAFETY: mallopt changes the allocator's parameters; no other thread runs yet.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 1);
            }
        }
        if std::env::var_os("MALLOC_TRIM_THRESHOLD_").is_none() {
            // SAFETY: as above.
            unsafe {
                libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
            }
        }
    }
}
