//! The PrestaShop simulator driven over HTTP with plain reqwest, as any client would: the
//! key, filters, sorting and limits, the changes it takes as XML and its log, faults, the
//! seed and the export.

use orderdesk::sim::prestashop::{self, PsOptions, Seeded, SimHandle};
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

const KEY: &str = "PSTESTKEY";

async fn start(orders: usize) -> SimHandle {
    let opts = PsOptions {
        orders,
        token: Some(KEY.into()),
        ..PsOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    prestashop::start(opts, seeded, listener, Default::default())
        .await
        .expect("start")
}

/// Status and body (null when it is not JSON).
async fn send(req: RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn get(sim: &SimHandle, path: &str, query: &[(&str, &str)]) -> RequestBuilder {
    let mut pairs = vec![("output_format", "JSON")];
    pairs.extend_from_slice(query);
    let url = reqwest::Url::parse_with_params(&format!("{}/api/{path}", sim.url()), &pairs)
        .expect("a URL");
    Client::new().get(url).basic_auth(KEY, Some(""))
}

#[tokio::test]
async fn the_key_is_the_basic_user_and_nothing_else_passes() {
    let sim = start(5).await;
    let (status, body) = send(Client::new().get(format!("{}/api/orders", sim.url()))).await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["message"], "Authentication key is empty");
    let wrong = Client::new()
        .get(format!("{}/api/orders", sim.url()))
        .basic_auth("NOPE", Some(""));
    assert_eq!(send(wrong).await.0, 401);
    let by_param = Client::new().get(format!(
        "{}/api/orders?ws_key={KEY}&output_format=JSON",
        sim.url()
    ));
    let (status, body) = send(by_param).await;
    assert_eq!(status, 200);
    assert_eq!(body["orders"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        body["orders"][0].as_object().map(|o| o.len()),
        Some(1),
        "ids only"
    );
    sim.stop();
}

#[tokio::test]
async fn orders_filter_sort_and_limit_as_the_webservice_does() {
    let sim = start(30).await;
    let q = [
        ("display", "full"),
        ("sort", "[date_upd_ASC,id_ASC]"),
        ("limit", "0,10"),
    ];
    let (status, body) = send(get(&sim, "orders", &q)).await;
    assert_eq!(status, 200);
    let orders = body["orders"].as_array().cloned().unwrap_or_default();
    assert_eq!(orders.len(), 10);
    let dates: Vec<&str> = orders
        .iter()
        .filter_map(|o| o["date_upd"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(orders[0]["associations"]["order_rows"].is_array());
    let from = dates[5];
    let range = format!("[{from},2999-01-01 00:00:00]");
    let no_date = [("filter[date_upd]", range.as_str())];
    let (status, body) = send(get(&sim, "orders", &no_date)).await;
    assert_eq!(status, 400, "a date filter needs date=1: {body}");
    let dated = [
        ("filter[date_upd]", range.as_str()),
        ("date", "1"),
        ("display", "[id,date_upd]"),
    ];
    let (_, body) = send(get(&sim, "orders", &dated)).await;
    let later = body["orders"].as_array().cloned().unwrap_or_default();
    assert!(later.len() >= 25 && later.iter().all(|o| o["date_upd"].as_str() >= Some(from)));
    let (_, none) = send(get(&sim, "orders", &[("filter[current_state]", "[99]")])).await;
    assert_eq!(none, json!([]), "an empty list has no name");
    let (status, _) = send(get(&sim, "orders/1", &[])).await;
    assert_eq!(status, 404);
    let id = orders[0]["id"].to_string();
    let (_, one) = send(get(&sim, &format!("orders/{id}"), &[])).await;
    assert_eq!(one["order"]["id"].to_string(), id);
    let customer = one["order"]["id_customer"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let filter = format!("[{customer}]");
    let q = [("display", "full"), ("filter[id]", filter.as_str())];
    let (_, customers) = send(get(&sim, "customers", &q)).await;
    assert_eq!(customers["customers"].as_array().map(Vec::len), Some(1));
    sim.stop();
}

#[tokio::test]
async fn states_and_tracking_are_taken_as_xml_and_logged_once() {
    let sim = start(30).await;
    let (_, body) = send(get(
        &sim,
        "orders",
        &[("display", "full"), ("filter[current_state]", "[2]")],
    ))
    .await;
    let id = body["orders"][0]["id"]
        .as_u64()
        .expect("an order in state 2");
    let xml = format!(
        "<prestashop><order_history><id_order><![CDATA[{id}]]></id_order>\
         <id_order_state><![CDATA[4]]></id_order_state></order_history></prestashop>"
    );
    let post = Client::new()
        .post(format!(
            "{}/api/order_histories?sendemail=1&output_format=JSON",
            sim.url()
        ))
        .basic_auth(KEY, Some(""))
        .body(xml);
    let (status, answer) = send(post).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["order_history"]["id_order_state"], "4");
    let (_, one) = send(get(&sim, &format!("orders/{id}"), &[])).await;
    assert_eq!(one["order"]["current_state"], "4");
    let bad = Client::new()
        .post(format!("{}/api/order_histories", sim.url()))
        .basic_auth(KEY, Some(""))
        .body(format!("<order_history><id_order>{id}</id_order><id_order_state>99</id_order_state></order_history>"));
    assert_eq!(send(bad).await.0, 400);
    let filter = format!("[{id}]");
    let (_, carriers) = send(get(
        &sim,
        "order_carriers",
        &[("display", "full"), ("filter[id_order]", filter.as_str())],
    ))
    .await;
    let oc = carriers["order_carriers"][0].clone();
    let put = |number: &str| {
        let xml = format!(
            "<prestashop><order_carrier><id>{}</id><id_order>{id}</id_order>\
             <id_carrier>{}</id_carrier><tracking_number><![CDATA[{number}]]></tracking_number>\
             </order_carrier></prestashop>",
            oc["id"],
            oc["id_carrier"].as_str().unwrap_or("2")
        );
        Client::new()
            .put(format!(
                "{}/api/order_carriers/{}?output_format=JSON",
                sim.url(),
                oc["id"]
            ))
            .basic_auth(KEY, Some(""))
            .body(xml)
    };
    assert_eq!(send(put("JD1")).await.0, 200);
    assert_eq!(send(put("JD1")).await.0, 200);
    let (_, log) = send(Client::new().get(format!("{}/_sim/log", sim.url()))).await;
    let kinds: Vec<&str> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["order_update", "fulfillment_create"],
        "the same number twice is one"
    );
    assert_eq!(log[1]["tracking_number"], "JD1");
    assert_eq!(log[0]["notify_customer"], true);
    sim.stop();
}

#[tokio::test]
async fn the_test_api_changes_orders_and_refuses_unknown_faults() {
    let sim = start(10).await;
    let (_, body) = send(get(&sim, "orders", &[("limit", "1")])).await;
    let id = body["orders"][0]["id"].as_u64().expect("an order");
    let change = |b: Value| {
        Client::new()
            .post(format!("{}/_sim/orders/{id}", sim.url()))
            .json(&b)
    };
    assert_eq!(send(change(json!({"cancel": true}))).await.0, 200);
    let (_, one) = send(get(&sim, &format!("orders/{id}"), &[])).await;
    assert_eq!(one["order"]["current_state"], "6");
    assert_eq!(send(change(json!({"complete": true}))).await.0, 200);
    let (_, one) = send(get(&sim, &format!("orders/{id}"), &[])).await;
    assert_eq!(one["order"]["current_state"], "5");
    let faults = |b: Value| {
        Client::new()
            .post(format!("{}/_sim/faults", sim.url()))
            .json(&b)
    };
    let (status, e) = send(faults(json!({"throttle_next": 1}))).await;
    assert_eq!(status, 400, "{e}");
    let (status, _) = send(faults(json!({"rate_limit_next": 1, "retry_after": 0.1}))).await;
    assert_eq!(status, 200);
    assert_eq!(send(get(&sim, "orders", &[])).await.0, 429);
    assert_eq!(send(get(&sim, "orders", &[])).await.0, 200);
    let field = json!({"malformed": {"order": id, "field": "total_paid_tax_incl"}});
    assert_eq!(send(faults(field)).await.0, 200);
    let (_, one) = send(get(&sim, &format!("orders/{id}"), &[])).await;
    assert!(one["order"].get("total_paid_tax_incl").is_none());
    let add = Client::new()
        .post(format!("{}/_sim/orders", sim.url()))
        .json(&json!({"current_state": "10"}));
    let (status, added) = send(add).await;
    assert_eq!((status, added["valid"].as_str()), (200, Some("0")));
    sim.stop();
}

#[test]
fn the_seed_is_the_same_world_expected_by_prestashop_s_defaults() {
    let a = Seeded::new(&PsOptions::default());
    let b = Seeded::new(&PsOptions::default());
    assert_eq!(a.expected(), b.expected());
    let state = |case: &str| {
        a.expected()
            .iter()
            .find(|e| e.case == case)
            .map(|e| e.state.clone())
            .unwrap_or_default()
    };
    assert_eq!(state("known_customer_email"), "booked");
    assert!(a.expected().iter().any(|e| e.state == "skipped"));
    assert_eq!(
        state("no_contact"),
        "rejected",
        "no_contact rejects by default"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    (prestashop::SIMULATOR.export)(&Default::default(), dir.path()).expect("export");
    assert!(dir.path().join("expected.json").exists());
}
