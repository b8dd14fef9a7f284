//! Merging a duplicate product into the one kept: one transaction moves its stock, baseline,
//! remote codes and line mappings, rewrites every order line, booking and candidate that named
//! it (each such order's timeline says so) and removes it; then the orders that were waiting
//! for a product match take their lines again.

use super::*;

/// What a merge did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Merged {
    /// The kept product as it now is.
    pub product: Product,
    /// The orders whose lines named the merged product, as `STORE:NAME`.
    pub orders: Vec<String>,
    /// Line mappings that now name the kept product.
    pub mappings: usize,
    /// Of those orders, the ones that waited for a match (`STORE:NAME`), with their state
    /// after intake ran again.
    pub matched_again: Vec<(String, OrderState)>,
}

/// `order` with every mention of `from` made `into`; false when it had none.
fn repoint(order: &mut Order, from: &str, into: &str) -> bool {
    let mut changed = false;
    for l in &mut order.lines {
        if l.matched.product_id.as_deref() == Some(from) {
            l.matched.product_id = Some(into.to_string());
            changed = true;
        }
        if l.matched.candidates.iter().any(|c| c == from) {
            l.matched.candidates.retain(|c| c != from);
            if !l.matched.candidates.iter().any(|c| c == into) {
                l.matched.candidates.push(into.to_string());
            }
            changed = true;
        }
    }
    if order.booked_stock.iter().any(|(p, _)| p == from) {
        let moved: i64 = (order.booked_stock.iter())
            .filter(|(p, _)| p == from)
            .map(|(_, n)| n)
            .sum();
        order.booked_stock.retain(|(p, _)| p != from);
        match order.booked_stock.iter_mut().find(|(p, _)| p == into) {
            Some((_, n)) => *n += moved,
            None => order.booked_stock.push((into.to_string(), moved)),
        }
        changed = true;
    }
    changed
}

impl Engine {
    /// Merges product `from` into `into` (see the module docs).
    pub fn merge_products(&self, from: &str, into: &str) -> Result<Merged, EngineError> {
        if from == into {
            return Err(EngineError::Refused(format!(
                "{from} cannot be merged into itself"
            )));
        }
        let guard = self.lock();
        let store = self.store();
        for id in [from, into] {
            if store.product(id)?.is_none() {
                return Err(EngineError::NotFound(format!("product {id}")));
            }
        }
        // Read under the writer's lock: nothing changes them before the write.
        let mappings = store.line_mappings_to(from)?;
        let mut orders = Vec::new();
        for order in store.all_orders() {
            let mut order = order?;
            if repoint(&mut order, from, into) {
                orders.push(order);
            }
        }
        orders.sort_by_key(|o| o.id);
        let why = self.op("merged", format!("product {from} merged into {into}"));
        let product = store.write(|tx| {
            let product = tx.merge_product(from, into, &mappings)?;
            for order in &orders {
                tx.put_order(order)?;
                tx.timeline(order.id, &why)?;
            }
            Ok(product)
        })?;
        drop(guard);
        let mut matched_again = Vec::new();
        for order in orders
            .iter()
            .filter(|o| o.state == OrderState::ProductMatchFailed)
        {
            matched_again.push((order.reference(), self.intake_again(order.id)?));
        }
        self.done()?;
        tracing::info!(from, into, orders = orders.len(), "products merged");
        Ok(Merged {
            product,
            orders: orders.iter().map(Order::reference).collect(),
            mappings: mappings.len(),
            matched_again,
        })
    }
}
