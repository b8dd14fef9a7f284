//! What the orders queries need of each order, read once instead of on every query: its id,
//! its three times (as stored and parsed), and the orders in the order of each sort key. The
//! world drops the index whenever an order may change ([`super::world::World::orders_mut`]).

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use super::cursor::Key;
use super::root::legacy_id;

/// The sort keys the simulator models (`OrderSortKeys`); any other sorts by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    CreatedAt,
    UpdatedAt,
    ProcessedAt,
}

/// The stored time fields, in the order of [`SortKey`]'s times.
const TIME_FIELDS: [&str; 3] = ["createdAt", "updatedAt", "processedAt"];

impl SortKey {
    /// From the `sortKey` argument.
    pub fn from_arg(arg: Option<&str>) -> SortKey {
        match arg {
            Some("CREATED_AT") => SortKey::CreatedAt,
            Some("UPDATED_AT") => SortKey::UpdatedAt,
            Some("PROCESSED_AT") => SortKey::ProcessedAt,
            _ => SortKey::Id,
        }
    }

    fn time(self) -> Option<usize> {
        match self {
            SortKey::Id => None,
            SortKey::CreatedAt => Some(0),
            SortKey::UpdatedAt => Some(1),
            SortKey::ProcessedAt => Some(2),
        }
    }

    fn slot(self) -> usize {
        self.time().map_or(0, |t| t + 1)
    }
}

/// What the index reads of an order held as a value.
pub fn keys_of(o: &Value) -> (u64, Option<String>, [String; 3]) {
    let text = |field: &str| {
        o.get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (
        legacy_id(o),
        o.get("id").and_then(Value::as_str).map(str::to_string),
        TIME_FIELDS.map(text),
    )
}

#[derive(Debug, Clone)]
struct Stamp {
    text: String,
    at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Keys {
    id: u64,
    times: [Stamp; 3],
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    keys: Vec<Keys>,
    by_gid: HashMap<String, usize>,
    /// Positions in each sort key's order (by [`SortKey::slot`]), made when first asked for.
    sorted: [OnceCell<Vec<u32>>; 4],
}

impl Index {
    #[cfg(test)]
    pub fn build(orders: &[Value]) -> Index {
        Index::from_keys(orders.iter().map(keys_of).collect())
    }

    /// From each order's legacy id, gid and three stored times ([`TIME_FIELDS`]).
    pub fn from_keys(orders: Vec<(u64, Option<String>, [String; 3])>) -> Index {
        let stamp = |text: String| {
            let at = DateTime::parse_from_rfc3339(&text)
                .ok()
                .map(|t| t.with_timezone(&Utc));
            Stamp { text, at }
        };
        let mut by_gid = HashMap::with_capacity(orders.len());
        let mut keys = Vec::with_capacity(orders.len());
        for (i, (id, gid, times)) in orders.into_iter().enumerate() {
            if let Some(gid) = gid {
                by_gid.entry(gid).or_insert(i);
            }
            keys.push(Keys {
                id,
                times: times.map(stamp),
            });
        }
        Index {
            keys,
            by_gid,
            sorted: Default::default(),
        }
    }

    /// The position of the order with this gid (the first, if several share it).
    pub fn position(&self, gid: &str) -> Option<usize> {
        self.by_gid.get(gid).copied()
    }

    /// An order's stored time field (`createdAt`, `updatedAt`, `processedAt`), parsed.
    pub fn time(&self, at: usize, field: &str) -> Option<DateTime<Utc>> {
        let t = TIME_FIELDS.iter().position(|f| *f == field)?;
        self.keys.get(at)?.times[t].at
    }

    /// An order's place in `sort`'s order: the stored value (empty for ids) and its id.
    pub fn key(&self, at: usize, sort: SortKey) -> Key<'_> {
        let Some(k) = self.keys.get(at) else {
            return Key {
                value: Cow::Borrowed(""),
                id: 0,
            };
        };
        let value = sort.time().map_or("", |t| k.times[t].text.as_str());
        Key {
            value: Cow::Borrowed(value),
            id: k.id,
        }
    }

    /// The positions of the orders in `sort`'s order.
    pub fn sorted(&self, sort: SortKey) -> &[u32] {
        self.sorted[sort.slot()].get_or_init(|| {
            let mut at: Vec<u32> = (0..self.keys.len() as u32).collect();
            at.sort_by(|&a, &b| self.key(a as usize, sort).cmp(&self.key(b as usize, sort)));
            at
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_by_the_stored_value_then_the_id_and_finds_by_gid() {
        let orders = [
            json!({"id": "gid://shopify/Order/3", "legacyResourceId": "3", "updatedAt": "2026-11-02T10:00:00Z"}),
            json!({"id": "gid://shopify/Order/1", "legacyResourceId": "1", "updatedAt": "2026-11-02T10:00:00Z"}),
            json!({"id": "gid://shopify/Order/2", "legacyResourceId": "2", "updatedAt": "2026-11-01T10:00:00Z"}),
        ];
        let index = Index::build(&orders);
        assert_eq!(index.sorted(SortKey::UpdatedAt), &[2, 1, 0]);
        assert_eq!(index.sorted(SortKey::Id), &[1, 2, 0]);
        assert_eq!(index.position("gid://shopify/Order/2"), Some(2));
        assert_eq!(index.position("gid://shopify/Order/9"), None);
        assert_eq!(index.time(0, "createdAt"), None);
        assert!(index.time(0, "updatedAt").is_some());
        assert_eq!(
            index.key(0, SortKey::UpdatedAt).value,
            "2026-11-02T10:00:00Z"
        );
    }
}
