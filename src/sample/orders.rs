//! Orders as a shop sends them: a `ShopOrder` and a Shopify-shaped payload beside it.

use super::{Rng, names, sku};
use crate::domain::FetchedOrder;
use crate::domain::intake::{IntakeOptions, NoContact, UnknownCustomer};
use crate::domain::matching::ProductKey;
use crate::domain::shop_order::{
    RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine, ShopShipping,
};
use crate::domain::{Money, ShopOrder};
use crate::engine::StoreSettings;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

/// What the generated orders draw on: how many customers and products the store has (as
/// `customers_csv` and `products_csv` make them) and the time they are spread over.
#[derive(Debug, Clone)]
pub struct OrderMix {
    pub customers: u64,
    pub products: u64,
    pub orders: u64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

/// The store the generated orders come from: `web`, Shopify, EUR, unknown customers parked,
/// orders without contact booked to the unspecified customer, carriers mapped.
pub fn bench_settings() -> StoreSettings {
    StoreSettings {
        id: "web".into(),
        platform: crate::channels::shopify::PLATFORM.into(),
        read_only: false,
        initial_days: 60,
        carriers: names::CARRIERS
            .iter()
            .map(|c| (c.to_string(), c.to_string()))
            .collect(),
        statuses: None,
        order_notes: false,
        catalog_from_orders: false,
        intake: IntakeOptions {
            product_key: ProductKey::Sku,
            unknown_customer: UnknownCustomer::Park,
            no_contact: NoContact::Unspecified,
            currency: "EUR".into(),
            phone_region: Some("HU".into()),
        },
    }
}

/// Order `i` (0-based) of the mix, as the sync hands it to intake. Most orders name a known
/// customer by email, some only by phone, a few are new people (parked), have no contact
/// (unspecified customer), carry an unknown SKU (parked) or another currency (rejected).
pub fn shop_order(mix: &OrderMix, i: u64) -> FetchedOrder {
    let mut rng = Rng::new(0x5eed ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let span = (mix.last - mix.first).num_seconds().max(1);
    let created = mix.first + Duration::seconds(span * i as i64 / mix.orders.max(1) as i64);
    let remote_id = (5_000_000_000 + i).to_string();
    let name = (100_000 + i).to_string();
    let k = 1 + rng.below(mix.customers.max(1));
    let who = rng.below(100);
    let (email, phone) = match who {
        0..=77 => (Some(format!("c{k}@example.com")), None),
        78..=87 => (None, Some(format!("+3630{k:07}"))),
        88..=96 => (
            Some(format!("new{i}@example.net")),
            Some(format!("+3670{:07}", i % 10_000_000)),
        ),
        _ => (None, None),
    };
    let (first, last) = (*rng.pick(names::FIRST), *rng.pick(names::LAST));
    let customer = (email.is_some() || phone.is_some()).then(|| ShopCustomer {
        remote_id: format!("{}", 7_000_000 + if who <= 87 { k } else { 1_000_000 + i }),
        first_name: first.into(),
        last_name: last.into(),
        email: email.clone(),
        phone: phone.clone(),
    });
    let mut lines = Vec::new();
    let mut subtotal = Money::ZERO;
    for n in 0..1 + rng.below(4) {
        let p = 1 + rng.below(mix.products.max(1));
        let quantity = 1 + rng.below(3) as u32;
        let unit_price = Money::new(290 + rng.below(20_000) as i64, 2);
        let total = unit_price * Money::from(quantity);
        subtotal += total;
        let known = !rng.chance(2);
        lines.push(ShopLine {
            remote_id: format!("{}{n}", 9_000_000_000u64 + i * 10),
            variant_id: Some(format!("{}", 40_000_000 + p)),
            product_remote_id: Some(format!("{}", 8_000_000 + p)),
            sku: Some(if known { sku(p) } else { format!("OLD-{p}") }),
            name: format!(
                "{} {} {p}",
                *rng.pick(names::ADJECTIVES),
                *rng.pick(names::GOODS)
            ),
            quantity,
            unit_price,
            total,
        });
    }
    let pickup = rng.chance(25);
    let shipping_cost = if pickup {
        Money::ZERO
    } else {
        Money::new(490, 2)
    };
    let address = ShopAddress {
        first_name: first.into(),
        last_name: last.into(),
        address1: format!("Fő utca {}", i % 200),
        address2: String::new(),
        city: rng.pick(names::CITIES).to_string(),
        postal_code: format!("{}", 1011 + i % 900),
        country: "HU".into(),
        phone: phone.clone(),
    };
    let (financial, label) = match rng.below(100) {
        0..=87 => (RemoteFinancial::Paid, "paid"),
        88..=94 => (RemoteFinancial::Pending, "pending"),
        _ => (RemoteFinancial::Authorized, "authorized"),
    };
    let shop = ShopOrder {
        remote_id: remote_id.clone(),
        name: name.clone(),
        created_at: created,
        updated_at: created + Duration::seconds(30 + rng.below(600) as i64),
        test: false,
        currency: if rng.below(1000) < 3 { "USD" } else { "EUR" }.into(),
        total: subtotal + shipping_cost,
        subtotal,
        tax_total: (subtotal * Money::new(27, 2) / Money::new(127, 2)).round_dp(2),
        discount_total: Money::ZERO,
        shipping_total: shipping_cost,
        taxes_included: true,
        financial,
        financial_label: label.into(),
        fulfillment: RemoteFulfillment::Unfulfilled,
        cancelled: false,
        email,
        phone,
        customer,
        billing_address: Some(address.clone()),
        shipping_address: (!pickup).then_some(address),
        shipping: Some(ShopShipping {
            title: if pickup {
                "Pickup in store"
            } else {
                "Home delivery"
            }
            .into(),
            carrier: (!pickup).then(|| rng.pick(names::CARRIERS).to_string()),
            cost: shipping_cost,
            pickup,
        }),
        lines,
        authorization: Some(format!("{:06}", rng.below(1_000_000))),
        payment_gateways: vec!["shopify_payments".into()],
    };
    FetchedOrder {
        remote_id,
        name: Some(name),
        updated_at: Some(shop.updated_at),
        raw: payload(&shop),
        order: Ok(shop),
    }
}

fn money(m: Money, currency: &str) -> serde_json::Value {
    json!({"shopMoney": {"amount": m.to_string(), "currencyCode": currency}})
}

/// The order in the shape of Shopify's GraphQL `Order` (the fields the connector asks for).
fn payload(o: &ShopOrder) -> String {
    let address = |a: &Option<ShopAddress>| {
        a.as_ref().map(|a| {
            json!({"firstName": a.first_name, "lastName": a.last_name, "address1": a.address1,
                "address2": a.address2, "city": a.city, "zip": a.postal_code,
                "countryCodeV2": a.country, "phone": a.phone})
        })
    };
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            json!({"id": format!("gid://shopify/LineItem/{}", l.remote_id), "sku": l.sku,
                "name": l.name, "currentQuantity": l.quantity,
                "variant": {"id": format!("gid://shopify/ProductVariant/{}", l.variant_id.as_deref().unwrap_or(""))},
                "originalUnitPriceSet": money(l.unit_price, &o.currency),
                "discountedTotalSet": money(l.total, &o.currency)})
        })
        .collect();
    json!({
        "id": format!("gid://shopify/Order/{}", o.remote_id),
        "legacyResourceId": o.remote_id,
        "name": format!("#{}", o.name),
        "createdAt": o.created_at, "updatedAt": o.updated_at, "test": o.test,
        "currencyCode": o.currency, "email": o.email, "phone": o.phone,
        "displayFinancialStatus": o.financial_label.to_uppercase(),
        "displayFulfillmentStatus": "UNFULFILLED", "cancelledAt": null,
        "currentTotalPriceSet": money(o.total, &o.currency),
        "currentSubtotalPriceSet": money(o.subtotal, &o.currency),
        "currentTotalTaxSet": money(o.tax_total, &o.currency),
        "taxesIncluded": o.taxes_included,
        "customer": o.customer.as_ref().map(|c| json!({
            "id": format!("gid://shopify/Customer/{}", c.remote_id), "firstName": c.first_name,
            "lastName": c.last_name, "email": c.email, "phone": c.phone})),
        "billingAddress": address(&o.billing_address),
        "shippingAddress": address(&o.shipping_address),
        "shippingLine": o.shipping.as_ref().map(|s| json!({"title": s.title,
            "carrierIdentifier": s.carrier, "originalPriceSet": money(s.cost, &o.currency)})),
        "paymentGatewayNames": o.payment_gateways,
        "lineItems": {"nodes": lines},
    })
    .to_string()
}
