//! `orderdesk check`: a clean store passes (exit 0); a store damaged on purpose (an index entry
//! removed, a counter bumped, a stock baseline moved) is reported line by line with exit 1.

mod engine_common;
mod support;

use orderdesk::store::Store;
use serde_json::Value;
use support::pty::od;
use support::shop::ShopProcess;

#[test]
fn a_clean_store_passes_and_a_damaged_one_is_named_with_exit_1() {
    let home = tempfile::tempdir().expect("tempdir");
    let shop = ShopProcess::start(home.path(), 40);
    let (export, cfg) = (shop.export.clone(), shop.write_config(home.path()));
    let data = home.path().join("store");
    let od = |args: &[&str]| od(home.path(), &cfg, &data, args);
    let p = export.join("products.csv");
    let c = export.join("customers.csv");
    let (code, _, err) = od(&["check"]);
    assert_eq!(code, 1, "no store to check yet");
    assert!(err.contains("there is no store"), "{err}");
    assert_eq!(od(&["import", "products", p.to_str().expect("utf-8")]).0, 0);
    assert_eq!(od(&["check"]).0, 0, "a store of products only is clean");
    assert_eq!(
        od(&["import", "customers", c.to_str().expect("utf-8")]).0,
        0
    );
    assert_eq!(od(&["sync", "--once"]).0, 0);
    // Some movement: an order refused (stock given back), one shipped, a product edited.
    let (_, out, _) = od(&["orders", "--state", "booked", "--json"]);
    let booked: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    assert!(booked.len() >= 2);
    let r0 = booked[0]["ref"].as_str().expect("ref");
    let r1 = booked[1]["ref"].as_str().expect("ref");
    assert_eq!(
        od(&["order", r0, "status", "refused", "--reason", "x", "--yes"]).0,
        0
    );
    assert_eq!(od(&["order", r1, "status", "ready-to-ship"]).0, 0);
    let ship = [
        "order",
        r1,
        "status",
        "shipped",
        "--carrier",
        "DHL",
        "--tracking",
        "T1",
    ];
    assert_eq!(od(&ship).0, 0);

    let (code, out, err) = od(&["check", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["orders"].as_u64(), Some(booked_total(&od)));
    assert!(v["differences"].as_array().is_some_and(Vec::is_empty));

    // Damage it on purpose, through the test-only API, while no process holds it.
    let remote = booked[2]["remote_id"].as_str().expect("remote id");
    let (_, out, _) = od(&["products", "--json"]);
    let products: Vec<Value> = serde_json::from_str(&out).expect("products json");
    let pid = products[0]["id"].as_str().expect("id");
    {
        let store = Store::open(&data).expect("store");
        let key = [b"web".as_slice(), &[0], remote.as_bytes()].concat();
        store
            .tamper_for_tests("idx_order_remote", &key, None)
            .expect("remove");
        let total = store.counts().expect("counts").total + 1;
        store
            .tamper_for_tests("meta", b"c:total", Some(&total.to_be_bytes()))
            .expect("bump");
        let base = store.stock_base(pid).expect("base").expect("a baseline") + 3;
        store
            .tamper_for_tests("stock_base", pid.as_bytes(), Some(&base.to_be_bytes()))
            .expect("base");
    }
    let (code, out, _) = od(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("DIFFERENCE idx_order_remote: missing entry web / ") && out.contains(remote),
        "{out}"
    );
    assert!(
        out.contains("DIFFERENCE meta: order total counter says"),
        "{out}"
    );
    assert!(
        out.contains(&format!("DIFFERENCE stock: product {pid} ")),
        "{out}"
    );
    assert!(out.contains("3 difference(s) found"), "{out}");
    let (code, out, _) = od(&["check", "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["differences"].as_array().map(Vec::len), Some(3));
}

type Od<'a> = &'a dyn Fn(&[&str]) -> (i32, String, String);

fn booked_total(od: Od) -> u64 {
    let (_, out, _) = od(&["orders", "--json"]);
    let all: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    all.len() as u64
}

#[test]
fn imports_and_edits_move_the_baseline_and_stale_or_missing_index_entries_are_named() {
    use orderdesk::engine::{Engine, ProductEdit};
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(dir.path(), "anna", vec![]).expect("store");
    let csv = "id,sku,name,description,price,stock,category,unit\n\
               P1,MUG,Mug,,5.00,10,Kitchen,piece\nP2,CUP,Cup,,3.00,4,Kitchen,piece\n";
    engine.import_products("p.csv", csv).expect("import");
    // An edit and a second import change stock: the baseline follows, so still clean.
    let edit = ProductEdit {
        stock: Some(7),
        sku: Some("MUG-2".into()),
        ..ProductEdit::default()
    };
    engine.update_product("P1", &edit).expect("edit");
    engine.import_products("p.csv", csv).expect("import again");
    let report = engine.check().expect("check");
    assert!(report.is_clean(), "{:?}", report.differences);
    assert_eq!(report.products, 2);

    engine
        .tamper_for_tests("idx_product_sku", b"CUP\0P2", None)
        .expect("remove");
    engine
        .tamper_for_tests("idx_product_name", b"Teapot\0P9", Some(b""))
        .expect("stale");
    engine
        .tamper_for_tests("meta", &[b'c', b':', 3], Some(&5u64.to_be_bytes()))
        .expect("bump");
    let lines = difference_lines(&engine);
    assert_eq!(
        lines,
        [
            "meta: booked counter says 5, the orders tree holds 0",
            "idx_product_sku: missing entry CUP / P2 for product P2 (CUP)",
            "idx_product_name: stale entry Teapot / P9 (no record has it)",
        ],
    );
}

#[test]
fn customer_links_line_mappings_and_timelines_are_checked_against_their_records() {
    use orderdesk::engine::Engine;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(dir.path(), "anna", vec![]).expect("store");
    let products = "id,sku,name,description,price,stock,category,unit\n\
                    P1,MUG,Mug,,5.00,10,Kitchen,piece\n";
    engine.import_products("p.csv", products).expect("products");
    let customers = "id,first_name,last_name,email,phone,address,city,postal_code,country,remote_ids\n\
                     C1,Anna,Kis,anna@example.com,,,,,HU,web:501\n\
                     C2,Bela,Nagy,bela@example.com,,,,,HU,\n";
    engine
        .import_customers("c.csv", customers, Some("HU"))
        .expect("customers");
    let report = engine.check().expect("check");
    assert!(report.is_clean(), "{:?}", report.differences);

    // A link lost, a link nobody claims, a mapping to a product that is gone, a timeline
    // entry of an order that does not exist.
    engine
        .tamper_for_tests("customer_links", b"web\x00501", None)
        .expect("lose a link");
    engine
        .tamper_for_tests("customer_links", b"web\x00777", Some(b"C2"))
        .expect("stale link");
    engine
        .tamper_for_tests("line_mappings", b"web\0v:9", Some(b"P404"))
        .expect("mapping");
    let orphan = [42u64.to_be_bytes(), 1u64.to_be_bytes()].concat();
    engine
        .tamper_for_tests("timeline", &orphan, Some(b"{}"))
        .expect("timeline");
    // A record of several entries (layout 5), one of them lacking a field.
    let listed = [42u64.to_be_bytes(), 2u64.to_be_bytes()].concat();
    let bad_list = b"\x01[{\"at\":\"2026-01-01T00:00:00Z\",\"by\":\"sync\",\"kind\":\"fetched\",\"text\":\"\"},{\"at\":\"2026-01-01T00:00:00Z\"}]";
    engine
        .tamper_for_tests("timeline", &listed, Some(bad_list))
        .expect("timeline list");
    let lines = difference_lines(&engine);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(has("customer_links: missing entry web / 501"), "{lines:#?}");
    assert!(has("customer_links: stale entry web / 777"), "{lines:#?}");
    assert!(
        has("line_mappings: mapping web / v:9 points to product P404, which does not exist"),
        "{lines:#?}"
    );
    assert!(
        has("timeline: entry 1 belongs to order 42, which does not exist"),
        "{lines:#?}"
    );
    assert!(
        has("timeline: entry 1 of order 42 does not read"),
        "{lines:#?}"
    );
    assert!(
        has(
            "timeline: entry 2 of order 42 does not read: store data is damaged: decode: missing field `by`"
        ),
        "serde's own words for the entry of a list that does not read: {lines:#?}"
    );
    assert_eq!(lines.len(), 7, "{lines:#?}");
}

/// What `check` finds, one "area: message" line per difference.
fn difference_lines(engine: &orderdesk::engine::Engine) -> Vec<String> {
    let report = engine.check().expect("check");
    report
        .differences
        .iter()
        .map(|d| format!("{}: {}", d.area, d.message))
        .collect()
}

#[test]
fn stock_never_wraps_around_and_check_names_a_baseline_out_of_range() {
    use orderdesk::engine::{Engine, ProductEdit};
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(dir.path(), "anna", vec![]).expect("store");
    engine
        .import_products("p.csv", "id,sku,name,stock\nP1,MUG,Mug,-1000000000\n")
        .expect("the lowest stock there is");
    // An edit that would leave the range is refused, and nothing moves.
    let edit = ProductEdit {
        stock: Some(i64::MIN),
        ..ProductEdit::default()
    };
    let err = engine
        .update_product("P1", &edit)
        .expect_err("out of range");
    assert!(err.to_string().contains("out of range"), "{err}");
    let p1 = engine.product("P1").expect("read").expect("P1");
    assert_eq!(p1.stock, -1_000_000_000);
    assert!(engine.check().expect("check").is_clean());

    // A baseline at the edge of i64 under a booked order: check recounts without overflowing
    // (baseline minus what orders hold) and names it.
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine_common::seeded(dir.path());
    engine_common::feed(&engine, &[&engine_common::order("8001", &[("MUG", 1)])]);
    engine
        .tamper_for_tests("stock_base", b"P1", Some(&i64::MIN.to_be_bytes()))
        .expect("tamper");
    let lines = difference_lines(&engine);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("stock is 9, but baseline -9223372036854775808 minus 1 held"),
        "{lines:?}"
    );
}

#[test]
fn an_older_store_s_phone_index_is_keyed_again_by_today_s_rules_at_open() {
    use orderdesk::store::{STORE_LAYOUT, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine_common::seeded(dir.path());
    // What the older phone rules left: a key this version reads differently, no done mark.
    engine
        .tamper_for_tests("idx_customer_phone", b"+44020111\0C1", Some(b""))
        .expect("stale entry");
    engine
        .tamper_for_tests("meta", b"done:idx_customer_phone.3", None)
        .expect("no mark");
    engine
        .tamper_for_tests("meta", b"schema", Some(&[2]))
        .expect("layout 2");
    assert!(
        !engine.check().expect("check").is_clean(),
        "the stale key shows"
    );
    drop(engine);
    let store = loop {
        match Store::open(dir.path()) {
            Ok(s) => break s,
            Err(orderdesk::store::StoreError::Locked { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(store.layout().expect("layout"), Some(STORE_LAYOUT));
    let report = store.check().expect("check");
    assert!(report.is_clean(), "{:?}", report.differences);
}

/// A store of layout 4 kept the shop's order as read beside every order; opening it at layout
/// 5 drops those of orders that will not run intake again and keeps the parked ones'.
#[test]
fn opening_a_layout_4_store_drops_the_parsed_copies_of_booked_orders() {
    use orderdesk::store::{STORE_LAYOUT, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine_common::seeded(dir.path());
    engine_common::feed(
        &e,
        &[
            &engine_common::order("1001", &[("MUG", 1)]),
            &engine_common::stranger(engine_common::order("1002", &[("TEE", 1)])),
        ],
    );
    let (booked, parked) = (
        engine_common::get(&e, "1001"),
        engine_common::get(&e, "1002"),
    );
    // What layout 4 left: a parsed copy beside the booked order too.
    e.tamper_for_tests("shop_orders", &booked.id.to_be_bytes(), Some(b"\x01{}"))
        .expect("copy");
    e.tamper_for_tests("meta", b"schema", Some(&[4]))
        .expect("layout 4");
    drop(e);
    let store = engine_common::retry(|| Store::open(dir.path()));
    assert_eq!(store.layout().expect("layout"), Some(STORE_LAYOUT));
    let kept = |id: u64| store.shop_order(id).map(|s| s.is_some());
    assert!(
        !kept(booked.id).expect("read"),
        "the booked order's copy is gone"
    );
    assert!(
        kept(parked.id).expect("read"),
        "the parked order's copy stays"
    );
    assert!(store.check().expect("check").is_clean());
}
