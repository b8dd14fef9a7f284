//! Matching a page before it is written. Matching reads the store's indexes, which sled does
//! not allow inside a transaction, so each order is matched first and a run of orders is then
//! written in one transaction. A customer that an order of the run will create is seen by the
//! orders after it (with the id the transaction will give it), so a page is one run unless an
//! order creates a customer in a way that cannot be told beforehand (an order fetched again).

use super::settle::{customer_from_order, free_customer_id};
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
    /// id cannot be told beforehand (any, unless `foresee`): what intake decides for each
    /// (`None`: unreadable).
    pub(super) fn plan(
        &self,
        st: &StoreSettings,
        batch: &[FetchedOrder],
        foresee: bool,
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
            let foreseen = foresee
                && creates
                && !kept
                && shop.dealt_with_elsewhere().is_none()
                && !batch[..at].iter().any(|b| b.remote_id == inc.remote_id);
            let new_customer = match foreseen {
                true => Some(free_customer_id(
                    || {
                        last_id += 1;
                        Ok::<_, EngineError>(last_id)
                    },
                    |id| Ok(store.customer(id)?.is_some()),
                )?),
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

#[cfg(test)]
mod tests {
    use crate::domain::intake::{CustomerDecision, UnknownCustomer};
    use crate::domain::matching::CustomerFound;
    use crate::engine::Engine;
    use crate::sample::{OrderMix, bench_settings, customers_csv, products_csv, shop_order};

    /// A page whose orders create customers is matched as one run, each created customer
    /// with the next free id, and later orders of the page match it.
    #[test]
    fn a_page_that_creates_customers_is_one_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut st = bench_settings();
        st.intake.unknown_customer = UnknownCustomer::Create;
        let e = Engine::open(dir.path(), "test", vec![st.clone()]).expect("open");
        e.import_products("p.csv", &products_csv(100))
            .expect("products");
        e.import_customers("c.csv", &customers_csv(50), Some("HU"))
            .expect("customers");
        let now = chrono::Utc::now();
        let mix = OrderMix {
            customers: 50,
            products: 100,
            orders: 300,
            first: now - chrono::Duration::days(30),
            last: now,
        };
        let mut page: Vec<_> = (0..300).map(|i| shop_order(&mix, i)).collect();
        // Another order of each of the first three customers the page creates.
        let creators: Vec<usize> = (0..page.len())
            .filter(|&i| {
                page[i]
                    .order
                    .as_ref()
                    .is_ok_and(|o| o.email.as_deref().is_some_and(|m| m.starts_with("new")))
            })
            .take(3)
            .collect();
        for (n, &i) in creators.iter().enumerate() {
            let mut again = page[i].clone();
            again.remote_id = format!("again-{n}");
            if let Ok(o) = again.order.as_mut() {
                o.remote_id = again.remote_id.clone();
                o.customer = None;
            }
            page.push(again);
        }
        let plans = e.plan(&st, &page, true).expect("plan");
        assert_eq!(plans.len(), page.len(), "one run");
        // The import took C1..C50 and left the counter alone: the next free ids follow.
        assert_eq!(e.store().last_id("customer").expect("counter"), 0);
        let first = 51;
        let made: Vec<String> = plans
            .iter()
            .flatten()
            .filter_map(|p| p.new_customer.clone())
            .collect();
        assert!(made.len() >= 3, "{made:?}");
        let want: Vec<String> = (first..)
            .take(made.len())
            .map(|n| format!("C{n}"))
            .collect();
        assert_eq!(made, want);
        for (n, &i) in creators.iter().enumerate() {
            let created = plans[i].as_ref().and_then(|p| p.new_customer.clone());
            let again = plans[300 + n].as_ref().map(|p| p.result.customer.clone());
            assert_eq!(
                again,
                created.map(|id| CustomerDecision::Found(CustomerFound::Email(id))),
                "again-{n}"
            );
        }
        // Without foresight the run ends at the first order that creates one.
        let plans = e.plan(&st, &page, false).expect("plan");
        assert_eq!(plans.len(), creators[0] + 1);
    }
}
