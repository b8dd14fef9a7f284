//! Reading a JSON value field by field, so that a value that does not read is reported with
//! its path and what the shop sent ("`totalPriceSet.shopMoney.amount`: expected a decimal
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

    pub fn time(&self) -> Result<DateTime<Utc>, String> {
        match self.value {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| self.wrong("a date and time (ISO 8601)")),
            _ => Err(self.wrong("a date and time (ISO 8601)")),
        }
    }

    /// A decimal amount; Shopify sends `Decimal` as a string, a number is taken as well.
    pub fn decimal(&self) -> Result<Decimal, String> {
        let parsed = match self.value {
            Value::String(s) => Decimal::from_str(s.trim()).ok(),
            Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
            _ => None,
        };
        let parsed = parsed.ok_or_else(|| self.wrong("a decimal amount"))?;
        crate::domain::limits::check_shop_amount(parsed).map_err(|why| self.wrong(&why))
    }

    /// An id (`UnsignedInt64` comes as a string; a number is taken as well).
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

/// The numeric tail of a Shopify gid (`gid://shopify/Order/123` → `123`), or the gid itself.
pub fn gid_tail(gid: &str) -> String {
    match gid.rsplit_once('/') {
        Some((_, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
            tail.to_string()
        }
        _ => gid.to_string(),
    }
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
    fn ids_and_gids() {
        assert_eq!(
            gid_tail("gid://shopify/Order/4573850468424"),
            "4573850468424"
        );
        assert_eq!(gid_tail("weird"), "weird");
        let v = json!({"s": "42", "n": 42, "neg": -1});
        assert_eq!(At::root(&v).get("s").id().as_deref(), Ok("42"));
        assert_eq!(At::root(&v).get("n").id().as_deref(), Ok("42"));
        assert!(At::root(&v).get("neg").id().is_err());
    }
}
