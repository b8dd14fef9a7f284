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
    /// A customer's name as people know it (`first last`), to name them in a problem.
    fn customer_name(&self, _id: &str) -> Option<String> {
        None
    }
    /// A line mapping the operator made: by the shop's variant id first, then by store and SKU
    /// (`sku` trimmed, `None` when empty); for a line with neither, the one made for that very
    /// line (`line_id`, the shop's id of the line) of its order alone.
    fn mapped_product(
        &self,
        store: &str,
        line_id: &str,
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

/// What rule 2 found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerMatch {
    Found(CustomerFound),
    /// Nothing matched one customer, and these contacts are each shared by several: the
    /// operator decides (never a new customer).
    Shared(Vec<SharedContact>),
    NotFound,
}

/// An email or phone of the order that several customers share, so it matches nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedContact {
    /// `email anna@example.com`, `phone +36301111111`.
    pub what: String,
    pub customers: Vec<String>,
}

/// Rule 2: the remembered link, then email, then phone. An email or phone several customers
/// share matches nobody; matching goes on with the next.
pub fn match_customer(
    store: &str,
    order: &ShopOrder,
    region: Option<&str>,
    records: &dyn Records,
) -> CustomerMatch {
    if let Some(c) = &order.customer
        && let Some(id) = records.customer_by_link(store, &c.remote_id)
    {
        return CustomerMatch::Found(CustomerFound::Link(id));
    }
    let mut shared = Vec::new();
    // Emails and phones looked up already (an email never looks like a normalised phone).
    let mut tried = Vec::new();
    // The customer's email, then the order's own when it differs.
    for email in [order.best_email(), order.email.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
    {
        let Some(key) = text::email_key(email).filter(|k| !tried.contains(k)) else {
            continue;
        };
        let found = records.customers_by_email(&key);
        if let Some(id) = sole(found, format!("email {email}"), &mut shared) {
            return CustomerMatch::Found(CustomerFound::Email(id));
        }
        tried.push(key);
    }
    for p in order.phones() {
        let Some(n) = phone::normalize(p, region).filter(|n| !tried.contains(n)) else {
            continue;
        };
        let found = records.customers_by_phone(&n);
        if let Some(id) = sole(found, format!("phone {n}"), &mut shared) {
            return CustomerMatch::Found(CustomerFound::Phone(id));
        }
        tried.push(n);
    }
    if shared.is_empty() {
        CustomerMatch::NotFound
    } else {
        CustomerMatch::Shared(shared)
    }
}

/// The one customer `found` names; several are noted in `shared` as sharing `what`.
fn sole(found: Vec<String>, what: String, shared: &mut Vec<SharedContact>) -> Option<String> {
    match <[String; 1]>::try_from(found) {
        Ok([id]) => Some(id),
        Err(found) => {
            if found.len() > 1 {
                shared.push(SharedContact {
                    what,
                    customers: found,
                });
            }
            None
        }
    }
}

/// The plain-language reason contacts shared by several customers matched nobody, e.g.
/// `email anna@example.com is shared by C1 Anna Kovács and C7 Anna K.: identify the customer`.
pub fn shared_reason(shared: &[SharedContact], records: &dyn Records) -> String {
    let each: Vec<String> = shared
        .iter()
        .map(|s| {
            let who: Vec<String> = s
                .customers
                .iter()
                .map(|id| match records.customer_name(id) {
                    Some(name) if !name.trim().is_empty() => format!("{id} {}", name.trim()),
                    _ => id.clone(),
                })
                .collect();
            format!("{} is shared by {}", s.what, and_list(&who))
        })
        .collect();
    format!("{}: identify the customer", each.join("; "))
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
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
    if let Some(id) =
        records.mapped_product(store, &line.remote_id, line.variant_id.as_deref(), sku)
    {
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
        MatchStatus::Ambiguous => format!(
            "line {line_no}: {what} \"{value}\" matches products {}",
            and_list(&m.candidates)
        ),
    };
    Some(text)
}
