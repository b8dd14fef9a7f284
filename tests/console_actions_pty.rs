//! The real binary in a pseudo-terminal, as an operator clears the queue: identify a customer
//! (the order books), record the payment, ship with tracking, complete. The shop simulator, a
//! separate process, shows the fulfilment with that tracking number, once.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::pty::{Pty, orderdesk};

const WAIT: Duration = Duration::from_secs(60);

struct Sim(Child);
impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sim_log(url: &str) -> Vec<Value> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let r = reqwest::get(format!("{url}/_sim/log")).await.expect("log");
        r.json::<Vec<Value>>().await.expect("json")
    })
}

fn wait_log(url: &str, kind: &str) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let hits: Vec<Value> = sim_log(url)
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .collect();
        if !hits.is_empty() || start.elapsed() > WAIT {
            return hits;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn identify_pay_ship_and_complete_from_the_keyboard() {
    let home = tempfile::tempdir().expect("tempdir");
    let export = home.path().join("export");
    let mut child = orderdesk(home.path())
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--orders",
            "40",
            "--restore",
            "1000",
            "--export",
        ])
        .arg(&export)
        .stdout(Stdio::piped())
        .spawn()
        .expect("sim");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let url = line.trim().trim_start_matches("listening on ").to_string();
    let _sim = Sim(child);

    let cfg = home.path().join("orderdesk.toml");
    std::fs::write(
        &cfg,
        format!(
            "operator = \"anna\"\n[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\n[store.carriers]\nDHL = \"DHL Express\"\n"
        ),
    )
    .expect("config");
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
    pty.send(b"\r");
    pty.wait_for(&["Order #1004", "Timeline"], WAIT);

    pty.send(b"i");
    pty.wait_for(&["Identify the customer of #1004"], WAIT);
    pty.send(&[0x7f; 20]);
    pty.send("kovács".as_bytes());
    pty.wait_for(&["anna.kovacs@example.hu"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["#1004 booked", "Local customer C1"], WAIT);

    pty.send(b"p");
    pty.wait_for(&["Record a payment"], WAIT);
    pty.send(b"\r");
    pty.wait_for(&["10.84 EUR  VISA", "Balance               0.00 EUR"], WAIT);

    pty.send(b"s");
    pty.wait_for(&["Change status", "ready to ship"], WAIT);
    pty.send(b"\x1b[B");
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

    let ships = wait_log(&url, "fulfillment_create");
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
    assert_eq!(
        sim_log(&url)
            .iter()
            .filter(|e| e["kind"] == "fulfillment_create")
            .count(),
        1
    );
}
