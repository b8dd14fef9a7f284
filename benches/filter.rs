//! The Pending pane's filter on a big store (one filled by `orderdesk bench-data`), as the
//! console asks for it: requests of at most `SCAN_BUDGET` index entries, one after another,
//! until a pane of 28 rows is full or the index ends. For each filter: the requests, the rows,
//! the time of the slowest request and of them all; first with the OS page cache dropped
//! (when this process may write `/proc/sys/vm/drop_caches`, i.e. runs as root), then again.
//! Prints figures; asserts nothing.
//!
//! Run: `ORDERDESK_BENCH_STORE=DIR cargo bench --bench filter` (`FILTERS="kovacs,ko,zz"` to
//! choose the filters; the default has a common name, one order's name, two short words).

use orderdesk::engine::filter::OrderFilter;
use orderdesk::engine::{Engine, PageFrom};
use std::time::{Duration, Instant};

const PANE_ROWS: usize = 28;

fn main() {
    let Some(dir) = std::env::var_os("ORDERDESK_BENCH_STORE") else {
        println!(
            "filter bench: set ORDERDESK_BENCH_STORE=DIR (a store filled by `orderdesk bench-data`)"
        );
        return;
    };
    let filters = std::env::var("FILTERS")
        .unwrap_or_else(|_| "kovacs,szabo,1095432,state:booked nagy,ko,zq".to_string());
    let opened = Instant::now();
    let engine = match Engine::open(std::path::Path::new(&dir), "bench", Vec::new()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("filter bench: {e}");
            std::process::exit(1);
        }
    };
    println!("store opened in {:.0?}", opened.elapsed());
    for text in filters.split(',') {
        let filter = match OrderFilter::parse(text) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("filter bench: {text:?}: {e}");
                continue;
            }
        };
        for pass in ["cold", "warm"] {
            let cold = pass == "cold" && drop_caches();
            let label = if pass == "cold" && !cold {
                "first"
            } else {
                pass
            };
            let (requests, rows, slowest, all) = fill_pane(&engine, &filter);
            println!(
                "filter {text:?} ({label}): {rows} rows in {requests} requests, \
                 {:.1} ms in all, slowest request {:.1} ms",
                ms(all),
                ms(slowest)
            );
        }
    }
}

/// The console's walk for one pane: request after request until it is full or nothing is left.
fn fill_pane(engine: &Engine, filter: &OrderFilter) -> (usize, usize, Duration, Duration) {
    let (mut from, mut rows, mut requests) = (PageFrom::Start, 0, 0);
    let (mut slowest, started) = (Duration::ZERO, Instant::now());
    loop {
        let t = Instant::now();
        let page = match engine.filter_page(filter, from, PANE_ROWS - rows) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("filter bench: {e}");
                break;
            }
        };
        slowest = slowest.max(t.elapsed());
        requests += 1;
        rows += page.rows.len();
        match page.resume {
            Some(k) if page.more && rows < PANE_ROWS => from = PageFrom::After(k),
            _ => break,
        }
    }
    (requests, rows, slowest, started.elapsed())
}

fn drop_caches() -> bool {
    std::fs::write("/proc/sys/vm/drop_caches", "1").is_ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
