//! The body of a Shopify `orders` page answer, as a sync reads it: JSON, errors, cost,
//! `data.orders` (nodes or edges, page info), each order node into a `ShopOrder`; then each
//! order that reads goes through intake (matching against canned records) and becomes a
//! stored order, as the engine would do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderdesk::channels::shopify::read_orders_page;
use orderdesk::domain::intake::{self, IntakeOptions, NoContact, UnknownCustomer};
use orderdesk::domain::matching::{ProductKey, Records};

/// Records that answer every look-up in a fixed way, so matching reaches its found,
/// ambiguous and missing paths.
struct Canned;

impl Records for Canned {
    fn customer_by_link(&self, _: &str, remote: &str) -> Option<String> {
        remote.ends_with('7').then(|| format!("C{remote}"))
    }
    fn customers_by_email(&self, key: &str) -> Vec<String> {
        vec![format!("C-{key}")]
    }
    fn customers_by_phone(&self, n: &str) -> Vec<String> {
        vec![n.to_string(), format!("{n}-2")]
    }
    fn products_by_sku(&self, sku: &str) -> Vec<String> {
        (!sku.is_empty())
            .then(|| format!("P-{sku}"))
            .into_iter()
            .collect()
    }
    fn products_by_name(&self, name: &str) -> Vec<String> {
        vec![format!("P-{name}"), "P2".into()]
    }
    fn products_by_remote_id(&self, _: &str, _: &str) -> Vec<String> {
        vec![]
    }
    fn mapped_product(&self, _: &str, _: &str, v: Option<&str>, _: Option<&str>) -> Option<String> {
        v.map(|v| format!("P-v{v}"))
    }
}

fuzz_target!(|data: &[u8]| {
    // reqwest's `text()` decodes the body lossily; so does this.
    let body = String::from_utf8_lossy(data);
    let Ok(page) = read_orders_page(&body) else {
        return;
    };
    for (i, fetched) in page.orders.iter().enumerate() {
        let Ok(order) = &fetched.order else {
            continue;
        };
        for address in [&order.billing_address, &order.shipping_address]
            .into_iter()
            .flatten()
        {
            let _ = address.one_line();
        }
        let opts = IntakeOptions {
            product_key: [ProductKey::Sku, ProductKey::Name, ProductKey::RemoteId][i % 3],
            unknown_customer: [UnknownCustomer::Park, UnknownCustomer::Create][i % 2],
            no_contact: [NoContact::Reject, NoContact::Unspecified][i % 2],
            currency: "EUR".into(),
            phone_region: Some("HU".into()),
        };
        let result = intake::intake("web", order, &opts, &Canned);
        let stored = intake::build_order(1, "web", order, &result, Some("HU"));
        let _ = intake::stock_taken(&stored.lines);
        let _ = intake::line_changes(&stored.lines, order);
        let _ = (stored.reference(), stored.display_name(), stored.balance());
    }
});
