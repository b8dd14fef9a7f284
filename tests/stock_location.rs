//! Stock by location, end to end through the config's `stock_location`: on Shopify a
//! location named by its name (or gid), on Magento a source by its code or name; without the
//! key, the primary location and the default source as before; a name the shop does not have
//! fails the push, and the sync log names the places the shop has.

#[path = "support/registry_shop.rs"]
mod registry_shop;

use orderdesk::sync::catalog::run_catalog;
use registry_shop::{registry_shop, restock};

/// Sets one product's stock at `platform`'s shop with `stock_location` as given: where the
/// shop logged it, and the run's error lines.
async fn pushed(platform: &str, wanted: Option<&str>) -> (Vec<String>, Vec<String>) {
    let shop = registry_shop(platform, 1, |s| {
        s.stock_location = wanted.map(str::to_string);
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = shop.engine(dir.path());
    run_catalog(&engine, shop.channel.as_ref(), "web")
        .await
        .expect("catalog");
    restock(&engine, "TEA-001", 11);
    let run = shop.run(&engine).await;
    assert!(run.ok, "the orders were read: {:?}", run.message);
    let places = (shop.log("inventory_set").await.iter())
        .map(|e| e["location"].as_str().unwrap_or("?").to_string())
        .collect();
    shop.started.stop();
    (places, run.error_lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_sets_stock_at_the_location_the_store_names() {
    let main = "gid://shopify/Location/77000000001";
    let (at, errors) = pushed("shopify", None).await;
    assert!(!at.is_empty() && at.iter().all(|l| l == main), "{at:?}");
    assert!(errors.is_empty(), "{errors:?}");
    for named in [
        " shop floor",
        "gid://shopify/Location/77000000002",
        "77000000002",
    ] {
        let (at, errors) = pushed("shopify", Some(named)).await;
        assert!(
            !at.is_empty() && at.iter().all(|l| l == "gid://shopify/Location/77000000002"),
            "{named}: {at:?}"
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
    let (at, errors) = pushed("shopify", Some("Attic")).await;
    assert!(at.is_empty(), "nothing set: {at:?}");
    let line = errors.join("\n");
    assert!(
        line.contains("stock_location \"Attic\" is not a location of the shop")
            && line.contains("\"Main warehouse\"")
            && line.contains("\"Shop floor\""),
        "{line}"
    );
    let (at, errors) = pushed("shopify", Some("Old depot")).await;
    assert!(at.is_empty(), "{at:?}");
    assert!(errors.join("\n").contains("not active"), "{errors:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn magento_sets_stock_at_the_source_the_store_names() {
    let (at, errors) = pushed("magento", None).await;
    assert!(
        !at.is_empty() && at.iter().all(|l| l == "default"),
        "{at:?}"
    );
    assert!(errors.is_empty(), "{errors:?}");
    for named in ["shop_floor", "Shop Floor"] {
        let (at, errors) = pushed("magento", Some(named)).await;
        assert!(
            !at.is_empty() && at.iter().all(|l| l == "shop_floor"),
            "{named}: {at:?}"
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
    let (at, errors) = pushed("magento", Some("attic")).await;
    assert!(at.is_empty(), "{at:?}");
    let line = errors.join("\n");
    assert!(
        line.contains("stock_location \"attic\" is not a source of the shop")
            && line.contains("\"Default Source\" (default)"),
        "{line}"
    );
}
