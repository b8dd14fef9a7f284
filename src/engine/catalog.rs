//! A store's catalog sync as the engine records it (DESIGN.md §1 "Catalog sync"): each page
//! of the shop's catalog is one atomic write together with where the sync stands, so a sync
//! cut short resumes at the next page and never makes a product twice. Products are keyed by
//! the shop's id for this store first (`Product::remote_codes`; for a variant, a product of
//! its SKU coded by its parent's id next), then by SKU.

use super::commands::new_id;
use super::{Engine, EngineError, EngineEvent};
use crate::domain::Product;
use crate::domain::catalog::{CatalogProgress, ShopProduct, UNCATEGORIZED};
use chrono::Utc;
use std::collections::BTreeSet;

/// What one shop product does to the store's products.
enum Step<'a> {
    Update(Box<Product>, &'a ShopProduct),
    Create(&'a ShopProduct),
    Skip,
}

/// `p` as the shop gives it for `store`: name, price, category, the shop's id.
fn apply(p: &mut Product, shop: &ShopProduct, store: &str) {
    if !shop.name.trim().is_empty() {
        p.name = shop.name.trim().to_string();
    }
    if let Some(price) = shop.price {
        p.price = price;
    }
    if let Some(category) = shop.category() {
        p.category = category.to_string();
    }
    p.set_remote_code(store, &shop.remote_id, shop.parent.as_deref());
}

impl Engine {
    /// Where store `store`'s catalog sync stands; `None` before its first.
    pub fn catalog_progress(&self, store: &str) -> Result<Option<CatalogProgress>, EngineError> {
        Ok(self.store().catalog_progress(store)?)
    }

    /// Starts store `store`'s catalog sync: the pass that was cut short if there is one (it
    /// resumes at its next page), else a new pass, recorded at once.
    pub fn catalog_begin(&self, store: &str) -> Result<CatalogProgress, EngineError> {
        self.setting(store)?;
        let _g = self.lock();
        let last = self.store().catalog_progress(store)?;
        if let Some(p) = last.as_ref().filter(|p| p.finished_at.is_none()) {
            return Ok(p.clone());
        }
        let fresh = CatalogProgress::next_pass(last.as_ref(), Utc::now());
        self.store()
            .write(|tx| tx.put_catalog_progress(store, &fresh))?;
        Ok(fresh)
    }

    /// Takes one page of store `store`'s catalog into the products, and moves where the sync
    /// stands past it (`next`: the shop's next page; `total`: its count), in one write.
    pub fn catalog_page(
        &self,
        store: &str,
        at: &CatalogProgress,
        products: &[ShopProduct],
        next: Option<String>,
        total: Option<u64>,
    ) -> Result<CatalogProgress, EngineError> {
        let _g = self.lock();
        let mut claimed = BTreeSet::new();
        let mut steps = Vec::with_capacity(products.len());
        for shop in products {
            steps.push(self.catalog_step(store, shop, &mut claimed)?);
        }
        let mut progress = at.clone();
        progress.next = next;
        progress.pages += 1;
        progress.done += products.len() as u64;
        progress.total = total.or(progress.total);
        for s in &steps {
            match s {
                Step::Update(..) => progress.updated += 1,
                Step::Create(_) => progress.created += 1,
                Step::Skip => progress.skipped += 1,
            }
        }
        self.store().write(|tx| {
            for s in &steps {
                let id = match s {
                    Step::Update(p, shop) => {
                        let mut p = Product::clone(p);
                        apply(&mut p, shop, store);
                        tx.put_product(&p)?;
                        p.id
                    }
                    Step::Create(shop) => {
                        let id = new_id(tx, "product", "P", |tx, id| {
                            Ok(tx.get_product(id)?.is_none())
                        })?;
                        let mut p = Product::blank(id);
                        p.sku = shop.sku.trim().to_string();
                        apply(&mut p, shop, store);
                        tx.put_product(&p)?;
                        p.id
                    }
                    Step::Skip => continue,
                };
                tx.mark_catalog_seen(store, &id, progress.pass)?;
            }
            tx.put_catalog_progress(store, &progress)
        })?;
        drop(_g);
        self.flush_step()?;
        Ok(progress)
    }

    /// Which product `shop` is: the one with its id for this store, else the first by SKU
    /// that has no id for this store yet (and no other shop product of this page took), else
    /// a new one. One without a SKU is left out.
    fn catalog_step<'a>(
        &self,
        store: &str,
        shop: &'a ShopProduct,
        claimed: &mut BTreeSet<String>,
    ) -> Result<Step<'a>, EngineError> {
        let known = self
            .store()
            .products_by_remote(store, shop.remote_id.trim())?;
        let mut candidates = known;
        if candidates.is_empty() {
            candidates = self.coded_by_parent(store, shop)?;
        }
        if candidates.is_empty() {
            let sku = shop.sku.trim();
            if sku.is_empty() {
                return Ok(Step::Skip);
            }
            candidates = self.store().products_by_sku(sku)?;
            candidates.retain(|id| !claimed.contains(id));
            let mut free = Vec::new();
            for id in candidates {
                if let Some(p) = self.store().product(&id)?
                    && !p.remote_codes.contains_key(store)
                {
                    free.push(id);
                }
            }
            candidates = free;
        }
        for id in candidates {
            if claimed.insert(id.clone())
                && let Some(p) = self.store().product(&id)?
            {
                return Ok(Step::Update(Box::new(p), shop));
            }
        }
        Ok(if shop.sku.trim().is_empty() {
            Step::Skip
        } else {
            Step::Create(shop)
        })
    }

    /// The products of a variant's SKU coded by its parent's id for this store: a store synced
    /// while the platform's variants were read as their parent (Tray's before they were read
    /// one by one) moves the code to the variant rather than making the product again.
    fn coded_by_parent(&self, store: &str, shop: &ShopProduct) -> Result<Vec<String>, EngineError> {
        let (Some(parent), sku) = (shop.parent.as_deref(), shop.sku.trim()) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for id in self.store().products_by_remote(store, parent.trim())? {
            if let Some(p) = self.store().product(&id)?
                && !sku.is_empty()
                && p.sku.trim() == sku
            {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Ends a complete pass of store `store`'s catalog: each product its orders or its codes
    /// knew that the pass did not give goes to "Uncategorized", in one write with the end;
    /// the sync log records the outcome.
    pub fn catalog_finish(
        &self,
        store: &str,
        at: &CatalogProgress,
    ) -> Result<CatalogProgress, EngineError> {
        let _g = self.lock();
        let mut known: BTreeSet<String> = BTreeSet::new();
        for p in self.store().products() {
            let p = p?;
            if p.remote_codes.contains_key(store) {
                known.insert(p.id);
            }
        }
        for o in self.store().all_orders() {
            let o = o?;
            if o.store == store {
                known.extend(o.lines.iter().filter_map(|l| l.matched.product_id.clone()));
            }
        }
        let mut gone = Vec::new();
        for id in known {
            if self.store().catalog_seen(store, &id)? == Some(at.pass) {
                continue;
            }
            if let Some(mut p) = self.store().product(&id)?
                && p.category != UNCATEGORIZED
            {
                p.category = UNCATEGORIZED.to_string();
                gone.push(p);
            }
        }
        let mut progress = at.clone();
        progress.next = None;
        progress.uncategorized = gone.len() as u64;
        progress.finished_at = Some(Utc::now());
        let run = self.catalog_run(store, &progress, None);
        self.store().write(|tx| {
            for p in &gone {
                tx.put_product(p)?;
            }
            let mut run = run.clone();
            run.id = tx.next_id("run")?;
            tx.put_run(&run)?;
            tx.put_catalog_progress(store, &progress)
        })?;
        drop(_g);
        self.flush()?;
        self.emit(EngineEvent::CatalogDone {
            store: store.to_string(),
            message: progress.summary(),
        });
        self.emit(EngineEvent::SyncRun {
            store: store.to_string(),
            running: false,
        });
        Ok(progress)
    }

    /// Records in the sync log that store `store`'s catalog sync stopped on `error` (it
    /// resumes where it stands). The runner announces the end (`CatalogDone`).
    pub fn catalog_failed(
        &self,
        store: &str,
        at: &CatalogProgress,
        error: &str,
    ) -> Result<(), EngineError> {
        let _g = self.lock();
        let run = self.catalog_run(store, at, Some(error));
        self.store().write(|tx| {
            let mut run = run.clone();
            run.id = tx.next_id("run")?;
            tx.put_run(&run)
        })?;
        drop(_g);
        self.flush()?;
        Ok(())
    }

    /// The sync log's line for a catalog sync (its id given at the write).
    fn catalog_run(
        &self,
        store: &str,
        at: &CatalogProgress,
        error: Option<&str>,
    ) -> crate::domain::history::SyncRun {
        let message = match error {
            None => at.summary(),
            Some(e) => format!(
                "catalog sync stopped after {} products (it resumes there): {e}",
                at.done
            ),
        };
        crate::domain::history::SyncRun {
            finished_at: Some(Utc::now()),
            ok: error.is_none(),
            errors: u64::from(error.is_some()),
            message: Some(message),
            error_lines: error.map(|e| vec![e.to_string()]).unwrap_or_default(),
            ..crate::domain::history::SyncRun::begun(0, store, at.started_at)
        }
    }
}
