//! `GET /wp-json/wc/v3/orders`: parameters read and checked as WordPress does (a bad one
//! answers 400 `rest_invalid_param`), orders filtered, sorted and paged, with `X-WP-Total`
//! and `X-WP-TotalPages`.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::auth::Need;
use super::reply::{self, gate};
use super::state::{AppState, STATUSES, id_of};
use super::wp;

const ORDERBY: [&str; 6] = ["date", "modified", "id", "include", "title", "slug"];

#[derive(Debug)]
struct Ask {
    page: usize,
    per_page: usize,
    statuses: Vec<String>,
    /// (field, after: true / before: false, wall-clock time as the shop prints it)
    dates: Vec<(&'static str, bool, String)>,
    include: Option<Vec<u64>>,
    customer: Option<u64>,
    orderby: String,
    desc: bool,
}

/// A date as WordPress's date parameters take one: `YYYY-MM-DDTHH:MM:SS`, optional
/// fraction and offset. The wall clock is kept; the offset is not applied.
fn wall_clock(s: &str) -> Option<String> {
    let (head, rest) = (s.get(..19)?, s.get(19..)?);
    let t = NaiveDateTime::parse_from_str(&head.replacen([' ', 't'], "T", 1), "%Y-%m-%dT%H:%M:%S")
        .ok()?;
    let rest = match rest.strip_prefix('.') {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    let zone_ok = match rest.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => {
            let digits: String = zone
                .iter()
                .map(|b| *b as char)
                .filter(|c| *c != ':')
                .collect();
            matches!(digits.len(), 2 | 4) && digits.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    zone_ok.then(|| t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn read(query: &[(String, String)]) -> Result<Ask, Map<String, Value>> {
    let mut bad = Map::new();
    let get = |k: &str| wp::param(query, k);
    let (page, per_page) = wp::paging(query, &mut bad);
    let mut statuses: Vec<String> = query
        .iter()
        .filter(|(k, _)| k == "status" || k == "status[]")
        .flat_map(|(_, v)| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let unknown = |s: &String| s != "any" && !STATUSES.contains(&s.as_str());
    if let Some(i) = statuses.iter().position(unknown) {
        let known = ["any"]
            .iter()
            .chain(STATUSES.iter())
            .copied()
            .collect::<Vec<_>>();
        bad.insert(
            "status".into(),
            json!(format!("status[{i}] is not one of {}.", known.join(", "))),
        );
    }
    if statuses.is_empty() || statuses.iter().any(|s| s == "any") {
        statuses = STATUSES
            .iter()
            .filter(|s| **s != "trash")
            .map(|s| s.to_string())
            .collect();
    }
    let gmt = match get("dates_are_gmt") {
        None => false,
        Some(v) => wp::boolean(&json!(v)).unwrap_or_else(|| {
            bad.insert(
                "dates_are_gmt".into(),
                json!("dates_are_gmt is not of type boolean."),
            );
            false
        }),
    };
    let mut dates = Vec::new();
    for (k, field, after) in [
        ("after", "date_created", true),
        ("before", "date_created", false),
        ("modified_after", "date_modified", true),
        ("modified_before", "date_modified", false),
    ] {
        let Some(v) = get(k) else { continue };
        match wall_clock(v.trim()) {
            Some(t) => dates.push((if gmt { gmt_field(field) } else { field }, after, t)),
            None => {
                bad.insert(k.into(), json!("Invalid date."));
            }
        }
    }
    let ids = |k: &str, bad: &mut Map<String, Value>| -> Option<Vec<u64>> {
        let v = get(k)?;
        let read: Result<Vec<u64>, _> = v
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<u64>())
            .collect();
        read.map_err(|_| bad.insert(k.into(), json!(format!("{k}[0] is not of type integer."))))
            .ok()
    };
    let include = ids("include", &mut bad);
    let customer = ids("customer", &mut bad).and_then(|c| c.first().copied());
    let orderby = get("orderby").unwrap_or("date").to_string();
    if !ORDERBY.contains(&orderby.as_str()) {
        bad.insert(
            "orderby".into(),
            json!(format!("orderby is not one of {}.", ORDERBY.join(", "))),
        );
    }
    let desc = match get("order").unwrap_or("desc") {
        "desc" => true,
        "asc" => false,
        _ => {
            bad.insert("order".into(), json!("order is not one of asc, desc."));
            true
        }
    };
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(Ask {
        page,
        per_page,
        statuses,
        dates,
        include,
        customer,
        orderby,
        desc,
    })
}

fn gmt_field(field: &'static str) -> &'static str {
    if field == "date_created" {
        "date_created_gmt"
    } else {
        "date_modified_gmt"
    }
}

fn keeps(ask: &Ask, o: &Value) -> bool {
    let status = o["status"].as_str().unwrap_or_default();
    ask.statuses.iter().any(|s| s == status)
        && ask
            .include
            .as_ref()
            .is_none_or(|ids| ids.contains(&id_of(o)))
        && ask
            .customer
            .is_none_or(|c| o["customer_id"].as_u64() == Some(c))
        && ask.dates.iter().all(|(field, after, t)| {
            let at = o[*field].as_str().unwrap_or_default();
            if *after {
                at > t.as_str()
            } else {
                at < t.as_str()
            }
        })
}

pub async fn orders(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let shaping = match gate(&state, &headers, &query, Need::List).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let ask = match read(&query) {
        Ok(a) => a,
        Err(bad) => return wp::invalid_params(bad),
    };
    let world = state.world();
    let mut hits: Vec<&Value> = world.orders.iter().filter(|o| keeps(&ask, o)).collect();
    let key = match ask.orderby.as_str() {
        "modified" => "date_modified_gmt",
        _ => "date_created_gmt",
    };
    match (ask.orderby.as_str(), &ask.include) {
        ("id", _) | ("include", None) => hits.sort_by_key(|o| id_of(o)),
        ("include", Some(ids)) => hits.sort_by_key(|o| ids.iter().position(|i| *i == id_of(o))),
        _ => hits.sort_by(|a, b| {
            a[key]
                .as_str()
                .cmp(&b[key].as_str())
                .then(id_of(a).cmp(&id_of(b)))
        }),
    }
    if ask.desc {
        hits.reverse();
    }
    let total = hits.len();
    let pages = total.div_ceil(ask.per_page);
    let page: Vec<Value> = hits
        .into_iter()
        .skip((ask.page - 1).saturating_mul(ask.per_page))
        .take(ask.per_page)
        .cloned()
        .collect();
    drop(world);
    let mut out = HeaderMap::new();
    out.insert("x-wp-total", HeaderValue::from(total));
    out.insert("x-wp-totalpages", HeaderValue::from(pages));
    reply::orders(shaping, StatusCode::OK, out, Value::Array(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn dates_keep_their_wall_clock_and_bad_parameters_are_named() {
        assert_eq!(
            wall_clock("2026-11-20T10:00:00Z").as_deref(),
            Some("2026-11-20T10:00:00")
        );
        assert_eq!(
            wall_clock("2026-11-20 10:00:00.123+02:00").as_deref(),
            Some("2026-11-20T10:00:00")
        );
        assert_eq!(wall_clock("2026-11-20"), None);
        assert_eq!(wall_clock("2026-11-20T10:00:00 junk"), None);
        let bad = read(&q(&[
            ("per_page", "101"),
            ("status", "processing,shipped"),
            ("order", "up"),
        ]))
        .expect_err("refused");
        assert_eq!(
            bad["per_page"],
            "per_page must be between 1 (inclusive) and 100 (inclusive)"
        );
        assert!(
            bad["status"]
                .as_str()
                .unwrap_or_default()
                .starts_with("status[1] is not one of any")
        );
        assert!(bad.contains_key("order"));
        let ok = read(&q(&[
            ("modified_after", "2026-11-20T10:00:00"),
            ("dates_are_gmt", "true"),
        ]))
        .expect("reads");
        assert_eq!(ok.dates[0].0, "date_modified_gmt");
        assert!(!ok.statuses.contains(&"trash".to_string()));
    }
}
