//! Matching an order's customer and lines against the store's records (DESIGN.md §1 rules 2-3).

use super::order::{LineMatch, MatchStatus};
use super::shop_order::{ShopLine, ShopOrder};
use super::{phone, text};
use serde::{Deserialize, Serialize};

/// Which field of a line finds its product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKey {
    #[default]
    Sku,
    Name,
    RemoteId,
}

/// Look-ups intake needs; the engine answers them from the store's indexes.
pub trait Records {
    /// The local customer remembered for this store's remote customer id (a live one only).
    fn customer_by_link(&self, store: &str, remote_customer_id: &str) -> Option<String>;
    fn customers_by_email(&self, email_key: &str) -> Vec<String>;
    fn customers_by_phone(&self, normalized: &str) -> Vec<String>;
    fn products_by_sku(&self, sku: &str) -> Vec<String>;
    fn products_by_name(&self, name: &str) -> Vec<String>;
    fn products_by_remote_id(&self, store: &str, remote_id: &str) -> Vec<String>;
    /// A line mapping the operator made: by the shop's variant id first, then by store and SKU
    /// (`sku` trimmed, `None` when empty).
    fn mapped_product(
        &self,
        store: &str,
        variant_id: Option<&str>,
        sku: Option<&str>,
    ) -> Option<String>;
}

/// How the customer was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerFound {
    Link(String),
    Email(String),
    Phone(String),
}

impl CustomerFound {
    pub fn id(&self) -> &str {
        match self {
            CustomerFound::Link(id) | CustomerFound::Email(id) | CustomerFound::Phone(id) => id,
        }
    }
    pub fn how(&self) -> &'static str {
        match self {
            CustomerFound::Link(_) => "remembered link",
            CustomerFound::Email(_) => "email",
            CustomerFound::Phone(_) => "phone",
        }
    }
}

/// Rule 2: the remembered link, then email, then phone. Several customers on one email or
/// phone is no match (the operator decides).
pub fn match_customer(
    store: &str,
    order: &ShopOrder,
    region: Option<&str>,
    records: &dyn Records,
) -> Option<CustomerFound> {
    if let Some(c) = &order.customer
        && let Some(id) = records.customer_by_link(store, &c.remote_id)
    {
        return Some(CustomerFound::Link(id));
    }
    if let Some(key) = order.best_email().and_then(text::email_key) {
        let found = records.customers_by_email(&key);
        if found.len() == 1 {
            return Some(CustomerFound::Email(found[0].clone()));
        }
    }
    // The order's own email too, when the customer's differs.
    if let Some(key) = order.email.as_deref().and_then(text::email_key) {
        let found = records.customers_by_email(&key);
        if found.len() == 1 {
            return Some(CustomerFound::Email(found[0].clone()));
        }
    }
    for p in order.phones() {
        if let Some(n) = phone::normalize(p, region) {
            let found = records.customers_by_phone(&n);
            if found.len() == 1 {
                return Some(CustomerFound::Phone(found[0].clone()));
            }
        }
    }
    None
}

/// The plain-language reason no customer matched.
pub fn no_customer_reason(order: &ShopOrder, region: Option<&str>) -> String {
    let email = order.best_email();
    let phone = order
        .phones()
        .first()
        .and_then(|p| phone::normalize(p, region));
    match (email, phone) {
        (Some(e), Some(p)) => format!("no customer with email {e} or phone {p}"),
        (Some(e), None) => format!("no customer with email {e}"),
        (None, Some(p)) => format!("no customer with phone {p}"),
        (None, None) => "no customer data on the order".to_string(),
    }
}

/// Rule 3 for one line.
pub fn match_line(
    store: &str,
    key: ProductKey,
    line: &ShopLine,
    records: &dyn Records,
) -> LineMatch {
    let sku = line.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(id) = records.mapped_product(store, line.variant_id.as_deref(), sku) {
        return LineMatch {
            status: MatchStatus::Mapped,
            product_id: Some(id),
            candidates: vec![],
        };
    }
    let found = match key {
        ProductKey::Sku => match sku {
            Some(s) => records.products_by_sku(s),
            None => {
                return LineMatch {
                    status: MatchStatus::EmptySku,
                    product_id: None,
                    candidates: vec![],
                };
            }
        },
        ProductKey::Name => records.products_by_name(line.name.trim()),
        ProductKey::RemoteId => {
            let rid = line
                .variant_id
                .as_deref()
                .or(line.product_remote_id.as_deref());
            rid.map(|r| records.products_by_remote_id(store, r))
                .unwrap_or_default()
        }
    };
    match found.len() {
        0 => LineMatch {
            status: MatchStatus::NoProduct,
            product_id: None,
            candidates: vec![],
        },
        1 => LineMatch {
            status: MatchStatus::Matched,
            product_id: found.first().cloned(),
            candidates: vec![],
        },
        _ => LineMatch {
            status: MatchStatus::Ambiguous,
            product_id: None,
            candidates: found,
        },
    }
}

/// The plain-language reason a line did not match, e.g. `line 2: no product with SKU "X"`.
pub fn line_problem(
    key: ProductKey,
    line_no: u32,
    line: &ShopLine,
    m: &LineMatch,
) -> Option<String> {
    let sku = line.sku.as_deref().unwrap_or("").trim();
    let (what, value) = match key {
        ProductKey::Sku => ("SKU", sku.to_string()),
        ProductKey::Name => ("name", line.name.trim().to_string()),
        ProductKey::RemoteId => (
            "shop id",
            line.variant_id
                .as_deref()
                .or(line.product_remote_id.as_deref())
                .unwrap_or("")
                .to_string(),
        ),
    };
    let text = match m.status {
        MatchStatus::Matched | MatchStatus::Mapped => return None,
        MatchStatus::EmptySku => format!("line {line_no}: empty SKU ({})", line.name.trim()),
        MatchStatus::NoProduct => format!("line {line_no}: no product with {what} \"{value}\""),
        MatchStatus::Ambiguous => {
            let list = match m.candidates.as_slice() {
                [a, b] => format!("{a} and {b}"),
                many => {
                    let (last, rest) = many
                        .split_last()
                        .map(|(l, r)| (l.clone(), r.join(", ")))
                        .unwrap_or_default();
                    format!("{rest} and {last}")
                }
            };
            format!("line {line_no}: {what} \"{value}\" matches products {list}")
        }
    };
    Some(text)
}
