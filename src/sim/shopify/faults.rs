//! How an armed fault changes a GraphQL answer (the faults themselves: `crate::sim::faults`):
//! a list of orders holding its first order twice, an order node served with a bad value.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::sim::faults::set_path;
pub use crate::sim::faults::{Faults, KEYS, Malformed, Shaping};

/// Applies the answer-changing faults to a GraphQL answer and sends it.
pub fn respond(shaping: Shaping, mut out: Value) -> Response {
    if let Some(data) = out.get_mut("data") {
        if shaping.repeat {
            repeat_first_order(data);
        }
        for (id, m) in &shaping.malformed {
            malform(data, &format!("gid://shopify/Order/{id}"), m);
        }
    }
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// Every list of order nodes (`nodes`, or `edges` of `node`) gets its first order again.
fn repeat_first_order(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if let Value::Array(list) = child {
                    let first_is_order = list.first().is_some_and(|f| {
                        let node = if k == "edges" { &f["node"] } else { f };
                        node["id"]
                            .as_str()
                            .is_some_and(|id| id.starts_with("gid://shopify/Order/"))
                    });
                    if first_is_order && let Some(first) = list.first().cloned() {
                        list.push(first);
                        continue;
                    }
                }
                repeat_first_order(child);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(repeat_first_order),
        _ => {}
    }
}

/// Sets `m.field` in every node whose `id` is `gid` (where the answer holds the field's parent).
fn malform(v: &mut Value, gid: &str, m: &Malformed) {
    match v {
        Value::Object(map) => {
            if map.get("id").and_then(Value::as_str) == Some(gid) {
                set_path(v, &m.field, m.value.clone());
                return;
            }
            map.values_mut().for_each(|c| malform(c, gid, m));
        }
        Value::Array(list) => list.iter_mut().for_each(|c| malform(c, gid, m)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_malformed_order_and_a_repeat_change_only_their_nodes() {
        let mut data = json!({"orders": {"nodes": [
            {"id": "gid://shopify/Order/1", "totalPriceSet": {"shopMoney": {"amount": "1.00"}}},
            {"id": "gid://shopify/Order/2", "totalPriceSet": {"shopMoney": {"amount": "2.00"}}}
        ]}});
        let m = Malformed {
            field: "totalPriceSet.shopMoney.amount".into(),
            value: Some(json!("12,50")),
        };
        malform(&mut data, "gid://shopify/Order/2", &m);
        repeat_first_order(&mut data);
        let nodes = &data["orders"]["nodes"];
        assert_eq!(nodes[1]["totalPriceSet"]["shopMoney"]["amount"], "12,50");
        assert_eq!(nodes[0]["totalPriceSet"]["shopMoney"]["amount"], "1.00");
        assert_eq!(nodes[2], nodes[0]);
        let gone = Malformed {
            field: "totalPriceSet".into(),
            value: None,
        };
        malform(&mut data, "gid://shopify/Order/1", &gone);
        assert!(data["orders"]["nodes"][0].get("totalPriceSet").is_none());
    }
}
