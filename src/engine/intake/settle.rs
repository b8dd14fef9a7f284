//! What intake decided, written: the customer (found, created, the store's unspecified one)
//! and, for a booked order, the sale; and stock given back.

use super::entry;
use crate::domain::intake::{CustomerDecision, stock_taken};
use crate::domain::{Customer, Order, OrderState, ShopOrder, phone};
use crate::engine::StoreSettings;
use crate::store::{Tx, TxError};

/// The customer decision and, for a booked order, the sale: stock taken, timeline.
pub(super) fn settle(
    tx: &Tx,
    st: &StoreSettings,
    shop: &ShopOrder,
    decision: &CustomerDecision,
    order: &mut Order,
) -> Result<(), TxError> {
    match decision {
        CustomerDecision::Found(found) => {
            order.customer.id = Some(found.id().to_string());
            tx.timeline(
                order.id,
                &entry(
                    "matched",
                    format!("customer {} matched by {}", found.id(), found.how()),
                ),
            )?;
        }
        // A rejected order was not taken: nobody is created for it.
        CustomerDecision::Unspecified | CustomerDecision::Create
            if order.state == OrderState::Rejected => {}
        CustomerDecision::Unspecified => {
            let id = format!("U-{}", st.id);
            if tx.get_customer(&id)?.is_none() {
                tx.put_customer(&Customer {
                    id: id.clone(),
                    first_name: "Unspecified".into(),
                    last_name: "customer".into(),
                    unspecified_for: Some(st.id.clone()),
                    ..Customer::default()
                })?;
            }
            order.customer.id = Some(id.clone());
            if order.customer.name().is_empty() {
                order.customer.first_name = "Unspecified customer".into();
            }
            tx.timeline(
                order.id,
                &entry(
                    "matched",
                    format!("no contact on the order: booked to {id}, the unspecified customer"),
                ),
            )?;
        }
        CustomerDecision::Create => {
            let id = loop {
                let id = format!("C{}", tx.next_id("customer")?);
                if tx.get_customer(&id)?.is_none() {
                    break id;
                }
            };
            let (first, last) = shop.person_name();
            let addr = shop
                .billing_address
                .clone()
                .or_else(|| shop.shipping_address.clone())
                .unwrap_or_default();
            let c = Customer {
                id: id.clone(),
                first_name: first,
                last_name: last,
                email: shop.best_email().map(str::to_string),
                phone: shop
                    .phones()
                    .first()
                    .and_then(|p| phone::normalize(p, st.intake.phone_region.as_deref())),
                address: [addr.address1, addr.address2].join(" ").trim().to_string(),
                city: addr.city,
                postal_code: addr.postal_code,
                country: addr.country,
                remote_ids: shop
                    .customer
                    .as_ref()
                    .map(|c| vec![format!("{}:{}", st.id, c.remote_id)])
                    .unwrap_or_default(),
                unspecified_for: None,
            };
            tx.put_customer(&c)?;
            order.customer.id = Some(id.clone());
            tx.timeline(
                order.id,
                &entry("matched", format!("customer {id} created from the order")),
            )?;
        }
        CustomerDecision::Missing(_) => {}
    }
    match order.state {
        OrderState::Booked => {
            let taken = kits_taken_apart(tx, stock_taken(&order.lines))?;
            let mut oversold = Vec::new();
            for (pid, qty) in &taken {
                if let Some(p) = tx.adjust_stock(pid, -qty)?
                    && p.stock < 0
                {
                    oversold.push(format!("{pid} (stock {})", p.stock));
                }
            }
            order.booked_stock = taken;
            let mut text = format!(
                "booked: {} line(s), total {}",
                order.lines.len(),
                crate::domain::limits::show_amount(order.total, &order.currency)
            );
            if !oversold.is_empty() {
                text.push_str(&format!("; oversold: {}", oversold.join(", ")));
            }
            tx.timeline(order.id, &entry("booked", text))?;
        }
        OrderState::Rejected => {
            tx.timeline(order.id, &entry("rejected", order.problems.join("; ")))?;
        }
        s => {
            tx.timeline(
                order.id,
                &entry(
                    "parked",
                    format!("{}: {}", s.label(), order.problems.join("; ")),
                ),
            )?;
        }
    }
    Ok(())
}

/// How deep kits may nest (a kit of kits); deeper is a loop in the records, taken as is.
const KIT_DEPTH: usize = 4;

/// What booking `taken` takes from stock: a kit's quantity becomes its components' (each
/// times its count in the kit), so `booked_stock` names only products with stock of their
/// own and giving it back needs no kit.
fn kits_taken_apart(tx: &Tx, taken: Vec<(String, i64)>) -> Result<Vec<(String, i64)>, TxError> {
    fn take(
        tx: &Tx,
        pid: String,
        qty: i64,
        depth: usize,
        out: &mut Vec<(String, i64)>,
    ) -> Result<(), TxError> {
        let parts = match tx.get_product(&pid)? {
            Some(p) if p.is_kit() && depth < KIT_DEPTH => p.components,
            _ => vec![],
        };
        if parts.is_empty() {
            match out.iter_mut().find(|(id, _)| *id == pid) {
                Some((_, q)) => *q += qty,
                None => out.push((pid, qty)),
            }
        }
        for (part, n) in parts {
            take(tx, part, qty.saturating_mul(i64::from(n)), depth + 1, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    for (pid, qty) in taken {
        take(tx, pid, qty, 0, &mut out)?;
    }
    Ok(out)
}

/// Gives back what booking took from stock.
pub(crate) fn give_back(tx: &Tx, order: &mut Order) -> Result<(), TxError> {
    for (pid, qty) in std::mem::take(&mut order.booked_stock) {
        tx.adjust_stock(&pid, qty)?;
    }
    Ok(())
}
