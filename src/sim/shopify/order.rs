//! Builds one seeded order as a JSON value in the shape of Shopify's `Order` (field names
//! checked against the 2026-10 schema; connections stored as plain lists).

use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::money::{Currencies, LineMoney, cents, line_money, tax_on, totals};
use crate::sim::seed::cases::{Spec, Who};
use crate::sim::seed::catalog::{Customer, LINK_ONLY, PHONE_ONLY, Product};

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

pub struct Ctx<'a> {
    pub products: &'a [Product],
    pub customers: &'a [Customer],
    pub shop_currency: &'a str,
}

pub struct Placed {
    pub index: usize,
    pub legacy_id: u64,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

fn foreign_currency(shop: &str) -> &'static str {
    if shop == "USD" { "GBP" } else { "USD" }
}

fn address(c: &Customer, phone: Option<&str>) -> Value {
    json!({
        "firstName": c.first_name, "lastName": c.last_name, "name": format!("{} {}", c.first_name, c.last_name),
        "address1": c.address, "address2": null, "city": c.city, "zip": c.postal_code,
        "country": c.country, "countryCodeV2": c.country_code, "phone": phone,
    })
}

fn shop_customer(c: &Customer, id: u64, email: Option<&str>, phone: Option<&str>) -> Value {
    json!({
        "id": gid("Customer", id), "legacyResourceId": id.to_string(),
        "firstName": c.first_name, "lastName": c.last_name,
        "displayName": format!("{} {}", c.first_name, c.last_name),
        "email": email, "phone": phone,
        "defaultEmailAddress": email.map(|e| json!({"emailAddress": e})),
        "defaultPhoneNumber": phone.map(|p| json!({"phoneNumber": p})),
    })
}

/// `+36301234567` written as `+36 30-123-4567`.
fn spaced_phone(p: &str) -> String {
    if p.len() == 12 {
        format!("+{} {}-{}-{}", &p[1..3], &p[3..5], &p[5..8], &p[8..])
    } else {
        p.to_string()
    }
}

/// The customer value, the order's own email and phone, and whose address to use.
fn who(
    spec: &Spec,
    ctx: &Ctx<'_>,
    p: &Placed,
) -> (Value, Option<String>, Option<String>, Option<usize>) {
    let cs = ctx.customers;
    let stranger = 7_490_000_000_000 + p.legacy_id % 1_000_000;
    match &spec.who {
        Who::Known(i) => {
            let c = &cs[*i % cs.len()];
            (
                shop_customer(c, c.shop_id, Some(&c.email), Some(&c.phone)),
                Some(c.email.clone()),
                None,
                Some(*i),
            )
        }
        Who::KnownEmailCase(i) => {
            let c = &cs[*i % cs.len()];
            let e = format!(" {} ", c.email.to_uppercase());
            (
                shop_customer(c, c.shop_id, Some(&e), None),
                Some(e),
                None,
                Some(*i),
            )
        }
        Who::PhoneOnly => {
            let i = PHONE_ONLY;
            let c = &cs[i];
            let phone = spaced_phone(&c.phone);
            (
                shop_customer(c, c.shop_id, None, Some(&phone)),
                None,
                None,
                Some(i),
            )
        }
        Who::LinkOnly => {
            let i = LINK_ONLY;
            let c = &cs[i];
            let e = "odon.lakatos.new@example.org";
            (
                shop_customer(c, c.shop_id, Some(e), Some("+36705550000")),
                Some(e.into()),
                None,
                Some(i),
            )
        }
        Who::Unknown => {
            let mut c = cs[0].clone();
            c.first_name = "Hedda".into();
            c.last_name = "Gabler".into();
            let e = format!("hedda.gabler.{}@example.no", p.index);
            (
                shop_customer(&c, stranger, Some(&e), Some("+4722334455")),
                Some(e),
                None,
                None,
            )
        }
        Who::Guest(i) => (
            Value::Null,
            Some(cs[*i % cs.len()].email.to_uppercase()),
            None,
            Some(*i),
        ),
        Who::Nobody => (Value::Null, None, None, None),
    }
}

pub fn build(spec: &Spec, ctx: &Ctx<'_>, p: &Placed) -> Value {
    let shop_cur = if spec.foreign {
        foreign_currency(ctx.shop_currency)
    } else {
        ctx.shop_currency
    };
    let pres_cur = if spec.presentment_foreign {
        foreign_currency(shop_cur)
    } else {
        shop_cur
    };
    let cur = Currencies {
        shop: shop_cur.into(),
        presentment: pres_cur.into(),
        rate: Decimal::new(108, 2),
    };
    let rate = Decimal::new(27, 2);
    let inc = spec.taxes_included;
    let id = p.legacy_id;
    let mut lines = Vec::new();
    let (mut orig, mut now) = (Vec::new(), Vec::new());
    for (j, l) in spec.lines.iter().enumerate() {
        let trimmed = l.sku.as_deref().map(str::trim);
        let prod_i = ctx
            .products
            .iter()
            .position(|pr| Some(pr.sku.as_str()) == trimmed);
        let (title, unit, prod_n) = match prod_i {
            Some(k) => (
                ctx.products[k].name.clone(),
                ctx.products[k].price,
                k as u64 + 1,
            ),
            None if l.sku.is_none() => ("Gift wrapping".to_string(), cents(300), 0),
            None => ("Mystery item".to_string(), cents(1500), 900 + j as u64),
        };
        let m: LineMoney = line_money(unit, l.qty, l.discount_pct, rate, inc);
        let m_now = line_money(unit, l.current, l.discount_pct, rate, inc);
        let line_id = id * 10 + j as u64;
        let (variant, product) = if l.sku.is_none() {
            (Value::Null, Value::Null)
        } else {
            let vid = 44_100_000_000_000 + prod_n * 7;
            let pid = 8_800_000_000_000 + prod_n * 3;
            (
                json!({"id": gid("ProductVariant", vid), "legacyResourceId": vid.to_string(), "sku": l.sku, "title": "Default Title"}),
                json!({"id": gid("Product", pid), "legacyResourceId": pid.to_string(), "title": title}),
            )
        };
        lines.push(json!({
            "id": gid("LineItem", line_id), "sku": l.sku, "name": title, "title": title,
            "variantTitle": null, "quantity": l.qty, "currentQuantity": l.current,
            "unfulfilledQuantity": if spec.fulfillment == "FULFILLED" { 0 } else { l.current },
            "requiresShipping": !spec.pickup, "taxable": true,
            "variant": variant, "product": product,
            "originalUnitPriceSet": cur.bag(unit), "discountedUnitPriceSet": cur.bag(m.discounted_unit),
            "originalTotalSet": cur.bag(m.original_total), "discountedTotalSet": cur.bag(m.discounted_total),
            "totalDiscountSet": cur.bag(m.discount),
            "taxLines": [{"title": "VAT", "rate": 0.27, "ratePercentage": 27.0, "priceSet": cur.bag(m.tax)}],
        }));
        orig.push((m, l.qty));
        now.push((m_now, l.current));
    }
    let ship = if spec.pickup {
        Decimal::ZERO
    } else if spec.carrier {
        cents(690)
    } else {
        cents(490)
    };
    let ship_tax = tax_on(ship, rate, inc);
    let t = totals(&orig, ship, ship_tax, inc);
    let c = totals(&now, ship, ship_tax, inc);
    let (customer, email, phone, addr_of) = who(spec, ctx, p);
    let addr = addr_of.map(|i| address(&ctx.customers[i], None));
    let shipping_line = if spec.pickup {
        json!({"title": "Pickup in store", "code": "Pickup in store", "source": "shopify",
               "carrierIdentifier": null, "originalPriceSet": cur.bag(ship), "discountedPriceSet": cur.bag(ship)})
    } else if spec.carrier {
        json!({"title": "DHL Express", "code": "DHL_EXPRESS_WORLDWIDE", "source": "dhl_express",
               "carrierIdentifier": "c3d1f0b6a2e94e0c8f1f4c7a9b2d6e11",
               "originalPriceSet": cur.bag(ship), "discountedPriceSet": cur.bag(ship)})
    } else {
        json!({"title": "Standard shipping", "code": "Standard", "source": "shopify", "carrierIdentifier": null,
               "originalPriceSet": cur.bag(ship), "discountedPriceSet": cur.bag(ship)})
    };
    let refunded = match spec.financial {
        "REFUNDED" => t.total,
        "PARTIALLY_REFUNDED" => ship,
        _ => Decimal::ZERO,
    };
    let tx = |n: u64, kind: &str, status: &str, amount: Decimal| {
        json!({"id": gid("OrderTransaction", id * 10 + n), "kind": kind, "status": status,
               "gateway": "shopify_payments", "authorizationCode": format!("{:06}", (id + n) % 1_000_000),
               "amountSet": cur.bag(amount), "createdAt": ts(p.created), "test": spec.test})
    };
    let transactions = match spec.financial {
        "PAID" => vec![tx(1, "SALE", "SUCCESS", t.total)],
        "PENDING" => vec![tx(1, "SALE", "PENDING", t.total)],
        "AUTHORIZED" => vec![tx(1, "AUTHORIZATION", "SUCCESS", t.total)],
        "VOIDED" => vec![
            tx(1, "AUTHORIZATION", "SUCCESS", t.total),
            tx(2, "VOID", "SUCCESS", t.total),
        ],
        _ => vec![
            tx(1, "SALE", "SUCCESS", t.total),
            tx(2, "REFUND", "SUCCESS", refunded),
        ],
    };
    let paid = matches!(spec.financial, "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED");
    let cancelled_at = spec.cancelled.then(|| ts(p.updated));
    let mut order = json!({
        "__typename": "Order",
        "id": gid("Order", id), "legacyResourceId": id.to_string(),
        "name": format!("#{}", 1001 + p.index), "number": 1001 + p.index,
        "email": email, "phone": phone,
        "createdAt": ts(p.created), "updatedAt": ts(p.updated), "processedAt": ts(p.created),
        "test": spec.test, "confirmed": true, "sourceName": "web",
        "currencyCode": shop_cur, "presentmentCurrencyCode": pres_cur,
        "displayFinancialStatus": spec.financial, "displayFulfillmentStatus": spec.fulfillment,
        "fullyPaid": paid, "unpaid": !paid && spec.financial != "PARTIALLY_PAID",
        "cancelledAt": cancelled_at, "cancelReason": spec.cancelled.then_some("CUSTOMER"),
        "closed": spec.cancelled || spec.fulfillment == "FULFILLED",
        "closedAt": (spec.cancelled || spec.fulfillment == "FULFILLED").then(|| ts(p.updated)),
        "taxesIncluded": inc, "taxExempt": false, "requiresShipping": !spec.pickup,
    });
    let money = json!({
        "subtotalLineItemsQuantity": t.quantity, "currentSubtotalLineItemsQuantity": c.quantity,
        "totalPriceSet": cur.bag(t.total), "subtotalPriceSet": cur.bag(t.subtotal),
        "totalTaxSet": cur.bag(t.tax), "totalDiscountsSet": cur.bag(t.discounts),
        "totalShippingPriceSet": cur.bag(t.shipping), "originalTotalPriceSet": cur.bag(t.total),
        "currentTotalPriceSet": cur.bag(c.total), "currentSubtotalPriceSet": cur.bag(c.subtotal),
        "currentTotalTaxSet": cur.bag(c.tax), "currentTotalDiscountsSet": cur.bag(c.discounts),
        "currentShippingPriceSet": cur.bag(c.shipping),
        "totalRefundedSet": cur.bag(refunded),
        "totalReceivedSet": cur.bag(if paid { t.total } else { Decimal::ZERO }),
        "totalOutstandingSet": cur.bag(if paid { Decimal::ZERO } else { t.total }),
        "taxLines": [{"title": "VAT", "rate": 0.27, "ratePercentage": 27.0, "priceSet": cur.bag(t.tax)}],
    });
    let rest = json!({
        "customer": customer,
        "billingAddress": addr, "shippingAddress": if spec.pickup { Value::Null } else { addr.clone().unwrap_or(Value::Null) },
        "shippingLine": shipping_line,
        "lineItems": lines,
        "transactions": transactions,
        "paymentGatewayNames": ["shopify_payments"],
        "tags": [], "discountCodes": if spec.lines.iter().any(|l| l.discount_pct > 0) { json!(["WELCOME"]) } else { json!([]) },
        "note": null, "refunds": [],
    });
    for part in [money, rest] {
        if let (Value::Object(o), Value::Object(p)) = (&mut order, part) {
            o.extend(p);
        }
    }
    let at = ts(p.updated);
    super::fulfil::seed(
        &mut order,
        spec.fulfillment,
        spec.cancelled,
        spec.pickup,
        &at,
    );
    order
}
