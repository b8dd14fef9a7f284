//! What the simulated shop holds: its orders (each one JSON value in the shape of Shopify's
//! `Order`), the shop itself, and the log of what it received.

use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Instant;

use super::seeded::SeededOrder;

use super::index::Index;
pub use crate::sim::log::LogEntry;

/// An asynchronous job (`orderCancel`'s): not done on the first `job(id:)` that asks, done
/// on later ones or once `DONE_AFTER` has passed.
#[derive(Debug, Clone)]
pub struct Job {
    pub started: Instant,
    pub polls: u32,
}

pub const DONE_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

impl Job {
    /// Whether the job is done, counting this look.
    pub fn poll(&mut self) -> bool {
        let done = self.polls > 0 || self.started.elapsed() >= DONE_AFTER;
        self.polls += 1;
        done
    }
}

/// One order the shop holds: as seeded (its JSON made when asked for), or as a value once it
/// was changed or added.
#[derive(Debug, Clone)]
pub enum Stored {
    Seeded(Box<SeededOrder>),
    Held(Box<Value>),
}

impl Stored {
    /// The order's JSON value.
    pub fn value(&self) -> Cow<'_, Value> {
        match self {
            Stored::Seeded(s) => Cow::Owned(s.build()),
            Stored::Held(v) => Cow::Borrowed(v),
        }
    }

    /// What the index needs: the legacy id, the gid and the three times as stored.
    fn keys(&self) -> (u64, Option<String>, [String; 3]) {
        match self {
            Stored::Seeded(s) => {
                let created = super::order::ts(s.created);
                (
                    s.legacy_id,
                    Some(super::order::gid("Order", s.legacy_id)),
                    [created.clone(), super::order::ts(s.updated), created],
                )
            }
            Stored::Held(v) => super::index::keys_of(v),
        }
    }
}

#[derive(Debug, Clone)]
pub struct World {
    orders: Vec<Stored>,
    pub shop: Value,
    pub log: Vec<LogEntry>,
    pub jobs: HashMap<String, Job>,
    /// Made when a query first needs it; dropped whenever an order may change.
    index: Option<Index>,
    /// Bulk operations, oldest first ([`super::bulk`]).
    pub bulk: Vec<super::bulk::BulkOp>,
    /// Where the simulator is served (`http://127.0.0.1:PORT`), for the bulk results' URLs.
    pub base_url: String,
    /// The shop's catalog, one value per variant by id ([`super::catalog`]).
    pub variants: Vec<Value>,
    /// The variants' inventory at the shop's location ([`super::inventory`]).
    pub inventory: super::inventory::Inventory,
}

impl World {
    /// A world of seeded orders, made when asked for.
    pub fn seeded(orders: Vec<SeededOrder>, shop: Value) -> World {
        World {
            orders: orders
                .into_iter()
                .map(|o| Stored::Seeded(Box::new(o)))
                .collect(),
            shop,
            log: Vec::new(),
            jobs: HashMap::new(),
            index: None,
            bulk: Vec::new(),
            base_url: String::new(),
            variants: Vec::new(),
            inventory: Default::default(),
        }
    }

    /// The order at `at`.
    pub fn get(&self, at: usize) -> Option<Cow<'_, Value>> {
        self.orders.get(at).map(Stored::value)
    }

    /// Every order, in the order held.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, Value>> {
        self.orders.iter().map(Stored::value)
    }

    /// The order at `at`, to change (from then on held as a value): the index is made again
    /// when next needed.
    pub fn get_mut(&mut self, at: usize) -> Option<&mut Value> {
        self.index = None;
        let slot = self.orders.get_mut(at)?;
        if let Stored::Seeded(s) = slot {
            *slot = Stored::Held(Box::new(s.build()));
        }
        match slot {
            Stored::Held(v) => Some(v),
            Stored::Seeded(_) => None,
        }
    }

    /// A new order.
    pub fn push(&mut self, order: Value) {
        self.index = None;
        self.orders.push(Stored::Held(Box::new(order)));
    }

    /// The orders and their index.
    pub fn indexed(&mut self) -> (&[Stored], &Index) {
        let orders = &self.orders;
        let index = self
            .index
            .get_or_insert_with(|| Index::from_keys(orders.iter().map(Stored::keys).collect()));
        (&self.orders, index)
    }

    /// The position of the order with this gid.
    pub fn position(&mut self, gid: &str) -> Option<usize> {
        self.indexed().1.position(gid)
    }
}
