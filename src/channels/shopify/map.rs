//! A Shopify `Order` node (as selected by `OrderFields`) → [`ShopOrder`].
//!
//! Each node is read on its own: one that does not read gives a [`FetchedOrder`] whose `order`
//! is the reason, never a failed page.

use super::read::{At, gid_tail};
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, strip_hash};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use serde_json::Value;

/// One order node of a page (`index` is its place on the page, used only when even its id
/// does not read).
pub fn fetched_order(node: Value, index: usize) -> FetchedOrder {
    let at = At::root(&node);
    json::fetched_order(
        &node,
        index,
        remote_id(&at),
        at.get("name").string().ok(),
        at.get("updatedAt").time().ok(),
        || read_order(&at),
    )
}

/// The order's numeric id: `legacyResourceId`, else the tail of its gid.
fn remote_id(at: &At) -> Result<String, String> {
    at.get("legacyResourceId")
        .id()
        .or_else(|legacy| match at.get("id").id() {
            Ok(gid) => Ok(gid_tail(&gid)),
            Err(_) => Err(legacy),
        })
}

/// The whole order, or the first field that does not read.
pub fn read_order(at: &At) -> Result<ShopOrder, String> {
    let remote_id = remote_id(at)?;
    let total = at.get("totalPriceSet").get("shopMoney");
    let currency = match total.get("currencyCode").opt_text()? {
        Some(c) => c,
        None => at.get("currencyCode").string()?,
    };
    let financial_status = at.get("displayFinancialStatus").opt_text()?;
    let fulfillment_status = at.get("displayFulfillmentStatus").string()?;
    let pickup = is_pickup(at)?;
    Ok(ShopOrder {
        remote_id,
        name: strip_hash(&at.get("name").string()?),
        created_at: at.get("createdAt").time()?,
        updated_at: at.get("updatedAt").time()?,
        test: at.get("test").boolean()?,
        currency,
        total: total.get("amount").decimal()?,
        subtotal: optional_money(at, "subtotalPriceSet")?,
        tax_total: optional_money(at, "totalTaxSet")?,
        discount_total: optional_money(at, "totalDiscountsSet")?,
        shipping_total: at
            .get("totalShippingPriceSet")
            .get("shopMoney")
            .get("amount")
            .decimal()?,
        taxes_included: at.get("taxesIncluded").boolean()?,
        financial: financial(financial_status.as_deref()),
        financial_label: label(financial_status.as_deref().unwrap_or("UNKNOWN")),
        fulfillment: fulfillment(&fulfillment_status),
        cancelled: !at.get("cancelledAt").is_null(),
        email: at.get("email").opt_text()?,
        phone: at.get("phone").opt_text()?,
        customer: customer(&at.get("customer"))?,
        billing_address: address(&at.get("billingAddress"))?,
        shipping_address: address(&at.get("shippingAddress"))?,
        shipping: shipping(&at.get("shippingLine"), pickup)?,
        lines: lines(at)?,
        authorization: authorization(at)?,
        payment_gateways: at
            .get("paymentGatewayNames")
            .items()?
            .iter()
            .map(|g| g.string())
            .collect::<Result<_, _>>()?,
    })
}

/// A nullable money bag: null is zero (Shopify leaves it null when there is none).
fn optional_money(at: &At, field: &str) -> Result<Money, String> {
    let bag = at.get(field);
    if bag.is_null() {
        Ok(Money::ZERO)
    } else {
        bag.get("shopMoney").get("amount").decimal()
    }
}

pub fn financial(status: Option<&str>) -> RemoteFinancial {
    match status {
        Some("PENDING") => RemoteFinancial::Pending,
        Some("AUTHORIZED") => RemoteFinancial::Authorized,
        Some("PARTIALLY_PAID") => RemoteFinancial::PartiallyPaid,
        Some("PAID") => RemoteFinancial::Paid,
        Some("PARTIALLY_REFUNDED") => RemoteFinancial::PartiallyRefunded,
        Some("REFUNDED") => RemoteFinancial::Refunded,
        Some("VOIDED") => RemoteFinancial::Voided,
        Some("EXPIRED") => RemoteFinancial::Expired,
        _ => RemoteFinancial::Unknown,
    }
}

pub fn fulfillment(status: &str) -> RemoteFulfillment {
    match status {
        "FULFILLED" => RemoteFulfillment::Fulfilled,
        "PARTIALLY_FULFILLED" => RemoteFulfillment::PartiallyFulfilled,
        "UNFULFILLED" => RemoteFulfillment::Unfulfilled,
        _ => RemoteFulfillment::Other,
    }
}

/// `PARTIALLY_REFUNDED` → "partially refunded".
pub fn label(status: &str) -> String {
    status.trim().to_lowercase().replace('_', " ")
}

fn customer(at: &At) -> Result<Option<ShopCustomer>, String> {
    if at.is_null() {
        return Ok(None);
    }
    Ok(Some(ShopCustomer {
        remote_id: remote_id(at)?,
        first_name: at.get("firstName").opt_text()?.unwrap_or_default(),
        last_name: at.get("lastName").opt_text()?.unwrap_or_default(),
        email: at
            .get("defaultEmailAddress")
            .get("emailAddress")
            .opt_text()?,
        phone: at.get("defaultPhoneNumber").get("phoneNumber").opt_text()?,
    }))
}

fn address(at: &At) -> Result<Option<ShopAddress>, String> {
    if at.is_null() {
        return Ok(None);
    }
    let text = |f: &str| at.get(f).opt_text().map(Option::unwrap_or_default);
    Ok(Some(ShopAddress {
        first_name: text("firstName")?,
        last_name: text("lastName")?,
        address1: text("address1")?,
        address2: text("address2")?,
        city: text("city")?,
        postal_code: text("zip")?,
        country: text("countryCodeV2")?,
        phone: at.get("phone").opt_text()?,
    }))
}

/// Local pickup: a fulfillment order delivered by `PICK_UP`.
fn is_pickup(at: &At) -> Result<bool, String> {
    for fo in at.get("fulfillmentOrders").get("nodes").items()? {
        let method = fo.get("deliveryMethod").get("methodType").opt_string()?;
        if method.as_deref() == Some("PICK_UP") {
            return Ok(true);
        }
    }
    Ok(false)
}

fn shipping(at: &At, pickup: bool) -> Result<Option<ShopShipping>, String> {
    if at.is_null() {
        // A pickup with no shipping line still says where the goods go.
        return Ok(pickup.then(|| ShopShipping {
            title: "Pickup".to_string(),
            carrier: None,
            cost: Money::ZERO,
            pickup: true,
        }));
    }
    // `source` names the rate's origin ("shopify" for the shop's own rates, else the carrier);
    // `carrierIdentifier` is present for a third-party carrier service.
    let source = at
        .get("source")
        .opt_text()?
        .filter(|s| !s.eq_ignore_ascii_case("shopify"));
    let carrier = match source {
        Some(s) => Some(s),
        None => at.get("carrierIdentifier").opt_text()?,
    };
    Ok(Some(ShopShipping {
        title: at.get("title").opt_text()?.unwrap_or_default(),
        carrier,
        cost: at
            .get("originalPriceSet")
            .get("shopMoney")
            .get("amount")
            .decimal()?,
        pickup,
    }))
}

fn lines(at: &At) -> Result<Vec<ShopLine>, String> {
    let items = at.get("lineItems");
    if items.get("pageInfo").get("hasNextPage").value().as_bool() == Some(true) {
        return Err("field `lineItems`: the order has more lines than were read".to_string());
    }
    items.get("nodes").items()?.iter().map(line).collect()
}

fn line(at: &At) -> Result<ShopLine, String> {
    let quantity = at.get("currentQuantity");
    let quantity = u32::try_from(quantity.integer()?)
        .ok()
        .filter(|q| *q <= crate::domain::limits::MAX_QUANTITY)
        .ok_or_else(|| quantity.wrong("a quantity from 0 to 1000000"))?;
    Ok(ShopLine {
        remote_id: gid_tail(&at.get("id").id()?),
        variant_id: at.get("variant").get("legacyResourceId").opt_id()?,
        product_remote_id: at.get("product").get("legacyResourceId").opt_id()?,
        sku: at.get("sku").opt_text()?,
        name: at.get("name").string()?,
        quantity,
        unit_price: at
            .get("originalUnitPriceSet")
            .get("shopMoney")
            .get("amount")
            .decimal()?,
        total: at
            .get("discountedTotalSet")
            .get("shopMoney")
            .get("amount")
            .decimal()?,
    })
}

/// The approval code of the first successful authorization or sale.
fn authorization(at: &At) -> Result<Option<String>, String> {
    for tx in at.get("transactions").items()? {
        let kind = tx.get("kind").opt_string()?;
        let status = tx.get("status").opt_string()?;
        if matches!(kind.as_deref(), Some("AUTHORIZATION" | "SALE"))
            && status.as_deref() == Some("SUCCESS")
            && let Some(code) = tx.get("authorizationCode").opt_text()?
        {
            return Ok(Some(code));
        }
    }
    Ok(None)
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
