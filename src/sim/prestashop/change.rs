//! The changes the webservice takes, as XML (it reads no JSON body):
//! `POST /api/order_histories` (`id_order`, `id_order_state`: a new state for the order,
//! `sendemail=1` to email the customer) and `PUT /api/order_carriers/{id}` (the whole
//! object; its `tracking_number` is what changes). Answers are JSON with `output_format=JSON`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};
use std::sync::Arc;

use super::gate::{dropped, error, gate};
use super::list::missing_resource;
use super::order::{DATE, valid};
use super::state::{AppState, World};

/// The shop's states: a default install's and one the shop added ("14", ready for pickup).
pub const STATES: [&str; 14] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
];

/// The text of `<field>` in an XML body (CDATA or plain).
pub fn field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    let inner = &xml[start..end];
    let mut out = String::new();
    let mut rest = inner;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 9..];
        let close = body.find("]]>")?;
        out.push_str(&body[..close]);
        rest = &body[close + 3..];
    }
    out.push_str(rest);
    Some(out.trim().to_string())
}

fn bad(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, 400, message)
}

/// Sets order `id`'s state at the shop now (its `valid` and `date_upd` follow).
pub fn set_state(world: &mut World, id: u64, state: &str) -> Option<()> {
    let o = world.order_mut(id)?;
    o["current_state"] = json!(state);
    o["valid"] = json!(valid(state));
    o["date_upd"] = json!(Utc::now().format(DATE).to_string());
    Some(())
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    Path(resource): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let shaping = match gate(&state, &headers, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if resource != "order_histories" {
        return missing_resource(&resource);
    }
    let (Some(order), Some(target)) = (field(&body, "id_order"), field(&body, "id_order_state"))
    else {
        return bad("id_order and id_order_state are required");
    };
    if !STATES.contains(&target.as_str()) {
        return bad(&format!("Order state {target} does not exist"));
    }
    let Some(id) = order.parse::<u64>().ok() else {
        return bad("id_order must be an id");
    };
    let history = {
        let mut world = state.world();
        if set_state(&mut world, id, &target).is_none() {
            return bad(&format!("Order {order} does not exist"));
        }
        world.histories += 1;
        let kind = if matches!(target.as_str(), "6" | "7") {
            "order_cancel"
        } else {
            "order_update"
        };
        let notify = q.iter().any(|(k, v)| k == "sendemail" && v == "1");
        world.log(kind, id).notify_customer = Some(notify);
        json!({"id": world.histories, "id_order": id.to_string(), "id_order_state": target,
               "id_employee": "0", "date_add": Utc::now().format(DATE).to_string()})
    };
    if let Some(r) = dropped(&state) {
        return r;
    }
    let out = json!({ "order_history": history });
    shaping.send(StatusCode::CREATED, HeaderMap::new(), &out)
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    Path((resource, id)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let shaping = match gate(&state, &headers, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if resource == "stock_availables" {
        return stock_update(&state, shaping, &id, &body);
    }
    if resource != "order_carriers" {
        return bad(&format!("The simulator does not change {resource}"));
    }
    if field(&body, "id").as_deref() != Some(id.as_str()) {
        return bad("id is required and must be the one in the URL");
    }
    let number = field(&body, "tracking_number").unwrap_or_default();
    let updated: Option<Value> = {
        let mut world = state.world();
        let changed = id.parse::<u64>().ok().and_then(|id| {
            let oc = world.resources.get_mut("order_carriers")?.get_mut(&id)?;
            let was = oc["tracking_number"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            oc["tracking_number"] = json!(number);
            Some((oc.clone(), was))
        });
        changed.map(|(oc, was)| {
            let order = oc["id_order"].as_str().and_then(|s| s.parse::<u64>().ok());
            if let Some(o) = order.and_then(|o| world.order_mut(o)) {
                o["shipping_number"] = json!(number);
            }
            if was != number && !number.is_empty() {
                let carrier = oc["id_carrier"]
                    .as_str()
                    .and_then(|c| c.parse::<u64>().ok());
                let name = super::order::CARRIERS
                    .iter()
                    .find(|(id, _)| Some(*id) == carrier)
                    .map(|(_, n)| n.to_string());
                let entry = world.log("fulfillment_create", order.unwrap_or(0));
                entry.tracking_number = Some(number.clone());
                entry.tracking_company = name;
            }
            oc
        })
    };
    let Some(oc) = updated else {
        return error(StatusCode::NOT_FOUND, 87, "Order carrier not found");
    };
    if let Some(r) = dropped(&state) {
        return r;
    }
    shaping.send(
        StatusCode::OK,
        HeaderMap::new(),
        &json!({ "order_carrier": oc }),
    )
}

/// `PUT /api/stock_availables/{id}`: the row's `quantity` (the rest of the body is the row
/// as it was), logged as `inventory_set` with the combination's id, else the product's.
fn stock_update(
    state: &AppState,
    shaping: crate::sim::faults::Shaping,
    id: &str,
    body: &str,
) -> Response {
    if field(body, "id").as_deref() != Some(id) {
        return bad("id is required and must be the one in the URL");
    }
    let Some(quantity) = field(body, "quantity").and_then(|q| q.trim().parse::<i64>().ok()) else {
        return bad("quantity is required and must be a whole number");
    };
    let mut world = state.world();
    let row = id.parse::<u64>().ok().and_then(|id| {
        let row = world.resources.get_mut("stock_availables")?.get_mut(&id)?;
        row["quantity"] = json!(quantity.to_string());
        Some(row.clone())
    });
    let Some(row) = row else {
        return error(StatusCode::NOT_FOUND, 87, "Stock available not found");
    };
    let attribute = row["id_product_attribute"].as_str().unwrap_or("0");
    let named = if attribute == "0" {
        row["id_product"].as_str().unwrap_or_default()
    } else {
        attribute
    };
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    world.log.push(crate::sim::log::LogEntry::stock(
        named.to_string(),
        quantity,
        at,
    ));
    drop(world);
    shaping.send(
        StatusCode::OK,
        HeaderMap::new(),
        &json!({ "stock_available": row }),
    )
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_read_from_cdata_or_plain_text() {
        let xml = "<prestashop><order_history><id_order><![CDATA[12]]></id_order>\
                   <id_order_state>4</id_order_state></order_history></prestashop>";
        assert_eq!(field(xml, "id_order").as_deref(), Some("12"));
        assert_eq!(field(xml, "id_order_state").as_deref(), Some("4"));
        assert_eq!(
            field("<a><![CDATA[x]]]]><![CDATA[>]]></a>", "a").as_deref(),
            Some("x]]>")
        );
        assert_eq!(field(xml, "missing"), None);
    }
}
