//! The crash harness (run by `scripts/crash-harness [ROUNDS] [SEED]`): proves that killing
//! orderdesk at any moment loses nothing and sends nothing twice, on every platform.
//!
//! One `orderdesk sim` per platform that has a simulator in the registry (`shops.rs`), each
//! behind its own store, all stores in one data directory (as `orderdesk demo` has them); the
//! rounds take the platforms in turn. Each round, chosen by a seeded generator: either (a)
//! `sync --once` of that shop's store alone (sometimes after the shop cancelled a booked
//! order), or (b) an operator action on one of its booked orders (ready-to-ship then shipped
//! with tracking `T<round>`, or refused), sometimes with the shop armed to apply a change and
//! then drop the answer. The run dies by SIGKILL at kill point k (`ORDERDESK_KILL_AT`,
//! src/killpoint.rs: before and after each store commit, after each flush, before each
//! request to the shop and after its answer), k drawn either from 1 to a little more than the
//! most points an unkilled run of its kind (and platform) passed, or as one place of a kind of
//! point drawn first (so the few requests to the shop get their share), so the same seed
//! replays the same kill points; each round prints its kill line and the end a digest of them
//! all. Then `sync --once` of every store finishes, and the round checks: every eligible
//! simulator order stored exactly once, in a state the round allows; stock = start − what
//! holding orders of every store took; at each shop no change of one kind twice for an order
//! (`GET /_sim/log`: a fulfillment, a cancel, a refund, a status change), and every shipped /
//! refused order's change arrived (a shipment with its tracking, and the status where the
//! platform sets one on shipping; a cancel); the outbox empty; `check` clean.
//!
//! Usage: crash_harness --bin PATH/orderdesk [ROUNDS] [SEED]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
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
    rng: Rng,
    /// The shops, in registry order; round r is the turn of shop (r - 1) % their number.
    shops: Vec<shops::Shop>,
    /// `store:name` (the order's reference) -> the states it may be in now (what the shop
    /// and our actions allow).
    allowed: BTreeMap<String, BTreeSet<String>>,
    /// Order reference -> the tracking number its shipment was given.
    tracking: BTreeMap<String, String>,
    /// Order reference -> its remote id, as last seen in the store.
    remote: BTreeMap<String, String>,
    start_stock: BTreeMap<String, i64>,
    /// (store, "sync" or "action") -> kills.
    kills: BTreeMap<(String, &'static str), u64>,
    finished_before_kill: u64,
    shop_cancels: u64,
    drops_armed: u64,
    failures: Vec<String>,
    /// Kind of run -> the kill points of its runs that did their whole work.
    learnt: BTreeMap<String, kill::Learnt>,
    /// (store, kill point label) -> kills that landed there.
    kills_at: BTreeMap<(String, String), u64>,
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
    let engine = std::env::var("ORDERDESK_NEW_STORE_ENGINE").unwrap_or_else(|_| "redb".into());
    println!(
        "crash harness: seed {seed}, {rounds} rounds, {engine} store (replay: ORDERDESK_NEW_STORE_ENGINE={engine} scripts/crash-harness {rounds} {seed})"
    );
    let started = Instant::now();
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("no temporary directory: {e}");
            std::process::exit(1);
        }
    };
    let failures = match run(bin, dir.path(), rounds, seed) {
        Ok(h) => h.failures,
        Err(e) => vec![e],
    };
    for f in &failures {
        println!("FAILURE {f}");
    }
    if !failures.is_empty() {
        let kept = dir.keep();
        println!(
            "store kept in {}; reproduce: scripts/crash-harness {rounds} {seed}",
            kept.display()
        );
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    // The closing line CI reads: rounds that held, and failures found.
    let passed = if failures.is_empty() { rounds } else { 0 };
    println!("crash-harness: {passed} passed, {} failed", failures.len());
    std::process::exit(if failures.is_empty() { 0 } else { 1 });
}

fn run(bin: PathBuf, home: &Path, rounds: u64, seed: u64) -> Res<Harness> {
    let help = Command::new(&bin).args(["check", "--help"]).output();
    if !help.is_ok_and(|o| o.status.success()) {
        return Err(format!(
            "{} has no `check` subcommand: a stale or foreign build",
            bin.display()
        ));
    }
    // The simulators stamp changes with their wall clocks, in whole seconds: with the usual
    // 60 s overlap, which orders a later run reads again (and so how many pages and kill
    // points it passes) would hang on how fast the rounds ran. Reading back to the start
    // every run (`WHOLE_SHOP_S`) keeps the same seed on the same kill points. (Orders changed
    // in the same second may still come in either order; that moves no count.)
    let shops = shops::start_all(&bin, home, seed)?;
    for s in &shops {
        let settings = s.switches.iter().map(|w| format!(", {w}"));
        println!(
            "store {}: {}{}",
            s.store,
            s.platform,
            settings.collect::<String>()
        );
    }
    let all: String = shops.iter().map(|s| s.table.as_str()).collect();
    std::fs::write(home.join("orderdesk.toml"), all).map_err(|e| e.to_string())?;
    let mut h = Harness {
        bin,
        home: home.to_path_buf(),
        rng: Rng(seed),
        shops,
        allowed: BTreeMap::new(),
        tracking: BTreeMap::new(),
        remote: BTreeMap::new(),
        start_stock: BTreeMap::new(),
        kills: BTreeMap::new(),
        finished_before_kill: 0,
        shop_cancels: 0,
        drops_armed: 0,
        failures: Vec::new(),
        learnt: BTreeMap::new(),
        kills_at: BTreeMap::new(),
        digest: kill::FOLD_START,
    };
    h.setup()?;
    h.rounds(rounds)?;
    Ok(h)
}

impl Harness {
    /// orderdesk with `args`, on the data directory and the config with every store.
    fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_with(&self.home.join("orderdesk.toml"), args)
    }

    fn cmd_with(&self, config: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        for var in self.shops.iter().flat_map(|s| &s.env) {
            c.env(var, shops::CREDENTIAL);
        }
        c.env_remove("ORDERDESK_KILL_AT")
            .env_remove("ORDERDESK_KILL_LOG")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .arg("--config")
            .arg(config)
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

    /// A request to the test API of shop `shop` (`/_sim/...`).
    fn http(&self, shop: usize, method: &str, path: &str, body: Option<Value>) -> Res<Value> {
        let base = self.shops.get(shop).ok_or("no such shop")?.url.clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let url = format!("{base}{path}");
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

    /// Imports every shop's products and customers (its links naming its store), as
    /// `orderdesk demo` does; learns each shop's eligible orders and the stock at the start.
    fn setup(&mut self) -> Res<()> {
        let read =
            |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
        for shop in &self.shops {
            let expected: Vec<Value> =
                serde_json::from_str(&read(shop.export.join("expected.json"))?)
                    .map_err(|e| e.to_string())?;
            for e in expected.iter().filter(|e| e["state"] != "skipped") {
                let name = e["name"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches('#');
                let state = e["state"].as_str().unwrap_or_default().to_string();
                self.allowed
                    .insert(format!("{}:{name}", shop.store), BTreeSet::from([state]));
            }
            let customers = orderdesk::sim::seed::catalog::linked_to(
                &read(shop.export.join("customers.csv"))?,
                &shop.store,
            )
            .map_err(|e| e.to_string())?;
            let linked = shop.export.join("customers-linked.csv");
            std::fs::write(&linked, customers).map_err(|e| e.to_string())?;
            for (kind, path) in [
                ("products", shop.export.join("products.csv")),
                ("customers", linked),
            ] {
                let (code, out) = self.od(&["import", kind, &path.to_string_lossy()])?;
                if code != 0 {
                    return Err(format!("import {kind} for {}: {out}", shop.store));
                }
            }
        }
        let products = self.json(&["products", "--json"])?;
        for p in products.as_array().into_iter().flatten() {
            let id = p["id"].as_str().unwrap_or_default().to_string();
            self.start_stock
                .insert(id, p["stock"].as_i64().unwrap_or(0));
        }
        Ok(())
    }

    fn rounds(&mut self, rounds: u64) -> Res<()> {
        let n = self.shops.len() as u64;
        for round in 1..=rounds {
            let shop = ((round - 1) % n) as usize;
            // Each shop's first round syncs it: its orders arrive.
            if round <= n || self.rng.chance(45) {
                self.sync_round(round, shop)?;
            } else {
                self.action_round(round, shop)?;
            }
            // Every store's sync, one after the other as `sync --once` runs them; unkilled,
            // each teaches its store's kind of sync how many points it passes.
            for shop in 0..self.shops.len() {
                let (store, config) = (
                    self.shops[shop].store.clone(),
                    self.shops[shop].config.clone(),
                );
                let ran =
                    self.run_to(&config, &["sync", "--once"], &format!("{store} sync"), None)?;
                if ran.code != 0 {
                    self.failures.push(format!(
                        "round {round}: the finishing sync of {store} failed: {}",
                        ran.output
                    ));
                }
            }
            let before = self.failures.len();
            self.verify(round)?;
            if self.failures.len() > before {
                // The store no longer holds what the rounds expect: stop, with the figures.
                return self.summary(round);
            }
        }
        self.summary(rounds)
    }

    fn summary(&self, rounds: u64) -> Res<()> {
        let (orders, sent) = self.totals()?;
        let count = |what: &str| -> u64 {
            self.kills
                .iter()
                .filter(|((_, w), _)| *w == what)
                .map(|(_, n)| n)
                .sum()
        };
        println!(
            "rounds {rounds}, kills during sync {}, kills during actions {}, finished before the kill {}, \
             shop-side cancels {}, dropped answers armed {}, orders {orders}, changes sent {sent}, failures {}",
            count("sync"),
            count("action"),
            self.finished_before_kill,
            self.shop_cancels,
            self.drops_armed,
            self.failures.len()
        );
        for shop in &self.shops {
            let s = &shop.store;
            let of = |w: &'static str| self.kills.get(&(s.clone(), w)).copied().unwrap_or(0);
            let at: Vec<String> = self
                .kills_at
                .iter()
                .filter(|((store, _), _)| store == s)
                .map(|((_, l), n)| format!("{l} {n}"))
                .collect();
            println!(
                "kills at {s}: sync {}, actions {}; by point: {}",
                of("sync"),
                of("action"),
                at.join(", ")
            );
        }
        println!("kill points digest {:016x}", self.digest);
        Ok(())
    }
}

mod kill;
mod rounds;
mod shops;
