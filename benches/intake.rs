//! Intake rate: orders matched and booked per second from already-parsed shop orders, against
//! a store holding 200,000 customers and 100,000 products; in the same run, the yardstick:
//! plain sled inserts of each stored order (serialized as the store keeps it) into a fresh
//! database with one flush at the end. Prints figures and the ratio; asserts nothing.
//!
//! Run: `cargo bench --bench intake` (ORDERS, CUSTOMERS, PRODUCTS, BATCH to change sizes;
//! `UNKNOWN_CUSTOMER=create` for a store that creates the customers it does not know, where
//! about one order in eleven makes one).

use orderdesk::engine::Engine;
use orderdesk::sample::{OrderMix, bench_settings, customers_csv, products_csv, shop_order};
use orderdesk::store::baseline::RawTree;
use orderdesk::store::encode_record;
use std::time::Instant;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let orders = env("ORDERS", 100_000);
    let customers = env("CUSTOMERS", 200_000);
    let products = env("PRODUCTS", 100_000);
    let batch = env("BATCH", 1_000) as usize;
    let root = std::env::temp_dir().join(format!("orderdesk-bench-intake-{}", std::process::id()));
    let mut settings = bench_settings();
    if std::env::var("UNKNOWN_CUSTOMER").as_deref() == Ok("create") {
        settings.intake.unknown_customer = orderdesk::domain::intake::UnknownCustomer::Create;
    }
    let engine = Engine::open(&root.join("store"), "bench", vec![settings]).expect("store");
    engine
        .import_products("products.csv", &products_csv(products as usize))
        .expect("products");
    engine
        .import_customers(
            "customers.csv",
            &customers_csv(customers as usize),
            Some("HU"),
        )
        .expect("customers");
    let now = chrono::Utc::now();
    let mix = OrderMix {
        customers,
        products,
        orders,
        first: now - chrono::Duration::days(365),
        last: now,
    };
    let incoming: Vec<_> = (0..orders).map(|i| shop_order(&mix, i)).collect();
    println!(
        "store: {customers} customers, {products} products; {orders} parsed orders, batches of {batch}"
    );

    let t = Instant::now();
    let mut booked = 0;
    let mut parked = 0;
    let mut it = incoming.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<_> = it.by_ref().take(batch).collect();
        let tally = engine.intake_batch("web", chunk).expect("intake");
        booked += tally.booked;
        parked += tally.parked;
    }
    engine.flush().expect("flush");
    let intake = t.elapsed().as_secs_f64();
    let rate = orders as f64 / intake;
    println!(
        "intake: {orders} orders in {intake:.2} s = {rate:.0} orders/s ({booked} booked, {parked} parked, {} customers added)",
        engine.customers(None).expect("customers").len() as u64 - customers
    );

    let values: Vec<Vec<u8>> = engine
        .all_orders(None)
        .expect("orders")
        .iter()
        .map(|o| encode_record(o).expect("encode"))
        .collect();
    let mean = values.iter().map(Vec::len).sum::<usize>() / values.len().max(1);
    let raw = RawTree::open(&root.join("raw")).expect("raw");
    let t = Instant::now();
    for (i, chunk) in values.chunks(batch.max(1)).enumerate() {
        raw.insert_batch((i * batch) as u64, chunk).expect("insert");
    }
    raw.flush().expect("flush");
    let raw_secs = t.elapsed().as_secs_f64();
    let raw_rate = values.len() as f64 / raw_secs;
    println!(
        "raw {}: {} inserts of {mean} bytes, a commit per {batch}, in {raw_secs:.2} s = {raw_rate:.0} inserts/s",
        raw.engine(),
        values.len()
    );
    println!(
        "intake / raw = {:.2} (targets: intake >= 20000/s, ratio >= 0.33)",
        rate / raw_rate
    );
    drop(engine);
    drop(raw);
    let _ = std::fs::remove_dir_all(root);
}
