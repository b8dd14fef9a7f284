//! Merging two products that are one (a duplicate SKU cleared): the kept product takes the
//! other's stock, baseline and remote codes, the line mappings that named the other name it,
//! and the other is gone with its index entries. The orders' lines are the engine's to
//! rewrite, in the same transaction.

use super::stock::{base_bytes, read_base};
use super::{Store, StoreError, T, Tx, TxError};
use crate::domain::Product;
use crate::domain::limits::add_stock;

impl Store {
    /// The keys in `line_mappings` whose product is `product_id` (a walk over the table).
    pub fn line_mappings_to(&self, product_id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::LineMap).iter() {
            let (k, v) = kv?;
            if v == product_id.as_bytes() {
                out.push(k);
            }
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// Moves product `from` into `into` (see the module docs); `mappings` are the line
    /// mappings that name `from` ([`Store::line_mappings_to`], read under the same writer's
    /// lock). Answers the kept product as it now is.
    pub fn merge_product(
        &self,
        from: &str,
        into: &str,
        mappings: &[Vec<u8>],
    ) -> Result<Product, TxError> {
        let refused = |m: String| TxError::Abort(StoreError::Refused(m));
        let (Some(gone), Some(kept)) = (self.get_product(from)?, self.get_product(into)?) else {
            return Err(refused(format!("no product {from} or {into}")));
        };
        let mut merged = kept.clone();
        merged.stock = add_stock(kept.stock, gone.stock).ok_or_else(|| {
            refused(format!(
                "{into}'s stock {} and {from}'s {} together leave the range stock may hold",
                kept.stock, gone.stock
            ))
        })?;
        for (store, code) in &gone.remote_codes {
            if !merged.remote_codes.contains_key(store) {
                let parent = gone.remote_parents.get(store).map(String::as_str);
                merged.set_remote_code(store, code, parent);
            }
        }
        merged.oversold = (kept.oversold || gone.oversold) && merged.stock < 0;
        // The baselines add up as the stocks do, so `stock == baseline - booked` holds once
        // the orders' bookings of `from` are the kept product's.
        let base = |id: &str| -> Result<i64, TxError> {
            Ok(self.t(T::StockBase).get(id)?.map_or(0, |b| read_base(&b)))
        };
        let sum = base(from)?
            .checked_add(base(into)?)
            .ok_or_else(|| refused(format!("{from} and {into}: stock baselines overflow")))?;
        self.t(T::StockBase).insert(into, base_bytes(sum))?;
        self.t(T::StockBase).remove(from)?;
        self.remove_product(&gone)?;
        self.write_product(Some(kept), &merged)?;
        for key in mappings {
            self.t(T::LineMap).insert(key, into.as_bytes())?;
        }
        Ok(merged)
    }
}
