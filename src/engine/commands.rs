//! Operator commands: each one engine call and one atomic store write — the change, a
//! timeline entry with the operator's name, and an outbox item for what the shop must hear.

use super::{Engine, EngineError};
use crate::domain::forms::{CustomerDraft, FieldError};
use crate::domain::lifecycle::StatusChange;
use crate::domain::outbox::OutboxItem;
use crate::domain::{Customer, Money, OrderState, Payment, Product};

/// A refused form: each field's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct FormErrors(pub Vec<FieldError>);

/// Changes to a product; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductEdit {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub price: Option<Money>,
    pub stock: Option<i64>,
    pub category: Option<String>,
}

/// What the Errors pane's acknowledge / dismiss act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemRef {
    /// An oversold product.
    Product(String),
    /// An order's conflicts, or a rejected order.
    Order(u64),
    /// A failed outbox item.
    Outbox(u64),
}

impl Engine {
    /// Customers whose name words start with the query's words (case and diacritics folded),
    /// from the name index; also exact email or phone.
    pub fn search_customers(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Customer>, EngineError> {
        let _ = (query, limit);
        todo!()
    }

    /// Products whose SKU or name matches the query (SKU prefix, name words), from indexes.
    pub fn search_products(&self, query: &str, limit: usize) -> Result<Vec<Product>, EngineError> {
        let _ = (query, limit);
        todo!()
    }

    /// Links the order's shop customer to `customer_id` (remembered for that shop) and runs
    /// intake again. Returns the order's new state.
    pub fn identify_customer(
        &self,
        order_id: u64,
        customer_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _ = (order_id, customer_id);
        todo!()
    }

    /// Creates a customer (checked: email shape, phone normalised, at least one of the two),
    /// links it to the order's shop customer, and runs intake again.
    pub fn create_customer_for(
        &self,
        order_id: u64,
        draft: &CustomerDraft,
    ) -> Result<(String, OrderState), EngineError> {
        let _ = (order_id, draft);
        todo!()
    }

    /// The order's data as a customer draft (for the create form, editable).
    pub fn customer_draft(&self, order_id: u64) -> Result<CustomerDraft, EngineError> {
        let _ = order_id;
        todo!()
    }

    /// Edits a customer, with the same checks as creating one.
    pub fn update_customer(
        &self,
        customer_id: &str,
        draft: &CustomerDraft,
    ) -> Result<Customer, EngineError> {
        let _ = (customer_id, draft);
        todo!()
    }

    /// Maps an order line to a product (remembered by the shop's variant id, else by store and
    /// SKU) and runs intake again.
    pub fn map_line(
        &self,
        order_id: u64,
        line: u32,
        product_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _ = (order_id, line, product_id);
        todo!()
    }

    pub fn update_product(
        &self,
        product_id: &str,
        edit: &ProductEdit,
    ) -> Result<Product, EngineError> {
        let _ = (product_id, edit);
        todo!()
    }

    /// Creates a product (a SKU and a name at least).
    pub fn create_product(
        &self,
        sku: &str,
        name: &str,
        price: Money,
        stock: i64,
    ) -> Result<Product, EngineError> {
        let _ = (sku, name, price, stock);
        todo!()
    }

    /// Runs intake again on a parked order (after records were fixed elsewhere).
    pub fn intake_again(&self, order_id: u64) -> Result<OrderState, EngineError> {
        let _ = order_id;
        todo!()
    }

    /// Records a payment. More than the balance only with `over_balance_ok`.
    pub fn record_payment(
        &self,
        order_id: u64,
        method: &str,
        amount: Money,
        comment: &str,
        over_balance_ok: bool,
    ) -> Result<Payment, EngineError> {
        let _ = (order_id, method, amount, comment, over_balance_ok);
        todo!()
    }

    /// Moves the order (only as DESIGN.md §1 allows) and queues what the shop must hear.
    pub fn change_status(
        &self,
        order_id: u64,
        change: &StatusChange,
    ) -> Result<OrderState, EngineError> {
        let _ = (order_id, change);
        todo!()
    }

    /// A free note on the order's timeline.
    pub fn add_note(&self, order_id: u64, text: &str) -> Result<(), EngineError> {
        let _ = (order_id, text);
        todo!()
    }

    /// Acknowledges an oversold product or an order's conflicts (recorded on the timeline).
    pub fn acknowledge(&self, what: &ProblemRef) -> Result<(), EngineError> {
        let _ = what;
        todo!()
    }

    /// Dismisses a rejected order or a failed outbox item (recorded on the timeline).
    pub fn dismiss(&self, what: &ProblemRef) -> Result<(), EngineError> {
        let _ = what;
        todo!()
    }

    /// Puts a failed outbox item back in the queue.
    pub fn retry_outbox(&self, item_id: u64) -> Result<(), EngineError> {
        let _ = item_id;
        todo!()
    }

    /// The outbox items of one order, oldest first.
    pub fn order_outbox(&self, order_id: u64) -> Result<Vec<OutboxItem>, EngineError> {
        let _ = order_id;
        todo!()
    }
}
