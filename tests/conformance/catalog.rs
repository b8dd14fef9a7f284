//! The catalog from every platform: the same seeded catalog read through each connector
//! gives the same products and categories (DESIGN.md §1.5), and the shop's ids it keeps let
//! a store that matches lines by remote id book its orders.

use crate::shop::{platforms, shop_with};
use orderdesk::domain::matching::ProductKey;
use orderdesk::sync::catalog::run_catalog;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_platform_gives_its_catalog_and_its_ids_book_orders() {
    for (row, sim) in platforms() {
        let shop = shop_with(row, sim, 60, 130, |s| s.product_key = ProductKey::RemoteId).await;
        let title = shop.title;
        let done = run_catalog(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        // 21 seeded products are in the shop (the cookbook is gone), 130 generated.
        assert_eq!(done.done, 151, "{title}: {done:?}");
        // A platform may count what it does not sell on its own (Magento's configurable
        // parent).
        assert!(
            done.total.is_some_and(|t| (151..=152).contains(&t)),
            "{title}: {done:?}"
        );
        assert_eq!((done.created, done.updated), (130, 21), "{title}");
        assert!(done.finished_at.is_some(), "{title}");
        let products = shop.engine.products(None).expect("products");
        let category: BTreeMap<&str, &str> = products
            .iter()
            .map(|p| (p.sku.as_str(), p.category.as_str()))
            .collect();
        assert_eq!(
            category["TEA-001"], "Tea",
            "{title}: one chain gives the deepest"
        );
        // Shopify files a product under one taxonomy chain (its other categories are
        // collections): the candle's chain is Home > Candles; elsewhere it is in Home,
        // Candles and Gifts, and the more general of those, first A-Z, is Gifts.
        let candle = if row.platform.name == "shopify" {
            "Candles"
        } else {
            "Gifts"
        };
        assert_eq!(
            category["CANDLE-V"], candle,
            "{title}: the more general, then A-Z"
        );
        assert_eq!(category["MUG-RED"], "Mugs", "{title}");
        assert_eq!(category["GEN-000001"], "Coffee", "{title}");
        let coded = products
            .iter()
            .filter(|p| p.remote_codes.contains_key("web"));
        assert_eq!(
            coded.count(),
            151,
            "{title}: every product the shop gave has its id"
        );
        // Orders book by the ids the catalog gave.
        let run = shop.run().await;
        assert!(run.ok, "{title}: {:?}", run.message);
        assert!(run.booked > 0, "{title}: {run:?}");
        // A second pass reads the same and makes nothing.
        let again = run_catalog(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        assert_eq!((again.pass, again.created), (2, 0), "{title}");
        assert_eq!(
            shop.engine.products(None).expect("p").len(),
            products.len(),
            "{title}"
        );
        shop.started.stop();
    }
}
