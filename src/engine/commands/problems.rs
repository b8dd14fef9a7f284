//! Acknowledging and dismissing problems; the outbox items of an order.

use super::*;

impl Engine {
    /// Acknowledges an oversold product or an order's conflicts.
    pub fn acknowledge(&self, what: &ProblemRef) -> Result<(), EngineError> {
        let _g = self.lock();
        match what {
            ProblemRef::Product(id) => {
                let mut p = self
                    .store()
                    .product(id)?
                    .ok_or_else(|| EngineError::NotFound(format!("product {id}")))?;
                if !p.oversold {
                    return Err(EngineError::Refused(format!(
                        "product {id} is not flagged oversold"
                    )));
                }
                p.oversold = false;
                self.store().write(|tx| tx.put_product(&p))?;
                tracing::info!(product = %id, operator = %self.operator(), "oversold acknowledged");
            }
            ProblemRef::Order(id) => {
                let mut o = self.order_of(*id)?;
                if o.conflicts.is_empty() {
                    return Err(EngineError::Refused(format!(
                        "{} has no conflict to acknowledge",
                        o.display_name()
                    )));
                }
                let entry = self.op(
                    "acknowledged",
                    format!("conflicts acknowledged: {}", o.conflicts.join("; ")),
                );
                o.conflicts.clear();
                self.store().write(|tx| {
                    tx.timeline(o.id, &entry)?;
                    tx.put_order(&o)
                })?;
            }
            ProblemRef::Outbox(_) => {
                return Err(EngineError::Refused(
                    "a failed outbox item is dismissed or retried, not acknowledged".into(),
                ));
            }
        }
        drop(_g);
        self.done()
    }

    /// Dismisses a rejected order or a failed outbox item (recorded on the timeline).
    pub fn dismiss(&self, what: &ProblemRef) -> Result<(), EngineError> {
        let _g = self.lock();
        match what {
            ProblemRef::Order(id) => {
                let mut o = self.order_of(*id)?;
                if o.state != OrderState::Rejected || o.dismissed {
                    return Err(EngineError::Refused(format!(
                        "{} is not a rejected order waiting to be dismissed",
                        o.display_name()
                    )));
                }
                o.dismissed = true;
                let entry = self.op("dismissed", "rejected order dismissed");
                self.store().write(|tx| {
                    tx.timeline(o.id, &entry)?;
                    tx.put_order(&o)
                })?;
            }
            ProblemRef::Outbox(item_id) => {
                let mut item = self.outbox_item(*item_id)?;
                if item.status != OutboxStatus::Failed {
                    return Err(EngineError::Refused(format!(
                        "outbox item {item_id} has not failed"
                    )));
                }
                item.status = OutboxStatus::Dismissed;
                item.updated_at = Utc::now();
                let entry = self.op(
                    "dismissed",
                    format!("not sending to the shop: {}", item.change.describe()),
                );
                self.store().write(|tx| {
                    tx.timeline(item.order_id, &entry)?;
                    tx.put_outbox(&item)
                })?;
            }
            ProblemRef::Product(_) => {
                return Err(EngineError::Refused(
                    "an oversold product is acknowledged, not dismissed".into(),
                ));
            }
        }
        drop(_g);
        self.done()
    }

    fn outbox_item(&self, id: u64) -> Result<OutboxItem, EngineError> {
        self.store()
            .outbox_item(id)?
            .ok_or_else(|| EngineError::NotFound(format!("outbox item {id}")))
    }

    /// Puts a failed outbox item back in the queue.
    pub fn retry_outbox(&self, item_id: u64) -> Result<(), EngineError> {
        let _g = self.lock();
        let mut item = self.outbox_item(item_id)?;
        if item.status != OutboxStatus::Failed {
            return Err(EngineError::Refused(format!(
                "outbox item {item_id} has not failed"
            )));
        }
        item.status = OutboxStatus::Pending;
        item.attempts = 0;
        item.updated_at = Utc::now();
        let entry = self.op(
            "retry",
            format!("sending again: {}", item.change.describe()),
        );
        self.store().write(|tx| {
            tx.timeline(item.order_id, &entry)?;
            tx.put_outbox(&item)
        })?;
        drop(_g);
        self.done()
    }

    /// The outbox items of one order, oldest first.
    pub fn order_outbox(&self, order_id: u64) -> Result<Vec<OutboxItem>, EngineError> {
        Ok(self.store().order_outbox(order_id)?)
    }
}
