//! The shops: one `orderdesk sim` per platform that has a simulator in the registry
//! (`orderdesk::platforms`), each behind a store of its own (named as `orderdesk demo` names
//! it: `web`, `woo`), every store in the one data directory.

use super::{Res, WHOLE_SHOP_S};
use orderdesk::domain::platform::LocalChange;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// What every credential is (each simulator takes any non-empty one).
pub(super) const CREDENTIAL: &str = "t";

/// One simulated shop and its store.
pub(super) struct Shop {
    /// The store's id.
    pub store: String,
    pub platform: &'static str,
    pub url: String,
    /// Its `[[store]]` table.
    pub table: String,
    /// A config holding this store alone: the rounds that sync only this shop.
    pub config: PathBuf,
    /// Where the simulator wrote `products.csv`, `customers.csv` and `expected.json`.
    pub export: PathBuf,
    /// Whether marking an order shipped sets a status at the shop as well (an
    /// `order_update` in its log besides the `fulfillment_create`).
    pub ships_with_status: bool,
    /// The environment variables its credentials are read from.
    pub env: Vec<String>,
    /// Its on/off settings as the seed drew them (`shipment_tracking = true`), for the header.
    pub switches: Vec<String>,
    sim: Child,
}

impl Drop for Shop {
    fn drop(&mut self) {
        let _ = self.sim.kill();
        let _ = self.sim.wait();
    }
}

/// Starts a simulator for every platform that has one, seeded by `seed`; their stores'
/// on/off settings are drawn from `seed` too, so that seeds cover each setting both ways.
pub(super) fn start_all(bin: &Path, home: &Path, seed: u64) -> Res<Vec<Shop>> {
    let mut bits = seed;
    let mut shops = Vec::new();
    for row in orderdesk::platforms::PLATFORMS.iter() {
        let (Some(sim), Some(_)) = (&row.simulator, row.connect) else {
            continue;
        };
        let p = &row.platform;
        let store = sim.demo_store.to_string();
        let export = home.join(format!("export-{store}"));
        let (sim, url) = spawn(bin, p.name, seed, &export)?;
        // Built first, so that a failure below stops its simulator (on drop).
        let mut shop = Shop {
            table: format!(
                "[[store]]\nid = \"{store}\"\nplatform = \"{}\"\nurl = \"{url}\"\noverlap_seconds = {WHOLE_SHOP_S}\n",
                p.name
            ),
            config: home.join(format!("{store}.toml")),
            store,
            platform: p.name,
            url,
            export,
            ships_with_status: p
                .statuses
                .as_ref()
                .is_some_and(|s| s.on_change.iter().any(|(c, _)| *c == LocalChange::Shipped)),
            env: Vec::new(),
            switches: Vec::new(),
            sim,
        };
        for c in p.credentials {
            let var = format!("HARNESS_{}_{}", shop.store, c.key).to_uppercase();
            shop.table += &format!("{}_env = \"{var}\"\n", c.key);
            shop.env.push(var);
        }
        for option in p.options {
            let on = bits & 1 == 1;
            bits >>= 1;
            shop.table += &format!("{option} = {on}\n");
            shop.switches.push(format!("{option} = {on}"));
        }
        shop.table += "[store.carriers]\nDHL = \"DHL Express\"\n";
        std::fs::write(&shop.config, &shop.table)
            .map_err(|e| format!("{}: {e}", shop.config.display()))?;
        shops.push(shop);
    }
    if shops.is_empty() {
        return Err("no platform in the registry has a simulator".into());
    }
    Ok(shops)
}

/// Starts `orderdesk sim --platform NAME`; answers it and the URL it listens on.
fn spawn(bin: &Path, platform: &str, seed: u64, export: &Path) -> Res<(Child, String)> {
    let mut child = Command::new(bin)
        .args(["sim", "--platform", platform, "--listen", "127.0.0.1:0"])
        .args(["--orders", "80", "--seed", &(seed % 97 + 1).to_string()])
        // A bucket no run drains (Shopify's): the cost waits would only slow the rounds down.
        .args(["--restore", "20000", "--bucket", "20000", "--export"])
        .arg(export)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start the {platform} simulator {}: {e}",
                bin.display()
            )
        })?;
    let mut line = String::new();
    let read = child
        .stdout
        .take()
        .ok_or("no simulator stdout")
        .map(|out| BufReader::new(out).read_line(&mut line));
    let url = line.trim().trim_start_matches("listening on ").to_string();
    if !matches!(read, Ok(Ok(n)) if n > 0) || url.is_empty() {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "the {platform} simulator did not say where it listens"
        ));
    }
    Ok((child, url))
}
