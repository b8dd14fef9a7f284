//! `GET /api/{resource}` and `GET /api/{resource}/{id}` as the webservice answers them in
//! JSON: `display` (`full`, `[field,…]`, or ids only), `filter[field]` (`[a|b]` any of,
//! `[a,b]` between, `>[a]`, `<[a]`, or a value), `sort` (`[field_ASC,field_DESC]`),
//! `limit` (`N` or `OFFSET,N`). A date filter needs `date=1`. An empty list is `[]`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use std::sync::Arc;

use super::gate::{self, error, gate};
use super::order;
use super::state::AppState;

/// The singular of a resource, as an object is named in its answer.
pub fn singular(resource: &str) -> Option<&'static str> {
    Some(match resource {
        "orders" => "order",
        "customers" => "customer",
        "addresses" => "address",
        "carriers" => "carrier",
        "currencies" => "currency",
        "countries" => "country",
        "order_carriers" => "order_carrier",
        "order_histories" => "order_history",
        "products" => "product",
        "combinations" => "combination",
        "categories" => "category",
        "stock_availables" => "stock_available",
        _ => return None,
    })
}

/// Compares two field values: as numbers when both are, else as text.
fn cmp(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Whether `value` passes the filter `f`.
fn passes(value: &str, f: &str) -> bool {
    if let Some(inner) = f.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        if let Some((from, to)) = inner.split_once(',') {
            return cmp(value, from) != Ordering::Less && cmp(value, to) != Ordering::Greater;
        }
        return inner.split('|').any(|v| cmp(value, v) == Ordering::Equal);
    }
    if let Some(v) = f.strip_prefix(">[").and_then(|s| s.strip_suffix(']')) {
        return cmp(value, v) == Ordering::Greater;
    }
    if let Some(v) = f.strip_prefix("<[").and_then(|s| s.strip_suffix(']')) {
        return cmp(value, v) == Ordering::Less;
    }
    value == f
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn bad(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, 400, message)
}

/// The objects of `list` that the query keeps, sorted and cut as it asks.
fn select(mut list: Vec<Value>, q: &[(String, String)]) -> Result<Vec<Value>, Response> {
    for (k, f) in q {
        let Some(field) = k.strip_prefix("filter[").and_then(|s| s.strip_suffix(']')) else {
            continue;
        };
        if field.starts_with("date_") && param(q, "date") != Some("1") {
            return Err(bad(&format!(
                "The field '{field}' is a date: add date=1 to filter on it"
            )));
        }
        list.retain(|o| passes(&text(&o[field]), f));
    }
    let sort = param(q, "sort").unwrap_or("[id_ASC]");
    let keys: Vec<(String, bool)> = sort
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .filter_map(|k| {
            let (f, dir) = k.trim().rsplit_once('_')?;
            Some((f.to_string(), dir.eq_ignore_ascii_case("DESC")))
        })
        .collect();
    if keys.is_empty() {
        return Err(bad(&format!("The sort {sort} does not read")));
    }
    list.sort_by(|a, b| {
        keys.iter()
            .map(|(f, desc)| {
                let o = cmp(&text(&a[f.as_str()]), &text(&b[f.as_str()]));
                if *desc { o.reverse() } else { o }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    if let Some(limit) = param(q, "limit") {
        let parsed = match limit.split_once(',') {
            Some((o, n)) => o
                .trim()
                .parse::<usize>()
                .ok()
                .zip(n.trim().parse::<usize>().ok()),
            None => limit.trim().parse::<usize>().ok().map(|n| (0, n)),
        };
        let Some((offset, n)) = parsed else {
            return Err(bad(&format!("The limit {limit} does not read")));
        };
        list = list.into_iter().skip(offset).take(n).collect();
    }
    Ok(list)
}

/// The fields `display` asks for (`full`: all; none: the id only).
fn display(o: &Value, q: &[(String, String)]) -> Value {
    let fields: Vec<&str> = match param(q, "display") {
        Some("full") => return o.clone(),
        Some(d) => d
            .trim_matches(['[', ']'])
            .split(',')
            .map(str::trim)
            .collect(),
        None => vec!["id"],
    };
    let mut out = Map::new();
    for f in fields {
        if let Some(v) = o.get(f) {
            out.insert(f.to_string(), v.clone());
        }
    }
    Value::Object(out)
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(resource): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let all: Vec<Value> = {
        let world = state.world();
        let Some(objects) = world.resources.get(resource.as_str()) else {
            return missing_resource(&resource);
        };
        objects.values().cloned().collect()
    };
    let mut chosen = match select(all, &q) {
        Ok(l) => l,
        Err(r) => return r,
    };
    if resource == "orders" {
        gate::shape_orders(&shaping, &mut chosen);
    }
    let out: Vec<Value> = chosen.iter().map(|o| display(o, &q)).collect();
    let body = if out.is_empty() {
        json!([])
    } else {
        json!({ resource.as_str(): out })
    };
    shaping.send(StatusCode::OK, HeaderMap::new(), &body)
}

pub async fn one(
    State(state): State<Arc<AppState>>,
    Path((resource, id)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(name) = singular(&resource) else {
        return missing_resource(&resource);
    };
    let found = id.parse::<u64>().ok().and_then(|id| {
        state
            .world()
            .resources
            .get(resource.as_str())
            .and_then(|r| r.get(&id).cloned())
    });
    let Some(o) = found else {
        let message = format!("{} not found", order::title(name));
        return error(StatusCode::NOT_FOUND, 87, &message);
    };
    let mut list = vec![o];
    if resource == "orders" {
        gate::shape_orders(&shaping, &mut list);
    }
    let o = list.swap_remove(0);
    shaping.send(StatusCode::OK, HeaderMap::new(), &json!({ name: o }))
}

pub fn missing_resource(resource: &str) -> Response {
    let message = format!("Resource of type \"{resource}\" does not exists");
    error(StatusCode::BAD_REQUEST, 18, &message)
}
