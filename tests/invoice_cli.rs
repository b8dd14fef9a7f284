//! `orderdesk invoice …` against the shop simulator, and invoice numbering across a kill -9:
//! the process is killed at every kill point of `invoice generate` in turn; after each, the
//! same command run again leaves the store's numbers 1, 2, 3 — no gap, none used twice.

mod support;

use serde_json::Value;
use std::path::Path;
use support::pty::{od, orderdesk};
use support::shop::{ShopProcess, SyncedStore, copy_dir};

/// A store synced from the simulator, and three booked orders' refs.
fn world(
    home: &Path,
) -> (
    ShopProcess,
    std::path::PathBuf,
    std::path::PathBuf,
    Vec<String>,
) {
    let store = SyncedStore::start(home, 40);
    let refs = store.booked(home)[..3]
        .iter()
        .map(|o| o["ref"].as_str().expect("ref").to_string())
        .collect();
    (store.shop, store.cfg, store.data, refs)
}

#[test]
fn invoices_are_generated_listed_shown_and_sent_from_the_command_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let (shop, cfg, data, refs) = world(home.path());
    let od = |args: &[&str]| od(home.path(), &cfg, &data, args);
    let (code, out, _) = od(&[
        "invoice", "generate", &refs[0], &refs[1], "web:nope", "--json",
    ]);
    assert_eq!(code, 1, "one of them was refused");
    let results: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[0]["invoice"]["number"], "WEB-000001");
    assert_eq!(results[1]["invoice"]["number"], "WEB-000002");
    assert_eq!(results[2]["ok"], false);
    assert!(
        results[2]["error"]
            .as_str()
            .unwrap_or("")
            .contains("no order")
    );
    let (code, out, _) = od(&["invoice", "list", "--json"]);
    assert_eq!(code, 0);
    let list: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["state"], "generated");
    assert_eq!(list[0]["order"], refs[0].as_str());
    let (code, out, _) = od(&["invoice", "show", "web-000001"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("INVOICE WEB-000001\n"), "{out}");
    // Shopify has no status names, so no "invoiced" status: the invoice number goes to the
    // shop as a line of the order's note, once.
    let (code, out, err) = od(&["invoice", "send", "WEB-000001", "--json"]);
    assert_eq!(code, 0, "{err}");
    let sent: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(sent["state"], "sent", "{sent}");
    assert_eq!(shop.log("order_update").len(), 1);
    let (code, _, err) = od(&["invoice", "send", "WEB-000001", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already sent"), "{err}");
    assert_eq!(shop.log("order_update").len(), 1, "nothing sent twice");
}

#[cfg(debug_assertions)]
#[test]
fn invoice_numbers_have_no_gap_and_no_repeat_across_a_kill_at_every_point() {
    use std::os::unix::process::ExitStatusExt;
    let home = tempfile::tempdir().expect("tempdir");
    let (_shop, cfg, base, refs) = world(home.path());
    let generate = |data: &Path, kill_at: Option<usize>, log: Option<&Path>| {
        let mut c = orderdesk(home.path());
        c.env("SHOP_TOKEN", "t")
            .arg("--config")
            .arg(&cfg)
            .arg("--data")
            .arg(data)
            .args(["invoice", "generate"])
            .args(&refs);
        if let Some(k) = kill_at {
            c.env("ORDERDESK_KILL_AT", k.to_string());
        }
        if let Some(l) = log {
            c.env("ORDERDESK_KILL_LOG", l);
        }
        c.output().expect("runs")
    };
    let whole = home.path().join("whole");
    copy_dir(&base, &whole);
    let log = home.path().join("points.log");
    assert!(generate(&whole, None, Some(&log)).status.success());
    let points = std::fs::read_to_string(&log).expect("log").lines().count();
    assert!(points >= 6, "{points} kill points");
    for k in 1..=points {
        let data = home.path().join(format!("killed{k}"));
        copy_dir(&base, &data);
        let killed = generate(&data, Some(k), None);
        assert_eq!(killed.status.signal(), Some(libc::SIGKILL), "point {k}");
        // Run again: what was generated is refused, the rest generated.
        let again = generate(&data, None, None);
        let text = String::from_utf8_lossy(&again.stdout);
        let (_, out, _) = od(home.path(), &cfg, &data, &["invoice", "list", "--json"]);
        let list: Vec<Value> = serde_json::from_str(&out).expect("json");
        let numbers: Vec<u64> = list
            .iter()
            .map(|v| v["seq"].as_u64().expect("seq"))
            .collect();
        assert_eq!(numbers, [1, 2, 3], "after a kill at point {k}: {text}");
        let mut orders: Vec<&str> = list
            .iter()
            .map(|v| v["order"].as_str().unwrap_or(""))
            .collect();
        orders.sort_unstable();
        orders.dedup();
        assert_eq!(orders.len(), 3, "one invoice per order after point {k}");
        let (code, out, _) = od(home.path(), &cfg, &data, &["check"]);
        assert_eq!(code, 0, "check after point {k}: {out}");
    }
}

#[test]
fn a_receipt_shows_lines_payments_and_balance_on_stdout_in_a_file_or_printed() {
    let home = tempfile::tempdir().expect("tempdir");
    let (_shop, cfg, data, refs) = world(home.path());
    let od = |cfg: &Path, args: &[&str]| od(home.path(), cfg, &data, args);
    let r = refs[0].as_str();
    assert_eq!(
        od(
            &cfg,
            &[
                "order",
                r,
                "pay",
                "--method",
                "VISA",
                "--comment",
                "auth 77"
            ]
        )
        .0,
        0
    );
    let (code, out, err) = od(&cfg, &["order", r, "receipt"]);
    assert_eq!(code, 0, "{err}");
    let name = r.split_once(':').map(|(_, n)| n).unwrap_or_default();
    assert!(out.starts_with(&format!("RECEIPT web:{name}\n")), "{out}");
    assert!(out.contains("VISA"), "{out}");
    assert!(out.contains("auth 77"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("Balance EUR") && l.ends_with("0.00")),
        "{out}"
    );

    let file = home.path().join("receipt.txt");
    let (code, said, _) = od(
        &cfg,
        &[
            "order",
            r,
            "receipt",
            "--out",
            file.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0);
    assert!(said.contains("receipt.txt"), "{said}");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), out);

    let (code, _, err) = od(&cfg, &["order", r, "receipt", "--print"]);
    assert_eq!(code, 1);
    assert!(err.contains("receipt_command"), "{err}");
    let printed = home.path().join("printed.txt");
    let text = std::fs::read_to_string(&cfg).expect("config");
    let with_printer = home.path().join("printer.toml");
    std::fs::write(
        &with_printer,
        format!(
            "receipt_command = \"cat > '{}'\"\n{text}",
            printed.display()
        ),
    )
    .expect("config");
    std::fs::set_permissions(
        &with_printer,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    let (code, _, err) = od(&with_printer, &["order", r, "receipt", "--print", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&printed).expect("printed"), out);
    std::fs::write(
        &with_printer,
        format!("receipt_command = \"exit 3\"\n{text}"),
    )
    .expect("config");
    let (code, _, err) = od(&with_printer, &["order", r, "receipt", "--print"]);
    assert_eq!(code, 1);
    assert!(err.contains("\"exit 3\" failed"), "{err}");
}
