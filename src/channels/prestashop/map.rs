//! A PrestaShop webservice order (`GET /api/orders?display=full&output_format=JSON`) with
//! the objects it names ([`Related`]) → [`ShopOrder`].
//!
//! Each order is read on its own: one that does not read gives a [`FetchedOrder`] whose
//! `order` is the reason, never a failed page. Ids come as numbers or strings, amounts as
//! six-decimal strings, dates as the shop's `YYYY-MM-DD HH:MM:SS` (read as UTC: the cursor
//! goes back to the shop in the same clock it came from). The order's name is its id, as
//! the back office lists it (the `reference` may be shared by the orders of one cart).
//! Amounts are the tax-included ones.

use super::related::Related;
use super::settings::{PsStatuses, state_name};
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, At};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use serde_json::Value;

/// One order of a page (`index` is its place on the page, used only when even its id does
/// not read).
pub fn fetched_order(
    node: &Value,
    index: usize,
    related: &Related,
    statuses: &PsStatuses,
) -> FetchedOrder {
    let at = At::root(node);
    json::fetched_order(
        node,
        index,
        at.get("id").id(),
        at.get("id").id().ok(),
        at.get("date_upd").gmt_time().ok(),
        || read_order(&at, related, statuses),
    )
}

/// The whole order, or the first field that does not read.
pub fn read_order(at: &At, related: &Related, statuses: &PsStatuses) -> Result<ShopOrder, String> {
    let state = at.get("current_state").id()?;
    let cancelled = statuses.is_cancelled(&state);
    let currency_id = at.get("id_currency");
    let currency = related
        .currencies
        .get(&currency_id.id()?)
        .ok_or_else(|| currency_id.wrong("a currency the shop has"))?;
    let total = at.get("total_paid_tax_incl").decimal()?;
    let customer = customer(at, related)?;
    let address = |field: &str| -> Result<Option<ShopAddress>, String> {
        let id = at.get(field).id()?;
        related
            .addresses
            .get(&id)
            .map(|a| address(&At::root(a), related))
            .transpose()
    };
    let billing_address = address("id_address_invoice")?;
    let shipping_address = address("id_address_delivery")?;
    let phone = billing_address
        .iter()
        .chain(shipping_address.iter())
        .find_map(|a| a.phone.clone());
    let email = customer.as_ref().and_then(|(_, email)| email.clone());
    Ok(ShopOrder {
        remote_id: at.get("id").id()?,
        name: at.get("id").id()?,
        created_at: at.get("date_add").gmt_time()?,
        updated_at: at.get("date_upd").gmt_time()?,
        test: false,
        currency: At::root(currency)
            .get("iso_code")
            .string()?
            .trim()
            .to_string(),
        total,
        subtotal: at.get("total_products_wt").decimal()?,
        tax_total: total - at.get("total_paid_tax_excl").decimal()?,
        discount_total: at.get("total_discounts_tax_incl").decimal()?,
        shipping_total: at.get("total_shipping_tax_incl").decimal()?,
        taxes_included: true,
        financial: financial(at, &state)?,
        financial_label: state_name(&state),
        fulfillment: if statuses.is_fulfilled(&state) {
            RemoteFulfillment::Fulfilled
        } else {
            RemoteFulfillment::Unfulfilled
        },
        cancelled,
        email,
        phone: phone.clone(),
        customer: customer
            .and_then(|(c, _)| c)
            .map(|c| ShopCustomer { phone, ..c }),
        billing_address,
        shipping_address,
        shipping: shipping(at, related)?,
        lines: lines(at)?,
        authorization: None,
        payment_gateways: at.get("payment").opt_text()?.into_iter().collect(),
    })
}

/// Paid once the shop counts the order valid; refunded in state 7.
fn financial(at: &At, state: &str) -> Result<RemoteFinancial, String> {
    if state == "7" {
        return Ok(RemoteFinancial::Refunded);
    }
    Ok(match at.get("valid").id()?.as_str() {
        "1" | "true" => RemoteFinancial::Paid,
        _ => RemoteFinancial::Pending,
    })
}

/// The order's customer and its email. A guest checkout (`is_guest`) makes a customer
/// record per order: it is read as the order's own email, not as a customer to remember.
#[allow(clippy::type_complexity)]
fn customer(
    at: &At,
    related: &Related,
) -> Result<Option<(Option<ShopCustomer>, Option<String>)>, String> {
    let id = at.get("id_customer").id()?;
    let Some(c) = related.customers.get(&id) else {
        return Ok(None);
    };
    let c = At::root(c);
    let email = c.get("email").opt_text()?;
    let guest = matches!(c.get("is_guest").opt_id()?.as_deref(), Some("1"));
    let shop = (!guest).then(|| -> Result<ShopCustomer, String> {
        Ok(ShopCustomer {
            remote_id: id.clone(),
            first_name: c.get("firstname").opt_text()?.unwrap_or_default(),
            last_name: c.get("lastname").opt_text()?.unwrap_or_default(),
            email: email.clone(),
            phone: None,
        })
    });
    Ok(Some((shop.transpose()?, email)))
}

fn address(at: &At, related: &Related) -> Result<ShopAddress, String> {
    let text = |f: &str| at.get(f).opt_text().map(Option::unwrap_or_default);
    let country = related
        .countries
        .get(&at.get("id_country").id()?)
        .map(|c| At::root(c).get("iso_code").opt_text())
        .transpose()?
        .flatten()
        .unwrap_or_default();
    let phone = match at.get("phone_mobile").opt_text()? {
        Some(p) => Some(p),
        None => at.get("phone").opt_text()?,
    };
    Ok(ShopAddress {
        first_name: text("firstname")?,
        last_name: text("lastname")?,
        address1: text("address1")?,
        address2: text("address2")?,
        city: text("city")?,
        postal_code: text("postcode")?,
        country,
        phone,
    })
}

/// The carrier as the shipping; pickup when its name says so (PrestaShop has no flag for
/// it: a store's pickup carrier is named so, e.g. "Pick up in store", "Click and collect").
fn shipping(at: &At, related: &Related) -> Result<Option<ShopShipping>, String> {
    let id = at.get("id_carrier").id()?;
    if id == "0" {
        return Ok(None);
    }
    let name = related
        .carriers
        .get(&id)
        .map(|c| At::root(c).get("name").opt_text())
        .transpose()?
        .flatten()
        .unwrap_or_else(|| format!("carrier {id}"));
    let lower = name.to_lowercase();
    let pickup = ["pick up", "pickup", "click and collect", "click & collect"]
        .iter()
        .any(|w| lower.contains(w));
    Ok(Some(ShopShipping {
        title: name.clone(),
        carrier: Some(name),
        cost: at.get("total_shipping_tax_incl").decimal()?,
        pickup,
    }))
}

fn lines(at: &At) -> Result<Vec<ShopLine>, String> {
    let rows = at.get("associations").get("order_rows");
    if rows.is_null() {
        return Ok(Vec::new());
    }
    rows.items()?.iter().map(line).collect()
}

/// A quantity, sent as a number or as text.
fn quantity(at: &At) -> Result<u32, String> {
    let n = match at.value() {
        Value::String(s) => s.trim().parse::<u32>().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    n.filter(|q| *q <= crate::domain::limits::MAX_QUANTITY)
        .ok_or_else(|| at.wrong("a quantity from 0 to 1000000"))
}

/// An order row: `product_attribute_id` is the combination (0: none), the unit price the
/// tax-included one; the row carries no total, so it is the unit price times the quantity.
fn line(at: &At) -> Result<ShopLine, String> {
    let quantity = quantity(&at.get("product_quantity"))?;
    let nonzero = |f: &str| -> Result<Option<String>, String> {
        Ok(at.get(f).opt_id()?.filter(|id| id != "0"))
    };
    let unit_price = at.get("unit_price_tax_incl").decimal()?;
    Ok(ShopLine {
        remote_id: at.get("id").id()?,
        variant_id: nonzero("product_attribute_id")?,
        product_remote_id: nonzero("product_id")?,
        sku: at.get("product_reference").opt_text()?,
        name: at.get("product_name").string()?,
        quantity,
        unit_price,
        total: unit_price * Money::from(quantity),
    })
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
