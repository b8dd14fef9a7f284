//! Reading a shop's JSON value field by field, so that a value that does not read is reported
//! with its path and what the shop sent ("`totalPriceSet.shopMoney.amount`: expected a decimal
//! amount, the shop sent \"12,50\"").

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

static NULL: Value = Value::Null;

/// A value and where it sits in the node.
#[derive(Clone, Debug)]
pub struct At<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> At<'a> {
    pub fn root(value: &'a Value) -> Self {
        At {
            value,
            path: String::new(),
        }
    }

    /// A field; a missing field reads as null.
    pub fn get(&self, name: &str) -> At<'a> {
        let path = if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        };
        At {
            value: self.value.get(name).unwrap_or(&NULL),
            path,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value.is_null()
    }

    pub fn value(&self) -> &'a Value {
        self.value
    }

    /// The items of a list, none for a null or missing one.
    pub fn items_or_none(&self) -> Result<Vec<At<'a>>, String> {
        if self.is_null() {
            return Ok(Vec::new());
        }
        self.items()
    }

    /// The items of a list the shop must send.
    pub fn items(&self) -> Result<Vec<At<'a>>, String> {
        match self.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| At {
                    value,
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            _ => Err(self.wrong("a list")),
        }
    }

    pub fn string(&self) -> Result<String, String> {
        self.opt_string()?.ok_or_else(|| self.wrong("text"))
    }

    /// Text, or `None` for null or a missing field.
    pub fn opt_string(&self) -> Result<Option<String>, String> {
        match self.value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(self.wrong("text")),
        }
    }

    /// Text with surrounding blanks removed; empty text reads as `None`.
    pub fn opt_text(&self) -> Result<Option<String>, String> {
        Ok(self
            .opt_string()?
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()))
    }

    pub fn boolean(&self) -> Result<bool, String> {
        self.value
            .as_bool()
            .ok_or_else(|| self.wrong("true or false"))
    }

    pub fn integer(&self) -> Result<i64, String> {
        self.value
            .as_i64()
            .ok_or_else(|| self.wrong("a whole number"))
    }

    /// A date and time with its offset (RFC 3339).
    pub fn time(&self) -> Result<DateTime<Utc>, String> {
        match self.value {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| self.wrong("a date and time (ISO 8601)")),
            _ => Err(self.wrong("a date and time (ISO 8601)")),
        }
    }

    /// A date and time in UTC: with an offset (RFC 3339), or without one when the shop says
    /// the field is GMT (`2017-03-22T19:28:08`, WooCommerce's `*_gmt` fields).
    pub fn gmt_time(&self) -> Result<DateTime<Utc>, String> {
        let expected = "a date and time in UTC (ISO 8601)";
        let Value::String(s) = self.value else {
            return Err(self.wrong(expected));
        };
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
            .map(|t| t.and_utc())
            .ok_or_else(|| self.wrong(expected))
    }

    /// A decimal amount within the range orderdesk takes from a shop; sent as a string (as
    /// Shopify's `Decimal` and WooCommerce's totals are) or as a number.
    pub fn decimal(&self) -> Result<Decimal, String> {
        let parsed = match self.value {
            Value::String(s) => Decimal::from_str(s.trim()).ok(),
            Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
            _ => None,
        };
        let parsed = parsed.ok_or_else(|| self.wrong("a decimal amount"))?;
        crate::domain::limits::check_shop_amount(parsed).map_err(|why| self.wrong(&why))
    }

    /// A whole quantity from 0 to [`crate::domain::limits::MAX_QUANTITY`], sent as text or as
    /// a number.
    pub fn quantity(&self) -> Result<u32, String> {
        let expected = "a whole quantity from 0 to 1000000";
        let text = match self.value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => return Err(self.wrong(expected)),
        };
        text.parse::<u32>()
            .ok()
            .filter(|n| *n <= crate::domain::limits::MAX_QUANTITY)
            .ok_or_else(|| self.wrong(expected))
    }

    /// An id, sent as a string or as a whole number.
    pub fn id(&self) -> Result<String, String> {
        match self.value {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Value::Number(n) if n.is_u64() => Ok(n.to_string()),
            _ => Err(self.wrong("an id")),
        }
    }

    pub fn opt_id(&self) -> Result<Option<String>, String> {
        if self.is_null() {
            Ok(None)
        } else {
            self.id().map(Some)
        }
    }

    /// The reason a value does not read, naming the field and what the shop sent.
    pub fn wrong(&self, expected: &str) -> String {
        let sent = match self.value {
            Value::Null => "nothing".to_string(),
            other => {
                let text = other.to_string();
                if text.chars().count() > 60 {
                    format!("{}…", text.chars().take(60).collect::<String>())
                } else {
                    text
                }
            }
        };
        format!(
            "field `{}`: expected {expected}, the shop sent {sent}",
            self.path
        )
    }
}

/// One order node as fetched: its id as read (an order whose id does not read is kept under
/// its place on the page, `unreadable-INDEX`, with the reason naming both), the order read
/// only when the id reads, and the node itself as the raw payload.
pub fn fetched_order(
    node: &Value,
    index: usize,
    id: Result<String, String>,
    name: Option<String>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
    read: impl FnOnce() -> Result<crate::domain::ShopOrder, String>,
) -> crate::domain::FetchedOrder {
    let (remote_id, order) = match id {
        Ok(id) => (id, read()),
        Err(why) => {
            let placeholder = format!("unreadable-{index}");
            let reason = format!(
                "the order's id does not read ({why}); it is kept as {placeholder}, its place on the page"
            );
            (placeholder, Err(reason))
        }
    };
    crate::domain::FetchedOrder {
        remote_id,
        name: name.map(|n| strip_hash(&n)),
        updated_at,
        raw: node.to_string(),
        order,
    }
}

/// An order name as people read it: without a leading `#`.
pub fn strip_hash(name: &str) -> String {
    let name = name.trim();
    name.strip_prefix('#').unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_path_and_the_value() {
        let v = json!({"a": {"b": "12,50"}, "n": null});
        let err = At::root(&v).get("a").get("b").decimal().unwrap_err();
        assert_eq!(
            err,
            "field `a.b`: expected a decimal amount, the shop sent \"12,50\""
        );
        let err = At::root(&v).get("n").string().unwrap_err();
        assert_eq!(err, "field `n`: expected text, the shop sent nothing");
        let err = At::root(&v).get("missing").items().unwrap_err();
        assert!(err.contains("`missing`"), "{err}");
    }

    #[test]
    fn ids_as_text_or_numbers() {
        let v = json!({"s": "42", "n": 42, "neg": -1});
        assert_eq!(At::root(&v).get("s").id().as_deref(), Ok("42"));
        assert_eq!(At::root(&v).get("n").id().as_deref(), Ok("42"));
        assert!(At::root(&v).get("neg").id().is_err());
    }

    #[test]
    fn gmt_times_with_or_without_an_offset() {
        let v = json!({"a": "2017-03-22T19:28:08", "b": "2017-03-22T20:28:08+01:00", "c": "0000-00-00 00:00:00"});
        let at = At::root(&v);
        let a = at.get("a").gmt_time().expect("naive GMT");
        assert_eq!(a.to_rfc3339(), "2017-03-22T19:28:08+00:00");
        assert_eq!(at.get("b").gmt_time(), Ok(a));
        assert!(at.get("c").gmt_time().is_err());
    }
}
