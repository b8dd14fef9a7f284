//! The real binary on a store of its own (the kill scenario).

use super::shop::Shop;
use orderdesk::platforms::Row;
use orderdesk::sim::Simulator;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The real binary on a data directory of its own, with the suite's store `web` on `shop`.
pub(crate) struct Binary {
    pub(crate) config: std::path::PathBuf,
    pub(crate) env: Vec<(String, String)>,
}

impl Binary {
    pub(crate) fn new(shop: &Shop, row: &Row, sim: &Simulator, home: &std::path::Path) -> Binary {
        let mut table = format!(
            "operator = \"anna\"\n[[store]]\nid = \"web\"\nplatform = \"{}\"\nurl = \"{}\"\n",
            row.platform.name, shop.started.url
        );
        let mut env = Vec::new();
        for (key, value) in sim.demo_credentials {
            let var = format!("CONFORMANCE_{}", key.to_uppercase());
            table += &format!("{key}_env = \"{var}\"\n");
            env.push((var, value.to_string()));
        }
        for option in sim.demo_options {
            table += &format!("{option} = true\n");
        }
        table += "[store.carriers]\nDHL = \"DHL Express\"\n";
        let config = home.join("orderdesk.toml");
        std::fs::write(&config, table).expect("config");
        std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod");
        for (name, text) in [
            ("products.csv", &shop.started.products_csv),
            ("customers.csv", &shop.started.customers_csv),
        ] {
            std::fs::write(home.join(name), text).expect("export");
        }
        Binary { config, env }
    }

    /// `orderdesk --config … --data DATA ARGS` with these kill-point variables.
    pub(crate) async fn run(
        &self,
        data: &std::path::Path,
        args: &[&str],
        kill: &[(&str, String)],
    ) -> std::process::Output {
        let home = self.config.parent().expect("home");
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_orderdesk"));
        c.env_remove("ORDERDESK_KILL_AT")
            .env_remove("ORDERDESK_KILL_LOG")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(kill.iter().map(|(k, v)| (k, v)))
            .arg("--config")
            .arg(&self.config)
            .arg("--data")
            .arg(data)
            .args(args)
            .stdin(std::process::Stdio::null());
        c.output().await.expect("orderdesk runs")
    }

    /// A store with the export's products and customers.
    pub(crate) async fn store(&self, data: &std::path::Path) {
        let home = self.config.parent().expect("home");
        for kind in ["products", "customers"] {
            let file = home.join(format!("{kind}.csv"));
            let out = self
                .run(data, &["import", kind, &file.to_string_lossy()], &[])
                .await;
            assert!(out.status.success(), "import {kind}: {out:?}");
        }
    }

    pub(crate) async fn json(&self, data: &std::path::Path, args: &[&str]) -> Value {
        let out = self.run(data, args, &[]).await;
        assert!(out.status.success(), "{args:?}: {out:?}");
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// Every stored order by name (state, each line's quantity, booked stock's products'
    /// figures follow from these), and each product's stock: what a sync must not lose or
    /// double.
    pub(crate) async fn outcome(
        &self,
        data: &std::path::Path,
    ) -> (BTreeMap<String, Value>, Vec<Value>) {
        let orders = self.json(data, &["orders", "--json"]).await;
        let list = orders.as_array().expect("an array");
        let mut by_name = BTreeMap::new();
        for o in list {
            let name = o["name"].as_str().expect("a name").to_string();
            let lines: Vec<&Value> = o["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| &l["quantity"])
                .collect();
            let seen = json!({"state": o["state"], "lines": lines, "total": o["total"]});
            assert!(by_name.insert(name.clone(), seen).is_none(), "{name} twice");
        }
        let products = self.json(data, &["products", "--json"]).await;
        let stock = products
            .as_array()
            .expect("an array")
            .iter()
            .map(|p| json!([p["id"], p["stock"]]))
            .collect();
        (by_name, stock)
    }
}
