//! Tray's product variants against its simulator: the catalog sync reads them as products of
//! their own (the variant's id as the remote code, its parent kept beside it), order lines
//! naming a `variant_id` match them, and a variant's stock goes to `PUT
//! /products/variants/:id`, each request counted in the day's budget.

#[path = "support/registry_shop.rs"]
mod registry_shop;

use orderdesk::domain::matching::ProductKey;
use orderdesk::sync::catalog::run_catalog;
use registry_shop::{level, registry_shop};

/// The blue mug: product 95 of the seed, sold as its variant 595.
const MUG: &str = "595";
const MUG_PARENT: &str = "95";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_gives_a_variant_as_a_product_of_its_own() {
    let shop = registry_shop("tray", 1, |_| {}).await;
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = (shop.channel.fetch_products_page(after.as_deref()))
            .await
            .expect("a page");
        all.extend(page.products);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mug = (all.iter())
        .find(|p| p.remote_id == MUG)
        .expect("the variant");
    assert_eq!(
        (mug.sku.as_str(), mug.name.as_str(), mug.parent.as_deref()),
        ("MUG-BLUE", "Mug – Azul", Some(MUG_PARENT))
    );
    assert_eq!(mug.category(), Some("Kitchen"), "the parent's categories");
    assert!(
        all.iter().all(|p| p.remote_id != MUG_PARENT),
        "the parent is sold only as its variants"
    );
    shop.started.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_s_stock_goes_to_the_variant_resource_and_an_unknown_one_is_refused() {
    let shop = registry_shop("tray", 1, |_| {}).await;
    let usage = || async {
        let u: serde_json::Value = reqwest::get(format!("{}/_sim/usage", shop.started.url))
            .await
            .expect("usage")
            .json()
            .await
            .expect("JSON");
        u["today"].as_u64().expect("a count")
    };
    // The first request fetches the access token: one push first so the count is of stock.
    let first = (shop.channel.push_stock(&[level("91", None, 5, 1)]))
        .await
        .expect("sent");
    assert!(first.is_empty(), "{first:?}");
    let before = usage().await;
    let refused = shop
        .channel
        .push_stock(&[
            level(MUG, Some(MUG_PARENT), 8, 2),
            level("999999", Some(MUG_PARENT), 1, 3),
            level(MUG, None, 9, 4),
        ])
        .await
        .expect("sent");
    assert_eq!(
        usage().await - before,
        3,
        "one request a level, in the budget"
    );
    assert_eq!(
        shop.stock_log().await,
        [("91".to_string(), 5), (MUG.to_string(), 8)],
        "the variant by its own resource"
    );
    let ids: Vec<&str> = refused.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["999999", MUG],
        "no such variant; no product {MUG}: {refused:?}"
    );
    shop.started.stop();
}

/// A store matching lines by remote id books the mug's line by the variant the catalog
/// coded; the line's product is the variant, not its parent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_line_naming_a_variant_matches_the_variant() {
    let shop = registry_shop("tray", 60, |s| s.product_key = ProductKey::RemoteId).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = shop.engine(dir.path());
    run_catalog(&engine, shop.channel.as_ref(), "web")
        .await
        .expect("catalog");
    let run = shop.run(&engine).await;
    assert!(run.ok, "{:?}", run.message);
    let products = engine.products(None).expect("products");
    let mug = (products.iter())
        .find(|p| p.remote_codes.get("web").map(String::as_str) == Some(MUG))
        .expect("the variant coded");
    assert_eq!(
        mug.remote_parents.get("web").map(String::as_str),
        Some(MUG_PARENT)
    );
    let orders = engine.all_orders(None).expect("orders");
    let lines: Vec<_> = (orders.iter())
        .flat_map(|o| o.lines.iter())
        .filter(|l| l.variant_id.as_deref() == Some(MUG))
        .collect();
    assert!(!lines.is_empty(), "the seed sells the mug");
    for l in lines {
        assert_eq!(l.matched.product_id.as_deref(), Some(mug.id.as_str()));
    }
    shop.started.stop();
}

/// A store whose catalog sync coded the mug by its parent (before variants were read) moves
/// the code to the variant at the next sync, keeping the product: no second product of the
/// mug's SKU, and the parent's code is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_coded_by_the_parent_takes_the_variant_s_code() {
    let shop = registry_shop("tray", 1, |_| {}).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = shop.engine(dir.path());
    let at = engine.catalog_begin("web").expect("begun");
    let as_before = orderdesk::domain::catalog::ShopProduct {
        remote_id: MUG_PARENT.into(),
        parent: None,
        sku: "MUG-BLUE".into(),
        name: "Mug, blue".into(),
        price: None,
        categories: vec![],
        enabled: true,
    };
    let done = engine
        .catalog_page("web", &at, &[as_before], None, Some(1))
        .expect("coded by the parent");
    engine.catalog_finish("web", &done).expect("that pass done");
    let code_of = |id: &str| {
        let all = engine.products(None).expect("products");
        let p = all.into_iter().find(|p| p.id == id).expect("the product");
        p.remote_codes.get("web").cloned()
    };
    let products = engine.products(None).expect("products");
    let mug = (products.iter())
        .find(|p| p.remote_codes.get("web").map(String::as_str) == Some(MUG_PARENT))
        .expect("the mug coded by its parent")
        .id
        .clone();
    let before = products.iter().filter(|p| p.sku == "MUG-BLUE").count();
    run_catalog(&engine, shop.channel.as_ref(), "web")
        .await
        .expect("catalog");
    assert_eq!(code_of(&mug).as_deref(), Some(MUG));
    let products = engine.products(None).expect("products");
    assert_eq!(
        products.iter().filter(|p| p.sku == "MUG-BLUE").count(),
        before,
        "no second mug"
    );
    assert!(
        (products.iter())
            .all(|p| p.remote_codes.get("web").map(String::as_str) != Some(MUG_PARENT))
    );
    shop.started.stop();
}
