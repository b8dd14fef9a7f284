//! Merging a duplicate product (issue: the catalog): the kept product takes the other's stock,
//! bookings, line mappings and candidates in one write; orders waiting for that SKU take their
//! lines again; the store stays consistent (`check`), and what cannot be merged is refused.

mod engine_common;
mod support;

use engine_common::*;
use orderdesk::domain::OrderState;

const DUPLICATES: &str =
    "id,sku,name,price,stock\nP8,DUP,Teapot,10.00,10\nP9,DUP,Teapot (old),10.00,5\n";

#[test]
fn a_merged_product_leaves_its_stock_bookings_and_mappings_to_the_kept_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_products("dup.csv", DUPLICATES)
        .expect("duplicates");
    assert_eq!(
        e.duplicate_skus()
            .expect("report")
            .iter()
            .map(|(s, p)| (s.clone(), p.len()))
            .collect::<Vec<_>>(),
        vec![("DUP".to_string(), 2)]
    );
    // Two orders wait: the SKU names two products.
    feed(
        &e,
        &[&order("8201", &[("DUP", 1)]), &order("8202", &[("DUP", 2)])],
    );
    for r in ["8201", "8202"] {
        assert_eq!(get(&e, r).state, OrderState::ProductMatchFailed, "{r}");
    }
    // The operator maps the first to P9 (remembered by SKU): booked from P9.
    let first = get(&e, "8201");
    e.map_line(first.id, 1, "P9").expect("map");
    assert_eq!(get(&e, "8201").state, OrderState::Booked);
    assert_eq!(stock(&e, "P9"), 4);

    let m = e.merge_products("P9", "P8").expect("merge");
    assert_eq!(m.product.id, "P8");
    assert_eq!(m.mappings, 1, "the SKU's mapping");
    assert_eq!(m.orders.len(), 2, "{:?}", m.orders);
    // P9's 4 join P8's 10; the waiting order now matches (the mapping names P8) and books 2.
    assert_eq!(
        m.matched_again,
        vec![("web:8202".to_string(), OrderState::Booked)]
    );
    assert_eq!(stock(&e, "P8"), 12);
    assert!(e.product("P9").expect("read").is_none(), "P9 is gone");
    let booked = get(&e, "8201");
    assert_eq!(booked.booked_stock, vec![("P8".to_string(), 1)]);
    assert_eq!(booked.lines[0].matched.product_id.as_deref(), Some("P8"));
    assert!(kinds(&e, booked.id).contains(&"merged".to_string()));
    assert!(e.duplicate_skus().expect("report").is_empty());
    // Stock, bookings, indexes and counters agree.
    let report = e.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    // Refusing or giving back the booked order returns its unit to P8.
    let later = order("8203", &[("DUP", 1)]);
    feed(&e, &[&later]);
    assert_eq!(
        get(&e, "8203").state,
        OrderState::Booked,
        "the mapping names P8"
    );
    assert_eq!(stock(&e, "P8"), 11);
}

#[test]
fn what_cannot_be_merged_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_products("dup.csv", DUPLICATES)
        .expect("duplicates");
    let before = stocks(&e);
    for (from, into, words) in [
        ("P8", "P8", "itself"),
        ("P8", "P404", "P404"),
        ("P404", "P8", "P404"),
    ] {
        let err = e
            .merge_products(from, into)
            .expect_err("refused")
            .to_string();
        assert!(err.contains(words), "{from} into {into}: {err}");
    }
    assert_eq!(stocks(&e), before);
}

#[test]
fn the_command_line_merges_only_with_yes_and_says_what_moved() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    let csv = home.path().join("p.csv");
    std::fs::write(&csv, DUPLICATES).expect("csv");
    let od = |args: &[&str]| {
        support::pty::run(
            support::pty::orderdesk(home.path())
                .arg("--data")
                .arg(&data)
                .args(args),
        )
    };
    assert_eq!(
        od(&["import", "products", csv.to_str().expect("utf-8")]).0,
        0
    );
    let (code, out, err) = od(&["product", "P9", "merge", "P8", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json error");
    assert_eq!(v["code"], "confirm");
    let (code, out, err) = od(&["product", "P9", "merge", "P8", "--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(v["product"]["id"], "P8");
    assert_eq!(v["product"]["stock"], 15);
    assert_eq!(v["orders"], serde_json::json!([]));
    let (_, out, _) = od(&["products", "--duplicates"]);
    assert!(out.contains("no SKU is shared"), "{out}");
}
