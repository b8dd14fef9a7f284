//! Stock sent back, on every platform whose connector sets stock: a booked kit decrements its
//! components, and the shop receives each affected product's new available quantity (kits
//! computed) once, the newest; an unchanged store sends nothing more.

use crate::shop::{platforms, shop_with};
use orderdesk::domain::Product;
use orderdesk::sync::catalog::run_catalog;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booked_kit_moves_its_components_and_the_shop_gets_each_quantity_once() {
    let mut tried = Vec::new();
    for (row, sim) in platforms() {
        let shop = shop_with(row, sim, 60, 0, |_| {}).await;
        if !shop.channel.takes_stock() {
            shop.started.stop();
            continue;
        }
        let title = shop.title;
        tried.push(title);
        // The black tea (which the seeded orders sell) is a kit here: two green teas and a
        // red mug.
        let kit = "id,sku,name,description,price,stock,category,unit,components\n\
                   P2,TEA-002,Tea for two,,5.90,0,Tea,piece,TEA-001*2;MUG-RED\n";
        shop.engine
            .import_products("kit.csv", kit)
            .expect("the kit");
        run_catalog(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        let stock = |sku: &str| stock_of(&shop, |p| p.sku == sku);
        let (tea_before, _) = stock("TEA-001");
        let run = shop.run().await;
        assert!(run.ok, "{title}: {:?}", run.message);
        let orders = shop.engine.all_orders(None).expect("orders");
        let held: i64 = (orders.iter())
            .flat_map(|o| o.booked_stock.iter())
            .filter(|(id, _)| id == "P1")
            .map(|(_, n)| *n)
            .sum();
        // An order booked with the kit holds its components' stock, not the kit's.
        let with_kit = (orders.iter())
            .find(|o| {
                !o.booked_stock.is_empty()
                    && o.lines.iter().any(|l| l.sku.as_deref() == Some("TEA-002"))
            })
            .unwrap_or_else(|| panic!("{title}: a booked order sells the kit"));
        let kits: i64 = (with_kit.lines.iter())
            .filter(|l| l.sku.as_deref() == Some("TEA-002"))
            .map(|l| i64::from(l.quantity))
            .sum();
        let holds = |id: &str| {
            with_kit
                .booked_stock
                .iter()
                .filter(|(p, _)| p == id)
                .map(|(_, n)| *n)
                .sum::<i64>()
        };
        assert!(
            holds("P1") >= 2 * kits && holds("P5") >= kits,
            "{title}: {:?}",
            with_kit.booked_stock
        );
        assert_eq!(holds("P2"), 0, "{title}: a kit has no stock of its own");
        let (tea, tea_code) = stock("TEA-001");
        let (mug, mug_code) = stock("MUG-RED");
        assert_eq!(
            tea,
            tea_before - held,
            "{title}: what the orders hold of it"
        );
        let set = shop.log("inventory_set").await;
        let mut by_product: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for e in &set {
            let id = e["product_id"].as_str().unwrap_or_default().to_string();
            by_product
                .entry(id)
                .or_default()
                .push(e["quantity"].as_i64().unwrap_or(-1));
        }
        assert_eq!(
            by_product.get(&tea_code),
            Some(&vec![tea.max(0)]),
            "{title}: once, the newest: {set:?}"
        );
        assert_eq!(
            by_product.get(&mug_code),
            Some(&vec![mug.max(0)]),
            "{title}"
        );
        let (_, kit_code) = stock("TEA-002");
        let kit_now = (tea.max(0) / 2).min(mug.max(0));
        assert_eq!(
            by_product.get(&kit_code),
            Some(&vec![kit_now]),
            "{title}: the kit computed"
        );
        assert_eq!(
            run.stock_updated,
            set.len() as u64,
            "{title}: the sync log counts them"
        );
        // Nothing moved since: nothing more is sent.
        let again = shop.run().await;
        assert!(again.ok && again.stock_updated == 0, "{title}: {again:?}");
        assert_eq!(shop.log("inventory_set").await.len(), set.len(), "{title}");
        shop.started.stop();
    }
    assert_eq!(
        tried,
        [
            "Shopify",
            "WooCommerce",
            "PrestaShop",
            "Magento 2",
            "Tray",
            "Shoprenter"
        ]
    );
}

/// The blue mug is sold as a variant on the platforms that have them (a WooCommerce
/// variation, set only through its parent product; a Tray variant): the catalog codes it by
/// the id its order lines name, its new quantity reaches the shop under that id, once, and
/// the sync log has no refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_s_new_quantity_reaches_the_shop_under_its_own_id() {
    for (row, sim) in platforms() {
        let shop = shop_with(row, sim, 40, 0, |_| {}).await;
        if !shop.channel.takes_stock() {
            shop.started.stop();
            continue;
        }
        let title = shop.title;
        run_catalog(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(shop.run().await.ok, "{title}");
        // The seed has two products of the mug's SKU: the shop sells one as a variant where
        // it has them, and its order lines name that variant.
        let orders = shop.engine.all_orders(None).expect("orders");
        let mut named: Vec<&str> = (orders.iter())
            .flat_map(|o| o.lines.iter())
            .filter(|l| l.sku.as_deref() == Some("MUG-BLUE"))
            .filter_map(|l| l.variant_id.as_deref())
            .collect();
        named.dedup();
        if ["woocommerce", "tray"].contains(&row.platform.name) {
            assert_eq!(named.len(), 1, "{title}: the mug is sold as a variant");
        }
        let products = shop.engine.products(None).expect("products");
        let mug = (products.iter())
            .filter(|p| p.sku == "MUG-BLUE")
            .find(|p| {
                named.is_empty()
                    || p.remote_codes.get("web").map(String::as_str) == named.first().copied()
            })
            .unwrap_or_else(|| panic!("{title}: the mug coded by {named:?}"));
        let code = mug.remote_codes.get("web").cloned().unwrap_or_default();
        assert!(!code.is_empty(), "{title}: the catalog sync coded it");
        let csv = format!(
            "id,sku,name,description,price,stock,category,unit\n{},{},\"{}\",,{},{},\"{}\",piece\n",
            mug.id,
            mug.sku,
            mug.name.replace('"', "\"\""),
            mug.price,
            mug.stock + 17,
            mug.category.replace('"', "\"\"")
        );
        shop.engine
            .import_products("stock.csv", &csv)
            .expect("the new stock");
        let run = shop.run().await;
        assert!(run.ok, "{title}: {:?}", run.message);
        assert!(run.error_lines.is_empty(), "{title}: {:?}", run.error_lines);
        let set = shop.log("inventory_set").await;
        let to_mug: Vec<i64> = (set.iter())
            .filter(|e| e["product_id"].as_str() == Some(code.as_str()))
            .map(|e| e["quantity"].as_i64().unwrap_or(-1))
            .collect();
        let (now, _) = stock_of(&shop, |p| p.id == mug.id);
        assert_eq!(to_mug, [now.max(0)], "{title}: {set:?}");
        shop.started.stop();
    }
}

/// The stock of the product `pick` picks, and its remote code for the store.
fn stock_of(shop: &crate::shop::Shop, pick: impl Fn(&Product) -> bool) -> (i64, String) {
    let p = shop.engine.products(None).expect("products");
    let p = p.into_iter().find(|p| pick(p)).expect("the product");
    (
        p.stock,
        p.remote_codes.get("web").cloned().unwrap_or_default(),
    )
}
