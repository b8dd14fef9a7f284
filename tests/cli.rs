//! The command line as scripts use it (DESIGN.md §4): exit codes, JSON, errors.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;
use support::pty::{Pty, od, orderdesk, run};
use support::shop::ShopProcess;

#[test]
fn a_bad_config_names_file_and_line_and_exits_1() {
    let home = tempfile::tempdir().expect("tempdir");
    let cfg = home.path().join("orderdesk.toml");
    std::fs::write(
        &cfg,
        "operator = \"anna\"\n\n[[store]]\nid = \"web\"\nplatfrom = \"shopify\"\n",
    )
    .expect("write");
    let (code, _, err) = run(orderdesk(home.path())
        .arg("--config")
        .arg(&cfg)
        .arg("status"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{}:5:", cfg.display())), "{err}");
    assert!(err.contains("platfrom"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().expect("tempdir");
    let (code, _, _) = run(orderdesk(home.path()).args(["orders", "--state", "nonsense"]));
    assert_eq!(code, 2);
}

#[test]
fn sim_exports_then_prints_where_it_listens_and_import_and_orders_work() {
    let home = tempfile::tempdir().expect("tempdir");
    let export = home.path().join("export");
    let mut sim = orderdesk(home.path())
        .args([
            "sim",
            "--platform",
            "shopify",
            "--listen",
            "127.0.0.1:0",
            "--orders",
            "50",
            "--export",
        ])
        .arg(&export)
        .stdout(Stdio::piped())
        .spawn()
        .expect("sim starts");
    let mut line = String::new();
    BufReader::new(sim.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a line");
    let _ = sim.kill();
    let _ = sim.wait();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let expected: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(export.join("expected.json")).expect("expected.json"),
    )
    .expect("json");
    assert_eq!(expected.len(), 50);
    assert!(
        expected
            .iter()
            .all(|e| e["name"].is_string() && e["case"].is_string() && e["state"].is_string())
    );

    let data = home.path().join("store");
    let (code, out, err) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["import", "products"])
        .arg(export.join("products.csv")));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported "), "{out}");
    let (code, out, _) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["products", "--json"]));
    assert_eq!(code, 0);
    let products: Vec<Value> = serde_json::from_str(&out).expect("products json");
    assert!(products.iter().any(|p| p["sku"] == "MUG-BLUE"));
    assert!(
        products.iter().all(|p| p["price"].is_string()),
        "money is a decimal string"
    );

    // The seeded world has an ambiguous SKU: the duplicates report groups it.
    let (code, out, err) = run(orderdesk(home.path()).arg("--data").arg(&data).args([
        "products",
        "--duplicates",
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let groups: Vec<Value> = serde_json::from_str(&out).expect("duplicates json");
    let shared = |sku: &str| products.iter().filter(|p| p["sku"] == sku).count();
    assert!(groups.iter().any(|g| g["sku"] == "MUG-BLUE"), "{out}");
    for g in &groups {
        let sku = g["sku"].as_str().expect("sku");
        let members = g["products"].as_array().expect("products");
        assert!(members.len() >= 2, "{g}");
        assert!(members.iter().all(|p| p["sku"] == sku), "{g}");
        assert_eq!(members.len(), shared(sku), "{g}");
    }
    let all_shared = products
        .iter()
        .filter_map(|p| p["sku"].as_str())
        .filter(|s| !s.trim().is_empty() && shared(s) > 1)
        .count();
    let grouped: usize = groups
        .iter()
        .map(|g| g["products"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(grouped, all_shared, "every shared SKU is reported once");
}

#[test]
fn a_bad_csv_row_is_named_and_nothing_is_imported() {
    let home = tempfile::tempdir().expect("tempdir");
    let csv = home.path().join("p.csv");
    std::fs::write(
        &csv,
        "id,sku,name,price,stock\nP1,A,Apple,1.00,3\nP2,B,Pear,one euro,2\n",
    )
    .expect("write");
    let data = home.path().join("store");
    let (code, out, err) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["import", "products", "--json"])
        .arg(&csv));
    assert_eq!(code, 1);
    assert!(err.contains("line 3") && err.contains("one euro"), "{err}");
    let v: Value = serde_json::from_str(out.trim()).expect("json error on stdout");
    assert_eq!(v["code"], "import");
    let (_, out, _) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["products", "--json"]));
    assert_eq!(out.trim(), "[]", "nothing of the bad file is imported");
}

#[test]
fn a_second_process_exits_3_while_status_still_answers() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    let mut cmd = orderdesk(home.path());
    cmd.args(["demo", "--orders", "40", "--data"]).arg(&data);
    let mut console = Pty::spawn(cmd, 100, 30);
    console.wait_for(&["#1004", "✓"], Duration::from_secs(60));
    // status.json is written at most once a second after a change.
    std::thread::sleep(Duration::from_millis(1500));

    let (code, out, err) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["orders", "--json"]));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("held by another orderdesk process") && err.contains("pid"),
        "{err}"
    );
    let v: Value = serde_json::from_str(out.trim()).expect("json error");
    assert_eq!(v["code"], "locked");

    let (code, out, err) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["status", "--json"]));
    assert_eq!(code, 0, "{err}");
    let s: Value = serde_json::from_str(&out).expect("status json");
    assert_eq!(
        s["orders"]["by_state"].as_object().map(|m| m.len()),
        Some(10),
        "{s}"
    );
    assert!(
        s["orders"]["by_state"]["customer_id_needed"]
            .as_u64()
            .unwrap_or(0)
            >= 1,
        "{s}"
    );
    // One store per simulated platform; the Shopify one is `web`.
    let web = s["stores"]
        .as_array()
        .and_then(|l| l.iter().find(|st| st["id"] == "web"))
        .expect("the store web");
    assert_eq!(web["last_sync"]["ok"], true, "{s}");

    // The same figures as metrics for node_exporter's textfile collector.
    let (code, out, err) = run(orderdesk(home.path()).arg("--data").arg(&data).args([
        "status",
        "--format",
        "prometheus",
    ]));
    assert_eq!(code, 0, "{err}");
    let sample = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("{name} missing:\n{out}"))
    };
    assert_eq!(
        sample("orderdesk_orders_need_action"),
        s["needs_action"].as_f64().expect("needs_action")
    );
    assert_eq!(
        sample("orderdesk_orders{state=\"customer_id_needed\"}"),
        s["orders"]["by_state"]["customer_id_needed"]
            .as_f64()
            .expect("count")
    );
    assert_eq!(
        sample("orderdesk_last_sync_ok{store=\"web\",platform=\"shopify\"}"),
        1.0
    );
    let age = sample("orderdesk_last_sync_age_seconds{store=\"web\",platform=\"shopify\"}");
    assert!((0.0..600.0).contains(&age), "{age}");
    for line in out.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').expect("name value");
        assert!(name.starts_with("orderdesk_"), "{line}");
        value.parse::<f64>().unwrap_or_else(|_| panic!("{line}"));
    }

    console.send(b"q");
    assert_eq!(console.wait_exit(Duration::from_secs(30)), Some(0));
    // Once the holder is gone, the store opens again.
    let (code, out, _) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["orders", "--json"]));
    assert_eq!(code, 0);
    let orders: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    let o = orders
        .iter()
        .find(|o| o["name"] == "1004")
        .expect("order 1004");
    assert_eq!(o["ref"], "web:1004");
    assert_eq!(o["state"], "customer_id_needed");
    for key in [
        "remote_id",
        "test",
        "created_at",
        "updated_at",
        "currency",
        "total",
        "paid",
        "balance",
        "customer",
        "shipping",
        "lines",
        "problems",
    ] {
        assert!(o.get(key).is_some(), "missing {key} in {o}");
    }
    assert_eq!(o["lines"][0]["match"]["status"], "matched");
}

#[test]
fn order_subcommands_act_and_tell_the_shop_at_once() {
    let home = tempfile::tempdir().expect("tempdir");
    let shop = ShopProcess::start(home.path(), 40);
    let (export, cfg) = (shop.export.clone(), shop.write_config(home.path()));
    let data = home.path().join("store");
    let od = |args: &[&str]| od(home.path(), &cfg, &data, args);
    let p = export.join("products.csv");
    let c = export.join("customers.csv");
    assert_eq!(od(&["import", "products", p.to_str().expect("utf-8")]).0, 0);
    assert_eq!(
        od(&["import", "customers", c.to_str().expect("utf-8")]).0,
        0
    );
    assert_eq!(od(&["sync", "--once"]).0, 0);

    let (code, out, err) = od(&["customers", "--search", "kovacs", "--json"]);
    assert_eq!(code, 0, "{err}");
    let found: Vec<Value> = serde_json::from_str(&out).expect("json");
    let cid = found[0]["id"].as_str().expect("id").to_string();
    for key in [
        "first_name",
        "last_name",
        "email",
        "phone",
        "city",
        "remote_ids",
    ] {
        assert!(found[0].get(key).is_some(), "{key} missing");
    }

    let (code, out, err) = od(&[
        "order",
        "web:1004",
        "identify",
        "--customer",
        &cid,
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["state"], "booked");
    assert_eq!(v["customer"]["id"], cid.as_str());

    // Refusing needs --yes; paying more than the balance too.
    let (code, out, _) = od(&[
        "order", "web:1004", "status", "refused", "--reason", "x", "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        serde_json::from_str::<Value>(out.trim()).expect("json")["code"],
        "confirm"
    );
    let (code, _, err) = od(&[
        "order", "web:1004", "pay", "--method", "visa", "--amount", "99,00",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--yes"), "{err}");
    let (code, out, err) = od(&["order", "web:1004", "pay", "--method", "visa", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).expect("json")["balance"],
        "0.00"
    );

    assert_eq!(od(&["order", "web:1004", "status", "ready-to-ship"]).0, 0);
    let (code, out, err) = od(&[
        "order",
        "web:1004",
        "status",
        "shipped",
        "--carrier",
        "DHL",
        "--tracking",
        "JD77",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("shop:") && out.contains("sent"),
        "the shop's answer is printed: {out}"
    );
    let (code, _, err) = od(&["order", "web:1004", "status", "completed"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = od(&["order", "web:1004", "note", "collected the invoice"]);
    assert_eq!(code, 0, "{err}");

    let ships = shop.log("fulfillment_create");
    assert_eq!(ships.len(), 1, "{ships:?}");
    assert_eq!(ships[0]["tracking_number"], "JD77");
}

/// A shop with its seeded orders synced into a store: run `orderdesk` on it, and name the
/// order of a seeded case.
struct Synced {
    home: tempfile::TempDir,
    shop: ShopProcess,
    cfg: std::path::PathBuf,
    expected: Vec<Value>,
}

impl Synced {
    fn new() -> Synced {
        let home = tempfile::tempdir().expect("tempdir");
        let shop = ShopProcess::start(home.path(), 40);
        let cfg = shop.write_config(home.path());
        let expected = serde_json::from_str(
            &std::fs::read_to_string(shop.export.join("expected.json")).expect("expected.json"),
        )
        .expect("json");
        let s = Synced {
            home,
            shop,
            cfg,
            expected,
        };
        for kind in ["products", "customers"] {
            let file = s.shop.export.join(format!("{kind}.csv"));
            let (code, _, err) = s.od(&["import", kind, file.to_str().expect("utf-8")]);
            assert_eq!(code, 0, "{err}");
        }
        assert_eq!(s.od(&["sync", "--once"]).0, 0);
        s
    }

    fn od(&self, args: &[&str]) -> (i32, String, String) {
        od(
            self.home.path(),
            &self.cfg,
            &self.home.path().join("store"),
            args,
        )
    }

    /// `web:NAME` of the order seeded for `case`.
    fn reference(&self, case: &str) -> String {
        let e = self.expected.iter().find(|e| e["case"] == case);
        format!("web:{}", e.expect(case)["name"].as_str().expect("name"))
    }
}

#[test]
fn ready_for_pickup_is_refused_for_an_order_that_is_shipped_saying_why() {
    let s = Synced::new();
    let shipped = s.reference("non_ascii_name_pl");
    let (code, _, err) = s.od(&["order", &shipped, "status", "ready_for_pickup"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("is not a pickup order (it ships by \"Standard shipping\")")
            && err.contains("move it to ready_to_ship"),
        "{err}"
    );
    let (code, out, err) = s.od(&["order", &shipped, "status", "ready_to_ship", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).expect("json")["state"],
        "ready_to_ship"
    );
    let pickup = s.reference("local_pickup");
    let (code, out, err) = s.od(&["order", &pickup, "status", "ready-for-pickup"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("shop:"), "the shop's answer is printed: {out}");
    assert_eq!(s.shop.log("prepared_for_pickup").len(), 1);
}

#[test]
fn orders_json_gives_the_carrier_and_the_shipping_method_apart() {
    let s = Synced::new();
    let (code, out, err) = s.od(&["orders", "--json"]);
    assert_eq!(code, 0, "{err}");
    let orders: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    let shipping = |case: &str| {
        let r = s.reference(case);
        let o = orders.iter().find(|o| o["ref"] == r.as_str()).expect(case);
        o["shipping"].clone()
    };
    let carrier = shipping("shipping_with_carrier");
    assert_eq!(
        (&carrier["carrier"], &carrier["method"]),
        (&Value::from("dhl_express"), &Value::from("DHL Express")),
        "{carrier}"
    );
    let standard = shipping("non_ascii_name_pl");
    assert_eq!(
        (&standard["carrier"], &standard["method"]),
        (&Value::Null, &Value::from("Standard shipping")),
        "no carrier is null, never the method: {standard}"
    );
    let pickup = shipping("local_pickup");
    assert_eq!(pickup["carrier"], Value::Null, "{pickup}");
    assert_eq!(pickup["method"], "Pickup in store", "{pickup}");
    let mut keys: Vec<&String> = standard.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["address", "carrier", "cost", "method"]);
    // `order REF --json` gives the same.
    let (code, out, err) = s.od(&["order", &s.reference("non_ascii_name_pl"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let one: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(one["shipping"], standard);
}

/// A debug build dies by its own SIGKILL at the kill point `ORDERDESK_KILL_AT` names, and
/// `ORDERDESK_KILL_LOG` lists the points passed up to it.
#[cfg(debug_assertions)]
#[test]
fn kill_at_n_dies_by_sigkill_at_the_nth_point() {
    use std::os::unix::process::ExitStatusExt;
    let home = tempfile::tempdir().expect("tempdir");
    let csv = home.path().join("p.csv");
    std::fs::write(&csv, "id,sku,name,price,stock\nP1,A,Apple,1.00,3\n").expect("write");
    let log = home.path().join("points.log");
    // Each run a fresh store, so that both pass the same points.
    let import = |kill_at: &str| {
        orderdesk(home.path())
            .arg("--data")
            .arg(home.path().join(format!("store{kill_at}")))
            .args(["import", "products"])
            .arg(&csv)
            .env("ORDERDESK_KILL_LOG", &log)
            .env("ORDERDESK_KILL_AT", kill_at)
            .output()
            .expect("runs")
    };
    let whole = import("0");
    assert!(whole.status.success(), "{whole:?}");
    let passed = std::fs::read_to_string(&log).expect("the log");
    assert!(
        passed.starts_with("1 store: before commit\n2 store: after commit\n"),
        "{passed}"
    );
    let last = passed.lines().count();
    std::fs::remove_file(&log).expect("remove");
    let killed = import(&last.to_string());
    assert_eq!(killed.status.signal(), Some(libc::SIGKILL), "{killed:?}");
    let again = std::fs::read_to_string(&log).expect("the log");
    assert_eq!(again.lines().count(), last, "{again}");
}
