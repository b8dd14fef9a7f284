//! The Magento 2 simulator driven over HTTP with plain reqwest, as any client would: the
//! search and its pages, the token and the store code, comments, cancels, shipments and
//! credit memos in the log, the test API, faults, the seed and the export.

use orderdesk::sim::SimHandle;
use orderdesk::sim::magento::{self, MagentoOptions, Seeded};
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

const TOKEN: &str = "mg_test_token";
const V1: &str = "/rest/default/V1";

async fn start(orders: usize) -> SimHandle {
    let opts = MagentoOptions {
        orders,
        token: Some(TOKEN.into()),
        ..MagentoOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    magento::start(opts, seeded, listener, Default::default())
        .await
        .expect("start")
}

async fn send(req: RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(sim: &SimHandle, path: &str) -> (u16, Value) {
    send(
        Client::new()
            .get(format!("{}{path}", sim.url()))
            .bearer_auth(TOKEN),
    )
    .await
}

async fn post(sim: &SimHandle, path: &str, body: Value) -> (u16, Value) {
    let req = Client::new().post(format!("{}{path}", sim.url()));
    send(req.bearer_auth(TOKEN).json(&body)).await
}

/// Unauthenticated: the test API.
async fn sim_post(sim: &SimHandle, path: &str, body: Value) -> (u16, Value) {
    send(
        Client::new()
            .post(format!("{}{path}", sim.url()))
            .json(&body),
    )
    .await
}

fn search(filters: &[(u8, &str, &str, &str)], size: u32, page: u32) -> String {
    let mut q = format!("searchCriteria[pageSize]={size}&searchCriteria[currentPage]={page}");
    for (g, field, value, cond) in filters {
        let f = format!("searchCriteria[filter_groups][{g}][filters][0]");
        q += &format!("&{f}[field]={field}&{f}[value]={value}&{f}[condition_type]={cond}");
    }
    q + "&searchCriteria[sortOrders][0][field]=updated_at&searchCriteria[sortOrders][0][direction]=ASC"
}

#[tokio::test]
async fn the_search_filters_sorts_and_pages_as_magento_does() {
    let sim = start(30).await;
    let (s, all) = get(&sim, &format!("{V1}/orders?{}", search(&[], 10, 1))).await;
    assert_eq!((s, all["total_count"].as_u64()), (200, Some(30)));
    let items = all["items"].as_array().expect("items");
    assert_eq!(items.len(), 10);
    let dates: Vec<&str> = items
        .iter()
        .filter_map(|o| o["updated_at"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let first = &items[0];
    assert_ne!(
        first["entity_id"].to_string(),
        first["increment_id"].as_str().unwrap_or("")
    );
    let (_, past) = get(&sim, &format!("{V1}/orders?{}", search(&[], 10, 9))).await;
    assert_eq!(
        past["items"][0],
        all_last_page(&sim).await,
        "past the end: the last page"
    );
    let done = [(1, "status", "complete,closed,canceled", "in")];
    let (_, over) = get(&sim, &format!("{V1}/orders?{}", search(&done, 100, 1))).await;
    let over = over["items"].as_array().expect("items");
    assert!(!over.is_empty() && over.iter().all(|o| o["status"] != "processing"));
    let (s, bad) = get(
        &sim,
        &format!("{V1}/orders?{}", search(&[(0, "secret", "x", "eq")], 5, 1)),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        bad["message"]
            .as_str()
            .expect("a message")
            .contains("secret")
    );
    sim.stop();
}

async fn all_last_page(sim: &SimHandle) -> Value {
    get(sim, &format!("{V1}/orders?{}", search(&[], 10, 3)))
        .await
        .1["items"][0]
        .clone()
}

#[tokio::test]
async fn a_bad_token_or_store_or_route_answers_in_magento_s_words() {
    let sim = start(3).await;
    let (s, body) = send(
        Client::new()
            .get(format!("{}{V1}/orders/1", sim.url()))
            .bearer_auth("nope"),
    )
    .await;
    assert_eq!(s, 401);
    assert!(
        body["message"]
            .as_str()
            .expect("a message")
            .contains("%resources")
    );
    assert!(body["parameters"]["resources"].is_string());
    assert_eq!(get(&sim, "/rest/nl/V1/orders/1").await.0, 400);
    assert_eq!(get(&sim, "/rest/all/V1/orders/1").await.0, 200);
    let (s, missing) = get(&sim, &format!("{V1}/orders/999")).await;
    assert_eq!(s, 404);
    assert!(
        missing["message"]
            .as_str()
            .expect("a message")
            .contains("doesn't exist")
    );
    let (s, route) = get(&sim, &format!("{V1}/nothing")).await;
    assert_eq!(
        (s, route["message"].as_str()),
        (404, Some("Request does not match any route."))
    );
    sim.stop();
}

#[tokio::test]
async fn shipping_commenting_cancelling_and_refunding_are_logged_once_each() {
    let sim = start(20).await;
    // Order 1 is the first named case: known customer, paid, processing.
    let (s, shipment) = post(
        &sim,
        &format!("{V1}/order/1/ship"),
        json!({"notify": true,
        "tracks": [{"track_number": "JD1", "title": "DHL Express", "carrier_code": "custom"}]}),
    )
    .await;
    assert_eq!(s, 200);
    let (_, o) = get(&sim, &format!("{V1}/orders/1")).await;
    assert_eq!(o["status"], "complete");
    let (s, _) = post(
        &sim,
        &format!("{V1}/order/1/ship"),
        json!({"notify": false}),
    )
    .await;
    assert_eq!(s, 400, "nothing left to ship");
    let f = "searchCriteria[filter_groups][0][filters][0]";
    let (_, list) = get(
        &sim,
        &format!("{V1}/shipments?{f}[field]=order_id&{f}[value]=1"),
    )
    .await;
    assert_eq!(
        list["items"][0]["entity_id"].to_string(),
        shipment.as_str().expect("an id")
    );
    assert_eq!(list["items"][0]["tracks"][0]["track_number"], "JD1");

    let (s, ok) = post(&sim, &format!("{V1}/orders/2/comments"),
        json!({"statusHistory": {"comment": "Ready.", "is_customer_notified": 1, "status": "ready_pickup"}})).await;
    assert_eq!((s, ok), (200, json!(true)));
    let (s, _) = post(
        &sim,
        &format!("{V1}/orders/2/comments"),
        json!({"statusHistory": {"comment": "x", "status": "nonsense"}}),
    )
    .await;
    assert_eq!(s, 400);
    let (_, o) = get(&sim, &format!("{V1}/orders/2")).await;
    assert_eq!(
        (
            o["status"].as_str(),
            o["status_histories"][0]["comment"].as_str()
        ),
        (Some("ready_pickup"), Some("Ready."))
    );

    // Invoiced: no cancel, a credit memo instead; then nothing is left to refund.
    assert_eq!(
        post(&sim, &format!("{V1}/orders/3/cancel"), json!({}))
            .await
            .1,
        json!(false)
    );
    let (s, _) = post(
        &sim,
        &format!("{V1}/order/3/refund"),
        json!({"notify": true,
        "arguments": {"extension_attributes": {"return_to_stock_items": [30]}}}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        post(&sim, &format!("{V1}/order/3/refund"), json!({}))
            .await
            .0,
        400
    );
    let (_, o) = get(&sim, &format!("{V1}/orders/3")).await;
    assert_eq!(o["state"], "closed");

    let (_, log) = get(&sim, "/_sim/log").await;
    let kinds: Vec<&str> = log
        .as_array()
        .expect("a log")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "fulfillment_create",
            "order_update",
            "refund_create",
            "order_cancel"
        ]
    );
    assert_eq!(log[0]["tracking_number"], "JD1");
    assert_eq!(log[2]["restock"], true);
    sim.stop();
}

#[tokio::test]
async fn the_test_api_changes_orders_and_refuses_unknown_faults() {
    let sim = start(10).await;
    let (_, before) = get(&sim, &format!("{V1}/orders/1")).await;
    assert_eq!(
        sim_post(&sim, "/_sim/orders/1", json!({"cancel": true}))
            .await
            .0,
        200
    );
    let (_, o) = get(&sim, &format!("{V1}/orders/1")).await;
    assert_eq!(o["status"], "canceled");
    assert!(o["updated_at"].as_str() >= before["updated_at"].as_str());
    assert_eq!(
        sim_post(&sim, "/_sim/orders/2", json!({"complete": true}))
            .await
            .0,
        200
    );
    assert_eq!(
        get(&sim, &format!("{V1}/orders/2")).await.1["status"],
        "complete"
    );
    assert_eq!(
        sim_post(&sim, "/_sim/orders/2", json!({"bogus": 1}))
            .await
            .0,
        400
    );
    let (s, added) = sim_post(
        &sim,
        "/_sim/orders",
        json!({"customer_email": "x@example.com"}),
    )
    .await;
    assert_eq!((s, added["entity_id"].as_u64()), (201, Some(11)));

    let (s, e) = sim_post(&sim, "/_sim/faults", json!({"throttle_next": 1})).await;
    assert_eq!(s, 400, "Shopify's own fault: {e}");
    let armed = json!({"malformed": {"order": "4", "field": "base_grand_total"}, "rate_limit_next": 1, "retry_after": 0});
    assert_eq!(sim_post(&sim, "/_sim/faults", armed).await.0, 200);
    assert_eq!(get(&sim, &format!("{V1}/orders/4")).await.0, 429);
    let (s, o) = get(&sim, &format!("{V1}/orders/4")).await;
    assert_eq!(s, 200);
    assert!(
        o.get("base_grand_total").is_none() && o["entity_id"] == 4,
        "{o}"
    );
    assert!(magento::parse_faults(r#"{"fail_next": 1}"#).is_ok());
    assert!(magento::parse_faults(r#"{"nope": 1}"#).is_err());
    sim.stop();
}

#[test]
fn the_seed_is_the_shared_world_with_magento_s_defaults_in_expected_json() {
    let opts = MagentoOptions {
        orders: 60,
        ..MagentoOptions::default()
    };
    let (a, b) = (Seeded::new(&opts), Seeded::new(&opts));
    assert_eq!(a.expected(), b.expected());
    let state = |case: &str| {
        a.expected()
            .iter()
            .find(|e| e.case == case)
            .map(|e| e.state.clone())
            .expect(case)
    };
    assert_eq!(
        state("no_contact"),
        "rejected",
        "Magento rejects an order without contact"
    );
    assert_eq!(state("known_customer_email"), "booked");
    assert!(
        a.expected().iter().all(|e| e.name.len() == 9),
        "increment ids"
    );
    let shared = a
        .orders
        .iter()
        .flat_map(|o| o["items"].as_array().cloned().unwrap_or_default())
        .find(|i| i["product_type"] == "configurable")
        .expect("a configurable item");
    let id = shared["item_id"].clone();
    let child = a
        .orders
        .iter()
        .flat_map(|o| o["items"].as_array().cloned().unwrap_or_default())
        .find(|i| i["parent_item_id"] == id)
        .expect("its child");
    assert_eq!(child["sku"], shared["sku"]);
    let dir = tempfile::tempdir().expect("tempdir");
    a.write_export(dir.path()).expect("export");
    assert!(dir.path().join("expected.json").exists());
}
