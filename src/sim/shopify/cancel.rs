//! `orderCancel` and the `Job` it answers with. The simulator applies the cancellation when
//! the mutation is received (Shopify runs it in the job); the job reads `done: false` on the
//! first `job(id:)` that asks and `done: true` afterwards or once 200 ms have passed.

use apollo_compiler::executable::Field;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;
use std::time::Instant;

use super::money::amount;
use super::mutate::{entry, user_error};
use super::order::gid;
use super::root::legacy_id;
use super::select::Ctx;
use super::world::{Job, World};

fn shop_amount(bag: &Value) -> Decimal {
    bag["shopMoney"]["amount"]
        .as_str()
        .and_then(|s| Decimal::from_str(s).ok())
        .unwrap_or_default()
}

/// `bag` with both amounts set to `d` (currencies kept).
fn with_amount(bag: &Value, d: Decimal) -> Value {
    let mut b = bag.clone();
    for side in ["shopMoney", "presentmentMoney"] {
        if b[side].is_object() {
            b[side]["amount"] = json!(amount(d));
        }
    }
    b
}

/// How the caller asked to refund: `refundMethod` first, else the deprecated `refund`.
fn refund_asked(ctx: &Ctx<'_>, field: &Field) -> Option<&'static str> {
    match ctx.arg(field, "refundMethod") {
        Some(m) if m["originalPaymentMethodsRefund"] == true => Some("original"),
        Some(m) if m["storeCreditRefund"].is_object() => Some("store_credit"),
        Some(_) => None,
        None => (ctx.arg(field, "refund") == Some(Value::Bool(true))).then_some("original"),
    }
}

/// A job id shaped like Shopify's (`gid://shopify/Job/<uuid>`), unique per call.
fn job_id(world: &World, order: u64) -> String {
    let n = world.jobs.len() as u64 + 1;
    format!(
        "gid://shopify/Job/{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (order % 0xffff_ffff) as u32,
        n & 0xffff,
        (order >> 8) & 0xfff,
        n & 0xfff,
        order.wrapping_mul(2_654_435_761) & 0xffff_ffff_ffff
    )
}

pub fn order_cancel(ctx: &Ctx<'_>, field: &Field, world: &mut World, now: &str) -> Value {
    let refused = |code: &str, message: &str| {
        let coded = user_error(&["orderId"], message, Some(code));
        let plain = user_error(&["orderId"], message, None);
        json!({"__typename": "OrderCancelPayload", "job": null, "jobResult": null,
               "orderCancelUserErrors": [coded], "userErrors": [plain]})
    };
    let id = ctx.arg(field, "orderId").unwrap_or(Value::Null);
    let Some(oi) = id.as_str().and_then(|gid| world.position(gid)) else {
        return refused("NOT_FOUND", "Order does not exist");
    };
    let order = world.get(oi).unwrap_or_default().into_owned();
    if !order["cancelledAt"].is_null() {
        return refused("INVALID", "Order has already been cancelled");
    }
    let fulfilled = order["fulfillments"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["status"] == "SUCCESS"));
    if fulfilled {
        return refused(
            "INVALID",
            "Cannot cancel an order with fulfillments. Cancel the fulfillments first.",
        );
    }
    let reason = ctx.arg(field, "reason").unwrap_or(json!("OTHER"));
    let restock = ctx.arg(field, "restock") == Some(Value::Bool(true));
    let notify = ctx.arg(field, "notifyCustomer") == Some(Value::Bool(true));
    let refund = refund_asked(ctx, field);
    let legacy = legacy_id(&order);
    let job = job_id(world, legacy);
    let Some(order) = world.get_mut(oi) else {
        return refused("NOT_FOUND", "Order does not exist");
    };
    order["cancelledAt"] = json!(now);
    order["cancelReason"] = reason;
    order["closed"] = json!(true);
    order["closedAt"] = json!(now);
    order["updatedAt"] = json!(now);
    if let Some(Value::Array(fos)) = order.get_mut("fulfillmentOrders") {
        for fo in fos {
            if fo["status"] != "CLOSED" {
                fo["status"] = json!("CLOSED");
                fo["updatedAt"] = json!(now);
            }
        }
    }
    let received = shop_amount(&order["totalReceivedSet"]);
    let already = shop_amount(&order["totalRefundedSet"]);
    let status = order["displayFinancialStatus"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let tx = |n: u64, kind: &str, bag: Value| {
        json!({"id": gid("OrderTransaction", legacy * 10 + n), "kind": kind, "status": "SUCCESS",
               "gateway": "shopify_payments", "amountSet": bag, "createdAt": now, "test": order["test"]})
    };
    let mut refunded = None;
    let mut new_tx = None;
    if status == "AUTHORIZED" {
        // Authorized payments are voided whatever the refund setting.
        new_tx = Some(tx(8, "VOID", order["totalPriceSet"].clone()));
        order["displayFinancialStatus"] = json!("VOIDED");
    } else if refund.is_some() && received > already {
        let back = received - already;
        new_tx = Some(tx(
            9,
            "REFUND",
            with_amount(&order["totalReceivedSet"], back),
        ));
        order["totalRefundedSet"] = order["totalReceivedSet"].clone();
        order["displayFinancialStatus"] = json!("REFUNDED");
        refunded = Some(amount(back));
    }
    if let Some(t) = new_tx
        && let Some(Value::Array(list)) = order.get_mut("transactions")
    {
        list.push(t);
    }
    let mut e = entry("order_cancel", order, now);
    e.refund = refunded;
    e.restock = Some(restock);
    e.notify_customer = Some(notify);
    world.log.push(e);
    world.jobs.insert(
        job.clone(),
        Job {
            started: Instant::now(),
            polls: 0,
        },
    );
    json!({"__typename": "OrderCancelPayload",
           "job": {"__typename": "Job", "id": job, "done": false, "query": null},
           "jobResult": {"__typename": "OrderCancelJobResult", "id": job, "done": false,
                         "status": "STARTED", "errors": [], "order": null},
           "orderCancelUserErrors": [], "userErrors": []})
}

/// `job(id:)`: the job as it stands now (each look counts), or null for an unknown id.
pub fn job(world: &mut World, id: &str) -> Value {
    match world.jobs.get_mut(id) {
        Some(j) => {
            let done = j.poll();
            json!({"__typename": "Job", "id": id, "done": done, "query": null})
        }
        None => Value::Null,
    }
}
