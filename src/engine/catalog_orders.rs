//! Products met in orders join the catalog when the store's config says so
//! (`catalog_from_orders = true`): before a batch is taken in, each line naming a product that
//! the store's `product_key` finds nowhere (and that no remembered mapping names) makes one:
//! the line's name, SKU and unit price, the shop's id of it as its remote code for the store,
//! unit piece, no stock, no category until a catalog sync files it (§1.5 then). One product
//! per key (SKU, shop id or name), whatever the number of lines and orders naming it; a
//! product that has the line's SKU but no code for this store takes the code instead of a new
//! product being made.

use super::commands::new_id;
use super::{Engine, EngineError, StoreSettings};
use crate::domain::matching::ProductKey;
use crate::domain::{FetchedOrder, Product, ShopLine};
use std::collections::BTreeMap;

/// What a line asks of the catalog.
enum Need {
    Make(Product),
    Code {
        product_id: String,
        code: String,
        parent: Option<String>,
    },
}

impl Engine {
    /// The key `line` is found by in this store, and whether anything finds it now.
    fn met_key(&self, st: &StoreSettings, line: &ShopLine) -> Result<Option<String>, EngineError> {
        let s = self.store();
        let rid = line
            .variant_id
            .as_deref()
            .or(line.product_remote_id.as_deref());
        let sku = line.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if s.line_mapping(&st.id, line.variant_id.as_deref(), sku)?
            .is_some()
        {
            return Ok(None);
        }
        Ok(match st.intake.product_key {
            ProductKey::Sku => sku
                .filter(|k| s.products_by_sku(k).is_ok_and(|f| f.is_empty()))
                .map(|k| format!("sku:{k}")),
            ProductKey::Name => Some(line.name.trim())
                .filter(|n| !n.is_empty() && s.products_by_name(n).is_ok_and(|f| f.is_empty()))
                .map(|n| format!("name:{n}")),
            ProductKey::RemoteId => rid
                .filter(|r| s.products_by_remote(&st.id, r).is_ok_and(|f| f.is_empty()))
                .map(|r| format!("id:{r}")),
        })
    }

    /// What `line` (found by nothing under `key`) asks for.
    fn met_need(&self, st: &StoreSettings, line: &ShopLine) -> Result<Need, EngineError> {
        let rid = line.shop_code();
        let sku = line
            .sku
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        if let Some((code, parent)) = rid.clone().filter(|_| !sku.is_empty()) {
            for id in self.store().products_by_sku(&sku)? {
                if let Some(p) = self.store().product(&id)?
                    && !p.remote_codes.contains_key(&st.id)
                {
                    return Ok(Need::Code {
                        product_id: p.id,
                        code,
                        parent,
                    });
                }
            }
        }
        let mut p = Product::blank(String::new());
        p.sku = sku;
        p.name = line.name.trim().to_string();
        p.price = line.unit_price;
        if let Some((code, parent)) = rid {
            p.set_remote_code(&st.id, &code, parent.as_deref());
        }
        Ok(Need::Make(p))
    }

    /// Makes the products `batch` meets that the catalog lacks (see the module); how many.
    /// Called with the engine's lock held, before the batch's intake.
    pub(super) fn add_products_met(
        &self,
        st: &StoreSettings,
        batch: &[FetchedOrder],
    ) -> Result<usize, EngineError> {
        let mut needs: BTreeMap<String, Need> = BTreeMap::new();
        for line in batch
            .iter()
            .filter_map(|f| f.order.as_ref().ok())
            .flat_map(|o| &o.lines)
        {
            if let Some(key) = self.met_key(st, line)?
                && !needs.contains_key(&key)
            {
                needs.insert(key, self.met_need(st, line)?);
            }
        }
        if needs.is_empty() {
            return Ok(0);
        }
        self.store().write(|tx| {
            for need in needs.values() {
                match need {
                    Need::Make(p) => {
                        let mut p = p.clone();
                        p.id = new_id(tx, "product", "P", |tx, id| {
                            Ok(tx.get_product(id)?.is_none())
                        })?;
                        tx.put_product(&p)?;
                    }
                    Need::Code {
                        product_id,
                        code,
                        parent,
                    } => {
                        if let Some(mut p) = tx.get_product(product_id)? {
                            p.set_remote_code(&st.id, code, parent.as_deref());
                            tx.put_product(&p)?;
                        }
                    }
                }
            }
            Ok(())
        })?;
        tracing::info!(
            store = st.id,
            n = needs.len(),
            "products met in orders joined the catalog"
        );
        Ok(needs.len())
    }

    /// The products of this store whose remote code a line of `batch` names as a variant
    /// learn the product it is a variant of, where they do not know it yet (a store coded
    /// before parents were kept); one write, only when one is new. Called with the engine's
    /// lock held, before the batch's intake.
    pub(super) fn learn_parents(
        &self,
        st: &StoreSettings,
        batch: &[FetchedOrder],
    ) -> Result<usize, EngineError> {
        let mut learnt: BTreeMap<String, Product> = BTreeMap::new();
        for line in batch
            .iter()
            .filter_map(|f| f.order.as_ref().ok())
            .flat_map(|o| &o.lines)
        {
            let Some((code, Some(parent))) = line.shop_code() else {
                continue;
            };
            for id in self.store().products_by_remote(&st.id, &code)? {
                let p = match learnt.get(&id) {
                    Some(p) => Some(p.clone()),
                    None => self.store().product(&id)?,
                };
                if let Some(mut p) = p
                    && p.remote_parents.get(&st.id) != Some(&parent)
                {
                    p.set_remote_code(&st.id, &code, Some(&parent));
                    learnt.insert(id, p);
                }
            }
        }
        if !learnt.is_empty() {
            self.store().write(|tx| {
                for p in learnt.values() {
                    tx.put_product(p)?;
                }
                Ok(())
            })?;
        }
        Ok(learnt.len())
    }
}
