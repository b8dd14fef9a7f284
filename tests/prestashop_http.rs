//! The PrestaShop connector against a scripted loopback server: what it asks for, how it
//! authenticates and pages, how it reads related objects, refusals and the changes it makes.

#[path = "support/ps_server.rs"]
mod server;

use orderdesk::channels::{Channel, ChannelError, PushOutcome};
use orderdesk::domain::outbox::ShopChange;
use serde_json::json;
use server::*;

#[tokio::test]
async fn a_page_asks_as_the_webservice_expects_and_reads_what_the_order_names() {
    let mut replies = vec![("/api/orders", 200, json!({"orders": [order(5, "2")]}))];
    replies.extend(related());
    let (channel, script) = serve(replies).await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("a page");
    assert_eq!(page.next, None, "a short page is the last");
    let o = page.orders[0].order.clone().expect("the order reads");
    assert_eq!((o.name.as_str(), o.currency.as_str()), ("5", "EUR"));
    assert_eq!(o.email.as_deref(), Some("anna@example.com"));
    assert_eq!(o.phone.as_deref(), Some("+36 1 234 5678"));
    assert_eq!(o.billing_address.expect("billing").country, "HU");
    assert_eq!(o.shipping.expect("carrier").title, "DHL Express");
    let seen = script.seen();
    assert_eq!(seen.len(), 6, "the order and five related lists");
    let list = &seen[0];
    assert_eq!(list.path, "/api/orders");
    assert_eq!(list.param("display"), Some("full"));
    assert_eq!(list.param("output_format"), Some("JSON"));
    assert_eq!(list.param("date"), Some("1"));
    assert_eq!(list.param("sort"), Some("[date_upd_ASC,id_ASC]"));
    assert_eq!(list.param("limit"), Some("0,100"));
    let dates = list.param("filter[date_upd]").expect("a date filter");
    assert!(dates.starts_with("[2026-11-01 00:00:00,"), "{dates}");
    let states = list.param("filter[current_state]").expect("a state filter");
    assert!(
        states.starts_with("[1|2|3|") && states.ends_with("|13]"),
        "{states}"
    );
    // The key as the Basic user, no password.
    let expected = format!("Basic {}", base64(&format!("{KEY}:")));
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(expected.as_str()))
    );
    assert_eq!(seen[1].param("filter[id]"), Some("[4]"));

    // The carrier, currency and country are kept: the next page asks only for the rest.
    let again = vec![("/api/orders", 200, json!([]))];
    script.replies.lock().expect("lock").extend(
        again
            .into_iter()
            .map(|(p, s, b)| (p.to_string(), s, b.to_string())),
    );
    let empty = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("an empty page");
    assert!(empty.orders.is_empty() && empty.next.is_none());
}

#[tokio::test]
async fn a_full_page_has_a_next_from_its_last_second() {
    let orders: Vec<_> = (1..=100).map(|i| order(i, "2")).collect();
    let mut replies = vec![("/api/orders", 200, json!({ "orders": orders }))];
    replies.extend(related());
    replies.push(("/api/orders", 200, json!({"orders": [order(101, "2")]})));
    replies.extend(related().into_iter().take(2));
    let (channel, script) = serve(replies).await;
    let page = channel.fetch_orders_page(since(), None).await.expect("p1");
    assert_eq!(page.orders.len(), 100);
    let next = page.next.expect("a next page");
    assert_eq!(next, "2026-11-21 09:00:00|100");
    let last = channel
        .fetch_orders_page(since(), Some(&next))
        .await
        .expect("p2");
    assert_eq!(last.orders[0].remote_id, "101");
    let seen = script.seen();
    let second = seen
        .iter()
        .filter(|s| s.path == "/api/orders")
        .nth(1)
        .expect("p2 asked");
    assert_eq!(second.param("limit"), Some("100,100"));
    assert!(
        second
            .param("filter[date_upd]")
            .is_some_and(|d| d.starts_with("[2026-11-21 09:00:00,"))
    );
}

#[tokio::test]
async fn a_refused_key_is_an_auth_error_without_the_key() {
    let body = json!({"errors": [{"code": 17, "message": "Authentication key is empty"}]});
    let (channel, _) = serve(vec![("/api/orders", 401, body)]).await;
    let e = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("refused");
    assert!(
        matches!(&e, ChannelError::Auth(m) if m.contains("Authentication key")),
        "{e}"
    );
    assert!(!e.to_string().contains(KEY));
}

#[tokio::test]
async fn shipping_puts_the_tracking_on_the_order_carrier_then_the_shipped_state() {
    let carrier = json!({"id": 7, "id_order": "5", "id_carrier": "2", "id_order_invoice": "0",
        "weight": "0.000000", "shipping_cost_tax_excl": "4.000000",
        "shipping_cost_tax_incl": "4.900000", "tracking_number": "", "date_add": "2026-11-20 09:15:00"});
    let mut tracked = carrier.clone();
    tracked["tracking_number"] = json!("JD0146");
    let (channel, script) = serve(vec![
        ("/api/orders/5", 200, json!({"order": order(5, "2")})),
        (
            "/api/order_carriers",
            200,
            json!({"order_carriers": [carrier]}),
        ),
        (
            "/api/order_carriers/7",
            200,
            json!({"order_carrier": tracked.clone()}),
        ),
        (
            "/api/order_histories",
            201,
            json!({"order_history": {"id": 31, "id_order": "5", "id_order_state": "4"}}),
        ),
        // The same change again: the shop shows it, nothing is sent.
        ("/api/orders/5", 200, json!({"order": order(5, "4")})),
        (
            "/api/order_carriers",
            200,
            json!({"order_carriers": [tracked.clone()]}),
        ),
        ("/api/orders/5", 200, json!({"order": order(5, "4")})),
        (
            "/api/order_carriers",
            200,
            json!({"order_carriers": [tracked]}),
        ),
    ])
    .await;
    let change = ShopChange::Fulfil {
        company: Some("DHL Express".into()),
        number: Some("JD0146".into()),
        notify_customer: true,
    };
    let done = channel.push("5", &change, "k1").await.expect("pushed");
    assert_eq!(
        done,
        PushOutcome::Done("tracking JD0146 (order carrier 7); state 4".into())
    );
    let seen = script.seen();
    let put = &seen[2];
    assert_eq!(
        (put.method.as_str(), put.path.as_str()),
        ("PUT", "/api/order_carriers/7")
    );
    assert!(
        put.body.contains("<order_carrier><id><![CDATA[7]]></id>"),
        "{}",
        put.body
    );
    assert!(
        put.body
            .contains("<tracking_number><![CDATA[JD0146]]></tracking_number>")
    );
    let post = &seen[3];
    assert_eq!(
        (post.method.as_str(), post.param("sendemail")),
        ("POST", Some("1"))
    );
    assert!(
        post.body
            .contains("<id_order_state><![CDATA[4]]></id_order_state>")
    );
    let again = channel
        .push("5", &change, "k1")
        .await
        .expect("pushed again");
    assert!(matches!(again, PushOutcome::Done(s) if s.contains("already")));
    let state = channel
        .order_state("5")
        .await
        .expect("read")
        .expect("the order");
    assert!(state.fulfilled && state.shows(&change));
    assert_eq!(script.seen().len(), 8);
}

#[tokio::test]
async fn refusing_sets_the_refused_state_and_says_what_the_refund_is() {
    let (channel, script) = serve(vec![
        ("/api/orders/5", 200, json!({"order": order(5, "2")})),
        (
            "/api/order_histories",
            201,
            json!({"order_history": {"id": 32, "id_order": 5, "id_order_state": 6}}),
        ),
        ("/api/orders/6", 200, json!({"order": order(6, "4")})),
        (
            "/api/orders/404",
            404,
            json!({"errors": [{"code": 87, "message": "Not found"}]}),
        ),
    ])
    .await;
    let cancel = ShopChange::Cancel {
        reason: "out of stock".into(),
        notify_customer: false,
        refund: true,
        restock: true,
    };
    let done = channel.push("5", &cancel, "k2").await.expect("pushed");
    assert!(
        matches!(&done, PushOutcome::Done(s) if s.starts_with("state 6") && s.contains("refund")),
        "{done:?}"
    );
    assert_eq!(script.seen()[1].param("sendemail"), None);
    let ship = ShopChange::PreparedForPickup;
    let not_told = channel.push("6", &ship, "k3").await.expect("not told");
    assert!(matches!(not_told, PushOutcome::Done(s) if s.starts_with("not told")));
    let gone = channel.push("404", &cancel, "k4").await.expect("an answer");
    assert!(matches!(gone, PushOutcome::Refused(_)));
}

fn base64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn a_tracking_number_counts_as_sent_only_with_the_shipped_state() {
    let tracked = json!({"order_carriers": [{"id": 7, "id_order": "5", "id_carrier": "2",
        "tracking_number": "JD0146"}]});
    let (channel, _) = serve(vec![
        ("/api/orders/5", 200, json!({"order": order(5, "2")})),
        ("/api/orders/5", 200, json!({"order": order(5, "4")})),
        ("/api/order_carriers", 200, tracked),
    ])
    .await;
    let change = ShopChange::Fulfil {
        company: None,
        number: Some("JD0146".into()),
        notify_customer: false,
    };
    // A push that died between the tracking and the state: the state is still to send.
    let before = channel
        .order_state("5")
        .await
        .expect("read")
        .expect("order");
    assert!(!before.shows(&change), "{before:?}");
    let after = channel
        .order_state("5")
        .await
        .expect("read")
        .expect("order");
    assert!(after.shows(&change), "{after:?}");
}
