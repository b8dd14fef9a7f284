//! Fulfillment orders and fulfillments, in the shapes of Shopify's `FulfillmentOrder` and
//! `Fulfillment`: what the seeded orders start with, and what `fulfillmentCreate` adds.

use serde_json::{Value, json};

use super::order::gid;

/// The number in a `gid://shopify/Kind/N`.
pub fn gid_number(id: &str) -> Option<u64> {
    id.rsplit('/').next().and_then(|n| n.parse().ok())
}

/// A fulfillment order line item for `line` with `remaining` still to fulfil.
pub fn fo_line(line: &Value, total: u64, remaining: u64) -> Value {
    let line_id = line["id"].as_str().and_then(gid_number).unwrap_or(0);
    json!({
        "id": gid("FulfillmentOrderLineItem", line_id),
        "totalQuantity": total, "remainingQuantity": remaining,
        "sku": line["sku"], "productTitle": line["title"],
        "requiresShipping": line["requiresShipping"],
        "lineItem": {"id": line["id"], "sku": line["sku"], "name": line["name"], "quantity": line["quantity"]},
    })
}

/// One fulfillment order of the order `order_id` (legacy id), number `n` (1, 2, ...).
pub fn fulfillment_order(
    order_id: u64,
    n: u64,
    status: &str,
    method: &str,
    lines: Vec<Value>,
    at: &str,
) -> Value {
    json!({
        "id": gid("FulfillmentOrder", order_id * 10 + n), "status": status,
        "requestStatus": "UNSUBMITTED", "createdAt": at, "updatedAt": at,
        "orderId": gid("Order", order_id),
        "deliveryMethod": {"id": gid("DeliveryMethod", order_id * 10 + n), "methodType": method},
        "lineItems": lines,
    })
}

/// Tracking as given to `fulfillmentCreate` (`trackingInfo`), as `Fulfillment.trackingInfo`.
pub fn tracking_list(info: Option<&Value>) -> Vec<Value> {
    let Some(info) = info else {
        return Vec::new();
    };
    let company = info.get("company").cloned().unwrap_or(Value::Null);
    let mut numbers: Vec<Value> = Vec::new();
    if let Some(n) = info.get("number").filter(|v| v.is_string()) {
        numbers.push(n.clone());
    }
    if let Some(Value::Array(ns)) = info.get("numbers") {
        numbers.extend(ns.iter().cloned());
    }
    let mut urls: Vec<Value> = Vec::new();
    if let Some(u) = info.get("url").filter(|v| v.is_string()) {
        urls.push(u.clone());
    }
    if let Some(Value::Array(us)) = info.get("urls") {
        urls.extend(us.iter().cloned());
    }
    if numbers.is_empty() && company.is_null() && urls.is_empty() {
        return Vec::new();
    }
    if numbers.is_empty() {
        numbers.push(Value::Null);
    }
    numbers
        .into_iter()
        .enumerate()
        .map(|(i, number)| {
            let url = urls.get(i).cloned().unwrap_or(Value::Null);
            json!({"company": company, "number": number, "url": url})
        })
        .collect()
}

/// A successful fulfillment of `items` (line value, quantity) of `order`, the `n`th.
pub fn fulfillment(
    order: &Value,
    n: u64,
    items: &[(Value, u64)],
    tracking: Vec<Value>,
    at: &str,
) -> Value {
    let order_id = order["legacyResourceId"]
        .as_str()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    let id = order_id * 10 + n;
    let lines: Vec<Value> = items
        .iter()
        .map(|(line, q)| {
            let line_id = line["id"].as_str().and_then(gid_number).unwrap_or(0);
            json!({"id": gid("FulfillmentLineItem", line_id * 10 + n), "quantity": q,
                   "lineItem": {"id": line["id"], "sku": line["sku"], "name": line["name"], "quantity": line["quantity"]}})
        })
        .collect();
    let total: u64 = items.iter().map(|(_, q)| q).sum();
    let requires_shipping = items.iter().any(|(l, _)| l["requiresShipping"] == true);
    json!({
        "__typename": "Fulfillment",
        "id": gid("Fulfillment", id), "legacyResourceId": id.to_string(),
        "name": format!("{}-F{n}", order["name"].as_str().unwrap_or_default()),
        "status": "SUCCESS", "displayStatus": "FULFILLED",
        "createdAt": at, "updatedAt": at, "deliveredAt": null, "inTransitAt": null, "estimatedDeliveryAt": null,
        "requiresShipping": requires_shipping, "totalQuantity": total,
        "trackingInfo": tracking,
        "fulfillmentLineItems": lines,
        "order": {"id": order["id"], "name": order["name"], "legacyResourceId": order["legacyResourceId"]},
    })
}

/// Gives a built order its fulfillment orders and fulfillments from its fulfillment status:
/// unfulfilled, one OPEN fulfillment order with every current line; fulfilled, one CLOSED
/// and one fulfillment; partly fulfilled (two lines or more), the first line fulfilled
/// (CLOSED, with a fulfillment) and the rest in an OPEN one; cancelled, CLOSED.
pub fn seed(order: &mut Value, status: &str, cancelled: bool, pickup: bool, at: &str) {
    let order_id = order["legacyResourceId"]
        .as_str()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    let method = if pickup { "PICK_UP" } else { "SHIPPING" };
    let lines: Vec<Value> = order["lineItems"].as_array().cloned().unwrap_or_default();
    let live: Vec<&Value> = lines
        .iter()
        .filter(|l| l["currentQuantity"].as_u64().unwrap_or(0) > 0)
        .collect();
    let qty = |l: &Value| l["currentQuantity"].as_u64().unwrap_or(0);
    let mut fos = Vec::new();
    let mut done = Vec::new();
    let open_all = |fos: &mut Vec<Value>, n: u64, ls: &[&Value], st: &str| {
        let items = ls.iter().map(|l| fo_line(l, qty(l), qty(l))).collect();
        fos.push(fulfillment_order(order_id, n, st, method, items, at));
    };
    match (cancelled, status) {
        (true, _) => open_all(&mut fos, 1, &live, "CLOSED"),
        (_, "FULFILLED") => {
            let items = live.iter().map(|l| fo_line(l, qty(l), 0)).collect();
            fos.push(fulfillment_order(order_id, 1, "CLOSED", method, items, at));
            let sent: Vec<(Value, u64)> = live.iter().map(|l| ((*l).clone(), qty(l))).collect();
            done.push(fulfillment(order, 1, &sent, Vec::new(), at));
        }
        (_, "PARTIALLY_FULFILLED") if live.len() >= 2 => {
            let first = live[0];
            let items = vec![fo_line(first, qty(first), 0)];
            fos.push(fulfillment_order(order_id, 1, "CLOSED", method, items, at));
            done.push(fulfillment(
                order,
                1,
                &[(first.clone(), qty(first))],
                Vec::new(),
                at,
            ));
            open_all(&mut fos, 2, &live[1..], "OPEN");
            if let Some(Value::Array(ls)) = order.get_mut("lineItems")
                && let Some(l) = ls.iter_mut().find(|l| l["id"] == first["id"])
            {
                l["unfulfilledQuantity"] = json!(0);
            }
        }
        (_, "PARTIALLY_FULFILLED") => open_all(&mut fos, 1, &live, "IN_PROGRESS"),
        _ => open_all(&mut fos, 1, &live, "OPEN"),
    }
    order["fulfillmentOrders"] = Value::Array(fos);
    order["fulfillments"] = Value::Array(done);
}
