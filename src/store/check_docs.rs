//! The part of `orderdesk check` about shipping manifests and invoices:
//!
//! - `idx_manifest_order` against the open manifests (each order of an open manifest → that
//!   manifest), an order on two open manifests, and manifests naming orders that do not exist;
//! - `idx_invoice_order` against the invoices (order → its invoice), two invoices of one order,
//!   and each store's invoice numbers: 1, 2, 3… with no gap and none twice, the store's counter
//!   (`meta` `next:invoice:STORE`) at the last one.

use super::check::{CheckReport, Expected, expect};
use super::codec::{decode, read_u64, u64_key};
use super::{Store, StoreError, T};
use crate::domain::invoice::Invoice;
use crate::domain::manifest::Manifest;
use std::collections::BTreeMap;

impl Store {
    /// `orders`: the ids of the orders that read, sorted.
    pub(super) fn check_documents(
        &self,
        orders: &[u64],
        r: &mut CheckReport,
    ) -> Result<(), StoreError> {
        let known = |id: u64| orders.binary_search(&id).is_ok();
        let mut on_manifest = Expected::new();
        for m in self.readable::<Manifest>(T::Manifests, "manifests", "manifest", r)? {
            for o in &m.orders {
                if !known(o.order_id) {
                    r.differ(
                        "manifests",
                        format!(
                            "manifest {} names order {}, which does not exist",
                            m.id, o.order_id
                        ),
                    );
                }
                if !m.is_open() {
                    continue;
                }
                let key = u64_key(o.order_id).to_vec();
                if let Some((_, first)) = on_manifest.get(&key) {
                    r.differ(
                        "manifests",
                        format!(
                            "order {} is on {first} and on open manifest {}",
                            o.order_id, m.id
                        ),
                    );
                    continue;
                }
                let who = format!("open manifest {}", m.id);
                expect(&mut on_manifest, key, &u64_key(m.id), who);
            }
        }
        self.compare_index(T::ManifestOrder, on_manifest, r)?;

        let mut of_order = Expected::new();
        let mut seqs: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for inv in self.readable::<Invoice>(T::Invoices, "invoices", "invoice", r)? {
            if !known(inv.order_id) {
                r.differ(
                    "invoices",
                    format!(
                        "invoice {} names order {}, which does not exist",
                        inv.number(),
                        inv.order_id
                    ),
                );
            }
            let key = u64_key(inv.order_id).to_vec();
            if let Some((_, first)) = of_order.get(&key) {
                r.differ(
                    "invoices",
                    format!(
                        "order {} has {first} and invoice {}",
                        inv.order_id,
                        inv.number()
                    ),
                );
            } else {
                let who = format!("invoice {}", inv.number());
                expect(&mut of_order, key, &u64_key(inv.id), who);
            }
            seqs.entry(inv.store.clone()).or_default().push(inv.seq);
        }
        self.compare_index(T::InvoiceOrder, of_order, r)?;
        for (store, mut numbers) in seqs {
            numbers.sort_unstable();
            for (i, n) in numbers.iter().enumerate() {
                if *n != i as u64 + 1 {
                    r.differ(
                        "invoices",
                        format!(
                            "store {store}'s invoice numbers are not 1 to {} without a gap or a repeat (found {n} at place {})",
                            numbers.len(),
                            i + 1
                        ),
                    );
                    break;
                }
            }
            let counter = self
                .tree(T::Meta)
                .get(format!("next:invoice:{store}"))?
                .map(|v| read_u64(&v))
                .unwrap_or(0);
            if counter != numbers.len() as u64 {
                r.differ(
                    "meta",
                    format!(
                        "store {store}'s invoice counter is at {counter}, its invoices number {}",
                        numbers.len()
                    ),
                );
            }
        }
        Ok(())
    }

    /// Every record of table `t` that reads; one that does not is a difference in `area`.
    fn readable<R: serde::de::DeserializeOwned>(
        &self,
        t: T,
        area: &str,
        what: &str,
        r: &mut CheckReport,
    ) -> Result<Vec<R>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(t).iter() {
            let (k, v) = kv?;
            match decode(&v) {
                Ok(rec) => out.push(rec),
                Err(e) => r.differ(area, format!("{what} {} does not read: {e}", read_u64(&k))),
            }
        }
        Ok(out)
    }
}
