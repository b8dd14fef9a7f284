//! A WooCommerce REST v3 order (`GET /wp-json/wc/v3/orders`) → [`ShopOrder`].
//!
//! Each order is read on its own: one that does not read gives a [`FetchedOrder`] whose
//! `order` is the reason, never a failed page. Ids may come as numbers or strings, amounts as
//! decimal strings (a line's `price` as a number); dates are read from the `*_gmt` fields.

use super::settings::WooStatuses;
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, At, strip_hash};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use serde_json::Value;

/// One order of a page (`index` is its place on the page, used only when even its id does
/// not read).
pub fn fetched_order(node: &Value, index: usize, statuses: &WooStatuses) -> FetchedOrder {
    let at = At::root(node);
    json::fetched_order(
        node,
        index,
        at.get("id").id(),
        at.get("number").opt_id().ok().flatten(),
        at.get("date_modified_gmt").gmt_time().ok(),
        || read_order(&at, statuses),
    )
}

/// The whole order, or the first field that does not read.
pub fn read_order(at: &At, statuses: &WooStatuses) -> Result<ShopOrder, String> {
    let status = at.get("status").string()?.trim().to_string();
    let lines = lines(at)?;
    let mut subtotal = Money::ZERO;
    for (i, line) in at.get("line_items").items()?.iter().enumerate() {
        subtotal += line
            .get("subtotal")
            .decimal()
            .map_err(|e| format!("{e} (line {i})"))?;
    }
    let billing = at.get("billing");
    let customer_id = at.get("customer_id").id()?;
    let cancelled = statuses.is_cancelled(&status);
    Ok(ShopOrder {
        remote_id: at.get("id").id()?,
        name: strip_hash(&at.get("number").id()?),
        created_at: at.get("date_created_gmt").gmt_time()?,
        updated_at: at.get("date_modified_gmt").gmt_time()?,
        test: false,
        currency: at.get("currency").string()?.trim().to_string(),
        total: at.get("total").decimal()?,
        subtotal,
        tax_total: at.get("total_tax").decimal()?,
        discount_total: at.get("discount_total").decimal()?,
        shipping_total: at.get("shipping_total").decimal()?,
        taxes_included: at.get("prices_include_tax").boolean()?,
        financial: financial(at, &status)?,
        financial_label: label(&status),
        fulfillment: fulfillment(&status, statuses, cancelled),
        cancelled,
        email: billing.get("email").opt_text()?,
        phone: billing.get("phone").opt_text()?,
        customer: if customer_id == "0" {
            None
        } else {
            Some(ShopCustomer {
                remote_id: customer_id,
                first_name: billing.get("first_name").opt_text()?.unwrap_or_default(),
                last_name: billing.get("last_name").opt_text()?.unwrap_or_default(),
                email: billing.get("email").opt_text()?,
                phone: billing.get("phone").opt_text()?,
            })
        },
        billing_address: address(&billing)?,
        shipping_address: address(&at.get("shipping"))?,
        shipping: shipping(at)?,
        lines,
        authorization: at.get("transaction_id").opt_text()?,
        payment_gateways: payment_method(at)?.into_iter().collect(),
    })
}

/// Paid once the shop recorded a payment date; refunds from the order's `refunds`.
fn financial(at: &At, status: &str) -> Result<RemoteFinancial, String> {
    if status == "refunded" {
        return Ok(RemoteFinancial::Refunded);
    }
    if !at.get("refunds").is_null() && !at.get("refunds").items()?.is_empty() {
        return Ok(RemoteFinancial::PartiallyRefunded);
    }
    Ok(if at.get("date_paid_gmt").opt_text()?.is_some() {
        RemoteFinancial::Paid
    } else {
        RemoteFinancial::Pending
    })
}

fn fulfillment(status: &str, statuses: &WooStatuses, cancelled: bool) -> RemoteFulfillment {
    if statuses.is_fulfilled(status) {
        RemoteFulfillment::Fulfilled
    } else if cancelled || matches!(status, "pending" | "processing" | "on-hold") {
        RemoteFulfillment::Unfulfilled
    } else {
        RemoteFulfillment::Other
    }
}

/// The status as WooCommerce names it to people (`on-hold` → "on hold").
pub fn label(status: &str) -> String {
    match status {
        "pending" => "pending payment".to_string(),
        other => other.replace(['-', '_'], " "),
    }
}

/// An address; one with nothing in it (a virtual order's shipping) is none.
fn address(at: &At) -> Result<Option<ShopAddress>, String> {
    if at.is_null() {
        return Ok(None);
    }
    let text = |f: &str| at.get(f).opt_text().map(Option::unwrap_or_default);
    let a = ShopAddress {
        first_name: text("first_name")?,
        last_name: text("last_name")?,
        address1: text("address_1")?,
        address2: text("address_2")?,
        city: text("city")?,
        postal_code: text("postcode")?,
        country: text("country")?,
        phone: at.get("phone").opt_text()?,
    };
    Ok((a != ShopAddress::default()).then_some(a))
}

/// The shipping lines as one: their titles, their summed cost; pickup by the method's id.
fn shipping(at: &At) -> Result<Option<ShopShipping>, String> {
    let lines = at.get("shipping_lines");
    if lines.is_null() {
        return Ok(None);
    }
    let (mut titles, mut cost, mut pickup) = (Vec::new(), Money::ZERO, false);
    let items = lines.items()?;
    for line in &items {
        if let Some(t) = line.get("method_title").opt_text()? {
            titles.push(super::text::decode_entities(&t));
        }
        cost += line.get("total").decimal()?;
        let method = line.get("method_id").opt_text()?.unwrap_or_default();
        pickup |= method.starts_with("local_pickup") || method.starts_with("pickup_location");
    }
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(ShopShipping {
        title: titles.join(", "),
        carrier: None,
        cost,
        pickup,
    }))
}

fn payment_method(at: &At) -> Result<Option<String>, String> {
    Ok(match at.get("payment_method_title").opt_text()? {
        Some(title) => Some(title),
        None => at.get("payment_method").opt_text()?,
    })
}

fn lines(at: &At) -> Result<Vec<ShopLine>, String> {
    at.get("line_items").items()?.iter().map(line).collect()
}

/// A line: `variation_id` is the variant (0: none), `price` the unit price (a number the shop
/// computes as subtotal ÷ quantity; rounded to six decimals, past which it is a float's noise).
fn line(at: &At) -> Result<ShopLine, String> {
    let quantity = at.get("quantity");
    let quantity = u32::try_from(quantity.integer()?)
        .ok()
        .filter(|q| *q <= crate::domain::limits::MAX_QUANTITY)
        .ok_or_else(|| quantity.wrong("a quantity from 0 to 1000000"))?;
    let nonzero = |f: &str| -> Result<Option<String>, String> {
        Ok(at.get(f).opt_id()?.filter(|id| id != "0"))
    };
    let price = at.get("price");
    let unit_price = match price.value() {
        Value::Number(n) => rust_decimal::Decimal::from_str_exact(&n.to_string())
            .or_else(|_| rust_decimal::Decimal::try_from(n.as_f64().unwrap_or(f64::NAN)))
            .map(|d| d.round_dp(crate::domain::limits::MAX_SHOP_DECIMALS))
            .map_err(|_| price.wrong("a decimal amount"))
            .and_then(|d| {
                crate::domain::limits::check_shop_amount(d).map_err(|why| price.wrong(&why))
            })?,
        _ => price.decimal()?,
    };
    Ok(ShopLine {
        remote_id: at.get("id").id()?,
        variant_id: nonzero("variation_id")?,
        product_remote_id: nonzero("product_id")?,
        sku: at.get("sku").opt_text()?,
        name: super::text::decode_entities(&at.get("name").string()?),
        quantity,
        unit_price,
        total: at.get("total").decimal()?,
    })
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
