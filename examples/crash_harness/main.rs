//! The crash harness (run by `scripts/crash-harness [ROUNDS] [SEED]`): proves that killing
//! orderdesk at any moment loses nothing and sends nothing twice.
//!
//! One `orderdesk sim` for the whole run, one store. Each round, chosen by a seeded generator:
//! either (a) `sync --once` (sometimes after the shop cancelled a booked order), or (b) an
//! operator action on a booked order (ready-to-ship then shipped with tracking `T<round>`, or
//! refused), sometimes with the shop armed to apply a change and then drop the answer. The run
//! dies by SIGKILL at kill point k (`ORDERDESK_KILL_AT`, src/killpoint.rs: before and after
//! each store commit, after each flush, before each request to the shop and after its
//! answer), k drawn either from 1 to a little more than the most points an unkilled run of
//! its kind passed, or as one place of a kind of point drawn first (so the few requests to
//! the shop get their share), so the same seed replays the same kill points; each round prints its kill line and
//! the end a digest of them all. Then `sync --once` finishes, and the round checks:
//! every eligible simulator order stored exactly once, in a state the round allows; stock =
//! start − what holding orders took; at the shop at most one fulfillment and one cancel per
//! order, and every shipped / refused order's change arrived; the outbox empty; `check` clean.
//!
//! Usage: crash_harness --bin PATH/orderdesk [ROUNDS] [SEED]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// splitmix64: small, seeded, the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const HOLDING: [&str; 5] = [
    "booked",
    "ready_for_pickup",
    "ready_to_ship",
    "shipped",
    "completed",
];

struct Harness {
    bin: PathBuf,
    home: PathBuf,
    url: String,
    rng: Rng,
    /// Order name -> the states it may be in now (what the shop and our actions allow).
    allowed: BTreeMap<String, BTreeSet<String>>,
    /// Order name -> the tracking number its shipment was given.
    tracking: BTreeMap<String, String>,
    /// Order name -> its remote id, as last seen in the store.
    remote: BTreeMap<String, String>,
    start_stock: BTreeMap<String, i64>,
    kills_sync: u64,
    kills_action: u64,
    finished_before_kill: u64,
    shop_cancels: u64,
    drops_armed: u64,
    failures: Vec<String>,
    /// Kind of run -> the kill points of its runs that did their whole work.
    learnt: BTreeMap<String, kill::Learnt>,
    /// Kill point label -> kills that landed there.
    kills_at: BTreeMap<String, u64>,
    /// Every round's kill line folded together (`kill::fold`).
    digest: u64,
}

type Res<T> = Result<T, String>;

/// An overlap reaching before every order the simulator holds (a year).
const WHOLE_SHOP_S: u64 = 365 * 24 * 3600;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let bin = match args.iter().position(|a| a == "--bin") {
        Some(i) if i + 1 < args.len() => {
            PathBuf::from(args.drain(i..i + 2).nth(1).unwrap_or_default())
        }
        _ => PathBuf::from("target/debug/orderdesk"),
    };
    let rounds: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 % 1_000_000_000)
            .unwrap_or(1)
    });
    println!(
        "crash harness: seed {seed}, {rounds} rounds (replay: scripts/crash-harness {rounds} {seed})"
    );
    let started = Instant::now();
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("no temporary directory: {e}");
            std::process::exit(1);
        }
    };
    let mut failures = 0usize;
    let code = match run(bin, dir.path(), rounds, seed) {
        Ok(h) if h.failures.is_empty() => 0,
        Ok(h) => {
            failures = h.failures.len();
            for f in &h.failures {
                println!("FAILURE {f}");
            }
            let kept = dir.keep();
            println!(
                "store kept in {}; reproduce: scripts/crash-harness {rounds} {seed}",
                kept.display()
            );
            1
        }
        Err(e) => {
            failures = 1;
            println!("FAILURE {e}");
            let kept = dir.keep();
            println!(
                "store kept in {}; reproduce: scripts/crash-harness {rounds} {seed}",
                kept.display()
            );
            1
        }
    };
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    // The closing line CI reads: rounds that held, and failures found.
    let failed = if code == 0 { 0 } else { failures.max(1) };
    let passed = if code == 0 { rounds } else { 0 };
    println!("crash-harness: {passed} passed, {failed} failed");
    std::process::exit(code);
}

fn run(bin: PathBuf, home: &Path, rounds: u64, seed: u64) -> Res<Harness> {
    let help = Command::new(&bin).args(["check", "--help"]).output();
    if !help.is_ok_and(|o| o.status.success()) {
        return Err(format!(
            "{} has no `check` subcommand: a stale or foreign build",
            bin.display()
        ));
    }
    let export = home.join("export");
    let mut sim = Command::new(&bin)
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--orders",
            "80",
            // A bucket no run drains: the cost waits would only slow the rounds down.
            "--restore",
            "20000",
        ])
        .args([
            "--bucket",
            "20000",
            "--seed",
            &(seed % 97 + 1).to_string(),
            "--export",
        ])
        .arg(&export)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the simulator {}: {e}", bin.display()))?;
    let mut line = String::new();
    BufReader::new(sim.stdout.take().ok_or("no simulator stdout")?)
        .read_line(&mut line)
        .map_err(|e| format!("simulator: {e}"))?;
    let url = line.trim().trim_start_matches("listening on ").to_string();
    // The simulator stamps changes with its wall clock, in whole seconds: with the usual
    // 60 s overlap, which orders a later run reads again (and so how many pages and kill
    // points it passes) would hang on how fast the rounds ran. Reading back to the start
    // every run keeps the same seed on the same kill points. (Orders changed in the same
    // second may still come in either order; that moves no count.)
    let cfg = format!(
        "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\noverlap_seconds = {WHOLE_SHOP_S}\n[store.carriers]\nDHL = \"DHL Express\"\n"
    );
    std::fs::write(home.join("orderdesk.toml"), cfg).map_err(|e| e.to_string())?;
    let mut h = Harness {
        bin,
        home: home.to_path_buf(),
        url,
        rng: Rng(seed),
        allowed: BTreeMap::new(),
        tracking: BTreeMap::new(),
        remote: BTreeMap::new(),
        start_stock: BTreeMap::new(),
        kills_sync: 0,
        kills_action: 0,
        finished_before_kill: 0,
        shop_cancels: 0,
        drops_armed: 0,
        failures: Vec::new(),
        learnt: BTreeMap::new(),
        kills_at: BTreeMap::new(),
        digest: kill::FOLD_START,
    };
    let result = h.setup(&export).and_then(|_| h.rounds(rounds));
    let _ = sim.kill();
    let _ = sim.wait();
    result.map(|_| h)
}

impl Harness {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.env("SHOP_TOKEN", "t")
            .env_remove("ORDERDESK_KILL_AT")
            .env_remove("ORDERDESK_KILL_LOG")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .arg("--config")
            .arg(self.home.join("orderdesk.toml"))
            .arg("--data")
            .arg(self.home.join("store"))
            .args(args)
            .stdin(Stdio::null());
        c
    }

    fn od(&self, args: &[&str]) -> Res<(i32, String)> {
        let out = self.cmd(args).output().map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        Ok((
            out.status.code().unwrap_or(-1),
            text + &String::from_utf8_lossy(&out.stderr),
        ))
    }

    fn json(&self, args: &[&str]) -> Res<Value> {
        let out = self
            .cmd(args)
            .stderr(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{args:?}: not JSON: {e}"))
    }

    fn http(&self, method: &str, path: &str, body: Option<Value>) -> Res<Value> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let url = format!("{}{path}", self.url);
        rt.block_on(async move {
            let c = reqwest::Client::new();
            let req = if method == "GET" {
                c.get(url)
            } else {
                c.post(url).json(&body.unwrap_or(Value::Null))
            };
            let resp = req.send().await.map_err(|e| e.to_string())?;
            resp.json::<Value>().await.map_err(|e| e.to_string())
        })
    }

    fn setup(&mut self, export: &Path) -> Res<()> {
        let expected: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(export.join("expected.json")).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        for e in expected.iter().filter(|e| e["state"] != "skipped") {
            let name = e["name"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches('#')
                .to_string();
            let state = e["state"].as_str().unwrap_or_default().to_string();
            self.allowed.insert(name, BTreeSet::from([state]));
        }
        let csv =
            std::fs::read_to_string(export.join("products.csv")).map_err(|e| e.to_string())?;
        let mut rd = csv::Reader::from_reader(csv.as_bytes());
        let headers = rd.headers().map_err(|e| e.to_string())?.clone();
        let col = |n: &str| {
            headers
                .iter()
                .position(|h| h == n)
                .ok_or(format!("products.csv has no {n}"))
        };
        let (id, stock) = (col("id")?, col("stock")?);
        for r in rd.records() {
            let r = r.map_err(|e| e.to_string())?;
            let n = r
                .get(stock)
                .unwrap_or("0")
                .trim()
                .parse()
                .map_err(|e| format!("stock: {e}"))?;
            self.start_stock
                .insert(r.get(id).unwrap_or_default().to_string(), n);
        }
        for (kind, file) in [("products", "products.csv"), ("customers", "customers.csv")] {
            let path = export.join(file);
            let (code, out) = self.od(&["import", kind, &path.to_string_lossy()])?;
            if code != 0 {
                return Err(format!("import {kind}: {out}"));
            }
        }
        Ok(())
    }

    fn rounds(&mut self, rounds: u64) -> Res<()> {
        for round in 1..=rounds {
            if round == 1 || self.rng.chance(45) {
                self.sync_round(round)?;
            } else {
                self.action_round(round)?;
            }
            let ran = self.run_to(&["sync", "--once"], "sync", None)?;
            if ran.code != 0 {
                self.failures.push(format!(
                    "round {round}: the finishing sync failed: {}",
                    ran.output
                ));
            }
            let before = self.failures.len();
            self.verify(round)?;
            if self.failures.len() > before {
                return Ok(());
            }
        }
        let (orders, sent) = self.totals()?;
        println!(
            "rounds {rounds}, kills during sync {}, kills during actions {}, finished before the kill {}, \
             shop-side cancels {}, dropped answers armed {}, orders {orders}, changes sent {sent}, failures {}",
            self.kills_sync,
            self.kills_action,
            self.finished_before_kill,
            self.shop_cancels,
            self.drops_armed,
            self.failures.len()
        );
        let at: Vec<String> = self
            .kills_at
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        println!("kills by point: {}", at.join(", "));
        println!("kill points digest {:016x}", self.digest);
        Ok(())
    }
}

mod kill;
mod rounds;
