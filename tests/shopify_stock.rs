//! Stock levels sent to Shopify, against its simulator: batches of 250 quantities, the
//! variants' inventory items and the location read once, refusals named in Shopify's words
//! (the rest of their call set all the same), the cost bucket kept, and a level that reached
//! the shop never set twice (its idempotency key).

#[path = "support/sim.rs"]
mod sim;

use chrono::Utc;
use orderdesk::channels::Channel;
use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::domain::outbox::QueuedStock;
use orderdesk::sim::seed::shop_catalog::ShopCatalog;
use orderdesk::sim::shopify::{self, Seeded, SimHandle, SimOptions};
use serde_json::{Value, json};
use sim::*;
use std::collections::BTreeMap;

/// The simulator with `generated` more catalog products than the seeded ones.
async fn shop(generated: usize) -> (SimHandle, ShopifyChannel) {
    let opts = SimOptions {
        orders: 5,
        bucket: 1000,
        restore: 1000,
        ..SimOptions::default()
    };
    let mut seeded = Seeded::new(&opts);
    seeded.catalog = ShopCatalog::new(&seeded.products, generated);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sim = shopify::start(opts, seeded, listener).await.expect("start");
    let channel = ShopifyChannel::new(&sim.url(), TOKEN.to_string()).expect("channel");
    (sim, channel)
}

/// Every variant id of the shop, by reading its catalog as the connector does.
async fn variant_ids(channel: &ShopifyChannel) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = channel
            .fetch_products_page(after.as_deref())
            .await
            .expect("a page");
        ids.extend(page.products.into_iter().map(|p| p.remote_id));
        match page.next {
            Some(next) => after = Some(next),
            None => return ids,
        }
    }
}

fn level(remote_id: &str, quantity: i64, seq: u64) -> QueuedStock {
    QueuedStock {
        product_id: format!("P{seq}"),
        sku: format!("SKU-{seq}"),
        remote_id: remote_id.to_string(),
        parent: None,
        quantity,
        seq,
        queued_at: Utc::now(),
    }
}

/// The quantities the shop's log says were set, by variant.
async fn set_log(sim: &SimHandle) -> BTreeMap<String, Vec<i64>> {
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for e in kinds(&log(sim).await, "inventory_set") {
        out.entry(e["product_id"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(e["quantity"].as_i64().unwrap_or(i64::MIN));
    }
    out
}

/// `GET /_sim/{what}`.
async fn sim_json(sim: &SimHandle, what: &str) -> Value {
    reqwest::get(format!("{}/_sim/{what}", sim.url()))
        .await
        .expect(what)
        .json()
        .await
        .expect("json")
}

/// What the bucket charged, query by query: the requested cost of each.
async fn charged(sim: &SimHandle) -> Vec<u64> {
    let charges = sim_json(sim, "charges").await;
    (charges["charges"].as_array().cloned().unwrap_or_default())
        .iter()
        .map(|c| c["requested"].as_u64().unwrap_or(0))
        .collect()
}

async fn throttled(sim: &SimHandle) -> u64 {
    sim_json(sim, "stats").await["throttled"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn levels_go_in_batches_and_the_refused_are_named_in_shopifys_words() {
    let (sim, channel) = shop(600).await;
    let ids = variant_ids(&channel).await;
    assert!(ids.len() > 600, "{}", ids.len());
    let ids = &ids[..600];
    let before = charged(&sim).await.len();
    let mut levels: Vec<QueuedStock> = (ids.iter().enumerate())
        .map(|(i, id)| level(id, (i % 7) as i64 + 1, i as u64 + 1))
        .collect();
    // Shopify refuses a negative quantity (the engine never queues one): only that one.
    levels[300].quantity = -1;
    levels.push(level("99", 5, 601));
    levels.push(level("gid://shopify/ProductVariant/1", 5, 602));
    let refused: BTreeMap<String, String> = channel
        .push_stock(&levels)
        .await
        .expect("sent")
        .into_iter()
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert_eq!(
        refused[&ids[300]],
        "The quantity can't be negative. (INVALID_QUANTITY_NEGATIVE)"
    );
    assert!(
        refused["99"].contains("no such product variant"),
        "{refused:?}"
    );
    assert!(refused.contains_key("gid://shopify/ProductVariant/1"));

    let set = set_log(&sim).await;
    assert_eq!(set.len(), 599, "every other level set");
    for l in levels.iter().take(600).filter(|l| l.quantity >= 0) {
        assert_eq!(
            set.get(&l.remote_id),
            Some(&vec![l.quantity]),
            "{}",
            l.remote_id
        );
    }
    assert!(!set.contains_key(&ids[300]));

    // The location once (1), the items in calls of 250 (601 ids: 3 reads), the quantities in
    // calls of 250 (3) and the batch that held the refused one sent again without it (1).
    let costs = charged(&sim).await[before..].to_vec();
    assert_eq!(costs.len(), 1 + 3 + 4, "{costs:?}");
    assert_eq!(costs.iter().filter(|c| **c == 10).count(), 4, "{costs:?}");
    assert_eq!(throttled(&sim).await, 0);
    let bucket = channel.throttle_status().expect("the bucket was read");
    assert!(bucket.currently_available <= bucket.maximum_available);

    // A newer level of a variant read before: the mutation alone (nothing read again).
    let again = channel
        .push_stock(&[level(&ids[0], 42, 700)])
        .await
        .expect("sent");
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(charged(&sim).await.len(), before + costs.len() + 1);
    assert_eq!(set_log(&sim).await[&ids[0]], vec![1, 42]);
    sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_that_reached_the_shop_is_never_set_twice() {
    let (sim, channel) = shop(0).await;
    let ids = variant_ids(&channel).await;
    let levels = [level(&ids[0], 8, 11), level(&ids[1], 3, 12)];
    // Applied, then the connection breaks: the levels stay queued and are sent again.
    let (status, _) = faults(&sim, json!({"drop_after_apply_next": 1})).await;
    assert_eq!(status, 200);
    // The first call reads the location; the fault lands on the mutation.
    let err = channel
        .push_stock(&levels)
        .await
        .expect_err("a broken answer");
    assert!(!err.to_string().is_empty());
    assert_eq!(set_log(&sim).await.values().flatten().count(), 2);
    let refused = channel.push_stock(&levels).await.expect("sent again");
    assert!(refused.is_empty(), "{refused:?}");
    let set = set_log(&sim).await;
    assert_eq!(set[&ids[0]], vec![8], "the same key: not set again");
    assert_eq!(set[&ids[1]], vec![3]);
    // A newer quantity is a new key, and is set.
    let newer = channel
        .push_stock(&[level(&ids[0], 8, 13)])
        .await
        .expect("sent");
    assert!(newer.is_empty());
    assert_eq!(set_log(&sim).await[&ids[0]], vec![8, 8]);
    sim.stop();
}

const SET: &str = "mutation S($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    userErrors { field message code }
  }
}";

fn input(item: &str, location: &str, quantity: Value) -> Value {
    json!({"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": item, "locationId": location, "quantity": quantity,
         "changeFromQuantity": null}]})
}

#[tokio::test]
async fn the_simulator_refuses_what_shopify_refuses() {
    let (sim, channel) = shop(0).await;
    let ids = variant_ids(&channel).await;
    let found = gql(
        &sim,
        "query { location { id isActive } nodes(ids: [\"gid://shopify/ProductVariant/1\"]) { id } }",
        json!({}),
    )
    .await;
    let location = found["data"]["location"]["id"]
        .as_str()
        .expect("primary")
        .to_string();
    assert_eq!(found["data"]["nodes"], json!([null]));
    let item = format!("gid://shopify/InventoryItem/{}", ids[0]);
    let codes = |body: &Value| -> Vec<String> {
        (body["data"]["inventorySetQuantities"]["userErrors"]
            .as_array()
            .cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default().to_string())
        .collect()
    };
    let body = gql(
        &sim,
        SET,
        json!({"input": input("gid://shopify/InventoryItem/1", &location, json!(1)), "key": "a"}),
    )
    .await;
    assert_eq!(codes(&body), ["INVALID_INVENTORY_ITEM"]);
    let body = gql(
        &sim,
        SET,
        json!({"input": input(&item, "gid://shopify/Location/1", json!(1)), "key": "b"}),
    )
    .await;
    assert_eq!(codes(&body), ["INVALID_LOCATION"]);
    let mut no_compare = input(&item, &location, json!(1));
    no_compare["quantities"][0]
        .as_object_mut()
        .expect("an object")
        .remove("changeFromQuantity");
    let body = gql(&sim, SET, json!({"input": no_compare, "key": "c"})).await;
    assert_eq!(codes(&body), ["COMPARE_QUANTITY_REQUIRED"]);
    let body = gql(
        &sim,
        SET,
        json!({"input": input(&item, &location, json!(4)), "key": "d"}),
    )
    .await;
    assert_eq!(codes(&body), Vec::<String>::new());
    let body = gql(
        &sim,
        SET,
        json!({"input": input(&item, &location, json!(5)), "key": "d"}),
    )
    .await;
    assert_eq!(codes(&body), ["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]);
    let unkeyed = SET
        .replace(" @idempotent(key: $key)", "")
        .replace(", $key: String!", "");
    let body = gql(
        &sim,
        &unkeyed,
        json!({"input": input(&item, &location, json!(6))}),
    )
    .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("idempotency")),
        "{body}"
    );
    // Nothing refused was set: the one quantity set once.
    assert_eq!(
        set_log(&sim)
            .await
            .values()
            .flatten()
            .copied()
            .collect::<Vec<_>>(),
        [4]
    );
    sim.stop();
}
