//! A Magento 2 REST order (`GET /V1/orders`) → [`ShopOrder`].
//!
//! `entity_id` is the order's id in URLs (the remote id), `increment_id` its number as people
//! see it (the name). Amounts are read in the shop's base currency (`base_*`), as numbers;
//! dates (`created_at`, `updated_at`) are UTC without an offset. A configurable product comes
//! as a parent item and a child item (`parent_item_id`): they become one line, priced by the
//! parent, with the child's SKU and product id (the variant). A guest order
//! (`customer_is_guest`) has no customer; its contact is the order's `customer_email`.

use super::statuses::MagentoStatuses;
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, At};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use rust_decimal::Decimal;
use serde_json::Value;

static NULL: Value = Value::Null;

/// One order of a page (`index` is its place on the page, used only when its id does not read).
pub fn fetched_order(node: &Value, index: usize, statuses: &MagentoStatuses) -> FetchedOrder {
    let at = At::root(node);
    json::fetched_order(
        node,
        index,
        at.get("entity_id").id(),
        at.get("increment_id").opt_id().ok().flatten(),
        at.get("updated_at").gmt_time().ok(),
        || read_order(&at, statuses),
    )
}

/// An amount that may be left out (Magento omits totals that were never set): zero then.
fn amount(at: &At, field: &str) -> Result<Money, String> {
    let f = at.get(field);
    if f.is_null() {
        Ok(Money::ZERO)
    } else {
        f.decimal()
    }
}

/// Magento's 0/1 flags, sent as numbers or booleans.
fn flag(at: &At) -> Result<bool, String> {
    match at.value() {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => Ok(!matches!(s.trim(), "" | "0" | "false")),
        _ => Err(at.wrong("0 or 1")),
    }
}

pub fn read_order(at: &At, statuses: &MagentoStatuses) -> Result<ShopOrder, String> {
    let status = at.get("status").string()?.trim().to_string();
    let total = at.get("base_grand_total").decimal()?;
    let cancelled = statuses.is_cancelled(&status);
    let lines = lines(at, cancelled)?;
    // Nothing left on the order (every line removed) is not something shipped.
    let shipped_all = lines.iter().any(|l| l.quantity > 0) && shipped_everything(at)?;
    let billing = at.get("billing_address");
    let phone = billing.get("telephone").opt_text()?;
    let email = at.get("customer_email").opt_text()?;
    let guest = flag(&at.get("customer_is_guest"))? || at.get("customer_id").is_null();
    Ok(ShopOrder {
        remote_id: at.get("entity_id").id()?,
        name: json::strip_hash(&at.get("increment_id").id()?),
        created_at: at.get("created_at").gmt_time()?,
        updated_at: at.get("updated_at").gmt_time()?,
        test: false,
        currency: at.get("base_currency_code").string()?.trim().to_string(),
        total,
        subtotal: at.get("base_subtotal").decimal()?,
        tax_total: amount(at, "base_tax_amount")?,
        discount_total: amount(at, "base_discount_amount")?.abs(),
        shipping_total: amount(at, "base_shipping_amount")?,
        taxes_included: false,
        financial: financial(at, total)?,
        financial_label: status.replace('_', " "),
        fulfillment: if status == "complete" || shipped_all {
            RemoteFulfillment::Fulfilled
        } else if shipped_any(at)? {
            RemoteFulfillment::PartiallyFulfilled
        } else {
            RemoteFulfillment::Unfulfilled
        },
        cancelled,
        email: email.clone(),
        phone: phone.clone(),
        customer: if guest {
            None
        } else {
            Some(ShopCustomer {
                remote_id: at.get("customer_id").id()?,
                first_name: at.get("customer_firstname").opt_text()?.unwrap_or_default(),
                last_name: at.get("customer_lastname").opt_text()?.unwrap_or_default(),
                email,
                phone,
            })
        },
        billing_address: address(&billing)?,
        shipping_address: address(&shipping_of(at)?.get("address"))?,
        shipping: shipping(at)?,
        lines,
        authorization: at.get("payment").get("last_trans_id").opt_text()?,
        payment_gateways: at
            .get("payment")
            .get("method")
            .opt_text()?
            .into_iter()
            .collect(),
    })
}

fn financial(at: &At, total: Money) -> Result<RemoteFinancial, String> {
    let refunded = amount(at, "base_total_refunded")?;
    let paid = amount(at, "base_total_paid")?;
    Ok(if refunded > Money::ZERO && refunded >= total {
        RemoteFinancial::Refunded
    } else if refunded > Money::ZERO {
        RemoteFinancial::PartiallyRefunded
    } else if paid > Money::ZERO && paid >= total {
        RemoteFinancial::Paid
    } else if paid > Money::ZERO {
        RemoteFinancial::PartiallyPaid
    } else {
        RemoteFinancial::Pending
    })
}

/// The first shipping assignment's `shipping` (null when there is none).
fn shipping_of<'a>(at: &At<'a>) -> Result<At<'a>, String> {
    let list = at.get("extension_attributes").get("shipping_assignments");
    if list.is_null() {
        return Ok(list);
    }
    Ok(match list.items()?.into_iter().next() {
        Some(first) => first.get("shipping"),
        None => At::root(&NULL),
    })
}

fn address(at: &At) -> Result<Option<ShopAddress>, String> {
    if at.is_null() {
        return Ok(None);
    }
    let text = |f: &str| at.get(f).opt_text().map(Option::unwrap_or_default);
    let street = at.get("street");
    let mut streets = Vec::new();
    if !street.is_null() {
        for s in street.items()? {
            if let Some(s) = s.opt_text()? {
                streets.push(s);
            }
        }
    }
    let mut streets = streets.into_iter();
    let a = ShopAddress {
        first_name: text("firstname")?,
        last_name: text("lastname")?,
        address1: streets.next().unwrap_or_default(),
        address2: streets.collect::<Vec<_>>().join(", "),
        city: text("city")?,
        postal_code: text("postcode")?,
        country: text("country_id")?,
        phone: at.get("telephone").opt_text()?,
    };
    Ok((a != ShopAddress::default()).then_some(a))
}

/// The shipping method (`carrier_method` code, e.g. `flatrate_flatrate`): pickup for in-store
/// pickup methods (`instore_pickup`, or any code holding `pickup`).
fn shipping(at: &At) -> Result<Option<ShopShipping>, String> {
    let method = shipping_of(at)?.get("method").opt_text()?;
    let title = at.get("shipping_description").opt_text()?;
    if method.is_none() && title.is_none() {
        return Ok(None);
    }
    let code = method.unwrap_or_default().to_lowercase();
    Ok(Some(ShopShipping {
        title: title.unwrap_or_else(|| code.clone()),
        carrier: None,
        cost: amount(at, "base_shipping_amount")?,
        pickup: code.contains("pickup"),
    }))
}

/// What is left of an item: ordered less cancelled and refunded, a whole number. Cancelling
/// an order cancels what was not shipped: that is the order cancelled, not its lines removed,
/// so the lines of a cancelled order keep what was not refunded.
fn quantity(at: &At, order_cancelled: bool) -> Result<u32, String> {
    let cancelled = if order_cancelled {
        Decimal::ZERO
    } else {
        amount(at, "qty_canceled")?
    };
    let left = at.get("qty_ordered").decimal()? - cancelled - amount(at, "qty_refunded")?;
    let q = at.get("qty_ordered");
    left.max(Decimal::ZERO)
        .normalize()
        .to_string()
        .parse::<u32>()
        .ok()
        .filter(|q| *q <= crate::domain::limits::MAX_QUANTITY)
        .ok_or_else(|| q.wrong("a whole quantity from 0 to 1000000"))
}

/// Items without a parent, each with its child (a configurable product's chosen variant).
fn top_items<'a>(at: &At<'a>) -> Result<Vec<(At<'a>, Option<At<'a>>)>, String> {
    let items = at.get("items").items()?;
    let mut out = Vec::new();
    for item in &items {
        if !item.get("parent_item_id").is_null() {
            continue;
        }
        let id = item.get("item_id").id()?;
        let child = items
            .iter()
            .find(|c| c.get("parent_item_id").opt_id().ok().flatten().as_deref() == Some(&id))
            .cloned();
        out.push((item.clone(), child));
    }
    Ok(out)
}

fn lines(at: &At, cancelled: bool) -> Result<Vec<ShopLine>, String> {
    top_items(at)?
        .iter()
        .map(|(item, child)| line(item, child.as_ref(), cancelled))
        .collect()
}

fn line(item: &At, child: Option<&At>, cancelled: bool) -> Result<ShopLine, String> {
    let configurable = item.get("product_type").opt_text()?.as_deref() == Some("configurable");
    let variant = match child {
        Some(c) if configurable => Some(c),
        _ => None,
    };
    let sku = match variant {
        Some(c) => c.get("sku").opt_text()?,
        None => item.get("sku").opt_text()?,
    };
    let total = amount(item, "base_row_total")? - amount(item, "base_discount_amount")?;
    Ok(ShopLine {
        remote_id: item.get("item_id").id()?,
        variant_id: variant
            .map(|c| c.get("product_id").opt_id())
            .transpose()?
            .flatten(),
        product_remote_id: item.get("product_id").opt_id()?,
        sku,
        name: item.get("name").string()?.trim().to_string(),
        quantity: quantity(item, cancelled)?,
        unit_price: item.get("base_price").decimal()?,
        total,
    })
}

/// Every top item's remaining quantity shipped.
fn shipped_everything(at: &At) -> Result<bool, String> {
    for (item, _) in top_items(at)? {
        let left = at_least_zero(
            item.get("qty_ordered").decimal()?
                - amount(&item, "qty_canceled")?
                - amount(&item, "qty_refunded")?,
        );
        if amount(&item, "qty_shipped")? < left {
            return Ok(false);
        }
    }
    Ok(true)
}

fn shipped_any(at: &At) -> Result<bool, String> {
    for (item, _) in top_items(at)? {
        if amount(&item, "qty_shipped")? > Decimal::ZERO {
            return Ok(true);
        }
    }
    Ok(false)
}

fn at_least_zero(d: Decimal) -> Decimal {
    d.max(Decimal::ZERO)
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
