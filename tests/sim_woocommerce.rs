//! The WooCommerce simulator driven over HTTP with plain reqwest, as any client would:
//! paging, dates, auth, changes and the log, refunds, the tracking extension, faults, the
//! seed and the export.

use orderdesk::sim::woocommerce::{
    self, ORDERS_PATH, Seeded, SimHandle, TRACKING_PATH, WooOptions,
};
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

const KEY: &str = "ck_test";
const SECRET: &str = "cs_test";

async fn start(opts: WooOptions) -> SimHandle {
    let seeded = Seeded::new(&opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    woocommerce::start(opts, seeded, listener, Default::default())
        .await
        .expect("start")
}

fn opts(orders: usize) -> WooOptions {
    WooOptions {
        orders,
        token: Some(format!("{KEY}:{SECRET}")),
        ..WooOptions::default()
    }
}

fn authed(req: RequestBuilder) -> RequestBuilder {
    req.basic_auth(KEY, Some(SECRET))
}

/// Status, headers and body (null when it is not JSON).
async fn send(req: RequestBuilder) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = req.send().await.expect("send");
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

async fn get(sim: &SimHandle, path_and_query: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    send(authed(
        Client::new().get(format!("{}{path_and_query}", sim.url())),
    ))
    .await
}

async fn put(sim: &SimHandle, path: &str, body: Value) -> (u16, Value) {
    let (s, _, b) = send(authed(
        Client::new()
            .put(format!("{}{path}", sim.url()))
            .json(&body),
    ))
    .await;
    (s, b)
}

async fn post(sim: &SimHandle, path: &str, body: Value) -> (u16, Value) {
    let (s, _, b) = send(authed(
        Client::new()
            .post(format!("{}{path}", sim.url()))
            .json(&body),
    ))
    .await;
    (s, b)
}

/// `POST /_sim/...` (no credentials).
async fn sim_post(sim: &SimHandle, path: &str, body: Value) -> (u16, Value) {
    let (s, _, b) = send(
        Client::new()
            .post(format!("{}{path}", sim.url()))
            .json(&body),
    )
    .await;
    (s, b)
}

async fn log(sim: &SimHandle) -> Vec<Value> {
    let (_, _, v) = send(Client::new().get(format!("{}/_sim/log", sim.url()))).await;
    v.as_array().cloned().unwrap_or_default()
}

fn header(h: &reqwest::header::HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The id of the first order of `status` (newest first).
async fn first_with(sim: &SimHandle, status: &str) -> u64 {
    let (_, _, list) = get(sim, &format!("{ORDERS_PATH}?status={status}&per_page=1")).await;
    list[0]["id"].as_u64().expect("an order of that status")
}

#[tokio::test]
async fn paging_headers_over_three_pages_and_per_page_refused_out_of_range() {
    let sim = start(opts(45)).await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let (status, h, list) = get(
            &sim,
            &format!("{ORDERS_PATH}?per_page=20&page={page}&orderby=id&order=asc"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            (header(&h, "x-wp-total"), header(&h, "x-wp-totalpages")),
            ("45".into(), "3".into())
        );
        let ids: Vec<u64> = list
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|o| o["id"].as_u64())
            .collect();
        assert_eq!(ids.len(), if page == 3 { 5 } else { 20 });
        seen.extend(ids);
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, seen, "ascending ids, none twice");
    let (_, _, past) = get(&sim, &format!("{ORDERS_PATH}?per_page=20&page=4")).await;
    assert_eq!(past, json!([]));
    let (_, h, _) = get(&sim, ORDERS_PATH).await;
    assert_eq!(header(&h, "x-wp-totalpages"), "5", "10 a page by default");
    for bad in ["101", "0", "ten"] {
        let (status, _, body) = get(&sim, &format!("{ORDERS_PATH}?per_page={bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["code"], "rest_invalid_param");
        assert_eq!(body["data"]["status"], 400);
        assert!(body["data"]["params"]["per_page"].is_string(), "{body}");
    }
    let (_, h, list) = get(
        &sim,
        &format!("{ORDERS_PATH}?status=completed,cancelled&per_page=100"),
    )
    .await;
    let statuses: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["status"].as_str())
        .collect();
    assert!(
        !statuses.is_empty()
            && statuses
                .iter()
                .all(|s| ["completed", "cancelled"].contains(s))
    );
    assert_eq!(header(&h, "x-wp-total"), statuses.len().to_string());
}

#[tokio::test]
async fn modified_after_is_local_time_unless_dates_are_gmt() {
    let sim = start(opts(60)).await;
    let mut touched = Vec::new();
    for status in ["processing", "on-hold"] {
        let id = first_with(&sim, status).await;
        let (code, _) = sim_post(
            &sim,
            &format!("/_sim/orders/{id}"),
            json!({"status": "pending"}),
        )
        .await;
        assert_eq!(code, 200);
        touched.push(id);
    }
    // A client's cursor, in UTC: two hours ago.
    let since = (chrono::Utc::now() - chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let ids = |list: &Value| -> Vec<u64> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["id"].as_u64())
            .collect()
    };
    let (_, _, gmt) = get(
        &sim,
        &format!("{ORDERS_PATH}?modified_after={since}&dates_are_gmt=true&per_page=100"),
    )
    .await;
    assert!(
        touched.iter().all(|id| ids(&gmt).contains(id)),
        "{since}: {gmt}"
    );
    // Read as the shop's wall clock (UTC-3), the same cursor is an hour in the future there.
    let (_, _, local) = get(
        &sim,
        &format!("{ORDERS_PATH}?modified_after={since}Z&per_page=100"),
    )
    .await;
    assert!(
        touched.iter().all(|id| !ids(&local).contains(id)),
        "{local}"
    );
    let (code, _, body) = get(&sim, &format!("{ORDERS_PATH}?modified_after=yesterday")).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("rest_invalid_param"))
    );
}

#[tokio::test]
async fn auth_by_basic_or_query_and_refusals_in_woocommerce_words() {
    let sim = start(opts(5)).await;
    let url = format!("{}{ORDERS_PATH}", sim.url());
    let (ok, _, _) = send(Client::new().get(&url).basic_auth(KEY, Some(SECRET))).await;
    assert_eq!(ok, 200);
    let (ok, _, _) =
        send(Client::new().get(format!("{url}?consumer_key={KEY}&consumer_secret={SECRET}"))).await;
    assert_eq!(ok, 200);
    let (code, _, body) = send(Client::new().get(&url)).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("woocommerce_rest_cannot_view"))
    );
    assert_eq!(body["data"]["status"], 401);
    let (code, _, body) = send(Client::new().get(&url).basic_auth("ck_other", Some(SECRET))).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("woocommerce_rest_authentication_error"))
    );
    let (code, _, body) = send(Client::new().get(&url).basic_auth(KEY, Some("cs_other"))).await;
    assert_eq!(
        (code, body["message"].as_str()),
        (401, Some("Consumer secret is invalid."))
    );
    let (code, _, body) = send(Client::new().put(format!("{url}/1")).json(&json!({}))).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("woocommerce_rest_cannot_edit"))
    );
    // Without --token any non-empty key and secret will do.
    let open = start(WooOptions {
        orders: 5,
        ..WooOptions::default()
    })
    .await;
    let (ok, _, _) = send(
        Client::new()
            .get(format!("{}{ORDERS_PATH}", open.url()))
            .basic_auth("ck_any", Some("cs_any")),
    )
    .await;
    assert_eq!(ok, 200);
}

#[tokio::test]
async fn a_status_change_is_logged_once_and_an_unknown_status_refused() {
    let sim = start(opts(40)).await;
    let id = first_with(&sim, "processing").await;
    let path = format!("{ORDERS_PATH}/{id}");
    for _ in 0..2 {
        let (code, body) = put(&sim, &path, json!({"status": "completed"})).await;
        assert_eq!((code, body["status"].as_str()), (200, Some("completed")));
        assert!(body["date_completed_gmt"].is_string());
    }
    let sid = id.to_string();
    let entries: Vec<Value> = log(&sim)
        .await
        .into_iter()
        .filter(|e| e["order_id"] == sid.as_str())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["kind"], "order_update");
    assert_eq!(entries[0]["order_name"], id.to_string());
    let (code, body) = put(&sim, &path, json!({"status": "shipped"})).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("rest_invalid_param"))
    );
    let other = first_with(&sim, "on-hold").await;
    let (code, _) = put(
        &sim,
        &format!("{ORDERS_PATH}/{other}"),
        json!({"status": "cancelled"}),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        log(&sim).await.last().map(|e| e["kind"].clone()),
        Some(json!("order_cancel"))
    );
    let (code, _, body) = get(&sim, &format!("{ORDERS_PATH}/999999")).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (404, Some("woocommerce_rest_shop_order_invalid_id"))
    );
}

#[tokio::test]
async fn a_refund_up_to_what_remains() {
    let sim = start(opts(40)).await;
    let id = first_with(&sim, "processing").await;
    let (_, _, order) = get(&sim, &format!("{ORDERS_PATH}/{id}")).await;
    let total: rust_decimal::Decimal = order["total"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("a total");
    let path = format!("{ORDERS_PATH}/{id}/refunds");
    let (code, refund) = post(
        &sim,
        &path,
        json!({"amount": "5.00", "reason": "late", "api_refund": false}),
    )
    .await;
    assert_eq!((code, refund["amount"].as_str()), (201, Some("5.00")));
    assert_eq!(refund["refunded_payment"], false);
    let (_, _, order) = get(&sim, &format!("{ORDERS_PATH}/{id}")).await;
    assert_eq!(order["refunds"][0]["total"], "-5.00");
    assert_eq!(order["status"], "processing");
    let (code, body) = post(&sim, &path, json!({"amount": total.to_string()})).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("woocommerce_rest_cannot_create_order_refund"))
    );
    let rest = total - rust_decimal::Decimal::new(500, 2);
    let (code, _) = post(&sim, &path, json!({"amount": format!("{rest:.2}")})).await;
    assert_eq!(code, 201);
    let (_, _, order) = get(&sim, &format!("{ORDERS_PATH}/{id}")).await;
    assert_eq!(order["status"], "refunded");
    let refunds: Vec<Value> = log(&sim)
        .await
        .into_iter()
        .filter(|e| e["kind"] == "refund_create")
        .collect();
    assert_eq!(refunds.len(), 2);
    assert_eq!(refunds[0]["refund"], "5.00");
}

#[tokio::test]
async fn tracking_through_the_extension_or_a_customer_note() {
    let sim = start(opts(40)).await;
    let id = first_with(&sim, "processing").await;
    let path = format!("{TRACKING_PATH}/{id}/shipment-trackings");
    let (code, item) = post(&sim, &path, json!({"tracking_provider": "DHL", "tracking_number": "JD014600006281230704", "date_shipped": "2026-11-20"})).await;
    assert_eq!(code, 201, "{item}");
    assert_eq!(
        (
            item["tracking_number"].as_str(),
            item["date_shipped"].as_str()
        ),
        (Some("JD014600006281230704"), Some("2026-11-20"))
    );
    assert!(
        item["tracking_link"]
            .as_str()
            .unwrap_or_default()
            .ends_with("JD014600006281230704")
    );
    let (_, _, list) = get(&sim, &path).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let entry = log(&sim).await.pop().expect("logged");
    assert_eq!(
        (entry["kind"].as_str(), entry["tracking_company"].as_str()),
        (Some("fulfillment_create"), Some("DHL"))
    );
    let (code, note) = post(
        &sim,
        &format!("{ORDERS_PATH}/{id}/notes"),
        json!({"note": "Shipped with GLS, tracking 620045117321", "customer_note": true}),
    )
    .await;
    assert_eq!((code, note["customer_note"].as_bool()), (201, Some(true)));
    let entry = log(&sim).await.pop().expect("logged");
    assert_eq!(
        (entry["kind"].as_str(), entry["tracking_number"].as_str()),
        (Some("fulfillment_create"), Some("620045117321"))
    );
    let off = start(WooOptions {
        tracking: false,
        ..opts(5)
    })
    .await;
    let (code, body) = post(
        &off,
        &format!("{TRACKING_PATH}/{id}/shipment-trackings"),
        json!({"tracking_number": "1"}),
    )
    .await;
    assert_eq!((code, body["code"].as_str()), (404, Some("rest_no_route")));
}

#[tokio::test]
async fn faults_land_and_an_unknown_one_is_refused() {
    let sim = start(opts(20)).await;
    let (code, _) = sim_post(&sim, "/_sim/faults", json!({"fail_next": 1, "status": 503})).await;
    assert_eq!(code, 200);
    assert_eq!(get(&sim, ORDERS_PATH).await.0, 503);
    assert_eq!(get(&sim, ORDERS_PATH).await.0, 200);
    sim_post(
        &sim,
        "/_sim/faults",
        json!({"rate_limit_next": 1, "retry_after": 2}),
    )
    .await;
    let (code, h, _) = get(&sim, ORDERS_PATH).await;
    assert_eq!((code, header(&h, "retry-after")), (429, "2".to_string()));
    sim_post(&sim, "/_sim/faults", json!({"truncate_next": 1})).await;
    let (code, _, body) = get(&sim, ORDERS_PATH).await;
    assert_eq!(
        (code, body),
        (200, Value::Null),
        "cut in the middle of its JSON"
    );
    let id = first_with(&sim, "processing").await;
    sim_post(&sim, "/_sim/faults", json!({"drop_after_apply_next": 1})).await;
    let (code, _) = put(
        &sim,
        &format!("{ORDERS_PATH}/{id}"),
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(code, 502);
    let (_, _, order) = get(&sim, &format!("{ORDERS_PATH}/{id}")).await;
    assert_eq!(
        order["status"], "completed",
        "applied before the answer was lost"
    );
    sim_post(&sim, "/_sim/faults", json!({"malformed": {"order": id, "field": "total", "value": "12,50"}, "repeat_order_next": 1})).await;
    let (_, _, list) = get(&sim, &format!("{ORDERS_PATH}?include={id}")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["total"], "12,50");
    for bad in [json!({"throttle_next": 1}), json!({"fial_next": 1})] {
        let (code, body) = sim_post(&sim, "/_sim/faults", bad.clone()).await;
        assert_eq!(code, 400, "{bad}");
        assert!(
            body["errors"]
                .as_str()
                .unwrap_or_default()
                .contains("unknown fault"),
            "{body}"
        );
    }
    sim_post(&sim, "/_sim/faults", json!({"clear": true})).await;
    assert_eq!(get(&sim, ORDERS_PATH).await.0, 200, "nothing armed");
}

fn without_dates(list: &Value) -> Value {
    let mut list = list.clone();
    for o in list.as_array_mut().into_iter().flatten() {
        if let Some(m) = o.as_object_mut() {
            m.retain(|k, _| !k.starts_with("date_"));
        }
    }
    list
}

#[tokio::test]
async fn the_same_seed_serves_the_same_shop() {
    let (a, b) = (
        start(WooOptions {
            seed: 7,
            ..opts(30)
        })
        .await,
        start(WooOptions {
            seed: 7,
            ..opts(30)
        })
        .await,
    );
    let c = start(WooOptions {
        seed: 8,
        ..opts(30)
    })
    .await;
    let page = format!("{ORDERS_PATH}?per_page=100&status=any,trash");
    let (_, _, la) = get(&a, &page).await;
    let (_, _, lb) = get(&b, &page).await;
    let (_, _, lc) = get(&c, &page).await;
    assert_eq!(la.as_array().map(Vec::len), Some(30));
    assert_eq!(without_dates(&la), without_dates(&lb));
    assert_ne!(without_dates(&la), without_dates(&lc));
}

#[tokio::test]
async fn the_export_holds_the_store_side_and_what_to_expect() {
    let opts = opts(50);
    let seeded = Seeded::new(&opts);
    let dir = tempfile::tempdir().expect("a temporary directory");
    seeded.write_export(dir.path()).expect("written");
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).expect(f);
    let products = read("products.csv");
    assert!(products.starts_with("id,sku,name,description,price,stock,category,unit\n"));
    assert!(products.contains(",TEA-001,"));
    let customers = read("customers.csv");
    let expected: Vec<Value> = serde_json::from_str(&read("expected.json")).expect("json");
    assert_eq!(expected.len(), 50);
    for (e, o) in expected.iter().zip(&seeded.orders) {
        assert_eq!(e["name"], o["number"]);
        let done = ["completed", "cancelled", "refunded", "failed", "trash"]
            .contains(&o["status"].as_str().unwrap_or_default());
        assert_eq!(done, e["state"] == "skipped", "{e}");
    }
    let link = expected
        .iter()
        .position(|e| e["case"] == "known_customer_link_only")
        .expect("the case");
    let cid = seeded.orders[link]["customer_id"]
        .as_u64()
        .expect("a customer");
    assert!(customers.contains(&format!(",web:{cid}\n")), "{customers}");
    // The simulator serves what it exported.
    let sim = start(opts).await;
    let (_, _, one) = get(&sim, &format!("{ORDERS_PATH}/{}", seeded.orders[0]["id"])).await;
    assert_eq!(one["number"], expected[0]["name"]);
}
