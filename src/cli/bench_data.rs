//! `orderdesk bench-data`: fills an empty store with generated years of trading, through
//! intake and the engine's commands (see src/sample), for the benchmarks.

use super::common::{Context, Failure};
use crate::sample::{FillPlan, bench_settings, fill};

#[derive(clap::Args, Debug)]
pub struct BenchDataArgs {
    #[arg(long, default_value_t = 1_000_000,
          value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub orders: u64,
    #[arg(long, default_value_t = 200_000,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub customers: u64,
    #[arg(long, default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub products: u64,
    /// Orders per intake batch.
    #[arg(long, default_value_t = 1_000,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    pub batch: usize,
}

/// What the store needs on disk per order, customer and product, measured on generated data
/// with room to spare: sled keeps old versions until it compacts; redb's file before the
/// compaction at the end is about 5.7 KB an order (570 MB at 100,000 orders).
const BYTES_PER_ORDER: u64 = 24 * 1024;
const BYTES_PER_ORDER_REDB: u64 = 8 * 1024;
const BYTES_PER_RECORD: u64 = 2 * 1024;

pub fn bench_data(ctx: Context, args: BenchDataArgs) -> Result<i32, Failure> {
    let mut cfg = ctx.config()?;
    let dir = ctx.data_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::new("io", format!("{}: {e}", dir.display())))?;
    use crate::store::Engine as Kept;
    let engine = Kept::found_in(&dir).map_or_else(Kept::for_new_store, Ok);
    let per_order = match engine {
        Ok(Kept::Redb) => BYTES_PER_ORDER_REDB,
        _ => BYTES_PER_ORDER,
    };
    let need = args.orders * per_order + (args.customers + args.products) * BYTES_PER_RECORD;
    if let Some(free) = free_bytes(&dir)
        && free < need
    {
        return Err(Failure::new(
            "disk",
            format!(
                "{} has {} MB free; {} orders need about {} MB: free some space or use --data on a bigger disk",
                dir.display(),
                free / 1_000_000,
                args.orders,
                need / 1_000_000
            ),
        ));
    }
    let mut settings = cfg.settings();
    if !settings.iter().any(|s| s.id == "web") {
        settings.push(bench_settings());
    }
    cfg.stores.clear();
    let engine = crate::engine::Engine::open(&dir, &cfg.operator, settings)?;
    let held = engine.counts().total;
    if held > 0 {
        return Err(Failure::new(
            "usage",
            format!(
                "the store in {} already holds {held} orders; bench-data fills an empty store (give --data a new directory)",
                dir.display()
            ),
        ));
    }
    engine.bulk_load(true)?;
    let plan = FillPlan {
        orders: args.orders,
        customers: args.customers,
        products: args.products,
        batch: args.batch,
    };
    let report = fill(&engine, &plan, &mut |line| eprintln!("bench-data: {line}"))?;
    engine.bulk_load(false)?;
    engine.flush()?;
    let counts = engine.counts();
    println!(
        "filled {} with {} orders ({} booked, {} parked, {} rejected at intake; {} operator commands, {} changes sent), {} customers, {} products",
        dir.display(),
        counts.total,
        report.booked,
        report.parked,
        report.rejected,
        report.commands,
        report.pushed,
        args.customers,
        args.products
    );
    let filled_size = engine.size_on_disk();
    // Bulk commits leave pages no durable commit could reuse yet: give them back, as
    // `orderdesk store compact` does.
    drop(engine);
    let started = std::time::Instant::now();
    let mut store = reopen(&dir).map_err(crate::engine::EngineError::Store)?;
    store.compact().map_err(crate::engine::EngineError::Store)?;
    println!(
        "import {:.1} s, intake {:.1} s ({:.0} orders/s), operator work {:.1} s, compact {:.1} s; store size {} MB ({} MB before compacting)",
        report.import_secs,
        report.intake_secs,
        args.orders as f64 / report.intake_secs.max(1e-9),
        report.work_secs,
        started.elapsed().as_secs_f64(),
        store.size_on_disk() / 1_000_000,
        filled_size / 1_000_000
    );
    Ok(0)
}

/// The store opened again after the engine was dropped. The engine's status writer may still
/// hold it for a moment (a `status.json` being written when the engine was dropped): this
/// process's own hold is waited out, for up to 30 s.
fn reopen(dir: &std::path::Path) -> Result<crate::store::Store, crate::store::StoreError> {
    use crate::store::{Open, Store, StoreError};
    let me = std::process::id().to_string();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match Store::open_as(dir, Open::Existing) {
            Err(StoreError::Locked { pid, .. })
                if pid == me && std::time::Instant::now() < until =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            done => return done,
        }
    }
}

fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a valid C string and `st` a writable statvfs.
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}
