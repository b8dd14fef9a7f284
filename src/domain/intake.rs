//! Intake: the rules that decide what becomes of an order the shop sent (DESIGN.md §1).
//! Pure: the store's records are reached through [`Records`].

use super::delivery;
use super::matching::{self, CustomerFound, CustomerMatch, ProductKey, Records};
use super::order::{LineMatch, Order, OrderCustomer, OrderLine};
use super::shop_order::ShopOrder;
use super::{OrderState, phone};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownCustomer {
    /// Park the order in `customer_id_needed`.
    #[default]
    Park,
    /// Create a customer from the order's data.
    Create,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoContact {
    Reject,
    /// Book to the store's "unspecified customer".
    Unspecified,
}

/// The per-store options intake follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeOptions {
    pub product_key: ProductKey,
    pub unknown_customer: UnknownCustomer,
    pub no_contact: NoContact,
    /// The store's currency; an order in another is rejected.
    pub currency: String,
    pub phone_region: Option<String>,
}

/// Who the order is booked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerDecision {
    Found(CustomerFound),
    /// Create a customer from the order's data (`unknown_customer = "create"`).
    Create,
    /// The store's unspecified customer (no contact anywhere, `no_contact = "unspecified"`).
    Unspecified,
    /// No match; the reason in plain words.
    Missing(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeResult {
    pub state: OrderState,
    /// The import rules that rejected the order, by name.
    pub rejected_by: Vec<&'static str>,
    pub customer: CustomerDecision,
    pub lines: Vec<OrderLine>,
    /// Every failure, in plain words, as the Errors pane shows them.
    pub problems: Vec<String>,
}

/// Runs the intake rules 1-3 and decides the state (rule 4 is the engine's booking).
pub fn intake(
    store: &str,
    shop: &ShopOrder,
    opts: &IntakeOptions,
    records: &dyn Records,
) -> IntakeResult {
    let region = opts.phone_region.as_deref();
    let mut problems = Vec::new();
    let mut rejected_by = Vec::new();
    let live: Vec<_> = shop.lines.iter().filter(|l| l.quantity > 0).collect();

    // Rule 1: import rules.
    if live.is_empty() {
        rejected_by.push("no items");
        problems.push("no line items left on the order (import rule: no items)".to_string());
    }
    let mut customer = None;
    if !shop.has_contact() {
        match opts.no_contact {
            NoContact::Reject => {
                rejected_by.push("no contact");
                problems.push(
                    "no email or phone anywhere on the order (import rule: no contact)".to_string(),
                );
            }
            NoContact::Unspecified => customer = Some(CustomerDecision::Unspecified),
        }
    }
    if !shop
        .currency
        .trim()
        .eq_ignore_ascii_case(opts.currency.trim())
    {
        rejected_by.push("currency");
        problems.push(format!(
            "the shop's currency {} is not the store's {} (import rule: currency)",
            shop.currency, opts.currency
        ));
    }

    // Rules 2 and 3 run even for a rejected order, so its detail shows what is known.
    let customer =
        customer.unwrap_or_else(
            || match matching::match_customer(store, shop, region, records) {
                CustomerMatch::Found(found) => CustomerDecision::Found(found),
                // Several customers on the order's contact: a person decides, whatever
                // `unknown_customer` says.
                CustomerMatch::Shared(shared) => {
                    CustomerDecision::Missing(matching::shared_reason(&shared, records))
                }
                CustomerMatch::NotFound => match opts.unknown_customer {
                    UnknownCustomer::Create => CustomerDecision::Create,
                    UnknownCustomer::Park => {
                        CustomerDecision::Missing(matching::no_customer_reason(shop, region))
                    }
                },
            },
        );
    let mut lines = Vec::with_capacity(live.len());
    let mut line_problems = Vec::new();
    for (i, l) in live.iter().enumerate() {
        let no = i as u32 + 1;
        let m: LineMatch = matching::match_line(store, opts.product_key, l, records);
        if let Some(p) = matching::line_problem(opts.product_key, no, l, &m) {
            line_problems.push(p);
        }
        lines.push(OrderLine {
            line: no,
            remote_id: l.remote_id.clone(),
            variant_id: l.variant_id.clone(),
            sku: l.sku.as_ref().map(|s| s.trim().to_string()),
            name: l.name.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            total: l.total,
            matched: m,
        });
    }

    let state = if !rejected_by.is_empty() {
        OrderState::Rejected
    } else {
        if let CustomerDecision::Missing(reason) = &customer {
            problems.push(reason.clone());
        }
        problems.extend(line_problems.iter().cloned());
        if matches!(customer, CustomerDecision::Missing(_)) {
            OrderState::CustomerIdNeeded
        } else if !line_problems.is_empty() {
            OrderState::ProductMatchFailed
        } else {
            OrderState::Booked
        }
    };
    IntakeResult {
        state,
        rejected_by,
        customer,
        lines,
        problems,
    }
}

/// The stored order for a shop order and its intake result (ids and payments are the
/// engine's to keep).
pub fn build_order(
    id: u64,
    store: &str,
    shop: &ShopOrder,
    result: &IntakeResult,
    region: Option<&str>,
) -> Order {
    let (first, last) = shop.person_name();
    let customer_id = match &result.customer {
        CustomerDecision::Found(f) => Some(f.id().to_string()),
        _ => None,
    };
    let phone = shop
        .phones()
        .first()
        .and_then(|p| phone::normalize(p, region));
    Order {
        id,
        store: store.to_string(),
        remote_id: shop.remote_id.clone(),
        name: shop.name.trim_start_matches('#').to_string(),
        state: result.state,
        test: shop.test,
        created_at: shop.created_at,
        updated_at: shop.updated_at,
        currency: shop.currency.clone(),
        total: shop.total,
        subtotal: shop.subtotal,
        tax_total: shop.tax_total,
        discount_total: shop.discount_total,
        taxes_included: shop.taxes_included,
        financial: shop.financial,
        financial_label: shop.financial_label.clone(),
        fulfillment: shop.fulfillment,
        remote_cancelled: shop.cancelled,
        customer: OrderCustomer {
            id: customer_id,
            remote_id: shop.customer.as_ref().map(|c| c.remote_id.clone()),
            first_name: first,
            last_name: last,
            email: shop.best_email().map(str::to_string),
            phone,
        },
        billing_address: shop.billing_address.clone(),
        shipping: delivery::shipping_of(shop),
        lines: result.lines.clone(),
        authorization: shop.authorization.clone(),
        payments: vec![],
        booked_stock: vec![],
        problems: result.problems.clone(),
        rejected_by: (!result.rejected_by.is_empty()).then(|| result.rejected_by.join(", ")),
        dismissed: false,
        conflicts: vec![],
    }
}

/// What a booked order takes from stock, per product (lines of one product summed).
pub fn stock_taken(lines: &[OrderLine]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for l in lines {
        if let Some(p) = &l.matched.product_id {
            match out.iter_mut().find(|(id, _)| id == p) {
                Some((_, q)) => *q += i64::from(l.quantity),
                None => out.push((p.clone(), i64::from(l.quantity))),
            }
        }
    }
    out
}

/// What changed in the lines between two fetches of an order, in plain words (empty if none).
pub fn line_changes(before: &[OrderLine], after: &ShopOrder) -> Vec<String> {
    let live: Vec<_> = after.lines.iter().filter(|l| l.quantity > 0).collect();
    let mut out = Vec::new();
    for l in &live {
        match before.iter().find(|b| b.remote_id == l.remote_id) {
            Some(b) if b.quantity != l.quantity => out.push(format!(
                "{}: quantity {} -> {}",
                l.name, b.quantity, l.quantity
            )),
            Some(_) => {}
            None => out.push(format!("{}: added (quantity {})", l.name, l.quantity)),
        }
    }
    for b in before {
        if !live.iter().any(|l| l.remote_id == b.remote_id) {
            out.push(format!("{}: removed", b.name));
        }
    }
    out
}
