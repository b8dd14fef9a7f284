//! The store's indexes answering intake's look-ups, and the record queries for scripts.

use super::{Engine, EngineError};
use crate::domain::matching::Records;
use crate::domain::{Customer, Product, phone, text};
use crate::store::Store;

/// Intake's view of the store's records (reads outside the transaction; the engine's write
/// lock keeps them current for the command that uses them).
pub(crate) struct StoreRecords<'a>(pub &'a Store);

impl Records for StoreRecords<'_> {
    fn customer_by_link(&self, store: &str, remote_customer_id: &str) -> Option<String> {
        let id = self
            .0
            .customer_link(store, remote_customer_id)
            .ok()
            .flatten()?;
        // A link to a deleted customer is dropped: matching goes on by email and phone.
        self.0.customer(&id).ok().flatten().map(|c| c.id)
    }
    fn customers_by_email(&self, email_key: &str) -> Vec<String> {
        self.0.customers_by_email(email_key).unwrap_or_default()
    }
    fn customers_by_phone(&self, normalized: &str) -> Vec<String> {
        self.0.customers_by_phone(normalized).unwrap_or_default()
    }
    fn customer_name(&self, id: &str) -> Option<String> {
        self.0.customer(id).ok().flatten().map(|c| c.full_name())
    }
    fn products_by_sku(&self, sku: &str) -> Vec<String> {
        self.0.products_by_sku(sku).unwrap_or_default()
    }
    fn products_by_name(&self, name: &str) -> Vec<String> {
        self.0.products_by_name(name).unwrap_or_default()
    }
    fn products_by_remote_id(&self, store: &str, remote_id: &str) -> Vec<String> {
        self.0
            .products_by_remote(store, remote_id)
            .unwrap_or_default()
    }
    /// Mappings made for one order's line alone are not looked up here: the engine loads
    /// them with the order (`Overlay::lines`).
    fn mapped_product(
        &self,
        store: &str,
        _line_id: &str,
        variant_id: Option<&str>,
        sku: Option<&str>,
    ) -> Option<String> {
        let id = self.0.line_mapping(store, variant_id, sku).ok().flatten()?;
        self.0.product(&id).ok().flatten().map(|p| p.id)
    }
}

impl Engine {
    /// Products whose SKU, name or id contains `search` (folded), or all; sorted by id.
    pub fn products(&self, search: Option<&str>) -> Result<Vec<Product>, EngineError> {
        let needle = search.map(text::fold);
        let mut out = Vec::new();
        for p in self.store().products() {
            let p = p?;
            let hit = needle.as_deref().is_none_or(|n| {
                text::fold(&p.sku).contains(n)
                    || text::fold(&p.name).contains(n)
                    || text::fold(&p.id).contains(n)
            });
            if hit {
                out.push(p);
            }
        }
        for p in out.iter_mut().filter(|p| p.is_kit()) {
            p.stock = self.available(p);
        }
        out.sort_by_key(|r| natural(&r.id));
        Ok(out)
    }

    /// Every product as stored (a kit's own stock, not what its components make), by id:
    /// what `orderdesk export products` writes.
    pub fn records_for_export(&self) -> Result<Vec<Product>, EngineError> {
        let mut out = self.store().products().collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|r| natural(&r.id));
        Ok(out)
    }

    /// What can be sold of `p`: its stock, or for a kit the whole kits its components make.
    pub fn available(&self, p: &Product) -> i64 {
        p.available(|id| self.store().product(id).ok().flatten().map(|c| c.stock))
    }

    /// The products that share a SKU, by SKU (each group sorted by id): what a merge clears.
    pub fn duplicate_skus(&self) -> Result<Vec<(String, Vec<Product>)>, EngineError> {
        let mut out = Vec::new();
        for (sku, ids) in self.store().shared_skus()? {
            let mut group = Vec::with_capacity(ids.len());
            for id in ids {
                group.extend(self.store().product(&id)?);
            }
            group.sort_by_key(|p| natural(&p.id));
            out.push((sku, group));
        }
        Ok(out)
    }

    /// Customers whose name, email or phone contains `search` (folded), or all; sorted by id.
    pub fn customers(&self, search: Option<&str>) -> Result<Vec<Customer>, EngineError> {
        let needle = search.map(text::fold);
        let mut out = Vec::new();
        for c in self.store().customers() {
            let c = c?;
            let hit = needle.as_deref().is_none_or(|n| {
                text::fold(&c.full_name()).contains(n)
                    || c.email
                        .as_deref()
                        .is_some_and(|e| text::fold(e).contains(n))
                    || c.phone.as_deref().is_some_and(|p| p.contains(n))
            });
            if hit {
                out.push(c);
            }
        }
        out.sort_by_key(|r| natural(&r.id));
        Ok(out)
    }

    pub fn product(&self, id: &str) -> Result<Option<Product>, EngineError> {
        Ok(self.store().product(id)?)
    }

    pub fn customer(&self, id: &str) -> Result<Option<Customer>, EngineError> {
        Ok(self.store().customer(id)?)
    }
}

/// `P2` before `P10`.
pub(crate) fn natural(id: &str) -> (String, u64, String) {
    let split = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
    let (head, tail) = id.split_at(split);
    let digits: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = tail[digits.len()..].to_string();
    (head.to_string(), digits.parse().unwrap_or(0), rest)
}

/// A line mapping intake sees beside the store's: one a command is about to write, or one
/// made for a line of this order alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineMapping {
    /// Remembered by the shop's variant id and by SKU, each the line has.
    Remembered {
        variant_id: Option<String>,
        sku: Option<String>,
        product_id: String,
    },
    /// For this one line of this order (it has neither a variant id nor a SKU).
    ThisLine { line_id: String, product_id: String },
}

/// The store's records with what a command is about to write seen already (a link, a line
/// mapping), so intake runs again inside the same transaction as the command's own writes.
pub(crate) struct Overlay<'a> {
    pub base: StoreRecords<'a>,
    /// (this store's remote customer id, local customer id).
    pub link: Option<(String, String)>,
    /// For this order's lines.
    pub lines: Vec<LineMapping>,
    /// Customers that orders matched earlier in the same page create (intake's plan).
    pub created: &'a [Created],
}

/// A customer about to be created, with the keys the store will index it by.
pub(crate) struct Created {
    customer: Customer,
    email_key: Option<String>,
    phone: Option<String>,
}

impl Created {
    pub fn new(customer: Customer) -> Created {
        Created {
            email_key: customer.email.as_deref().and_then(text::email_key),
            phone: (customer.phone.as_deref()).and_then(|p| phone::normalize(p, None)),
            customer,
        }
    }
}

impl Overlay<'_> {
    /// `ids` with those of the customers about to be created that `fits`, in the order of
    /// the store's index (by id).
    fn with_created(&self, mut ids: Vec<String>, fits: impl Fn(&Created) -> bool) -> Vec<String> {
        let before = ids.len();
        let fitting = self.created.iter().filter(|c| fits(c));
        ids.extend(fitting.map(|c| c.customer.id.clone()));
        if ids.len() > before {
            ids.sort();
        }
        ids
    }

    /// The product of a remembered mapping the command is about to write whose (variant id,
    /// SKU) fits.
    fn pending(&self, fits: impl Fn(Option<&str>, Option<&str>) -> bool) -> Option<String> {
        self.lines.iter().find_map(|m| match m {
            LineMapping::Remembered {
                variant_id,
                sku,
                product_id,
            } if fits(variant_id.as_deref(), sku.as_deref()) => Some(product_id.clone()),
            _ => None,
        })
    }
}

impl Records for Overlay<'_> {
    fn customer_by_link(&self, store: &str, remote_customer_id: &str) -> Option<String> {
        // A customer created with a link takes it from whoever had it.
        let link = format!("{store}:{remote_customer_id}");
        let mut created = self.created.iter().rev().map(|c| &c.customer);
        if let Some(c) = created.find(|c| c.remote_ids.contains(&link)) {
            return Some(c.id.clone());
        }
        match &self.link {
            Some((remote, id)) if remote == remote_customer_id => Some(id.clone()),
            _ => self.base.customer_by_link(store, remote_customer_id),
        }
    }
    fn customers_by_email(&self, email_key: &str) -> Vec<String> {
        self.with_created(self.base.customers_by_email(email_key), |c| {
            c.email_key.as_deref() == Some(email_key)
        })
    }
    fn customers_by_phone(&self, normalized: &str) -> Vec<String> {
        self.with_created(self.base.customers_by_phone(normalized), |c| {
            c.phone.as_deref() == Some(normalized)
        })
    }
    fn customer_name(&self, id: &str) -> Option<String> {
        match self.created.iter().find(|c| c.customer.id == id) {
            Some(c) => Some(c.customer.full_name()),
            None => self.base.customer_name(id),
        }
    }
    fn products_by_sku(&self, sku: &str) -> Vec<String> {
        self.base.products_by_sku(sku)
    }
    fn products_by_name(&self, name: &str) -> Vec<String> {
        self.base.products_by_name(name)
    }
    fn products_by_remote_id(&self, store: &str, remote_id: &str) -> Vec<String> {
        self.base.products_by_remote_id(store, remote_id)
    }
    fn mapped_product(
        &self,
        store: &str,
        line_id: &str,
        variant_id: Option<&str>,
        sku: Option<&str>,
    ) -> Option<String> {
        // As the store will answer once the command's mappings are written: by variant id,
        // then by SKU.
        let by_variant = || {
            let v = variant_id?;
            self.pending(|lv, _| lv == Some(v))
                .or_else(|| self.base.mapped_product(store, line_id, Some(v), None))
        };
        let by_sku = || {
            let s = sku?;
            self.pending(|_, ls| ls == Some(s))
                .or_else(|| self.base.mapped_product(store, line_id, None, Some(s)))
        };
        // A line mapped for this order alone (it had neither): that very line.
        let for_this_order = || {
            self.lines.iter().find_map(|m| match m {
                LineMapping::ThisLine {
                    line_id: l,
                    product_id,
                } if l == line_id => Some(product_id.clone()),
                _ => None,
            })
        };
        by_variant().or_else(by_sku).or_else(for_this_order)
    }
}
