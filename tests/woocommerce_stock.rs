//! WooCommerce variation stock against its simulator: a variation is set through its parent
//! product (`…/products/{parent}/variations/batch`), the parent learnt by the catalog sync or
//! from an order line; what the shop refuses comes back in its words.

#[path = "support/registry_shop.rs"]
mod registry_shop;

use orderdesk::domain::catalog::ShopProduct;
use orderdesk::engine::Engine;
use registry_shop::{RegistryShop, level, registry_shop};
use serde_json::{Value, json};

/// The blue mug: product 95 of the seed, sold as its variation 595.
const MUG: &str = "595";
const MUG_PARENT: &str = "95";

async fn woo(orders: usize) -> RegistryShop {
    registry_shop("woocommerce", orders, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variation_is_set_through_its_parent_and_the_shop_refuses_a_wrong_one() {
    let w = woo(1).await;
    let refused = w
        .channel
        .push_stock(&[
            level(MUG, Some(MUG_PARENT), 12, 1),
            level("91", None, 4, 2),
            level(MUG, Some("91"), 13, 3),
            level("999999", Some(MUG_PARENT), 1, 4),
            level(MUG, None, 14, 5),
        ])
        .await
        .expect("sent");
    assert_eq!(
        w.stock_log().await,
        [("91".to_string(), 4), (MUG.to_string(), 12)],
        "the variation by its parent, the product of its own by the products' batch"
    );
    let words = |id: &str| -> Vec<&str> {
        (refused.iter())
            .filter(|(r, _)| r == id)
            .map(|(_, w)| w.as_str())
            .collect()
    };
    assert_eq!(
        words("999999"),
        ["Invalid ID."],
        "no such variation: {refused:?}"
    );
    let mug = words(MUG);
    assert_eq!(mug.len(), 2, "{refused:?}");
    assert!(
        mug.contains(&"Parent product does not match current variation."),
        "{refused:?}"
    );
    assert!(
        mug.iter().any(|w| w.contains("run a catalog sync")),
        "without its parent the operator is told what to do: {refused:?}"
    );
    w.started.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_answers_a_wrong_parent_as_woocommerce_does() {
    let w = woo(1).await;
    let post = |path: String, body: Value| {
        reqwest::Client::new()
            .post(format!("{}/wp-json/wc/v3/{path}", w.started.url))
            .basic_auth("ck_demo", Some("cs_demo"))
            .json(&body)
            .send()
    };
    let update =
        json!({"update": [{"id": 595, "stock_quantity": 3}, {"id": 91, "stock_quantity": 3}]});
    let answer: Value = post("products/91/variations/batch".into(), update.clone())
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let items = answer["update"].as_array().expect("an update list");
    assert_eq!(items[0]["error"]["code"], "woocommerce_rest_cannot_edit");
    assert_eq!(items[0]["error"]["data"]["status"], 401);
    assert_eq!(
        items[1]["error"]["code"],
        "woocommerce_rest_product_variation_invalid_id"
    );
    let answer: Value = post("products/batch".into(), update)
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        answer["update"][0]["error"]["code"], "woocommerce_rest_product_invalid_id",
        "a variation is no product of its own"
    );
    assert_eq!(answer["update"][1]["stock_quantity"], 3);
    assert_eq!(w.stock_log().await, [("91".to_string(), 3)]);
    w.started.stop();
}

/// A store coded before parents were kept (the mug's code without its parent) learns the
/// parent from the first order line that sells the variation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_line_tells_a_coded_variation_its_parent() {
    let w = woo(60).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = w.engine(dir.path());
    let at = engine.catalog_begin("web").expect("begun");
    let mug = ShopProduct {
        remote_id: MUG.into(),
        parent: None,
        sku: "MUG-BLUE".into(),
        name: "Mug – Blue".into(),
        price: None,
        categories: vec![],
        enabled: true,
    };
    engine
        .catalog_page("web", &at, &[mug], None, Some(1))
        .expect("coded");
    let coded = |e: &Engine| {
        let all = e.products(None).expect("products");
        (all.into_iter())
            .filter(|p| p.remote_codes.get("web").map(String::as_str) == Some(MUG))
            .collect::<Vec<_>>()
    };
    let before = coded(&engine);
    assert_eq!(before.len(), 1);
    assert!(before[0].remote_parents.is_empty());
    let run = w.run(&engine).await;
    assert!(run.ok, "{:?}", run.message);
    let after = coded(&engine);
    assert_eq!(
        after[0].remote_parents.get("web").map(String::as_str),
        Some(MUG_PARENT)
    );
    w.started.stop();
}
