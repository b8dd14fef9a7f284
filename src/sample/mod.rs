//! Generated store data for benchmarks and `orderdesk bench-data`: customers and products as
//! CSV (the import's columns), and orders as a shop sends them. Deterministic from a seed.

mod fill;
mod names;
mod orders;

pub use fill::{FillPlan, FillReport, fill};
pub use names::{FIRST, LAST};
pub use orders::{OrderMix, bench_settings, shop_order};

/// The simulator's deterministic generator (splitmix64), shared so there is one.
pub use crate::sim::shopify::Rng;

/// `n` customers in the import's CSV columns: ids `C1..`, emails `c<i>@example.com`, phones
/// `+3630<i>`, names from the pools (with double surnames now and then).
pub fn customers_csv(n: usize) -> String {
    let mut rng = Rng::new(7);
    let mut out = String::with_capacity(n * 90);
    out.push_str(
        "id,first_name,last_name,email,phone,address,city,postal_code,country,remote_ids\n",
    );
    for i in 1..=n {
        let (f, l) = (*rng.pick(FIRST), *rng.pick(LAST));
        let l = if i % 3 == 0 {
            format!("{l}-{}", *rng.pick(LAST))
        } else {
            l.to_string()
        };
        out.push_str(&format!(
            "C{i},{f},{l},c{i}@example.com,+3630{i:07},Fő utca {},{},{},HU,\n",
            i % 200,
            *rng.pick(names::CITIES),
            1011 + i % 900
        ));
    }
    out
}

/// `n` products in the import's CSV columns: ids `P1..`, SKUs `SKU-000001..`, stock plenty.
pub fn products_csv(n: usize) -> String {
    let mut rng = Rng::new(11);
    let mut out = String::with_capacity(n * 70);
    out.push_str("id,sku,name,description,price,stock,category,unit\n");
    for i in 1..=n {
        let name = format!(
            "{} {} {i}",
            *rng.pick(names::ADJECTIVES),
            *rng.pick(names::GOODS)
        );
        let cents = 290 + rng.below(20_000);
        out.push_str(&format!(
            "P{i},{},{name},,{}.{:02},{},{},piece\n",
            sku(i as u64),
            cents / 100,
            cents % 100,
            5_000 + rng.below(5_000),
            *rng.pick(names::CATEGORIES)
        ));
    }
    out
}

/// The SKU of generated product `i` (1-based).
pub fn sku(i: u64) -> String {
    format!("SKU-{i:06}")
}
