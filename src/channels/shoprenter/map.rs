//! A Shoprenter order (`orderExtend`, read with `full=1`) → [`ShopOrder`].
//!
//! `id` is the base64 resource id (the remote id), `innerId` the number people see (the
//! name). Values are text: amounts with four decimals, dates `YYYY-MM-DDTHH:MM:SS` in the
//! shop's time (Budapest). Prices are net: `orderProducts` carry `price` and `total` without
//! tax and their `taxRate`; `orderTotals` give the order's parts by `type` (`SUB_TOTAL` net,
//! `TAX`, `SHIPPING`, `COUPON`, `TOTAL`). The buyer is `customer` (an `href`; null for a
//! guest) with the order's own `firstname`, `lastname`, `email`, `phone`; addresses are the
//! `payment*` and `shipping*` fields.

use super::ids;
use super::statuses::{PENDING, SrStatuses};
use crate::channels::FetchedOrder;
use crate::channels::http::json::{self, At};
use crate::domain::{
    Money, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopOrder,
    ShopShipping,
};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

pub fn fetched_order(node: &Value, index: usize, statuses: &SrStatuses) -> FetchedOrder {
    let at = At::root(node);
    json::fetched_order(
        node,
        index,
        at.get("id").id(),
        at.get("innerId").opt_id().ok().flatten(),
        time(&at.get("dateUpdated")).ok(),
        || read_order(&at, statuses),
    )
}

/// A Shoprenter date and time (Budapest time), in UTC.
pub fn time(at: &At) -> Result<DateTime<Utc>, String> {
    let text = at.string()?;
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S"))
        .map_err(|_| at.wrong("a date and time (YYYY-MM-DDTHH:MM:SS)"))?;
    chrono_tz::Europe::Budapest
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| at.wrong("a time that exists in Budapest"))
}

/// The order's status by its inner id.
pub fn status(at: &At) -> Result<String, String> {
    let s = at.get("orderStatus");
    let id = match s.get("id").opt_text()? {
        Some(id) => Some(id),
        None => s.get("href").opt_text()?.and_then(|h| ids::from_href(&h)),
    };
    id.and_then(|id| ids::inner(&id))
        .ok_or_else(|| s.wrong("an order status"))
}

/// A linked resource (`{"href": …}`) by its inner id (the number the shop's admin shows),
/// else its resource id; `None` when there is no link.
fn linked(at: &At) -> Result<Option<String>, String> {
    let Some(href) = at.get("href").opt_text()? else {
        return Ok(None);
    };
    Ok(ids::from_href(&href).map(|id| ids::inner(&id).unwrap_or(id)))
}

fn amount(at: &At, field: &str) -> Result<Money, String> {
    let f = at.get(field);
    match f.opt_text()? {
        None => Ok(Money::ZERO),
        Some(_) => f.decimal(),
    }
}

/// The sum of the order's totals of `kind`.
fn totals(at: &At, kind: &str) -> Result<Money, String> {
    let list = at.get("orderTotals");
    if list.is_null() {
        return Ok(Money::ZERO);
    }
    let mut sum = Money::ZERO;
    for t in list.items()? {
        if t.get("type").opt_text()?.as_deref() == Some(kind) {
            sum += t.get("value").decimal()?;
        }
    }
    Ok(sum)
}

pub fn read_order(at: &At, statuses: &SrStatuses) -> Result<ShopOrder, String> {
    let status = status(at)?;
    let cancelled = statuses.is_cancelled(&status);
    let email = at.get("email").opt_text()?;
    let phone = at.get("phone").opt_text()?;
    let account = linked(&at.get("customer"))?;
    let text = |f: &str| at.get(f).opt_text().map(Option::unwrap_or_default);
    Ok(ShopOrder {
        remote_id: at.get("id").id()?,
        name: at.get("innerId").id()?,
        created_at: time(&at.get("dateCreated"))?,
        updated_at: time(&at.get("dateUpdated"))?,
        test: false,
        currency: at.get("currency").get("code").string()?.trim().to_string(),
        total: at.get("total").decimal()?,
        subtotal: totals(at, "SUB_TOTAL")?,
        tax_total: totals(at, "TAX")?,
        discount_total: (totals(at, "COUPON")? + totals(at, "DISCOUNT")?).abs(),
        shipping_total: totals(at, "SHIPPING")?,
        taxes_included: false,
        financial: if cancelled {
            RemoteFinancial::Voided
        } else if status == PENDING {
            RemoteFinancial::Pending
        } else {
            RemoteFinancial::Paid
        },
        financial_label: at.get("paymentMethodName").opt_text()?.unwrap_or_default(),
        fulfillment: if statuses.is_sent(&status) {
            RemoteFulfillment::Fulfilled
        } else {
            RemoteFulfillment::Unfulfilled
        },
        cancelled,
        email: email.clone(),
        phone: phone.clone(),
        customer: match account {
            Some(id) => Some(ShopCustomer {
                remote_id: id,
                first_name: text("firstname")?,
                last_name: text("lastname")?,
                email,
                phone,
            }),
            None => None,
        },
        billing_address: address(at, "payment")?,
        shipping_address: address(at, "shipping")?,
        shipping: shipping(at)?,
        lines: lines(at)?,
        authorization: None,
        payment_gateways: at
            .get("paymentMethodCode")
            .opt_text()?
            .into_iter()
            .collect(),
    })
}

/// The `payment*` or `shipping*` address.
fn address(at: &At, kind: &str) -> Result<Option<ShopAddress>, String> {
    let text = |f: &str| {
        at.get(&format!("{kind}{f}"))
            .opt_text()
            .map(Option::unwrap_or_default)
    };
    let country = at
        .get(&format!("{kind}Country"))
        .get("isoCode2")
        .opt_text()?;
    let a = ShopAddress {
        first_name: text("Firstname")?,
        last_name: text("Lastname")?,
        address1: text("Address1")?,
        address2: text("Address2")?,
        city: text("City")?,
        postal_code: text("Postcode")?,
        country: match country {
            Some(c) => c,
            None => text("CountryName")?,
        },
        phone: None,
    };
    let empty = a.address1.is_empty() && a.city.is_empty() && a.postal_code.is_empty();
    Ok((!empty).then_some(a))
}

/// `shippingMethodName`; a pickup by the shipping mode's type (`PERSONAL…`) or its name.
fn shipping(at: &At) -> Result<Option<ShopShipping>, String> {
    let Some(title) = at.get("shippingMethodName").opt_text()? else {
        return Ok(None);
    };
    let kind = at
        .get("shippingMode")
        .get("shippingType")
        .opt_text()?
        .unwrap_or_default();
    let lower = title.to_lowercase();
    Ok(Some(ShopShipping {
        pickup: kind.contains("PERSONAL") || lower.contains("pickup") || lower.contains("átvétel"),
        carrier: None,
        cost: totals(at, "SHIPPING")?,
        title,
    }))
}

fn lines(at: &At) -> Result<Vec<ShopLine>, String> {
    let list = at.get("orderProducts");
    if list.is_null() {
        return Ok(Vec::new());
    }
    list.items()?
        .iter()
        .map(|p| {
            let quantity = p.get("quantity").quantity()?;
            Ok(ShopLine {
                remote_id: p.get("id").id()?,
                variant_id: None,
                product_remote_id: linked(&p.get("product"))?,
                sku: p.get("sku").opt_string()?,
                name: p.get("name").string()?.trim().to_string(),
                quantity,
                unit_price: amount(p, "price")?,
                total: amount(p, "total")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::platform::StatusMap;
    use serde_json::json;

    fn statuses() -> SrStatuses {
        SrStatuses {
            map: StatusMap::from_parts(&super::super::FETCHED, &super::super::ON_CHANGE),
        }
    }

    fn order() -> Value {
        let base = "https://bolt.api.myshoprenter.hu";
        json!({
            "href": format!("{base}/orderExtend/b3JkZXItb3JkZXJfaWQ9MjA0"),
            "id": "b3JkZXItb3JkZXJfaWQ9MjA0", "innerId": "204",
            "firstname": "Árpád", "lastname": "Kovács", "email": "arpad@example.hu",
            "phone": "+36301234567", "total": "12700.0000",
            "dateCreated": "2026-07-01T10:00:00", "dateUpdated": "2026-01-15T08:30:00",
            "customer": {"href": format!("{base}/customers/Y3VzdG9tZXItY3VzdG9tZXJfaWQ9NDI=")},
            "orderStatus": {"href": format!("{base}/orderStatuses/b3JkZXJTdGF0dXMtb3JkZXJfc3RhdHVzX2lkPTI=")},
            "currency": {"code": "HUF"}, "shippingMethodName": "Személyes átvétel",
            "shippingMode": {"shippingType": "PERSONAL_PICKUP"},
            "paymentAddress1": "Fő utca 1.", "paymentCity": "Győr", "paymentPostcode": "9021",
            "paymentCountry": {"isoCode2": "HU"},
            "orderTotals": [
                {"type": "SUB_TOTAL", "value": "10000.0000"}, {"type": "TAX", "value": "2700.0000"},
                {"type": "SHIPPING", "value": "0.0000"}, {"type": "TOTAL", "value": "12700.0000"}],
            "orderProducts": [{"id": "b3JkZXJQcm9kdWN0LW9yZGVyX3Byb2R1Y3RfaWQ9OQ==", "name": "Pálinka",
                "sku": "PAL-05", "price": "5000.0000", "total": "10000.0000", "quantity": "2",
                "product": {"href": format!("{base}/products/cHJvZHVjdC1wcm9kdWN0X2lkPTEx")}}],
        })
    }

    #[test]
    fn an_order_reads_in_utc_with_its_status_lines_and_inner_ids() {
        let o = read_order(&At::root(&order()), &statuses()).expect("reads");
        // Summer in Budapest is UTC+2, winter UTC+1.
        assert_eq!(o.created_at.to_rfc3339(), "2026-07-01T08:00:00+00:00");
        assert_eq!(o.updated_at.to_rfc3339(), "2026-01-15T07:30:00+00:00");
        assert_eq!((o.name.as_str(), o.currency.as_str()), ("204", "HUF"));
        assert_eq!(
            (o.subtotal, o.tax_total),
            (Money::new(10000, 0), Money::new(2700, 0))
        );
        assert_eq!(
            o.customer.as_ref().map(|c| c.remote_id.as_str()),
            Some("42")
        );
        assert!(o.shipping.as_ref().is_some_and(|s| s.pickup));
        assert_eq!(o.financial, RemoteFinancial::Paid);
        let l = &o.lines[0];
        assert_eq!(
            (l.quantity, l.product_remote_id.as_deref()),
            (2, Some("11"))
        );
        assert_eq!(o.billing_address.map(|a| a.country), Some("HU".into()));
    }

    #[test]
    fn a_guest_a_cancelled_order_and_a_broken_one() {
        let mut v = order();
        v["customer"] = Value::Null;
        v["orderStatus"] = json!({"id": super::super::ids::order_status("5")});
        let o = read_order(&At::root(&v), &statuses()).expect("reads");
        assert!(o.customer.is_none() && o.cancelled);
        v["orderProducts"][0]["quantity"] = json!("2.5");
        let e = fetched_order(&v, 0, &statuses()).order.expect_err("a half");
        assert!(e.contains("orderProducts[0].quantity"), "{e}");
    }
}
