//! The sync pacing benchmark (run by `scripts/bench-sync`): how much of Shopify's cost bucket a
//! sync uses once it has to wait for it.
//!
//! For each restore rate: `orderdesk sim` with N orders and a bucket of 1000 points (its
//! products and customers imported into a fresh store), then `orderdesk sync --once` against
//! it. The simulator logs each query that reached its bucket (`GET /_sim/charges`: time,
//! requested and actual cost, THROTTLED or not, the bucket after it). The window starts at the
//! first answer that left the bucket below what that query requests (the bucket's first fill is
//! spent: the client must wait from here on) and lasts `--window` seconds; once the log reaches
//! its end the sync is stopped. Figures: Σ actual points of the queries answered in the window
//! ÷ (restore rate × window), and THROTTLED answers over the whole run.
//!
//! Usage: bench_sync --bin PATH/orderdesk [--orders 20000] [--window 120] [--restore 50,100]
//! [--json]. Exit 1 when a run misses the target (ratio ≥ 0.95, no THROTTLED) or fails.

use orderdesk::sim::shopify::charges::{Charge, Pacing, pacing};
use serde::Serialize;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const BUCKET: u32 = 1000;
const TARGET_RATIO: f64 = 0.95;

type Res<T> = Result<T, String>;

struct Opts {
    bin: PathBuf,
    orders: usize,
    window: f64,
    restores: Vec<u32>,
    json: bool,
}

#[derive(Serialize)]
struct Figures {
    restore: u32,
    bucket: u32,
    orders: usize,
    seed_seconds: f64,
    sim_peak_rss_mb: f64,
    pacing: Pacing,
    queries: usize,
    /// The simulator's time per query (arrival to charge), median and largest, in ms.
    sim_answer_ms: (f64, f64),
    orders_synced: u64,
    sync_cpu_seconds: f64,
    load_before: f64,
    load_after: f64,
    met: bool,
}

fn parse_args() -> Res<Opts> {
    let mut opts = Opts {
        bin: PathBuf::from("target/release/orderdesk"),
        orders: 20_000,
        window: 120.0,
        restores: vec![50, 100],
        json: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--bin" => opts.bin = PathBuf::from(value()?),
            "--orders" => opts.orders = value()?.parse().map_err(|e| format!("--orders: {e}"))?,
            "--window" => opts.window = value()?.parse().map_err(|e| format!("--window: {e}"))?,
            "--restore" => {
                opts.restores = value()?
                    .split(',')
                    .map(|r| r.trim().parse().map_err(|e| format!("--restore: {e}")))
                    .collect::<Res<_>>()?
            }
            "--json" => opts.json = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench_sync: {e}");
            return ExitCode::from(2);
        }
    };
    let mut all = Vec::new();
    let mut ok = true;
    for &restore in &opts.restores {
        match run(&opts, restore) {
            Ok(f) => {
                ok &= f.met;
                if !opts.json {
                    print_figures(&f);
                }
                all.push(f);
            }
            Err(e) => {
                ok = false;
                eprintln!("bench_sync: restore {restore}/s: {e}");
            }
        }
    }
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_figures(f: &Figures) {
    let p = &f.pacing;
    println!(
        "sync pacing: restore {}/s, bucket {}, {} orders (seeded in {:.1} s, simulator peak RSS {:.0} MB)",
        f.restore, f.bucket, f.orders, f.seed_seconds, f.sim_peak_rss_mb
    );
    println!(
        "  ratio      {:.3}  ({} actual points in the window ÷ {:.0} restored)",
        p.ratio,
        p.points,
        f64::from(f.restore) * p.window
    );
    println!(
        "  window     {:.0} s from {:.2} s after the simulator started (its first fill spent)",
        p.window, p.start
    );
    println!(
        "  bucket     {:.0} at the start, {:.0} at the end; restore lost to a full bucket: {:.0}",
        p.level_start, p.level_end, p.lost
    );
    println!(
        "  throttled  {}  (queries: {} in the window, {} in the run)",
        p.throttled, p.queries, f.queries
    );
    println!(
        "  simulator  {:.1} ms a query (median), {:.1} ms at most",
        f.sim_answer_ms.0, f.sim_answer_ms.1
    );
    println!(
        "  synced     {} orders in the store; sync CPU {:.1} s; load average {:.2} → {:.2}",
        f.orders_synced, f.sync_cpu_seconds, f.load_before, f.load_after
    );
    println!(
        "  target     {}",
        if f.met {
            "met (ratio ≥ 0.95, no THROTTLED answer)"
        } else {
            "MISSED (ratio ≥ 0.95, no THROTTLED answer)"
        }
    );
}

/// A child process ended when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(opts: &Opts, restore: u32) -> Res<Figures> {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = home.path();
    let load_before = load_average();
    let started = Instant::now();
    let export = home.join("export");
    let mut sim = Command::new(&opts.bin)
        .args(["sim", "--platform", "shopify", "--listen", "127.0.0.1:0"])
        .args(["--orders", &opts.orders.to_string()])
        .args(["--bucket", &BUCKET.to_string()])
        .args(["--restore", &restore.to_string(), "--export"])
        .arg(&export)
        // What is measured is the paced reading of pages: a first sync would read its window
        // by a bulk operation, so the shop fails that one at once and the run reads pages.
        .args([
            "--faults",
            r#"{"bulk_fail_next": 1, "bulk_objects_per_second": 1000000}"#,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map(Proc)
        .map_err(|e| format!("cannot start {}: {e}", opts.bin.display()))?;
    let mut line = String::new();
    BufReader::new(sim.0.stdout.take().ok_or("no simulator stdout")?)
        .read_line(&mut line)
        .map_err(|e| format!("simulator: {e}"))?;
    let seed_seconds = started.elapsed().as_secs_f64();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or(format!("the simulator said {line:?}"))?
        .to_string();
    let od = Orderdesk {
        bin: opts.bin.clone(),
        home: home.to_path_buf(),
    };
    std::fs::write(
        home.join("orderdesk.toml"),
        format!(
            "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    for kind in ["products", "customers"] {
        let file = export.join(format!("{kind}.csv"));
        let status = od.cmd(&["import", kind]).arg(file).status();
        if !status.is_ok_and(|s| s.success()) {
            return Err(format!("importing {kind} failed"));
        }
    }
    let sync_err = std::fs::File::create(home.join("sync.err")).map_err(|e| e.to_string())?;
    let mut sync = od
        .cmd(&["sync", "--once"])
        .stdout(Stdio::null())
        .stderr(sync_err)
        .spawn()
        .map(Proc)
        .map_err(|e| format!("cannot start the sync: {e}"))?;
    let charges_url = format!("{url}/_sim/charges");
    let deadline = Instant::now() + Duration::from_secs_f64(opts.window + 120.0);
    let charges = loop {
        std::thread::sleep(Duration::from_secs(2));
        let charges = fetch_charges(&charges_url)?;
        let done = pacing(&charges, f64::from(BUCKET), f64::from(restore), opts.window).is_ok();
        let exited = sync.0.try_wait().map_err(|e| e.to_string())?.is_some();
        if done || exited || Instant::now() > deadline {
            break charges;
        }
    };
    let sync_cpu_seconds = cpu_seconds(sync.0.id());
    drop(sync);
    let sim_peak_rss_mb = peak_rss_mb(sim.0.id());
    drop(sim);
    let pacing = pacing(&charges, f64::from(BUCKET), f64::from(restore), opts.window)
        .map_err(|e| format!("{e}; the sync said: {}", sync_said(home)))?;
    let status = od.json(&["status", "--json"])?;
    let met = pacing.ratio >= TARGET_RATIO && pacing.throttled == 0;
    Ok(Figures {
        restore,
        bucket: BUCKET,
        orders: opts.orders,
        seed_seconds,
        sim_peak_rss_mb,
        queries: charges.len(),
        sim_answer_ms: answer_ms(&charges),
        orders_synced: status
            .pointer("/orders/total")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        pacing,
        sync_cpu_seconds,
        load_before,
        load_after: load_average(),
        met,
    })
}

struct Orderdesk {
    bin: PathBuf,
    home: PathBuf,
}

impl Orderdesk {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.env("SHOP_TOKEN", "t")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .arg("--config")
            .arg(self.home.join("orderdesk.toml"))
            .arg("--data")
            .arg(self.home.join("store"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn json(&self, args: &[&str]) -> Res<Value> {
        let out = self
            .cmd(args)
            .stdout(Stdio::piped())
            .output()
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{args:?}: not JSON: {e}"))
    }
}

fn fetch_charges(url: &str) -> Res<Vec<Charge>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let body: Value = rt.block_on(async {
        let resp = reqwest::get(url).await.map_err(|e| e.to_string())?;
        resp.json::<Value>().await.map_err(|e| e.to_string())
    })?;
    let list = body.get("charges").cloned().unwrap_or(Value::Null);
    serde_json::from_value(list).map_err(|e| format!("/_sim/charges: {e}"))
}

/// The median and the largest time the simulator took per query, in ms.
fn answer_ms(charges: &[Charge]) -> (f64, f64) {
    let mut took: Vec<f64> = charges.iter().map(|c| c.took * 1000.0).collect();
    took.sort_by(f64::total_cmp);
    let median = took.get(took.len() / 2).copied().unwrap_or(f64::NAN);
    (median, took.last().copied().unwrap_or(f64::NAN))
}

/// The last lines the sync wrote to stderr.
fn sync_said(home: &Path) -> String {
    let text = std::fs::read_to_string(home.join("sync.err")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// User + system CPU time of a running process, from /proc/PID/stat.
fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return f64::NAN;
    };
    // The fields after the command name (which may hold spaces) start at the state, field 3.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) if hz > 0.0 => (u + s) / hz,
        _ => f64::NAN,
    }
}

/// The peak resident set of a running process, from /proc/PID/status.
fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
