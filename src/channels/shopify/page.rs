//! One page of `orders` as the shop answers it: its order nodes and where the next page
//! starts. [`read_orders_page`] reads a whole answer body the way a sync does (it is what the
//! fuzz target `shopify_orders_page` feeds with arbitrary bytes).

use super::client::{Outcome, read_body};
use super::map;
use crate::channels::{ChannelError, OrdersPage};
use serde_json::Value;

/// The order nodes of `data.orders` and the cursor of the next page.
pub(super) fn parts(data: &Value) -> Result<(Vec<Value>, Option<String>), ChannelError> {
    let orders = data
        .get("orders")
        .filter(|o| o.is_object())
        .ok_or_else(|| ChannelError::Shape("the answer has no `data.orders`".to_string()))?;
    Ok((page_nodes(orders)?, next_cursor(orders)?))
}

/// Reads the body of an orders-page answer as the shop sent it: the page's orders, each read
/// on its own (a node that does not read gives its reason, not a failed page). Lines beyond
/// the first page of an order are not fetched here; such an order reads as incomplete.
pub fn read_orders_page(body: &str) -> Result<OrdersPage, ChannelError> {
    let data = match read_body(body).outcome {
        Outcome::Data(data) => data,
        Outcome::Throttled(_, words) => {
            return Err(ChannelError::Remote(format!("still throttled: {words}")));
        }
        Outcome::Refused(words) => return Err(ChannelError::Remote(words)),
        Outcome::NotJson(why) => {
            return Err(ChannelError::Shape(format!("the body is not JSON ({why})")));
        }
        Outcome::NoData => {
            return Err(ChannelError::Shape("the answer has no `data`".to_string()));
        }
    };
    let (nodes, next) = parts(&data)?;
    let orders = nodes
        .into_iter()
        .enumerate()
        .map(|(index, node)| map::fetched_order(node, index))
        .collect();
    Ok(OrdersPage { orders, next })
}

/// The order nodes of a page: `nodes`, or `edges[].node` as some clients ask for them.
fn page_nodes(orders: &Value) -> Result<Vec<Value>, ChannelError> {
    if let Some(Value::Array(nodes)) = orders.get("nodes") {
        return Ok(nodes.clone());
    }
    if let Some(Value::Array(edges)) = orders.get("edges") {
        return Ok(edges
            .iter()
            .map(|e| e.get("node").cloned().unwrap_or(Value::Null))
            .collect());
    }
    Err(ChannelError::Shape(
        "`data.orders` has neither `nodes` nor `edges`".to_string(),
    ))
}

fn next_cursor(orders: &Value) -> Result<Option<String>, ChannelError> {
    let info = orders.get("pageInfo");
    let has_next = info
        .and_then(|i| i.get("hasNextPage"))
        .and_then(Value::as_bool)
        .ok_or_else(|| {
            ChannelError::Shape("`data.orders.pageInfo.hasNextPage` is missing".to_string())
        })?;
    if !has_next {
        return Ok(None);
    }
    match info
        .and_then(|i| i.get("endCursor"))
        .and_then(Value::as_str)
    {
        Some(cursor) if !cursor.is_empty() => Ok(Some(cursor.to_string())),
        _ => Err(ChannelError::Shape(
            "`data.orders.pageInfo` says there is a next page but gives no `endCursor`".to_string(),
        )),
    }
}
