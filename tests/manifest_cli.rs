//! `orderdesk manifest …` against the shop simulator (a separate process): three booked
//! orders ready to ship go on a manifest with their tracking numbers; shipping it (with
//! --yes) tells the shop once per order, with carrier and tracking; the refusals exit 1 with
//! a JSON error.

mod support;

use serde_json::Value;
use support::shop::SyncedStore;

#[test]
fn a_manifest_is_made_filled_and_shipped_from_the_command_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 40);
    let shop = &store.shop;
    let od = |args: &[&str]| store.od(home.path(), args);
    let booked = store.booked(home.path());
    assert!(booked.len() >= 4, "{} booked", booked.len());
    let refs: Vec<String> = booked[..3]
        .iter()
        .map(|o| o["ref"].as_str().expect("ref").to_string())
        .collect();
    let still_booked = booked[3]["ref"].as_str().expect("ref").to_string();

    let (code, out, err) = od(&["manifest", "create", "--carrier", "DHL", "--json"]);
    assert_eq!(code, 0, "{err}");
    let created: Value = serde_json::from_str(&out).expect("json");
    let id = created["id"].as_str().expect("id as a string").to_string();

    let (code, out, _) = od(&[
        "manifest",
        "add",
        &id,
        &still_booked,
        "--tracking",
        "X",
        "--json",
    ]);
    assert_eq!(code, 1);
    let e: Value = serde_json::from_str(&out).expect("json error");
    assert_eq!(e["code"], "refused");
    assert!(
        e["error"].as_str().unwrap_or("").contains("ready-to-ship"),
        "{e}"
    );

    for (i, r) in refs.iter().enumerate() {
        assert_eq!(od(&["order", r, "status", "ready_to_ship"]).0, 0);
        let tracking = format!("JD77{i}");
        let (code, _, err) = od(&["manifest", "add", &id, r, "--tracking", &tracking]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, _, err) = od(&["manifest", "add", &id, &refs[0], "--tracking", "JD9"]);
    assert_eq!(code, 1);
    assert!(err.contains("already on open manifest"), "{err}");

    let (code, _, err) = od(&["manifest", "ship", &id]);
    assert_eq!(code, 1, "shipping asks for --yes");
    assert!(err.contains("--yes"), "{err}");
    assert!(shop.log("fulfillment_create").is_empty());

    let (code, out, err) = od(&["manifest", "ship", &id, "--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    let shipped: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(shipped["state"], "shipped");
    let fulfilled = shop.log("fulfillment_create");
    assert_eq!(fulfilled.len(), 3, "{fulfilled:?}");
    for (i, r) in refs.iter().enumerate() {
        let name = r.split_once(':').map(|(_, n)| n).unwrap_or_default();
        let hit = fulfilled
            .iter()
            .find(|f| {
                f["order_name"]
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches('#')
                    == name
            })
            .unwrap_or_else(|| panic!("no fulfilment for {r}: {fulfilled:?}"));
        assert_eq!(hit["tracking_number"], format!("JD77{i}"));
        assert_eq!(hit["tracking_company"], "DHL Express");
    }

    let (code, out, _) = od(&["manifest", "show", &id, "--json"]);
    assert_eq!(code, 0);
    let m: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(m["id"], id.as_str());
    assert_eq!(m["carrier"], "DHL");
    let orders = m["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 3);
    assert_eq!(orders[0]["ref"], refs[0].as_str());
    assert_eq!(orders[0]["tracking_number"], "JD770");
    assert_eq!(orders[0]["shop"]["status"], "sent");
    for r in &refs {
        let (_, out, _) = od(&["order", r, "--json"]);
        let o: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(o["state"], "shipped");
        // The order's outbox items, with the shop's answer.
        let sent = o["outbox"].as_array().expect("outbox");
        let fulfil = sent
            .iter()
            .find(|i| {
                i["what"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("fulfil with DHL Express")
            })
            .unwrap_or_else(|| panic!("{sent:?}"));
        assert_eq!(fulfil["status"], "sent");
        assert!(fulfil["answer"].is_string(), "{fulfil}");
    }

    let (code, out, _) = od(&["manifest", "show", &id]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("SHIPPING MANIFEST {id}")), "{out}");
    assert!(out.contains("JD771"), "{out}");
    assert!(out.contains("Driver's signature"), "{out}");

    let (code, _, err) = od(&["manifest", "ship", &id, "--yes"]);
    assert_eq!(code, 1);
    assert!(err.contains("already shipped"), "{err}");
    let (code, out, _) = od(&["manifest", "list", "--json"]);
    assert_eq!(code, 0);
    let list: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["orders"], 3);
}
