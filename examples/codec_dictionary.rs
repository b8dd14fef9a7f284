//! Builds the store's record dictionaries (`src/store/codec/dictionary-1/`) from stores.
//!
//! `cargo run --release --example codec_dictionary -- OUT_DIR STORE_DIR...` samples each
//! store's records as the codec writes them (JSON): orders of each shop and state, a payload
//! and a parsed shop order of each shop, an outbox item and a timeline entry of each kind, a few
//! customers and products; one file per kind of record, each within what it is worth hashing
//! on every write (compressing with a dictionary first indexes it: a few µs per 10 KB). A
//! dictionary never changes once a binary has written with it: a new one is a new version.

use orderdesk::store::{Open, Store};
use std::collections::BTreeMap;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, dirs)) = args.split_first() else {
        return Err("usage: codec_dictionary OUT STORE_DIR...".into());
    };
    // Per part, samples keyed so that one of each kind (or shop) is taken.
    let mut orders = BTreeMap::new();
    let mut raws = BTreeMap::new();
    let mut shop_orders = BTreeMap::new();
    let mut outbox = BTreeMap::new();
    let mut timeline = BTreeMap::new();
    for (d, dir) in dirs.iter().enumerate() {
        let store = Store::open_as(Path::new(dir), Open::Existing)?;
        for (i, order) in store.all_orders().enumerate() {
            let order = order?;
            // Every 13th order: a spread over states and shops, not the first few.
            if i % 13 != 0 {
                continue;
            }
            let shop = format!("{} {:?}", order.store, order.state);
            if !orders.contains_key(&shop) {
                orders.insert(shop.clone(), serde_json::to_string(&order)?);
            }
            // Two payloads of each shop of each store given.
            let key = format!("{d} {} {}", order.store, i % 2);
            if let (false, Some(raw)) = (raws.contains_key(&key), store.order_raw(order.id)?) {
                raws.insert(key, raw);
            }
            if let (false, Some(parsed)) = (
                shop_orders.contains_key(&order.store),
                store.shop_order(order.id)?,
            ) {
                shop_orders.insert(order.store.clone(), serde_json::to_string(&parsed)?);
            }
            for item in store.order_outbox(order.id)? {
                let kind = serde_json::to_value(&item.change)?
                    .get("kind")
                    .and_then(|k| k.as_str())
                    .unwrap_or_default()
                    .to_string();
                outbox.entry(kind).or_insert(serde_json::to_string(&item)?);
            }
            for entry in store.timeline(order.id)? {
                let first = entry.text.split(' ').next().unwrap_or_default();
                timeline
                    .entry(format!("{} {first}", entry.kind))
                    .or_insert(serde_json::to_string(&entry)?);
            }
        }
    }
    let mut records = BTreeMap::new();
    for dir in dirs.iter().take(1) {
        let store = Store::open_as(Path::new(dir), Open::Existing)?;
        for (i, c) in store.customers().take(3).enumerate() {
            records.insert(format!("c{i}"), serde_json::to_string(&c?)?);
        }
        for (i, p) in store.products().take(3).enumerate() {
            records.insert(format!("p{i}"), serde_json::to_string(&p?)?);
        }
    }
    std::fs::create_dir_all(out)?;
    let mut sizes = Vec::new();
    for (name, part, budget) in [
        ("orders", &orders, 16),
        ("payloads", &raws, 24),
        ("shop_orders", &shop_orders, 8),
        ("timeline", &timeline, 6),
        ("outbox", &outbox, 4),
        ("records", &records, 4),
    ] {
        let mut text = String::new();
        for v in part.values() {
            if text.len() + v.len() < budget * 1024 {
                text.push_str(v);
                text.push('\n');
            }
        }
        std::fs::write(Path::new(out).join(format!("{name}.txt")), &text)?;
        sizes.push(format!("{name} {} B", text.len()));
    }
    println!("{out}: {}", sizes.join(", "));
    Ok(())
}
