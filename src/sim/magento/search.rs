//! Magento's `searchCriteria` on a list: filters in groups (ORed inside a group, groups
//! ANDed), `sortOrders`, `pageSize` and `currentPage`. As Magento does, a `currentPage` past
//! the last page answers the last page again.

use serde_json::{Value, json};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Conditions Magento takes that the simulator reads.
const CONDITIONS: [&str; 9] = ["eq", "neq", "gt", "gteq", "lt", "lteq", "in", "nin", "like"];

#[derive(Debug, Default)]
pub struct Criteria {
    /// Groups of `(field, value, condition)`.
    groups: BTreeMap<u32, Vec<(String, String, String)>>,
    sorts: Vec<(String, bool)>,
    page_size: Option<usize>,
    current_page: usize,
    raw: Vec<(String, String)>,
}

/// `searchCriteria[a][0][b]` → `["a", "0", "b"]`.
fn parts(key: &str) -> Option<Vec<&str>> {
    let rest = key.strip_prefix("searchCriteria")?;
    Some(
        rest.split('[')
            .filter_map(|p| p.strip_suffix(']'))
            .collect(),
    )
}

impl Criteria {
    /// The criteria in `query`, or the message of a 400 naming what does not read.
    pub fn parse(query: &[(String, String)], fields: &[&str]) -> Result<Criteria, String> {
        let mut c = Criteria {
            current_page: 1,
            ..Criteria::default()
        };
        let mut filters: BTreeMap<(u32, u32), BTreeMap<String, String>> = BTreeMap::new();
        let mut sorts: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        let number = |v: &str, k: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| format!("\"{k}\" must be a whole number"))
        };
        for (k, v) in query {
            let Some(p) = parts(k) else { continue };
            c.raw.push((k.clone(), v.clone()));
            match p.as_slice() {
                ["filter_groups", g, "filters", f, what] => {
                    let (g, f) = (number(g, k)? as u32, number(f, k)? as u32);
                    filters
                        .entry((g, f))
                        .or_default()
                        .insert(what.to_string(), v.clone());
                }
                ["sortOrders", i, what] => {
                    sorts
                        .entry(number(i, k)? as u32)
                        .or_default()
                        .insert(what.to_string(), v.clone());
                }
                ["pageSize"] => c.page_size = Some(number(v, k)?),
                ["currentPage"] => c.current_page = number(v, k)?.max(1),
                _ => return Err(format!("\"{k}\" is not a search criteria field")),
            }
        }
        for ((g, _), f) in filters {
            let field = f.get("field").cloned().unwrap_or_default();
            if !fields.contains(&field.as_str()) {
                return Err(format!("\"{field}\" cannot be filtered on"));
            }
            let cond = f
                .get("condition_type")
                .cloned()
                .unwrap_or_else(|| "eq".into());
            if !CONDITIONS.contains(&cond.as_str()) {
                return Err(format!("Invalid condition type \"{cond}\""));
            }
            let value = f.get("value").cloned().unwrap_or_default();
            c.groups.entry(g).or_default().push((field, value, cond));
        }
        for (_, s) in sorts {
            let field = s.get("field").cloned().unwrap_or_default();
            if !fields.contains(&field.as_str()) {
                return Err(format!("\"{field}\" cannot be sorted on"));
            }
            let asc = !s
                .get("direction")
                .is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
            c.sorts.push((field, asc));
        }
        Ok(c)
    }

    fn keeps(&self, item: &Value) -> bool {
        self.groups.values().all(|group| {
            group
                .iter()
                .any(|(field, value, cond)| holds(&item[field.as_str()], value, cond))
        })
    }

    /// The page of `items` asked for, as Magento answers a search.
    pub fn answer(&self, items: &[Value]) -> Value {
        let mut kept: Vec<&Value> = items.iter().filter(|i| self.keeps(i)).collect();
        kept.sort_by(|a, b| {
            self.sorts
                .iter()
                .map(|(f, asc)| {
                    let o = compare(&a[f.as_str()], &b[f.as_str()]);
                    if *asc { o } else { o.reverse() }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
        let total = kept.len();
        let page: Vec<&Value> = match self.page_size.filter(|s| *s > 0) {
            None => kept,
            Some(size) => {
                let last = total.div_ceil(size).max(1);
                let at = (self.current_page.min(last) - 1) * size;
                kept.into_iter().skip(at).take(size).collect()
            }
        };
        let criteria: serde_json::Map<String, Value> = self
            .raw
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({"items": page, "search_criteria": criteria, "total_count": total})
    }
}

/// The gate and the criteria of a search request on `fields`, or the answer refusing it.
pub async fn searched(
    state: &super::state::AppState,
    store: &str,
    headers: &axum::http::HeaderMap,
    query: &[(String, String)],
    fields: &[&str],
) -> Result<(crate::sim::faults::Shaping, Criteria), axum::response::Response> {
    let shaping = super::reply::gate(state, headers, store).await?;
    let criteria = Criteria::parse(query, fields).map_err(|e| super::reply::bad_request(&e))?;
    Ok((shaping, criteria))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Numbers as numbers, anything else as text (Magento's dates compare as text).
fn compare(a: &Value, b: &Value) -> Ordering {
    let (a, b) = (text(a), text(b));
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(&b),
    }
}

fn holds(field: &Value, value: &str, cond: &str) -> bool {
    let one = |v: &str| compare(field, &json!(v));
    match cond {
        "eq" => one(value) == Ordering::Equal,
        "neq" => one(value) != Ordering::Equal,
        "gt" => one(value) == Ordering::Greater,
        "gteq" => one(value) != Ordering::Less,
        "lt" => one(value) == Ordering::Less,
        "lteq" => one(value) != Ordering::Greater,
        "in" => value.split(',').any(|v| one(v.trim()) == Ordering::Equal),
        "nin" => !value.split(',').any(|v| one(v.trim()) == Ordering::Equal),
        "like" => {
            let needle = value.trim_matches('%').to_lowercase();
            text(field).to_lowercase().contains(&needle)
        }
        _ => false,
    }
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
    fn groups_and_pages_as_magento_reads_them() {
        let items: Vec<Value> = (1..=5)
            .map(|i| {
                json!({"entity_id": i, "status": if i % 2 == 0 { "canceled" } else { "pending" },
                "updated_at": format!("2026-11-0{i} 10:00:00")})
            })
            .collect();
        let f = "searchCriteria[filter_groups]";
        let query = q(&[
            (&format!("{f}[0][filters][0][field]"), "updated_at"),
            (&format!("{f}[0][filters][0][value]"), "2026-11-02 10:00:00"),
            (&format!("{f}[0][filters][0][condition_type]"), "gteq"),
            (&format!("{f}[1][filters][0][field]"), "status"),
            (&format!("{f}[1][filters][0][value]"), "pending,processing"),
            (&format!("{f}[1][filters][0][condition_type]"), "in"),
            ("searchCriteria[sortOrders][0][field]", "entity_id"),
            ("searchCriteria[sortOrders][0][direction]", "DESC"),
            ("searchCriteria[pageSize]", "1"),
            ("searchCriteria[currentPage]", "9"),
        ]);
        let c = Criteria::parse(&query, &["updated_at", "status", "entity_id"]).expect("reads");
        let out = c.answer(&items);
        assert_eq!(out["total_count"], 2);
        assert_eq!(
            out["items"][0]["entity_id"], 3,
            "past the end: the last page again"
        );
        let bad = q(&[(&format!("{f}[0][filters][0][field]"), "secret")]);
        assert!(Criteria::parse(&bad, &["status"]).is_err());
    }
}
