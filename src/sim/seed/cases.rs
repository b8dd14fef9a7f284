//! What each seeded order is meant to exercise, and the state intake gives it in a store with
//! every option at its default (unknown_customer=park, no_contact=unspecified, product_key=sku,
//! currency EUR), or `skipped`.

use super::catalog::{LINK_ONLY, PHONE_ONLY, SKU_LAST_ONE, SKU_SHARED, SKU_UNKNOWN};
use super::rng::Rng;

#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    /// A known customer (index into the customers), by the email the store has.
    Known(usize),
    /// Known customer, email written with other case and spaces.
    KnownEmailCase(usize),
    /// The shop customer has no email, only the phone written differently.
    PhoneOnly,
    /// New email and phone; only the remembered link matches.
    LinkOnly,
    /// Nobody the store knows.
    Unknown,
    /// No customer; the order's own email is a known customer's (in capitals).
    Guest(usize),
    /// No customer, no email, no phone anywhere.
    Nobody,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// None: a custom item (no variant, no SKU).
    pub sku: Option<String>,
    pub qty: u64,
    pub current: u64,
    pub discount_pct: u32,
}

/// One order to seed. `financial` and `fulfillment` say how far payment and delivery went in
/// one vocabulary for every platform (PAID, PENDING, AUTHORIZED, PARTIALLY_REFUNDED, REFUNDED,
/// VOIDED; UNFULFILLED, PARTIALLY_FULFILLED, FULFILLED); each simulator renders them in its
/// platform's own statuses.
#[derive(Debug, Clone)]
pub struct Spec {
    pub case: &'static str,
    pub state: &'static str,
    pub who: Who,
    pub lines: Vec<Line>,
    pub pickup: bool,
    pub carrier: bool,
    pub financial: &'static str,
    pub fulfillment: &'static str,
    pub cancelled: bool,
    pub test: bool,
    /// Shop money in another currency than the shop's.
    pub foreign: bool,
    /// Presentment money in another currency.
    pub presentment_foreign: bool,
    pub taxes_included: bool,
}

fn line(sku: &str, qty: u64) -> Line {
    Line {
        sku: Some(sku.to_string()),
        qty,
        current: qty,
        discount_pct: 0,
    }
}

fn base(case: &'static str, state: &'static str, who: Who, lines: Vec<Line>) -> Spec {
    Spec {
        case,
        state,
        who,
        lines,
        pickup: false,
        carrier: false,
        financial: "PAID",
        fulfillment: "UNFULFILLED",
        cancelled: false,
        test: false,
        foreign: false,
        presentment_foreign: false,
        taxes_included: true,
    }
}

pub const BOOKED: &str = "booked";
const PARKED: &str = "customer_id_needed";
const NO_PRODUCT: &str = "product_match_failed";
const REJECTED: &str = "rejected";
const SKIPPED: &str = "skipped";

/// The named cases, in order.
pub fn named() -> Vec<Spec> {
    let k = Who::Known;
    let mut v = vec![
        base(
            "known_customer_email",
            BOOKED,
            k(0),
            vec![line("TEA-001", 2)],
        ),
        base(
            "known_customer_phone_only",
            BOOKED,
            Who::PhoneOnly,
            vec![line("COF-001", 1)],
        ),
        base(
            "known_customer_link_only",
            BOOKED,
            Who::LinkOnly,
            vec![line("NB-A5", 3)],
        ),
        base(
            "unknown_customer",
            PARKED,
            Who::Unknown,
            vec![line("TEA-002", 1)],
        ),
        base(
            "guest_email_matches",
            BOOKED,
            Who::Guest(4),
            vec![line("SOAP-OLV", 2)],
        ),
        base(
            "email_case_and_spaces",
            BOOKED,
            Who::KnownEmailCase(5),
            vec![line("JAM-APR", 1)],
        ),
        base("no_contact", BOOKED, Who::Nobody, vec![line("CHOC-DK", 4)]),
        base(
            "known_skus",
            BOOKED,
            k(6),
            vec![line("MUG-RED", 1), line("PEN-010", 1)],
        ),
        base(
            "unknown_sku",
            NO_PRODUCT,
            k(7),
            vec![line("TEA-001", 1), line(SKU_UNKNOWN, 1)],
        ),
        base("ambiguous_sku", NO_PRODUCT, k(8), vec![line(SKU_SHARED, 1)]),
        base("empty_sku", NO_PRODUCT, k(9), vec![line("", 1)]),
        base(
            "custom_item_no_sku",
            NO_PRODUCT,
            k(0),
            vec![Line {
                sku: None,
                qty: 1,
                current: 1,
                discount_pct: 0,
            }],
        ),
        base(
            "sku_padded_with_spaces",
            BOOKED,
            k(4),
            vec![line(" TEA-001 ", 1)],
        ),
        base(
            "sku_case_differs",
            NO_PRODUCT,
            k(5),
            vec![line("tea-001", 1)],
        ),
        base(
            "unknown_customer_and_sku",
            PARKED,
            Who::Unknown,
            vec![line(SKU_UNKNOWN, 2)],
        ),
        base(
            "several_lines",
            BOOKED,
            k(6),
            vec![
                line("NB-A4", 2),
                line("BAG-TOTE", 1),
                line("CANDLE-V", 3),
                line("HONEY-AC", 1),
            ],
        ),
        base(
            "all_lines_removed",
            REJECTED,
            k(7),
            vec![line("SOCK-M", 2), line("TOWEL-B", 1)],
        ),
        base(
            "some_lines_removed",
            BOOKED,
            k(8),
            vec![line("SOCK-M", 2), line("TOWEL-B", 1)],
        ),
        base("oversold", BOOKED, k(9), vec![line(SKU_LAST_ONE, 3)]),
        base("non_ascii_name_hu", BOOKED, k(1), vec![line("BOOK-CK", 1)]),
        base("non_ascii_name_pl", BOOKED, k(2), vec![line("SCARF-W", 1)]),
        base("non_ascii_name_dk", BOOKED, k(3), vec![line("CANDLE-L", 2)]),
        base(
            "taxes_and_discounts",
            BOOKED,
            k(0),
            vec![line("COF-002", 2), line("MUG-RED", 1)],
        ),
        base(
            "taxes_added_on_top",
            BOOKED,
            k(1),
            vec![line("HONEY-AC", 2)],
        ),
        base(
            "shipping_with_carrier",
            BOOKED,
            k(2),
            vec![line("SCARF-W", 1)],
        ),
        base("local_pickup", BOOKED, k(3), vec![line("COF-001", 2)]),
        base("test_order", BOOKED, k(4), vec![line("PEN-010", 1)]),
        base("other_currency", REJECTED, k(5), vec![line("TEA-002", 2)]),
        base(
            "presentment_currency_differs",
            BOOKED,
            k(6),
            vec![line("NB-A5", 1)],
        ),
        base("already_fulfilled", SKIPPED, k(7), vec![line("TEA-001", 1)]),
        base(
            "partially_fulfilled",
            BOOKED,
            k(8),
            vec![line("TEA-001", 1), line("MUG-RED", 1)],
        ),
        base("cancelled", SKIPPED, k(9), vec![line("CHOC-DK", 2)]),
        base("refunded", SKIPPED, k(0), vec![line("SOAP-OLV", 1)]),
        base("voided", SKIPPED, k(1), vec![line("JAM-APR", 1)]),
        base(
            "partially_refunded",
            BOOKED,
            k(2),
            vec![line("BAG-TOTE", 2)],
        ),
        base("payment_pending", BOOKED, k(3), vec![line("NB-A4", 1)]),
        base("payment_authorized", BOOKED, k(4), vec![line("COF-002", 1)]),
    ];
    for s in &mut v {
        match s.case {
            "all_lines_removed" => s.lines.iter_mut().for_each(|l| l.current = 0),
            "some_lines_removed" => s.lines[1].current = 0,
            "taxes_and_discounts" => s.lines.iter_mut().for_each(|l| l.discount_pct = 15),
            "taxes_added_on_top" => s.taxes_included = false,
            "shipping_with_carrier" => s.carrier = true,
            "local_pickup" => s.pickup = true,
            "test_order" => s.test = true,
            "other_currency" => s.foreign = true,
            "presentment_currency_differs" => s.presentment_foreign = true,
            "already_fulfilled" => s.fulfillment = "FULFILLED",
            "partially_fulfilled" => s.fulfillment = "PARTIALLY_FULFILLED",
            "cancelled" => {
                s.cancelled = true;
                s.financial = "REFUNDED";
            }
            "refunded" => s.financial = "REFUNDED",
            "voided" => s.financial = "VOIDED",
            "partially_refunded" => s.financial = "PARTIALLY_REFUNDED",
            "payment_pending" => s.financial = "PENDING",
            "payment_authorized" => s.financial = "AUTHORIZED",
            _ => {}
        }
    }
    v
}

/// Plain SKUs (one product each, plenty of stock) the ordinary orders use.
const PLAIN: &[&str] = &[
    "TEA-001", "TEA-002", "COF-001", "COF-002", "MUG-RED", "PEN-010", "NB-A5", "NB-A4", "BAG-TOTE",
    "CANDLE-V", "CANDLE-L", "SOAP-OLV", "HONEY-AC", "JAM-APR", "CHOC-DK", "SCARF-W", "SOCK-M",
    "TOWEL-B", "BOOK-CK",
];

/// An ordinary order that books cleanly, with a realistic mix.
pub fn ordinary(rng: &mut Rng, customers: usize) -> Spec {
    let mut who_i = rng.below(customers as u64) as usize;
    if who_i == PHONE_ONLY || who_i == LINK_ONLY {
        who_i = 0;
    }
    let n = 1 + rng.below(3) + u64::from(rng.chance(10)) * 2;
    let mut lines: Vec<Line> = Vec::new();
    for _ in 0..n {
        let sku = *rng.pick(PLAIN);
        if lines.iter().any(|l| l.sku.as_deref() == Some(sku)) {
            continue;
        }
        let mut l = line(sku, rng.range(1, 3));
        if rng.chance(12) {
            l.discount_pct = 10;
        }
        lines.push(l);
    }
    let mut s = base("ordinary", BOOKED, Who::Known(who_i), lines);
    s.pickup = rng.chance(15);
    s.carrier = !s.pickup && rng.chance(50);
    s.financial = match rng.below(100) {
        0..70 => "PAID",
        70..85 => "PENDING",
        _ => "AUTHORIZED",
    };
    s.taxes_included = !rng.chance(10);
    s
}

/// The state expected for `spec` in a store whose currency is EUR (the default).
///
/// `no_contact_rejects`: the platform's default `no_contact` is `reject` (WooCommerce's), so
/// an order without any contact is rejected rather than booked to the unspecified customer.
pub fn expected_state(spec: &Spec, shop_currency: &str, no_contact_rejects: bool) -> &'static str {
    let done = spec.cancelled
        || spec.fulfillment == "FULFILLED"
        || matches!(spec.financial, "REFUNDED" | "VOIDED");
    let rejected = spec.lines.iter().all(|l| l.current == 0)
        || spec.foreign
        || shop_currency != "EUR"
        || (no_contact_rejects && spec.who == Who::Nobody);
    if done {
        SKIPPED
    } else if rejected {
        REJECTED
    } else {
        spec.state
    }
}
