//! Shared helpers of the engine tests: a temporary store, records from CSV strings and
//! hand-built shop orders.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use orderdesk::domain::FetchedOrder;
use orderdesk::domain::intake::{IntakeOptions, NoContact, UnknownCustomer};
use orderdesk::domain::matching::ProductKey;
use orderdesk::domain::{
    Order, OrderState, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine,
    ShopOrder,
};
use orderdesk::engine::{Engine, IntakeTally, StoreSettings};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

pub const PRODUCTS: &str = "id,sku,name,price,stock\n\
P1,MUG,Mug,9.50,10\n\
P2,TEE,T-shirt,19.00,5\n\
P3,CAP,Cap,12.00,1\n";

pub const CUSTOMERS: &str = "id,first_name,last_name,email,phone,remote_ids\n\
C1,Anna,Kovács,anna@example.com,+36 30 111 1111,web:900\n\
C2,Béla,Nagy,bela@example.com,+36 30 222 2222,\n";

/// The options every test starts from: SKU matching, park unknown customers, reject orders
/// without contact, EUR, no phone region.
pub fn options() -> IntakeOptions {
    IntakeOptions {
        product_key: ProductKey::Sku,
        unknown_customer: UnknownCustomer::Park,
        no_contact: NoContact::Reject,
        currency: "EUR".into(),
        phone_region: None,
    }
}

pub fn settings(id: &str, intake: IntakeOptions) -> StoreSettings {
    StoreSettings {
        id: id.into(),
        platform: "shopify".into(),
        read_only: false,
        initial_days: 60,
        intake,
        carriers: [("DHL".to_string(), "DHL Express".to_string())]
            .into_iter()
            .collect(),
        statuses: None,
        order_notes: false,
        catalog_from_orders: false,
    }
}

pub fn open_with(dir: &Path, intake: IntakeOptions) -> Engine {
    Engine::open(dir, "anna", vec![settings("web", intake)]).expect("store opens")
}

/// An engine on `dir` with the default options and the standard products and customers.
pub fn seeded(dir: &Path) -> Engine {
    seeded_with(dir, options())
}

/// `seeded`, with these intake options.
pub fn seeded_with(dir: &Path, opts: IntakeOptions) -> Engine {
    let e = open_with(dir, opts);
    e.import_products("products.csv", PRODUCTS)
        .expect("products import");
    e.import_customers("customers.csv", CUSTOMERS, None)
        .expect("customers import");
    e
}

/// A fixed point on the shop's clock, `m` minutes later.
pub fn at(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid time")
        + chrono::Duration::minutes(m)
}

pub fn line(remote_id: &str, sku: Option<&str>, quantity: u32) -> ShopLine {
    ShopLine {
        remote_id: remote_id.into(),
        variant_id: None,
        product_remote_id: None,
        sku: sku.map(str::to_string),
        name: format!("item {remote_id}"),
        quantity,
        unit_price: Decimal::new(1000, 2),
        total: Decimal::new(1000, 2) * Decimal::from(quantity),
    }
}

/// An open, paid, unfulfilled EUR order of Anna (remote customer 900, her email), one line
/// per `(sku, quantity)`.
pub fn order(remote_id: &str, lines: &[(&str, u32)]) -> ShopOrder {
    let lines: Vec<ShopLine> = lines
        .iter()
        .enumerate()
        .map(|(i, (sku, q))| line(&format!("{remote_id}-{}", i + 1), Some(sku), *q))
        .collect();
    let total: Decimal = lines.iter().map(|l| l.total).sum();
    ShopOrder {
        remote_id: remote_id.into(),
        name: format!("#{remote_id}"),
        created_at: at(0),
        updated_at: at(0),
        test: false,
        currency: "EUR".into(),
        total,
        subtotal: total,
        tax_total: Decimal::ZERO,
        discount_total: Decimal::ZERO,
        shipping_total: Decimal::ZERO,
        taxes_included: true,
        financial: RemoteFinancial::Paid,
        financial_label: "paid".into(),
        fulfillment: RemoteFulfillment::Unfulfilled,
        cancelled: false,
        email: Some("anna@example.com".into()),
        phone: None,
        customer: Some(ShopCustomer {
            remote_id: "900".into(),
            first_name: "Anna".into(),
            last_name: "Kovács".into(),
            email: Some("anna@example.com".into()),
            phone: None,
        }),
        billing_address: None,
        shipping_address: None,
        shipping: None,
        lines,
        authorization: None,
        payment_gateways: vec![],
    }
}

/// A customer the store does not know (remote 777, an unknown email).
pub fn stranger(mut o: ShopOrder) -> ShopOrder {
    o.email = Some("stranger@example.org".into());
    o.customer = Some(ShopCustomer {
        remote_id: "777".into(),
        first_name: "Zsófia".into(),
        last_name: "Tündér".into(),
        email: Some("stranger@example.org".into()),
        phone: None,
    });
    o.billing_address = Some(ShopAddress {
        first_name: "Zsófia".into(),
        last_name: "Tündér".into(),
        address1: "Fő utca 1".into(),
        city: "Budapest".into(),
        postal_code: "1011".into(),
        country: "HU".into(),
        ..ShopAddress::default()
    });
    o
}

/// No contact anywhere on the order.
pub fn no_contact(mut o: ShopOrder) -> ShopOrder {
    o.email = None;
    o.phone = None;
    o.customer = None;
    o.billing_address = None;
    o.shipping_address = None;
    o
}

pub fn incoming(o: &ShopOrder) -> FetchedOrder {
    FetchedOrder {
        remote_id: o.remote_id.clone(),
        name: Some(o.name.trim_start_matches('#').to_string()),
        updated_at: Some(o.updated_at),
        raw: serde_json::to_string(o).expect("order serialises"),
        order: Ok(o.clone()),
    }
}

pub fn unreadable(remote_id: &str, reason: &str) -> FetchedOrder {
    FetchedOrder {
        remote_id: remote_id.into(),
        name: Some(remote_id.into()),
        updated_at: None,
        raw: "{\"id\": \"garbled\"}".into(),
        order: Err(reason.into()),
    }
}

/// Feeds these orders to intake as one batch of store `web`.
pub fn feed(e: &Engine, orders: &[&ShopOrder]) -> IntakeTally {
    e.intake_batch("web", orders.iter().map(|o| incoming(o)).collect())
        .expect("intake batch")
}

pub fn find(e: &Engine, remote_id: &str) -> Option<Order> {
    e.all_orders(None)
        .expect("orders")
        .into_iter()
        .find(|o| o.store == "web" && o.remote_id == remote_id)
}

pub fn get(e: &Engine, remote_id: &str) -> Order {
    find(e, remote_id).unwrap_or_else(|| panic!("order {remote_id} is stored"))
}

pub fn stock(e: &Engine, product: &str) -> i64 {
    e.product(product)
        .expect("product read")
        .unwrap_or_else(|| panic!("product {product} exists"))
        .stock
}

pub fn stocks(e: &Engine) -> BTreeMap<String, i64> {
    e.products(None)
        .expect("products")
        .into_iter()
        .map(|p| (p.id, p.stock))
        .collect()
}

pub fn kinds(e: &Engine, id: u64) -> Vec<String> {
    e.order_detail(id)
        .expect("detail")
        .expect("order exists")
        .timeline
        .into_iter()
        .map(|t| t.kind)
        .collect()
}

/// The kept counts agree with a recount over every stored order.
pub fn check_counts(e: &Engine) {
    let orders = e.all_orders(None).expect("orders");
    let c = e.counts();
    assert_eq!(c.total, orders.len() as u64, "total count");
    for s in OrderState::ALL {
        let n = orders.iter().filter(|o| o.state == s).count() as u64;
        assert_eq!(c.get(s), n, "count of {s}");
    }
}

/// Sets an order's state by a store write, for states no engine command reaches yet: closes
/// the engine, writes through the store, and opens the engine again.
pub fn force_state(dir: &Path, e: Engine, remote_id: &str, state: OrderState) -> Engine {
    use orderdesk::store::Store;
    let id = get(&e, remote_id).id;
    let intake = e.setting("web").expect("store web").intake.clone();
    drop(e);
    let store = retry(|| Store::open(dir));
    store
        .write(|tx| {
            if let Some(mut o) = tx.get_order(id)? {
                o.state = state;
                tx.put_order(&o)?;
            }
            Ok(())
        })
        .expect("state written");
    store.flush().expect("flushed");
    drop(store);
    let e = retry(|| Engine::open(dir, "anna", vec![settings("web", intake.clone())]));
    assert_eq!(get(&e, remote_id).state, state);
    e
}

/// Opens the store in `dir` again, waiting for the last holder to let go: the engine's status
/// writer may hold the store for up to a second after it is dropped.
pub fn retry<T, E: std::fmt::Debug>(mut f: impl FnMut() -> Result<T, E>) -> T {
    for _ in 0..50 {
        match f() {
            Ok(v) => return v,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
    f().map_err(|e| format!("{e:?}"))
        .expect("store opens again")
}
