//! Matching a page before it is written. Matching reads the store's indexes, which sled does
//! not allow inside a transaction, so each order is matched first and a run of orders is then
//! written in one transaction. A customer that an order of the run will create is seen by the
//! orders after it (with the id the transaction will give it), so a page is one run unless an
//! order creates a customer in a way that cannot be told beforehand (an order fetched again).

use super::settle::customer_from_order;
use crate::domain::intake::{self, CustomerDecision, IntakeResult};
use crate::domain::{FetchedOrder, OrderState};
use crate::engine::records::{Created, Overlay, StoreRecords};
use crate::engine::{Engine, EngineError, StoreSettings};

/// What one order's matching decided, before its transaction.
pub(super) struct Planned {
    pub result: IntakeResult,
    /// The id the customer this order creates will have.
    pub new_customer: Option<String>,
}

impl Engine {
    /// Matches the orders of `batch` against the store as it is and the customers created
    /// before them in the batch, up to and including the first that creates a customer whose
    /// id cannot be told beforehand: what intake decides for each (`None`: unreadable).
    pub(super) fn plan(
        &self,
        st: &StoreSettings,
        batch: &[FetchedOrder],
    ) -> Result<Vec<Option<Planned>>, EngineError> {
        let store = self.store();
        let mut out = Vec::new();
        let mut created = Vec::new();
        let mut last_id = store.last_id("customer")?;
        for (at, inc) in batch.iter().enumerate() {
            let Ok(shop) = &inc.order else {
                out.push(None);
                continue;
            };
            let kept = store.order_by_remote(&st.id, &shop.remote_id)?.is_some();
            let lines = match kept {
                true => self.kept_mappings(st, shop, vec![])?,
                false => vec![],
            };
            let overlay = Overlay {
                base: StoreRecords(store),
                link: None,
                lines,
                created: &created,
            };
            let result = intake::intake(&st.id, shop, &st.intake, &overlay);
            let creates = matches!(result.customer, CustomerDecision::Create)
                && result.state != OrderState::Rejected;
            // A new order (its first copy in the page, not dealt with elsewhere) that creates
            // a customer does so in its transaction as matched here, and nothing between
            // takes a customer id: the id is the next free one after the counter.
            let foreseen = creates
                && !kept
                && shop.dealt_with_elsewhere().is_none()
                && !batch[..at].iter().any(|b| b.remote_id == inc.remote_id);
            let new_customer = match foreseen {
                true => Some(loop {
                    last_id += 1;
                    let id = format!("C{last_id}");
                    if store.customer(&id)?.is_none() {
                        break id;
                    }
                }),
                false => None,
            };
            if let Some(id) = &new_customer {
                created.push(Created::new(customer_from_order(st, shop, id.clone())));
            }
            out.push(Some(Planned {
                result,
                new_customer,
            }));
            if creates && !foreseen {
                break;
            }
        }
        Ok(out)
    }
}
