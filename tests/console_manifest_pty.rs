//! The real binary in a pseudo-terminal: three ready-to-ship orders selected in Pending orders
//! (space), put on a new manifest with a tracking number each (t), and the manifest marked
//! shipped from the Manifests view (M, S, y). The shop simulator, a separate process, shows
//! three fulfilments with those tracking numbers, each once.

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::pty::{Pty, orderdesk};
use support::shop::{ShopProcess, SyncedStore};

const WAIT: Duration = Duration::from_secs(60);

fn wait_log(shop: &ShopProcess, kind: &str, n: usize) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let hits = shop.log(kind);
        if hits.len() >= n || start.elapsed() > WAIT {
            return hits;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn three_selected_orders_go_on_a_manifest_that_ships_with_their_tracking() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 40);
    let (shop, cfg, data) = (&store.shop, &store.cfg, &store.data);
    let od = |args: &[&str]| store.od(home.path(), args);
    let booked = store.booked(home.path());
    assert!(booked.len() >= 3);
    let names: Vec<String> = booked[..3]
        .iter()
        .map(|o| o["name"].as_str().expect("name").to_string())
        .collect();
    for o in &booked[..3] {
        let r = o["ref"].as_str().expect("ref");
        assert_eq!(od(&["order", r, "status", "ready_to_ship"]).0, 0);
    }

    let mut cmd = orderdesk(home.path());
    cmd.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(cfg)
        .arg("--data")
        .arg(data);
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for(&["Pending orders"], WAIT);
    pty.wait_for(&["✓"], WAIT);
    pty.send(b"/");
    pty.send(b"state:ready_to_ship");
    pty.send(b"\r");
    pty.wait_for(&["3 match"], WAIT);
    pty.send_home();
    for _ in 0..3 {
        pty.send(b" ");
        std::thread::sleep(Duration::from_millis(100));
    }
    pty.wait_for(&["3 selected"], WAIT);

    pty.send(b"t");
    pty.wait_for(
        &["Add 3 order(s) to a manifest", "a new manifest for DHL"],
        WAIT,
    );
    for i in 0..3 {
        if i > 0 {
            pty.send(b"\t");
        }
        pty.send(format!("JD55{i}").as_bytes());
    }
    pty.send(b"\r");
    pty.wait_for(&["3 of 3 done."], WAIT);
    pty.send(b"\r");

    pty.send(b"M");
    pty.wait_for(&["Manifests — 1", "in preparation"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["Manifest 1 · in preparation", "JD552"], WAIT);
    pty.send(b"S");
    pty.wait_for(&["Hand manifest 1 (DHL, 3 orders) to the carrier?"], WAIT);
    pty.send(b"y");
    pty.wait_for(&["manifest 1 shipped"], WAIT);

    let ships = wait_log(shop, "fulfillment_create", 3);
    assert_eq!(ships.len(), 3, "{ships:?}");
    for (i, name) in names.iter().enumerate() {
        let hit = ships
            .iter()
            .find(|s| {
                s["order_name"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches('#')
                    == name
            })
            .unwrap_or_else(|| panic!("no fulfilment for {name}: {ships:?}"));
        assert_eq!(hit["tracking_number"], format!("JD55{i}"));
        assert_eq!(hit["tracking_company"], "DHL Express");
    }
    // What each shop answered shows on the manifest.
    pty.wait_rows("the shops' answers", WAIT, |rows| {
        rows.iter()
            .filter(|r| r.contains("JD55") && r.contains("sent"))
            .count()
            == 3
    });

    std::thread::sleep(Duration::from_millis(300));
    pty.send(b"q");
    assert_eq!(pty.wait_exit(WAIT), Some(0));
    assert_eq!(shop.log("fulfillment_create").len(), 3);
}
