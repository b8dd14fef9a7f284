//! Realistic data for the console's tests: fixed dates, a fixed zone, no engine.

use super::app::{App, Msg, PageKind, PageRequest, Settings};
use super::format::Zone;
use super::keymap::load_keymap;
use super::theme::Theme;
use crate::domain::shop_order::{RemoteFinancial, RemoteFulfillment, ShopAddress};
use crate::domain::{
    LineMatch, MatchStatus, Order, OrderCustomer, OrderLine, OrderState, Payment, Shipping,
};
use crate::engine::{
    Counts, OrderDetail, OrderRow, PageFrom, Problem, ProblemKind, RowKey, StoreInfo, SyncRun,
    TimelineEntry,
};
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
}

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn settings() -> Settings {
    Settings {
        zone: Zone::Tz(chrono_tz::UTC),
        theme: Theme { mono: false },
        configured_stores: 1,
        log_file: "/var/log/orderdesk/orderdesk.log".into(),
    }
}

pub fn row(
    id: u64,
    name: &str,
    customer: &str,
    total: &str,
    state: OrderState,
    test: bool,
) -> OrderRow {
    OrderRow {
        key: RowKey(id.to_be_bytes().to_vec()),
        id,
        store: "web".into(),
        name: name.into(),
        created_at: at(20, 8, 0) + chrono::Duration::minutes(id as i64 * 37),
        customer: customer.into(),
        total: dec(total),
        currency: "EUR".into(),
        state,
        test,
    }
}

/// `n` plain rows with ids `first..first+n` (for paging).
pub fn rows(first: u64, n: usize) -> Vec<OrderRow> {
    (first..first + n as u64)
        .map(|i| {
            row(
                i,
                &format!("#{i}"),
                "Customer",
                "10.00",
                OrderState::Booked,
                false,
            )
        })
        .collect()
}

pub fn sample_rows() -> Vec<OrderRow> {
    use OrderState::*;
    vec![
        row(
            1,
            "#1042",
            "Tündér Ilona",
            "1234.50",
            CustomerIdNeeded,
            false,
        ),
        row(
            2,
            "#1043",
            "Kovács Péter",
            "89.90",
            ProductMatchFailed,
            false,
        ),
        row(
            3,
            "#1047",
            "Ödön Szőke-Nagy",
            "12.00",
            ProductMatchFailed,
            false,
        ),
        row(4, "#1044", "Jane Doe", "45.00", Booked, true),
        row(
            5,
            "#1045",
            "Müller-Lüdenscheidt Handelsgesellschaft",
            "310.00",
            Booked,
            false,
        ),
        row(6, "#1046", "Anna Smith", "19.99", ReadyToShip, false),
        row(7, "#1048", "李小龍", "5.00", ReadyForPickup, false),
    ]
}

pub fn counts() -> Counts {
    let mut c = Counts {
        total: 300,
        by_state: [0; 10],
    };
    for (s, n) in [
        (OrderState::CustomerIdNeeded, 12),
        (OrderState::ProductMatchFailed, 9),
        (OrderState::Rejected, 3),
        (OrderState::Booked, 214),
        (OrderState::ReadyToShip, 4),
        (OrderState::ReadyForPickup, 1),
        (OrderState::Completed, 57),
    ] {
        c.by_state[s.code() as usize] = n;
    }
    c
}

pub fn run(id: u64, ok: bool, start: DateTime<Utc>, secs: i64) -> SyncRun {
    SyncRun {
        id,
        store: "web".into(),
        started_at: start,
        finished_at: Some(start + chrono::Duration::seconds(secs)),
        ok,
        fetched: if ok { 12 } else { 0 },
        booked: if ok { 9 } else { 0 },
        parked: if ok { 2 } else { 0 },
        rejected: if ok { 1 } else { 0 },
        skipped: 0,
        cancelled: 0,
        errors: if ok { 0 } else { 1 },
        message: (!ok).then(|| "401 Unauthorized: invalid API access token".to_string()),
        touched: if ok {
            vec![
                (1, "#1042".into(), "parked: customer ID needed".into()),
                (2, "#1043".into(), "parked: product match failed".into()),
                (5, "#1045".into(), "booked".into()),
            ]
        } else {
            Vec::new()
        },
        error_lines: if ok {
            Vec::new()
        } else {
            vec!["web: 401 Unauthorized: invalid API access token".into()]
        },
    }
}

pub fn runs() -> Vec<SyncRun> {
    vec![
        run(14, false, at(22, 6, 0), 2),
        run(13, true, at(22, 5, 59), 64),
        run(12, true, at(22, 5, 58), 11),
    ]
}

pub fn problems() -> Vec<Problem> {
    let p = |kind, order_id, subject: &str, text: &str| Problem {
        kind,
        store: "web".into(),
        order_id,
        subject: subject.into(),
        text: text.into(),
        at: at(22, 6, 0),
    };
    vec![
        p(
            ProblemKind::StoreFailed,
            None,
            "web",
            "last sync failed: 401 Unauthorized: invalid API access token",
        ),
        p(
            ProblemKind::Parked,
            Some(2),
            "#1043",
            "line 2: no product with SKU \"TSH-RED-XL\"",
        ),
        p(
            ProblemKind::Parked,
            Some(1),
            "#1042",
            "customer not identified (tunder.ilona@example.hu)",
        ),
        p(
            ProblemKind::Rejected,
            Some(9),
            "#1039",
            "rejected: no line items",
        ),
        p(
            ProblemKind::Oversold,
            None,
            "P17",
            "stock -2 after #1045 (Mug, white)",
        ),
    ]
}

pub fn stores() -> Vec<StoreInfo> {
    vec![StoreInfo {
        id: "web".into(),
        platform: "shopify".into(),
        read_only: false,
        last_sync: Some(runs()[0].clone()),
    }]
}

fn line(
    n: u32,
    sku: Option<&str>,
    name: &str,
    qty: u32,
    price: &str,
    status: MatchStatus,
    pid: Option<&str>,
    cands: &[&str],
) -> OrderLine {
    let unit = dec(price);
    OrderLine {
        line: n,
        remote_id: format!("gid://shopify/LineItem/{n}"),
        variant_id: None,
        sku: sku.map(str::to_string),
        name: name.into(),
        quantity: qty,
        unit_price: unit,
        total: unit * Decimal::from(qty),
        matched: LineMatch {
            status,
            product_id: pid.map(str::to_string),
            candidates: cands.iter().map(|s| s.to_string()).collect(),
        },
    }
}

pub fn detail() -> OrderDetail {
    let address = ShopAddress {
        first_name: "Ilona".into(),
        last_name: "Tündér".into(),
        address1: "Fő utca 12.".into(),
        address2: String::new(),
        city: "Budapest".into(),
        postal_code: "1011".into(),
        country: "HU".into(),
        phone: Some("+36301234567".into()),
    };
    let order = Order {
        id: 2,
        store: "web".into(),
        remote_id: "5550001043".into(),
        name: "1043".into(),
        state: OrderState::ProductMatchFailed,
        test: false,
        created_at: at(21, 14, 3),
        updated_at: at(21, 14, 5),
        currency: "EUR".into(),
        total: dec("89.90"),
        subtotal: dec("90.00"),
        tax_total: dec("19.13"),
        discount_total: dec("5.00"),
        taxes_included: true,
        financial: RemoteFinancial::Paid,
        financial_label: "paid".into(),
        fulfillment: RemoteFulfillment::Unfulfilled,
        remote_cancelled: false,
        customer: OrderCustomer {
            id: None,
            remote_id: Some("gid://shopify/Customer/77".into()),
            first_name: "Péter".into(),
            last_name: "Kovács".into(),
            email: Some("peter.kovacs@example.hu".into()),
            phone: Some("+36 30 765 4321".into()),
        },
        billing_address: Some(address.clone()),
        shipping: Some(Shipping {
            title: "Standard shipping".into(),
            carrier: Some("GLS".into()),
            cost: dec("4.90"),
            pickup: false,
            address: Some(address),
        }),
        lines: vec![
            line(
                1,
                Some("MUG-WHT"),
                "Mug, white",
                2,
                "15.00",
                MatchStatus::Matched,
                Some("P17"),
                &[],
            ),
            line(
                2,
                Some("TSH-RED-XL"),
                "T-shirt red XL",
                1,
                "30.00",
                MatchStatus::NoProduct,
                None,
                &[],
            ),
            line(
                3,
                Some("CAP-BLK"),
                "Cap, black",
                1,
                "20.00",
                MatchStatus::Ambiguous,
                None,
                &["P17", "P52"],
            ),
            line(
                4,
                None,
                "Gift wrapping",
                1,
                "10.00",
                MatchStatus::EmptySku,
                None,
                &[],
            ),
        ],
        authorization: Some("AUTH-123".into()),
        payments: vec![Payment {
            method: "VISA".into(),
            amount: dec("50.00"),
            comment: "approval 884213".into(),
            operator: "anna".into(),
            at: at(21, 15, 0),
        }],
        booked_stock: Vec::new(),
        problems: vec![
            "customer not identified (peter.kovacs@example.hu)".into(),
            "line 2: no product with SKU \"TSH-RED-XL\"".into(),
            "line 3: SKU \"CAP-BLK\" matches P17 and P52".into(),
            "line 4: empty SKU".into(),
        ],
        rejected_by: None,
        dismissed: false,
        conflicts: Vec::new(),
    };
    let e = |m, kind: &str, text: &str| TimelineEntry {
        at: at(21, 14, m),
        by: "sync".into(),
        kind: kind.into(),
        text: text.into(),
    };
    OrderDetail {
        order,
        timeline: vec![
            e(5, "fetched", "fetched from web (shopify)"),
            e(5, "parked", "product match failed on lines 2, 3, 4"),
            TimelineEntry {
                at: at(21, 15, 0),
                by: "anna".into(),
                kind: "payment".into(),
                text: "VISA 50.00 EUR recorded".into(),
            },
        ],
    }
}

/// An app of this size fed with the sample data, as the loop would feed it.
pub fn app(w: u16, h: u16) -> App {
    let mut app = App::new(settings(), load_keymap("default", None).unwrap(), (w, h));
    feed(&mut app);
    app
}

pub fn feed(app: &mut App) {
    let limit = super::app::PendingWindow::limit(app.pending_view());
    app.update(Msg::Stores(stores()));
    app.update(Msg::Counts(counts()));
    let req = PageRequest {
        kind: PageKind::Start,
        from: PageFrom::Start,
        limit,
    };
    app.update(Msg::Pending(req, sample_rows()));
    app.update(Msg::SyncRuns(runs()));
    app.update(Msg::Problems(problems()));
}
