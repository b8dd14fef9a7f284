//! Operator commands: each one engine call and one atomic store write — the change, a
//! timeline entry with the operator's name, and an outbox item for what the shop must hear.

mod customers;
mod merge;
mod problems;
mod products;
mod status;

pub use merge::Merged;
pub(crate) use status::fulfil_with_tracking;

use super::intake::give_back;
use super::{Engine, EngineError, EngineEvent, StoreSettings, TimelineEntry};
use crate::domain::forms::{CustomerDraft, FieldError, check_customer};
use crate::domain::lifecycle::{StatusChange, refusal};
use crate::domain::outbox::{OutboxItem, OutboxStatus, ShopChange};
use crate::domain::{
    Customer, Money, Order, OrderState, Payment, Product, ShopCustomer, ShopOrder, text,
};
use crate::store::{Tx, TxError};
use chrono::Utc;

/// A refused form: each field's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct FormErrors(pub Vec<FieldError>);

/// Changes to a product; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductEdit {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub price: Option<Money>,
    pub stock: Option<i64>,
    pub category: Option<String>,
}

/// What the Errors pane's acknowledge / dismiss act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemRef {
    /// An oversold product.
    Product(String),
    /// An order's conflicts, or a rejected order.
    Order(u64),
    /// A failed outbox item.
    Outbox(u64),
}

impl Engine {
    pub(crate) fn op(&self, kind: &str, text: impl Into<String>) -> TimelineEntry {
        TimelineEntry {
            at: Utc::now(),
            by: self.operator().to_string(),
            kind: kind.into(),
            text: text.into(),
        }
    }

    pub(crate) fn order_of(&self, order_id: u64) -> Result<Order, EngineError> {
        self.store()
            .order(order_id)?
            .ok_or_else(|| EngineError::NotFound(format!("order {order_id}")))
    }

    /// The shop's data as kept beside a parked order, for intake to run again.
    fn kept_shop_order(&self, order: &Order) -> Result<ShopOrder, EngineError> {
        self.store().shop_order(order.id)?.ok_or_else(|| {
            EngineError::Refused(format!(
                "the shop's data of {} is not kept here; sync the store to fetch it again",
                order.display_name()
            ))
        })
    }

    fn parked(&self, order: &Order) -> Result<(), EngineError> {
        if order.state.needs_action() || order.state == OrderState::Rejected {
            Ok(())
        } else {
            Err(EngineError::Refused(format!(
                "{} is {}: nothing to match again",
                order.display_name(),
                order.state.label()
            )))
        }
    }

    /// Ends an operator command: to disk, and tell the screens.
    pub(crate) fn done(&self) -> Result<(), EngineError> {
        self.flush_step()?;
        self.emit(EngineEvent::OrdersChanged);
        self.emit(EngineEvent::ProblemsChanged);
        Ok(())
    }
}

/// The next free id `PREFIX<n>`.
pub(super) fn new_id(
    tx: &Tx,
    counter: &str,
    prefix: &str,
    free: impl Fn(&Tx, &str) -> Result<bool, TxError>,
) -> Result<String, TxError> {
    loop {
        let id = format!("{prefix}{}", tx.next_id(counter)?);
        if free(tx, &id)? {
            return Ok(id);
        }
    }
}

fn customer_from(
    id: &str,
    d: &CustomerDraft,
    email: Option<String>,
    phone: Option<String>,
) -> Customer {
    Customer {
        id: id.to_string(),
        first_name: d.first_name.trim().to_string(),
        last_name: d.last_name.trim().to_string(),
        email,
        phone,
        address: d.address.trim().to_string(),
        city: d.city.trim().to_string(),
        postal_code: d.postal_code.trim().to_string(),
        country: d.country.trim().to_string(),
        remote_ids: vec![],
        unspecified_for: None,
    }
}

/// Queues what the shop must hear, in the caller's transaction; a read-only store gets none.
/// The queued item's id, if one was queued.
pub(crate) fn queue(
    tx: &Tx,
    st: &StoreSettings,
    order: &Order,
    change: ShopChange,
    operator: &str,
) -> Result<Option<u64>, TxError> {
    let now = Utc::now();
    if st.read_only {
        let e = TimelineEntry {
            at: now,
            by: operator.into(),
            kind: "not sent".into(),
            text: format!(
                "not sent: store {} is read-only ({})",
                st.id,
                change.describe()
            ),
        };
        return tx.timeline(order.id, &e).map(|_| None);
    }
    let id = tx.next_id("outbox")?;
    let item = OutboxItem {
        id,
        store: st.id.clone(),
        order_id: order.id,
        order_name: order.display_name(),
        remote_order_id: order.remote_id.clone(),
        change,
        key: format!("orderdesk-{}-{}-{id}", st.id, order.remote_id),
        status: OutboxStatus::Pending,
        attempts: 0,
        last_error: None,
        answer: None,
        created_at: now,
        updated_at: now,
    };
    let e = TimelineEntry {
        at: now,
        by: operator.into(),
        kind: "queued".into(),
        text: format!("queued for the shop: {}", item.change.describe()),
    };
    tx.timeline(order.id, &e)?;
    tx.put_outbox(&item)?;
    Ok(Some(id))
}
