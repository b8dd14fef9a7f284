//! The shop simulator as its own process (`orderdesk sim`), for tests that drive the real
//! binary: started on a free loopback port, its log read over HTTP, stopped on drop.

#![allow(dead_code)]

use super::pty::orderdesk;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

pub struct ShopProcess {
    child: Child,
    pub url: String,
    /// products.csv, customers.csv, expected.json.
    pub export: PathBuf,
}

impl ShopProcess {
    pub fn start(home: &Path, orders: usize) -> ShopProcess {
        let export = home.join("export").to_string_lossy().into_owned();
        Self::start_with(home, orders, &["--export", &export])
    }

    /// With more `orderdesk sim` flags (`--token`, `--faults`, `--export`...).
    pub fn start_with(home: &Path, orders: usize, args: &[&str]) -> ShopProcess {
        let export = home.join("export");
        let mut child = orderdesk(home)
            .args([
                "sim",
                "--listen",
                "127.0.0.1:0",
                "--restore",
                "1000",
                "--orders",
            ])
            .arg(orders.to_string())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the simulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("it says where it listens");
        let url = line.trim().trim_start_matches("listening on ").to_string();
        ShopProcess { child, url, export }
    }

    /// A config for store `web` on this shop (token from $SHOP_TOKEN, DHL mapped).
    pub fn write_config(&self, home: &Path) -> PathBuf {
        self.write_config_stores(home, &["web"])
    }

    /// A config naming each of `ids` as a store on this one shop: the same orders, names and
    /// ids in every store (token from $SHOP_TOKEN, DHL mapped).
    pub fn write_config_stores(&self, home: &Path, ids: &[&str]) -> PathBuf {
        let cfg = home.join("orderdesk.toml");
        let mut text = String::from("operator = \"anna\"\n");
        for id in ids {
            text.push_str(&format!(
                "[[store]]\nid = \"{id}\"\nplatform = \"shopify\"\nurl = \"{}\"\ntoken_env = \"SHOP_TOKEN\"\n[store.carriers]\nDHL = \"DHL Express\"\n",
                self.url
            ));
        }
        std::fs::write(&cfg, text).expect("config");
        // Config files that name secrets are kept private (a looser one gets a warning).
        std::fs::set_permissions(&cfg, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod");
        cfg
    }

    /// What the shop received, of one kind.
    pub fn log(&self, kind: &str) -> Vec<Value> {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let all: Vec<Value> = rt.block_on(async {
            let r = reqwest::get(format!("{}/_sim/log", self.url))
                .await
                .expect("log");
            r.json().await.expect("json")
        });
        all.into_iter().filter(|e| e["kind"] == kind).collect()
    }
}

impl Drop for ShopProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A store synced once from its own shop simulator: the products and customers it exports
/// imported, one `sync --once` run.
pub struct SyncedStore {
    pub shop: ShopProcess,
    pub cfg: PathBuf,
    pub data: PathBuf,
}

impl SyncedStore {
    pub fn start(home: &Path, orders: usize) -> SyncedStore {
        let shop = ShopProcess::start(home, orders);
        let cfg = shop.write_config(home);
        let data = home.join("store");
        let s = SyncedStore { shop, cfg, data };
        for (kind, file) in [("products", "products.csv"), ("customers", "customers.csv")] {
            let f = s.shop.export.join(file);
            let (code, _, err) = s.od(home, &["import", kind, f.to_str().expect("utf-8")]);
            assert_eq!(code, 0, "{err}");
        }
        assert_eq!(s.od(home, &["sync", "--once"]).0, 0);
        s
    }

    /// `orderdesk --config CFG --data DATA ARGS…` on this store.
    pub fn od(&self, home: &Path, args: &[&str]) -> (i32, String, String) {
        super::pty::od(home, &self.cfg, &self.data, args)
    }

    /// The booked orders, as `orders --json` lists them.
    pub fn booked(&self, home: &Path) -> Vec<Value> {
        let (code, out, err) = self.od(home, &["orders", "--state", "booked", "--json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("json")
    }
}

/// Copies the directory `from` (a store, say) to `to`, whole.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
