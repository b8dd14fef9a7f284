//! `orderdesk catalog sync STORE` against the WooCommerce simulator: the shop's products and
//! categories taken in (DESIGN.md §1.5), the shop's ids kept as remote codes (an order then
//! books by remote id), what the shop no longer has put in "Uncategorized"; and a sync killed
//! in the middle resumes where it stopped with no product made twice.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::pty::{od, orderdesk};
use support::shop::{ShopProcess, copy_dir};

/// A WooCommerce shop with `catalog` generated products beyond the seeded ones.
fn shop(home: &Path, catalog: usize) -> ShopProcess {
    let export = home.join("export");
    ShopProcess::start_with(
        home,
        30,
        &[
            "--platform",
            "woocommerce",
            "--catalog",
            &catalog.to_string(),
            "--export",
            export.to_str().expect("utf-8"),
        ],
    )
}

/// A config naming `shop` as store `woo` with `product_key`.
fn config(home: &Path, shop: &ShopProcess, product_key: &str) -> PathBuf {
    let cfg = home.join(format!("orderdesk-{product_key}.toml"));
    let text = format!(
        "[[store]]\nid = \"woo\"\nplatform = \"woocommerce\"\nurl = \"{}\"\nkey_env = \"SHOP_TOKEN\"\nsecret_env = \"SHOP_TOKEN\"\nproduct_key = \"{product_key}\"\n",
        shop.url
    );
    std::fs::write(&cfg, text).expect("config");
    std::fs::set_permissions(&cfg, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod");
    cfg
}

fn products(home: &Path, cfg: &Path, data: &Path) -> Vec<Value> {
    let (code, out, err) = od(home, cfg, data, &["products", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

fn by_sku(list: &[Value], sku: &str) -> Vec<Value> {
    list.iter().filter(|p| p["sku"] == sku).cloned().collect()
}

fn import(home: &Path, cfg: &Path, data: &Path, shop: &ShopProcess, kinds: &[&str]) {
    for kind in kinds {
        let f = shop.export.join(format!("{kind}.csv"));
        let (code, _, err) = od(
            home,
            cfg,
            data,
            &["import", kind, f.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn a_catalog_sync_takes_the_shops_products_categories_and_ids() {
    let home = tempfile::tempdir().expect("tempdir");
    let home = home.path();
    let shop = shop(home, 150);
    let cfg = config(home, &shop, "sku");
    let data = home.join("store");
    import(home, &cfg, &data, &shop, &["products", "customers"]);
    let od = |args: &[&str]| od(home, &cfg, &data, args);

    // Without --yes and without a terminal to ask on: refused, nothing changed.
    let (code, out, err) = od(&["catalog", "sync", "woo", "--json"]);
    assert_eq!(code, 1, "{err}");
    let refusal: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(refusal["code"], "confirm");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(
        by_sku(&products(home, &cfg, &data), "MUG-RED")[0]["category"],
        "Kitchen"
    );

    let (code, out, err) = od(&["catalog", "sync", "woo", "--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    let done: Value = serde_json::from_str(&out).expect("json");
    // 21 seeded products are in the shop (the cookbook is gone), 150 generated.
    assert_eq!(done["read"], 171, "{done}");
    assert_eq!(done["total"], 171);
    assert_eq!(
        (done["created"].as_u64(), done["updated"].as_u64()),
        (Some(150), Some(21))
    );
    assert_eq!(done["complete"], true);
    let list = products(home, &cfg, &data);
    let category = |sku: &str| by_sku(&list, sku)[0]["category"].clone();
    assert_eq!(category("TEA-001"), "Tea", "one chain: the deepest");
    assert_eq!(
        category("CANDLE-V"),
        "Gifts",
        "different levels: the more general, then A-Z"
    );
    assert_eq!(category("MUG-RED"), "Mugs");
    assert_eq!(category("GEN-000002"), "Mugs");
    assert_eq!(
        category("BOOK-CK"),
        "Books",
        "nothing of this store knew it yet"
    );
    // The blue mug is a variation at the shop: its id is what the order lines name.
    let mugs = by_sku(&list, "MUG-BLUE");
    assert_eq!(
        mugs.len(),
        2,
        "two local products shared the SKU; one took the shop's"
    );
    let coded: Vec<&Value> = mugs
        .iter()
        .filter(|m| m["remote_codes"]["woo"] == "595")
        .collect();
    assert_eq!(coded.len(), 1, "{mugs:?}");
    assert_eq!(coded[0]["name"], "Mug – Blue");
    // Its parent at the shop is kept beside its code (stock goes to a variation through it).
    let parent = coded[0]["remote_parents"]["woo"]
        .as_str()
        .unwrap_or_default();
    assert!(!parent.is_empty() && parent != "595", "{:?}", coded[0]);
    assert!(
        by_sku(&list, "TEA-001")[0]["remote_parents"]
            .as_object()
            .is_some_and(|m| m.is_empty())
    );
    assert_eq!(by_sku(&list, "TEA-001")[0]["remote_codes"]["woo"], "90");

    let (code, _, err) = od(&["sync", "--once"]);
    assert_eq!(code, 0, "{err}");

    // A second pass: nothing new; the product the store's orders knew and the shop no longer
    // has goes to "Uncategorized".
    let (code, out, err) = od(&["catalog", "sync", "woo", "--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    let again: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        (again["pass"].as_u64(), again["created"].as_u64()),
        (Some(2), Some(0))
    );
    let list = products(home, &cfg, &data);
    assert_eq!(list.len(), 22 + 150, "no product made twice");
    let book = &by_sku(&list, "BOOK-CK")[0];
    let (_, out, _) = od(&["orders", "--json"]);
    let orders: Vec<Value> = serde_json::from_str(&out).expect("json");
    let sold = orders.iter().any(|o| {
        o["lines"]
            .as_array()
            .is_some_and(|ls| ls.iter().any(|l| l["match"]["product_id"] == book["id"]))
    });
    assert!(sold, "the seeded orders sell the cookbook");
    assert_eq!(again["uncategorized"], 1, "{again}");
    assert_eq!(book["category"], "Uncategorized");
    let (code, out, _) = od(&["check"]);
    assert_eq!(code, 0, "{out}");

    // In a store matching lines by the shop's ids, nothing books before a catalog sync
    // filled the codes, and orders book after it.
    let by_id = config(home, &shop, "remote_id");
    let fresh = home.join("by-id");
    import(home, &by_id, &fresh, &shop, &["products", "customers"]);
    let od = |args: &[&str]| support::pty::od(home, &by_id, &fresh, args);
    let (code, out, err) = od(&["catalog", "sync", "woo", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("woo: catalog: 171 products read, 150 created"),
        "{out}"
    );
    let (code, _, err) = od(&["sync", "--once"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = od(&["orders", "--state", "booked", "--json"]);
    let booked: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert!(!booked.is_empty(), "orders matched by remote id are booked");
}

#[cfg(debug_assertions)]
#[test]
fn a_catalog_sync_killed_in_the_middle_resumes_with_no_duplicates() {
    use std::os::unix::process::ExitStatusExt;
    let home = tempfile::tempdir().expect("tempdir");
    let home = home.path();
    let shop = shop(home, 480);
    let cfg = config(home, &shop, "sku");
    let base = home.join("base");
    import(home, &cfg, &base, &shop, &["products"]);
    let sync = |data: &Path, kill_at: Option<usize>, log: Option<&Path>| {
        let mut c = orderdesk(home);
        c.env("SHOP_TOKEN", "t")
            .arg("--config")
            .arg(&cfg)
            .arg("--data")
            .arg(data)
            .args(["catalog", "sync", "woo", "--yes", "--json"]);
        if let Some(k) = kill_at {
            c.env("ORDERDESK_KILL_AT", k.to_string());
        }
        if let Some(l) = log {
            c.env("ORDERDESK_KILL_LOG", l);
        }
        c.output().expect("runs")
    };
    let whole = home.join("whole");
    copy_dir(&base, &whole);
    let log = home.join("points.log");
    assert!(sync(&whole, None, Some(&log)).status.success());
    let points = std::fs::read_to_string(&log).expect("log").lines().count();
    assert!(points >= 12, "{points} kill points");
    // Points in the middle: between pages, before and after their commits.
    for k in (points / 4..points * 3 / 4).step_by(3) {
        let data = home.join(format!("killed{k}"));
        copy_dir(&base, &data);
        let killed = sync(&data, Some(k), None);
        assert_eq!(killed.status.signal(), Some(libc::SIGKILL), "point {k}");
        let again = sync(&data, None, None);
        assert!(again.status.success(), "after point {k}: {:?}", again);
        let done: Value = serde_json::from_slice(&again.stdout).expect("json");
        assert_eq!(done["pass"], 1, "the killed pass resumed, point {k}");
        assert_eq!(
            done["read"], 501,
            "every product read once in the pass, point {k}"
        );
        let list = products(home, &cfg, &data);
        let mut skus: BTreeMap<String, usize> = BTreeMap::new();
        for p in &list {
            *skus
                .entry(p["sku"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
        let twice: Vec<_> = skus
            .iter()
            .filter(|(s, n)| **n > 1 && *s != "MUG-BLUE")
            .collect();
        assert!(twice.is_empty(), "point {k}: {twice:?}");
        assert_eq!(list.len(), 22 + 480, "point {k}");
        let (code, out, _) = od(home, &cfg, &data, &["check"]);
        assert_eq!(code, 0, "check after point {k}: {out}");
    }
}
