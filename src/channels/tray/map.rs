//! A Tray order (`GET /orders/:id/complete`, `{"Order": {...}}`) → [`ShopOrder`].
//!
//! Tray sends every value as text: ids, amounts (`"59900.00"`), quantities, flags (`"1"`).
//! `id` is the order's id and its number; `date` + `hour` when it was placed, `modified` when
//! it last changed, both in Brasília time. Amounts: `partial_total` (the products, prices
//! with taxes as Brazilian prices are), `discount`, `shipment_value`, `taxes` (a surcharge),
//! `total`. Lines are `ProductsSold` (`reference` is the product's code, the SKU); the buyer
//! is `Customer` (id `0`: no account) with its `CustomerAddresses`. The order's currency is
//! the store's (Tray sells in one).

use super::session::brasilia;
use super::statuses::TrayStatuses;
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, At};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// One order of Tray's answer (`index`: its place, used only when its id does not read).
pub fn fetched_order(
    node: &Value,
    index: usize,
    statuses: &TrayStatuses,
    currency: &str,
) -> FetchedOrder {
    let at = At::root(node).get("Order");
    json::fetched_order(
        node,
        index,
        at.get("id").id(),
        at.get("id").opt_id().ok().flatten(),
        modified(&at).ok(),
        || read_order(&at, statuses, currency),
    )
}

/// `modified`, in UTC.
pub fn modified(at: &At) -> Result<DateTime<Utc>, String> {
    let m = at.get("modified");
    brasilia(&m.string()?).ok_or_else(|| m.wrong("a date and time (YYYY-MM-DD HH:MM:SS)"))
}

fn amount(at: &At, field: &str) -> Result<Money, String> {
    let f = at.get(field);
    match f.opt_text()? {
        None => Ok(Money::ZERO),
        Some(_) => f.decimal(),
    }
}

fn flag(at: &At, field: &str) -> bool {
    matches!(at.get(field).opt_id().ok().flatten().as_deref(), Some("1"))
}

pub fn read_order(at: &At, statuses: &TrayStatuses, currency: &str) -> Result<ShopOrder, String> {
    let status = at.get("status").string()?.trim().to_string();
    let placed = at.get("date");
    let created = format!(
        "{} {}",
        placed.string()?.trim(),
        at.get("hour")
            .opt_text()?
            .unwrap_or_else(|| "00:00:00".into())
    );
    let created = brasilia(&created).ok_or_else(|| placed.wrong("a date (YYYY-MM-DD)"))?;
    let total = at.get("total").decimal()?;
    let cancelled = statuses.is_cancelled(&status);
    let customer = at.get("Customer");
    let email = customer.get("email").opt_text()?;
    let phone = match customer.get("cellphone").opt_text()? {
        Some(p) => Some(p),
        None => customer.get("phone").opt_text()?,
    };
    let account = customer
        .get("id")
        .opt_id()?
        .filter(|id| id != "0" && !customer.is_null());
    let address = address(&customer)?;
    let (first_name, last_name) = split_name(&customer.get("name").opt_text()?.unwrap_or_default());
    Ok(ShopOrder {
        remote_id: at.get("id").id()?,
        name: at.get("id").id()?,
        created_at: created,
        updated_at: modified(at)?,
        test: false,
        currency: currency.to_string(),
        total,
        subtotal: amount(at, "partial_total")?,
        tax_total: amount(at, "taxes")?,
        discount_total: amount(at, "discount")?.abs(),
        shipping_total: amount(at, "shipment_value")?,
        taxes_included: true,
        financial: if cancelled {
            RemoteFinancial::Voided
        } else if flag(at, "has_payment") {
            RemoteFinancial::Paid
        } else {
            RemoteFinancial::Pending
        },
        financial_label: status.to_lowercase(),
        fulfillment: if statuses.is_sent(&status) {
            RemoteFulfillment::Fulfilled
        } else {
            RemoteFulfillment::Unfulfilled
        },
        cancelled,
        email: email.clone(),
        phone: phone.clone(),
        customer: account.map(|id| ShopCustomer {
            remote_id: id,
            first_name,
            last_name,
            email,
            phone,
        }),
        billing_address: address.clone(),
        shipping_address: address,
        shipping: shipping(at)?,
        lines: lines(at)?,
        authorization: None,
        payment_gateways: at
            .get("payment_method")
            .opt_text()?
            .or(at.get("payment_form").opt_text()?)
            .into_iter()
            .collect(),
    })
}

/// "Maria da Silva" → ("Maria", "da Silva").
fn split_name(name: &str) -> (String, String) {
    match name.trim().split_once(' ') {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name.trim().to_string(), String::new()),
    }
}

/// The customer's first address (Tray's `CustomerAddresses`), else the one on the customer.
fn address(customer: &At) -> Result<Option<ShopAddress>, String> {
    let list = customer.get("CustomerAddresses");
    let first = if list.is_null() {
        None
    } else {
        list.items()?.into_iter().next()
    };
    let a = match &first {
        Some(entry) => entry.get("CustomerAddress"),
        None => customer.clone(),
    };
    if a.is_null() {
        return Ok(None);
    }
    let text = |f: &str| a.get(f).opt_text().map(Option::unwrap_or_default);
    let street = [text("address")?, text("number")?]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let second = [text("complement")?, text("neighborhood")?]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let (first_name, last_name) = split_name(
        &a.get("recipient")
            .opt_text()?
            .or(customer.get("name").opt_text()?)
            .unwrap_or_default(),
    );
    let out = ShopAddress {
        first_name,
        last_name,
        address1: street,
        address2: second,
        city: text("city")?,
        postal_code: text("zip_code")?,
        country: country(&text("country")?),
        phone: None,
    };
    let empty = out.address1.is_empty() && out.city.is_empty() && out.postal_code.is_empty();
    Ok((!empty).then_some(out))
}

/// Tray writes Brazil as `Brasil` or `BRA`: ISO's `BR`; any other country as sent.
fn country(text: &str) -> String {
    match text.trim().to_uppercase().as_str() {
        "BRASIL" | "BRAZIL" | "BRA" => "BR".into(),
        _ => text.trim().to_string(),
    }
}

/// `shipment` (the shipping method's name): a pickup when it says so ("Retirar na loja").
fn shipping(at: &At) -> Result<Option<ShopShipping>, String> {
    let Some(title) = at.get("shipment").opt_text()? else {
        return Ok(None);
    };
    let lower = title.to_lowercase();
    Ok(Some(ShopShipping {
        pickup: lower.contains("retira") || lower.contains("pickup"),
        carrier: at.get("shipment_integrator").opt_text()?,
        cost: amount(at, "shipment_value")?,
        title,
    }))
}

fn lines(at: &At) -> Result<Vec<ShopLine>, String> {
    let list = at.get("ProductsSold");
    if list.is_null() {
        return Ok(Vec::new());
    }
    list.items()?
        .iter()
        .map(|entry| {
            let p = entry.get("ProductsSold");
            let quantity = p.get("quantity").quantity()?;
            let unit = p.get("price").decimal()?;
            Ok(ShopLine {
                remote_id: p.get("id").id()?,
                variant_id: p
                    .get("variant_id")
                    .opt_id()?
                    .filter(|v| v != "0" && !v.is_empty()),
                product_remote_id: p.get("product_id").opt_id()?,
                sku: p.get("reference").opt_string()?,
                name: p.get("name").string()?.trim().to_string(),
                quantity,
                unit_price: unit,
                total: unit * Money::from(quantity),
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
