//! The real binary in a pseudo-terminal, as an operator clears the queue: identify a customer
//! (the order books), record the payment, ship with tracking, complete. The shop simulator, a
//! separate process, shows the fulfilment with that tracking number, once.

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::pty::{Pty, first_row_once_synced, orderdesk};
use support::shop::ShopProcess;

const WAIT: Duration = Duration::from_secs(60);

fn wait_log(shop: &ShopProcess, kind: &str) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let hits = shop.log(kind);
        if !hits.is_empty() || start.elapsed() > WAIT {
            return hits;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn identify_pay_ship_and_complete_from_the_keyboard() {
    let home = tempfile::tempdir().expect("tempdir");
    let shop = ShopProcess::start(home.path(), 40);
    let (export, cfg) = (shop.export.clone(), shop.write_config(home.path()));
    let data = home.path().join("store");
    for (kind, file) in [("products", "products.csv"), ("customers", "customers.csv")] {
        let ok = orderdesk(home.path())
            .env("SHOP_TOKEN", "t")
            .arg("--config")
            .arg(&cfg)
            .arg("--data")
            .arg(&data)
            .args(["import", kind])
            .arg(export.join(file))
            .status()
            .expect("import");
        assert!(ok.success());
    }

    let mut cmd = orderdesk(home.path());
    cmd.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(&cfg)
        .arg("--data")
        .arg(&data);
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for(&["#1004", "customer ID needed"], WAIT);
    // #1004 is the first order needing action: open it.
    first_row_once_synced(&pty);
    pty.send(b"\r");
    pty.wait_for(&["Order #1004", "Timeline"], WAIT);

    pty.send(b"i");
    pty.wait_for(&["Identify the customer of #1004"], WAIT);
    // The search field starts with the order's name, selected: typing replaces it.
    pty.send("kovács".as_bytes());
    pty.wait_for(&["anna.kovacs@example.hu"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["#1004 booked", "Local customer C1"], WAIT);

    pty.send(b"p");
    pty.wait_for(&["Record a payment"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["10.84 EUR  VISA", "Balance               0.00 EUR"], WAIT);

    // #1004 is shipped, not collected: ready for pickup is not offered.
    pty.send(b"s");
    let offered = pty.wait_for(&["Change status", "ready to ship"], WAIT);
    assert!(!offered.contains("ready for pickup"), "{offered}");
    pty.send(b"\r");
    pty.wait_for(&["#1004 ready to ship"], WAIT);

    pty.send(b"s");
    pty.wait_for(&["Change status", "shipped"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["Tracking number"], WAIT);
    pty.send(b"\t");
    pty.send(b"JD0012345");
    pty.send(b"\r");
    pty.wait_for(&["#1004 shipped"], WAIT);

    let ships = wait_log(&shop, "fulfillment_create");
    assert_eq!(ships.len(), 1, "{ships:?}");
    assert_eq!(ships[0]["tracking_number"], "JD0012345");
    assert_eq!(ships[0]["tracking_company"], "DHL Express");

    pty.send(b"s");
    pty.wait_for(&["Change status", "completed"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["#1004 completed"], WAIT);

    std::thread::sleep(Duration::from_millis(300));
    pty.send(b"q");
    assert_eq!(pty.wait_exit(WAIT), Some(0));
    assert_eq!(shop.log("fulfillment_create").len(), 1);
}

/// Two stores with the same order names (two store entries on one shop): `:order 1004` offers
/// both, and the one chosen opens.
#[test]
fn colon_order_offers_the_stores_that_have_that_name() {
    let home = tempfile::tempdir().expect("tempdir");
    let shop = ShopProcess::start(home.path(), 30);
    let cfg = shop.write_config_stores(home.path(), &["web", "outlet"]);
    let mut cmd = orderdesk(home.path());
    cmd.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(&cfg)
        .arg("--data")
        .arg(home.path().join("store"));
    let mut pty = Pty::spawn(cmd, 120, 40);
    // Both stores synced: a ✓ after each in the header.
    pty.wait_rows("both stores synced", WAIT, |rows| {
        rows.first().is_some_and(|h| h.matches('✓').count() == 2)
    });

    pty.send(b":order 1004\r");
    let choice = pty.wait_for(&["2 stores have an order 1004: choose one"], WAIT);
    assert!(
        choice.contains("web:1004") && choice.contains("outlet:1004"),
        "{choice}"
    );
    pty.send(b"\x1b[B");
    pty.send(b"\r");
    let detail = pty.wait_for(&["Order #1004 — outlet:1004", "Timeline"], WAIT);
    assert!(detail.contains("store outlet"), "{detail}");
    assert!(!detail.contains("web:1004"), "{detail}");

    pty.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(150));
    pty.send(b"q");
    assert_eq!(pty.wait_exit(WAIT), Some(0));
}
