//! Operator commands: each one engine call and one atomic store write — the change, a
//! timeline entry with the operator's name, and an outbox item for what the shop must hear.

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
    fn op(&self, kind: &str, text: impl Into<String>) -> TimelineEntry {
        TimelineEntry {
            at: Utc::now(),
            by: self.operator().to_string(),
            kind: kind.into(),
            text: text.into(),
        }
    }

    fn order_of(&self, order_id: u64) -> Result<Order, EngineError> {
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
    fn done(&self) -> Result<(), EngineError> {
        self.store().flush()?;
        self.emit(EngineEvent::OrdersChanged);
        self.emit(EngineEvent::ProblemsChanged);
        Ok(())
    }

    /// Customers whose name words start with the query's words (case and diacritics folded),
    /// from the name index; an email or phone query looks those up exactly.
    pub fn search_customers(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Customer>, EngineError> {
        let q = query.trim();
        let ids: Vec<String> = if q.contains('@') {
            text::email_key(q)
                .map(|e| self.store().customers_by_email(&e))
                .transpose()?
                .unwrap_or_default()
        } else if q.chars().filter(|c| c.is_ascii_digit()).count() >= 6
            && !q.chars().any(char::is_alphabetic)
        {
            match crate::domain::phone::normalize(q, None) {
                Some(p) => self.store().customers_by_phone(&p)?,
                None => vec![],
            }
        } else {
            let mut tokens = text::tokens(q);
            // The longest word drives the index scan: it narrows the candidates most.
            tokens.sort_by_key(|t| std::cmp::Reverse(t.len()));
            let Some((first, rest)) = tokens.split_first() else {
                return Ok(vec![]);
            };
            self.store().customers_by_name_words(first, rest, limit)?
        };
        let mut out = Vec::new();
        for id in ids.into_iter().take(limit) {
            if let Some(c) = self.store().customer(&id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Products by exact SKU first, then SKU, name or id containing the query (folded).
    pub fn search_products(&self, query: &str, limit: usize) -> Result<Vec<Product>, EngineError> {
        let q = query.trim();
        let mut out: Vec<Product> = Vec::new();
        for id in self.store().products_by_sku(q)? {
            if let Some(p) = self.store().product(&id)? {
                out.push(p);
            }
        }
        for p in self.products(Some(q))? {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|o| o.id == p.id) {
                out.push(p);
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Links the order's shop customer to `customer_id` (remembered for that shop) and runs
    /// intake again. Returns the order's new state.
    pub fn identify_customer(
        &self,
        order_id: u64,
        customer_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if order.state != OrderState::CustomerIdNeeded {
            return Err(EngineError::Refused(format!(
                "{} does not need a customer (it is {})",
                order.display_name(),
                order.state.label()
            )));
        }
        let customer = self
            .store()
            .customer(customer_id)?
            .ok_or_else(|| EngineError::NotFound(format!("customer {customer_id}")))?;
        let state = self.link_and_reintake(
            &order,
            &customer.id,
            format!(
                "customer identified as {} {}",
                customer.id,
                customer.full_name()
            ),
            &|_| Ok(()),
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
    }

    /// Remembers the link from the order's shop customer (or, for a guest order, the order
    /// itself) to a local customer, and runs intake again, in one transaction with `writes`.
    fn link_and_reintake(
        &self,
        order: &Order,
        customer_id: &str,
        why: String,
        writes: &dyn Fn(&Tx) -> Result<(), TxError>,
    ) -> Result<OrderState, EngineError> {
        let st = self.setting(&order.store)?.clone();
        let mut shop = self.kept_shop_order(order)?;
        // A guest order has no shop customer: the link is remembered for the order itself.
        let remote = match &shop.customer {
            Some(c) => c.remote_id.clone(),
            None => {
                let remote = format!("order-{}", shop.remote_id);
                let (first_name, last_name) = shop.person_name();
                shop.customer = Some(ShopCustomer {
                    remote_id: remote.clone(),
                    first_name,
                    last_name,
                    email: shop.email.clone(),
                    phone: shop.phone.clone(),
                });
                remote
            }
        };
        let store_id = st.id.clone();
        let cid = customer_id.to_string();
        let link_remote = remote.clone();
        let shop_kept = shop.clone();
        let raw = self.store().order_raw(order.id)?.unwrap_or_default();
        self.reintake_with(
            &st,
            order,
            &shop,
            None,
            self.op("identified", why),
            Some((remote, customer_id.to_string())),
            vec![],
            &|tx| {
                writes(tx)?;
                tx.link_customer(&store_id, &link_remote, &cid)?;
                tx.put_source(order.id, &raw, &shop_kept)
            },
        )
    }

    /// Creates a customer (checked: email shape, phone normalised, at least one of the two),
    /// links it to the order's shop customer, and runs intake again.
    pub fn create_customer_for(
        &self,
        order_id: u64,
        draft: &CustomerDraft,
    ) -> Result<(String, OrderState), EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if order.state != OrderState::CustomerIdNeeded {
            return Err(EngineError::Refused(format!(
                "{} does not need a customer (it is {})",
                order.display_name(),
                order.state.label()
            )));
        }
        let st = self.setting(&order.store)?.clone();
        let (email, phone) =
            check_customer(draft, st.intake.phone_region.as_deref()).map_err(FormErrors)?;
        let id = self.store().write(|tx| {
            new_id(tx, "customer", "C", |tx, id| {
                Ok(tx.get_customer(id)?.is_none())
            })
        })?;
        let c = customer_from(&id, draft, email, phone);
        let state = self.link_and_reintake(
            &order,
            &id,
            format!("customer {} {} created", id, c.full_name()),
            &|tx| tx.put_customer(&c),
        )?;
        drop(_g);
        self.done()?;
        Ok((id, state))
    }

    /// The order's data as a customer draft (for the create form, editable).
    pub fn customer_draft(&self, order_id: u64) -> Result<CustomerDraft, EngineError> {
        let order = self.order_of(order_id)?;
        let shop = self.store().shop_order(order_id)?;
        let (first_name, last_name) = shop.as_ref().map(|s| s.person_name()).unwrap_or_else(|| {
            (
                order.customer.first_name.clone(),
                order.customer.last_name.clone(),
            )
        });
        let addr = shop
            .as_ref()
            .and_then(|s| {
                s.billing_address
                    .clone()
                    .or_else(|| s.shipping_address.clone())
            })
            .unwrap_or_default();
        Ok(CustomerDraft {
            first_name,
            last_name,
            email: order.customer.email.clone().unwrap_or_default(),
            phone: shop
                .as_ref()
                .and_then(|s| s.phones().first().map(|p| p.to_string()))
                .or(order.customer.phone.clone())
                .unwrap_or_default(),
            address: [addr.address1.trim(), addr.address2.trim()]
                .join(" ")
                .trim()
                .to_string(),
            city: addr.city,
            postal_code: addr.postal_code,
            country: addr.country,
        })
    }

    /// Edits a customer, with the same checks as creating one.
    pub fn update_customer(
        &self,
        customer_id: &str,
        draft: &CustomerDraft,
    ) -> Result<Customer, EngineError> {
        let _g = self.lock();
        let old = self
            .store()
            .customer(customer_id)?
            .ok_or_else(|| EngineError::NotFound(format!("customer {customer_id}")))?;
        let region = self
            .settings()
            .first()
            .and_then(|s| s.intake.phone_region.clone());
        let (email, phone) = check_customer(draft, region.as_deref()).map_err(FormErrors)?;
        let mut c = customer_from(customer_id, draft, email, phone);
        c.remote_ids = old.remote_ids.clone();
        c.unspecified_for = old.unspecified_for.clone();
        self.store().write(|tx| tx.put_customer(&c))?;
        drop(_g);
        self.done()?;
        Ok(c)
    }

    /// Maps an order line to a product (remembered by the shop's variant id, else by store and
    /// SKU; for this order only when the line has neither) and runs intake again.
    pub fn map_line(
        &self,
        order_id: u64,
        line: u32,
        product_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        self.parked(&order)?;
        let l = order
            .lines
            .iter()
            .find(|l| l.line == line)
            .cloned()
            .ok_or_else(|| {
                EngineError::NotFound(format!("line {line} of {}", order.display_name()))
            })?;
        let p = self
            .store()
            .product(product_id)?
            .ok_or_else(|| EngineError::NotFound(format!("product {product_id}")))?;
        let st = self.setting(&order.store)?.clone();
        let shop = self.kept_shop_order(&order)?;
        let sku = l.sku.clone().filter(|s| !s.trim().is_empty());
        let remembered = l.variant_id.is_some() || sku.is_some();
        let why = format!(
            "line {line} ({}) mapped to {} {}{}",
            l.name,
            p.id,
            p.name,
            if remembered { "" } else { " for this order" }
        );
        let (store_id, remote) = (st.id.clone(), order.remote_id.clone());
        let state = self.reintake_with(
            &st,
            &order,
            &shop,
            None,
            self.op("mapped", why),
            None,
            vec![(l.variant_id.clone(), sku.clone(), p.id.clone())],
            &|tx| {
                if !tx.map_line(&store_id, l.variant_id.as_deref(), sku.as_deref(), &p.id)? {
                    tx.map_order_line(&store_id, &remote, &l.remote_id, &p.id)?;
                }
                Ok(())
            },
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
    }

    pub fn update_product(
        &self,
        product_id: &str,
        edit: &ProductEdit,
    ) -> Result<Product, EngineError> {
        let _g = self.lock();
        let mut p = self
            .store()
            .product(product_id)?
            .ok_or_else(|| EngineError::NotFound(format!("product {product_id}")))?;
        let mut errors = Vec::new();
        if let Some(sku) = &edit.sku {
            if sku.trim().is_empty() {
                errors.push(FieldError {
                    field: "sku",
                    message: "a SKU is needed".into(),
                });
            }
            p.sku = sku.trim().to_string();
        }
        if let Some(name) = &edit.name {
            if name.trim().is_empty() {
                errors.push(FieldError {
                    field: "name",
                    message: "a name is needed".into(),
                });
            }
            p.name = name.trim().to_string();
        }
        if let Some(price) = edit.price {
            if price < Money::ZERO {
                errors.push(FieldError {
                    field: "price",
                    message: "the price cannot be negative".into(),
                });
            }
            p.price = price;
        }
        if let Some(stock) = edit.stock {
            p.stock = stock;
        }
        if let Some(c) = &edit.category {
            p.category = c.trim().to_string();
        }
        if !errors.is_empty() {
            return Err(FormErrors(errors).into());
        }
        self.store().write(|tx| tx.put_product(&p))?;
        drop(_g);
        self.done()?;
        Ok(p)
    }

    /// Creates a product (a SKU and a name at least).
    pub fn create_product(
        &self,
        sku: &str,
        name: &str,
        price: Money,
        stock: i64,
    ) -> Result<Product, EngineError> {
        let mut errors = Vec::new();
        if sku.trim().is_empty() {
            errors.push(FieldError {
                field: "sku",
                message: "a SKU is needed".into(),
            });
        }
        if name.trim().is_empty() {
            errors.push(FieldError {
                field: "name",
                message: "a name is needed".into(),
            });
        }
        if price < Money::ZERO {
            errors.push(FieldError {
                field: "price",
                message: "the price cannot be negative".into(),
            });
        }
        if !errors.is_empty() {
            return Err(FormErrors(errors).into());
        }
        let _g = self.lock();
        let p = self.store().write(|tx| {
            let id = new_id(tx, "product", "P", |tx, id| {
                Ok(tx.get_product(id)?.is_none())
            })?;
            let p = Product {
                id,
                sku: sku.trim().to_string(),
                name: name.trim().to_string(),
                description: String::new(),
                price,
                stock,
                category: String::new(),
                unit: crate::domain::records::default_unit(),
                oversold: false,
                remote_codes: Default::default(),
            };
            tx.put_product(&p)?;
            Ok(p)
        })?;
        drop(_g);
        self.done()?;
        Ok(p)
    }

    /// Runs intake again on a parked order (after records were fixed elsewhere).
    pub fn intake_again(&self, order_id: u64) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        self.parked(&order)?;
        let st = self.setting(&order.store)?.clone();
        let shop = self.kept_shop_order(&order)?;
        let state = self.reintake(
            &st,
            &order,
            &shop,
            None,
            self.op("intake", "intake run again"),
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
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
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if matches!(
            order.state,
            OrderState::Rejected | OrderState::Cancelled | OrderState::Refused
        ) {
            return Err(EngineError::Refused(format!(
                "{} is {}: no payment can be recorded",
                order.display_name(),
                order.state.label()
            )));
        }
        if method.trim().is_empty() {
            return Err(FormErrors(vec![FieldError {
                field: "method",
                message: "choose a payment method".into(),
            }])
            .into());
        }
        if amount <= Money::ZERO {
            return Err(FormErrors(vec![FieldError {
                field: "amount",
                message: "the amount must be more than zero".into(),
            }])
            .into());
        }
        if amount > order.balance() && !over_balance_ok {
            return Err(EngineError::Refused(format!(
                "{} {} is more than the balance {} {} of {}; confirm to record it anyway",
                amount,
                order.currency,
                order.balance(),
                order.currency,
                order.display_name()
            )));
        }
        let payment = Payment {
            method: method.trim().to_string(),
            amount,
            comment: comment.trim().to_string(),
            operator: self.operator().to_string(),
            at: Utc::now(),
        };
        let mut o = order.clone();
        o.payments.push(payment.clone());
        let text = format!(
            "payment {} {} {}{}; balance {} {}",
            payment.method,
            amount,
            o.currency,
            if payment.comment.is_empty() {
                String::new()
            } else {
                format!(" ({})", payment.comment)
            },
            o.balance(),
            o.currency
        );
        let entry = self.op("payment", text);
        self.store().write(|tx| {
            tx.timeline(o.id, &entry)?;
            tx.put_order(&o)
        })?;
        drop(_g);
        self.done()?;
        Ok(payment)
    }

    /// Moves the order (only as DESIGN.md §1 allows) and queues what the shop must hear.
    pub fn change_status(
        &self,
        order_id: u64,
        change: &StatusChange,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if let Some(why) = refusal(&order, change) {
            return Err(EngineError::Refused(why));
        }
        let st = self.setting(&order.store)?.clone();
        let shop_change = match change {
            StatusChange::ReadyForPickup => order
                .shipping
                .as_ref()
                .filter(|s| s.pickup)
                .map(|_| ShopChange::PreparedForPickup),
            StatusChange::ReadyToShip => None,
            StatusChange::Shipped { carrier, tracking } => {
                let Some(company) = st.carriers.get(carrier.trim()) else {
                    let known: Vec<&str> = st.carriers.keys().map(String::as_str).collect();
                    return Err(EngineError::Refused(format!(
                        "carrier \"{}\" is not mapped for store {} (add it under [store.carriers]; mapped: {})",
                        carrier.trim(),
                        st.id,
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )));
                };
                Some(ShopChange::Fulfil {
                    company: Some(company.clone()),
                    number: Some(tracking.trim().to_string()),
                    notify_customer: true,
                })
            }
            StatusChange::Completed => (order.state == OrderState::ReadyForPickup
                && order.fulfillment != crate::domain::RemoteFulfillment::Fulfilled)
                .then_some(ShopChange::Fulfil {
                    company: None,
                    number: None,
                    notify_customer: false,
                }),
            StatusChange::Refused { reason } => Some(ShopChange::Cancel {
                reason: reason.trim().to_string(),
                notify_customer: true,
                refund: true,
                restock: true,
            }),
        };
        let target = change.target();
        let mut text = format!("status {} -> {}", order.state.as_str(), target.as_str());
        match change {
            StatusChange::Shipped { carrier, tracking } => {
                text.push_str(&format!(" ({} {})", carrier.trim(), tracking.trim()))
            }
            StatusChange::Refused { reason } => text.push_str(&format!(": {}", reason.trim())),
            _ => {}
        }
        let entry = self.op("status", text);
        let operator = self.operator().to_string();
        self.store().write(|tx| {
            let mut o = order.clone();
            if target == OrderState::Refused {
                give_back(tx, &mut o)?;
                o.problems.clear();
            }
            o.state = target;
            tx.timeline(o.id, &entry)?;
            if let Some(c) = &shop_change {
                queue(tx, &st, &o, c.clone(), &operator)?;
            }
            tx.put_order(&o)
        })?;
        drop(_g);
        self.done()?;
        Ok(target)
    }

    /// A free note on the order's timeline.
    pub fn add_note(&self, order_id: u64, note: &str) -> Result<(), EngineError> {
        if note.trim().is_empty() {
            return Err(FormErrors(vec![FieldError {
                field: "note",
                message: "the note is empty".into(),
            }])
            .into());
        }
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        let entry = self.op("note", note.trim());
        self.store().write(|tx| tx.timeline(order.id, &entry))?;
        drop(_g);
        self.done()
    }

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
        let mut out = Vec::new();
        for item in self.store().outbox_items() {
            let item = item?;
            if item.order_id == order_id {
                out.push(item);
            }
        }
        Ok(out)
    }
}

/// The next free id `PREFIX<n>`.
fn new_id(
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
pub(crate) fn queue(
    tx: &Tx,
    st: &StoreSettings,
    order: &Order,
    change: ShopChange,
    operator: &str,
) -> Result<(), TxError> {
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
        return tx.timeline(order.id, &e);
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
    tx.put_outbox(&item)
}
