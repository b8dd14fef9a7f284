//! What intake decided, written: the customer (found, created, the store's unspecified one)
//! and, for a booked order, the sale; and stock given back.

use super::entry;
use crate::domain::intake::{CustomerDecision, stock_taken};
use crate::domain::{Customer, Order, OrderState, Product, ShopOrder, phone};
use crate::engine::{StoreSettings, TimelineEntry};
use crate::store::{StoreError, Tx, TxError};

/// How the refusal begins when a customer created is not the one matching foresaw.
pub(super) const MISFORESEEN: &str = "intake: the new customer was matched as";

/// The customer decision and, for a booked order, the sale: stock taken; what was done goes
/// to `notes`, for the order's timeline. `new_customer`: the id matching foresaw for the
/// customer this order creates (other orders of the page were matched to it).
pub(super) fn settle(
    tx: &Tx,
    st: &StoreSettings,
    shop: &ShopOrder,
    (decision, new_customer): (&CustomerDecision, Option<&str>),
    order: &mut Order,
    notes: &mut Vec<TimelineEntry>,
) -> Result<(), TxError> {
    match decision {
        CustomerDecision::Found(found) => {
            order.customer.id = Some(found.id().to_string());
            notes.push(entry(
                "matched",
                format!("customer {} matched by {}", found.id(), found.how()),
            ));
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
            notes.push(entry(
                "matched",
                format!("no contact on the order: booked to {id}, the unspecified customer"),
            ));
        }
        CustomerDecision::Create => {
            let id = free_customer_id(
                || tx.next_id("customer"),
                |id| Ok(tx.get_customer(id)?.is_some()),
            )?;
            if let Some(planned) = new_customer
                && planned != id
            {
                return Err(TxError::Abort(StoreError::Refused(format!(
                    "{MISFORESEEN} {planned} but would be {id}"
                ))));
            }
            tx.put_customer(&customer_from_order(st, shop, id.clone()))?;
            order.customer.id = Some(id.clone());
            notes.push(entry(
                "matched",
                format!("customer {id} created from the order"),
            ));
        }
        CustomerDecision::Missing(_) => {}
    }
    match order.state {
        OrderState::Booked => {
            let Out { taken, mut read } = kits_taken_apart(tx, stock_taken(&order.lines))?;
            let mut oversold = Vec::new();
            for (pid, qty) in &taken {
                let p = match read.iter().position(|p| p.id == *pid) {
                    Some(at) => Some(tx.adjust_product(read.swap_remove(at), -qty)?),
                    None => tx.adjust_stock(pid, -qty)?,
                };
                if let Some(p) = p
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
            notes.push(entry("booked", text));
        }
        OrderState::Rejected => {
            notes.push(entry("rejected", order.problems.join("; ")));
        }
        s => {
            notes.push(entry(
                "parked",
                format!("{}: {}", s.label(), order.problems.join("; ")),
            ));
        }
    }
    Ok(())
}

/// The id of a customer intake creates: `C` and the next number of the `customer` counter
/// (`next`) that no customer has (`taken`: imports name their own ids).
pub(super) fn free_customer_id<E>(
    mut next: impl FnMut() -> Result<u64, E>,
    taken: impl Fn(&str) -> Result<bool, E>,
) -> Result<String, E> {
    loop {
        let id = format!("C{}", next()?);
        if !taken(&id)? {
            return Ok(id);
        }
    }
}

/// The customer an order creates: its name, contacts, address and its link to the shop's
/// customer.
pub(super) fn customer_from_order(st: &StoreSettings, shop: &ShopOrder, id: String) -> Customer {
    let (first, last) = shop.person_name();
    let addr = shop
        .billing_address
        .clone()
        .or_else(|| shop.shipping_address.clone())
        .unwrap_or_default();
    Customer {
        id,
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
    }
}

/// How deep kits may nest (a kit of kits); deeper is a loop in the records, taken as is.
const KIT_DEPTH: usize = 4;

/// What booking `taken` takes from stock: a kit's quantity becomes its components' (each
/// times its count in the kit), so `booked_stock` names only products with stock of their
/// own and giving it back needs no kit. Also the products of the result as read on the way
/// (each once), so that booking does not read them again.
fn kits_taken_apart(tx: &Tx, taken: Vec<(String, i64)>) -> Result<Out, TxError> {
    fn take(tx: &Tx, pid: String, qty: i64, depth: usize, out: &mut Out) -> Result<(), TxError> {
        let p = tx.get_product(&pid)?;
        let parts = match &p {
            Some(p) if p.is_kit() && depth < KIT_DEPTH => p.components.clone(),
            _ => vec![],
        };
        if parts.is_empty() {
            match out.taken.iter_mut().find(|(id, _)| *id == pid) {
                Some((_, q)) => *q += qty,
                None => {
                    out.taken.push((pid, qty));
                    out.read.extend(p);
                }
            }
        }
        for (part, n) in parts {
            take(tx, part, qty.saturating_mul(i64::from(n)), depth + 1, out)?;
        }
        Ok(())
    }
    let mut out = Out {
        taken: Vec::new(),
        read: Vec::new(),
    };
    for (pid, qty) in taken {
        take(tx, pid, qty, 0, &mut out)?;
    }
    Ok(out)
}

/// What booking takes, and the products of it read on the way.
struct Out {
    taken: Vec<(String, i64)>,
    read: Vec<Product>,
}

/// Gives back what booking took from stock.
pub(crate) fn give_back(tx: &Tx, order: &mut Order) -> Result<(), TxError> {
    for (pid, qty) in std::mem::take(&mut order.booked_stock) {
        tx.adjust_stock(&pid, qty)?;
    }
    Ok(())
}
