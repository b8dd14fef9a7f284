//! Shipping manifests (DESIGN.md §1 "Shipping"): create one for a carrier, add ready-to-ship
//! orders with their tracking numbers, take one off, and ship it: every order Shipped and one
//! shipping notification per order queued to its shop, all in one store transaction.

use super::commands::{fulfil_with_tracking, queue};
use super::{Engine, EngineError, EngineEvent};
use crate::domain::limits::{self, MAX_TRACKING_CHARS};
use crate::domain::manifest::{Manifest, ManifestOrder, ManifestState};
use crate::domain::outbox::{OutboxItem, ShopChange};
use crate::domain::{Order, OrderState};
use chrono::Utc;

/// A manifest with what each order's shop answered (its shipping notification, once queued).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ManifestDetail {
    pub manifest: Manifest,
    /// Per order of the manifest, in its order: the notification queued when it shipped.
    pub sent: Vec<Option<OutboxItem>>,
}

impl Engine {
    /// A new manifest for a carrier some configured store maps (`[store.carriers]`).
    pub fn create_manifest(&self, carrier: &str) -> Result<Manifest, EngineError> {
        let carrier = carrier.trim();
        let mut known: Vec<&str> = self
            .settings()
            .iter()
            .flat_map(|s| s.carriers.keys().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        if !known.contains(&carrier) {
            return Err(EngineError::Refused(format!(
                "carrier \"{carrier}\" is mapped by no store (add it under [store.carriers]; mapped: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
        let _g = self.lock();
        let (created_at, created_by) = (Utc::now(), self.operator().to_string());
        let m = self.store().write(|tx| {
            let m = Manifest {
                id: tx.next_id("manifest")?,
                carrier: carrier.to_string(),
                state: ManifestState::InPreparation,
                created_at,
                created_by: created_by.clone(),
                shipped_at: None,
                shipped_by: None,
                orders: Vec::new(),
            };
            tx.put_manifest(&m)?;
            Ok(m)
        })?;
        drop(_g);
        self.manifests_done()?;
        Ok(m)
    }

    /// Adds a ready-to-ship order with its tracking number to an open manifest. An order is
    /// on one open manifest at most.
    pub fn add_to_manifest(
        &self,
        manifest_id: u64,
        order_id: u64,
        tracking: &str,
    ) -> Result<Manifest, EngineError> {
        let tracking = tracking.trim();
        let checked = if tracking.is_empty() {
            Err("a tracking number is needed".to_string())
        } else {
            limits::check_text("the tracking number", tracking, MAX_TRACKING_CHARS, false)
        };
        if let Err(message) = checked {
            return Err(super::FormErrors(vec![crate::domain::forms::FieldError {
                field: "tracking".into(),
                message,
            }])
            .into());
        }
        let _g = self.lock();
        let mut m = self.open_manifest(manifest_id, "add to")?;
        let order = self.order_of(order_id)?;
        let name = order.display_name();
        if order.state != OrderState::ReadyToShip {
            return Err(EngineError::Refused(format!(
                "{name} is {}: only a ready-to-ship order goes on a manifest",
                order.state.label()
            )));
        }
        if let Some(other) = self.store().open_manifest_of(order_id)? {
            return Err(EngineError::Refused(format!(
                "{name} is already on open manifest {other}{}",
                if other == manifest_id {
                    String::new()
                } else {
                    format!(
                        " (take it off there first: manifest remove {other} {}:{})",
                        order.store, order.name
                    )
                }
            )));
        }
        // Refused now rather than when the manifest ships.
        fulfil_with_tracking(self.setting(&order.store)?, &m.carrier, tracking)?;
        m.orders.push(ManifestOrder {
            order_id,
            store: order.store.clone(),
            name: order.name.clone(),
            tracking: tracking.to_string(),
            recipient: recipient(&order),
            address: address(&order),
            added_at: Utc::now(),
            outbox_id: None,
        });
        let entry = self.op(
            "manifest",
            format!(
                "added to manifest {manifest_id} ({} tracking {tracking})",
                m.carrier
            ),
        );
        self.commit_order(_g, m, order_id, entry, true)
    }

    /// Takes an order off an open manifest.
    pub fn remove_from_manifest(
        &self,
        manifest_id: u64,
        order_id: u64,
    ) -> Result<Manifest, EngineError> {
        let _g = self.lock();
        let mut m = self.open_manifest(manifest_id, "take an order off")?;
        let before = m.orders.len();
        m.orders.retain(|o| o.order_id != order_id);
        if m.orders.len() == before {
            return Err(EngineError::NotFound(format!(
                "order {order_id} on manifest {manifest_id}"
            )));
        }
        let entry = self.op("manifest", format!("taken off manifest {manifest_id}"));
        self.commit_order(_g, m, order_id, entry, false)
    }

    /// Writes a manifest an order was added to (refused if another open manifest took it
    /// meanwhile) or taken off, with the order's timeline entry, in one transaction.
    fn commit_order(
        &self,
        guard: std::sync::MutexGuard<'_, ()>,
        m: Manifest,
        order_id: u64,
        entry: crate::domain::history::TimelineEntry,
        adding: bool,
    ) -> Result<Manifest, EngineError> {
        self.store().write(|tx| {
            if adding && tx.open_manifest_of(order_id)?.is_some() {
                return Err(crate::store::TxError::Abort(
                    crate::store::StoreError::Refused(format!(
                        "order {order_id} is already on an open manifest"
                    )),
                ));
            }
            tx.timeline(order_id, &entry)?;
            tx.put_manifest(&m)
        })?;
        drop(guard);
        self.manifests_done()?;
        Ok(m)
    }

    /// Hands the manifest to the carrier: in one transaction every order moves to Shipped and
    /// one shipping notification per order (the fulfilment with carrier and tracking that
    /// marking an order shipped queues) goes to its shop's outbox.
    pub fn ship_manifest(&self, manifest_id: u64) -> Result<Manifest, EngineError> {
        let _g = self.lock();
        let mut m = self.open_manifest(manifest_id, "ship")?;
        if m.orders.is_empty() {
            return Err(EngineError::Refused(format!(
                "manifest {manifest_id} has no orders: add ready-to-ship orders before shipping it"
            )));
        }
        let mut work: Vec<(Order, ShopChange, crate::engine::StoreSettings)> = Vec::new();
        let mut not_ready = Vec::new();
        for mo in &m.orders {
            let order = self.order_of(mo.order_id)?;
            if order.state != OrderState::ReadyToShip {
                not_ready.push(format!(
                    "{} is {}",
                    order.display_name(),
                    order.state.label()
                ));
                continue;
            }
            let st = self.setting(&order.store)?.clone();
            let change = fulfil_with_tracking(&st, &m.carrier, &mo.tracking)?;
            work.push((order, change, st));
        }
        if !not_ready.is_empty() {
            return Err(EngineError::Refused(format!(
                "manifest {manifest_id} was not shipped: {} (take {} off with manifest remove)",
                not_ready.join(", "),
                if not_ready.len() == 1 { "it" } else { "them" }
            )));
        }
        let operator = self.operator().to_string();
        let entries: Vec<_> = m
            .orders
            .iter()
            .map(|mo| {
                self.op(
                    "status",
                    format!(
                        "status ready_to_ship -> shipped ({} {}) with manifest {manifest_id}",
                        m.carrier, mo.tracking
                    ),
                )
            })
            .collect();
        m.state = ManifestState::Shipped;
        m.shipped_at = Some(Utc::now());
        m.shipped_by = Some(operator.clone());
        let shipped = self.store().write(|tx| {
            let mut m = m.clone();
            for (i, (order, change, st)) in work.iter().enumerate() {
                let mut o = order.clone();
                o.state = OrderState::Shipped;
                tx.timeline(o.id, &entries[i])?;
                m.orders[i].outbox_id = queue(tx, st, &o, change.clone(), &operator)?;
                tx.put_order(&o)?;
            }
            tx.put_manifest(&m)?;
            Ok(m)
        })?;
        drop(_g);
        self.done()?;
        self.emit(EngineEvent::ManifestsChanged);
        Ok(shipped)
    }

    /// Every manifest, newest first.
    pub fn manifests(&self) -> Result<Vec<Manifest>, EngineError> {
        Ok(self.store().manifests()?)
    }

    /// One manifest with each order's shipping notification as the outbox holds it now.
    pub fn manifest_detail(&self, id: u64) -> Result<Option<ManifestDetail>, EngineError> {
        let Some(manifest) = self.store().manifest(id)? else {
            return Ok(None);
        };
        let mut sent = Vec::with_capacity(manifest.orders.len());
        for o in &manifest.orders {
            sent.push(match o.outbox_id {
                Some(item) => self.store().outbox_item(item)?,
                None => None,
            });
        }
        Ok(Some(ManifestDetail { manifest, sent }))
    }

    fn open_manifest(&self, id: u64, what: &str) -> Result<Manifest, EngineError> {
        let m = self
            .store()
            .manifest(id)?
            .ok_or_else(|| EngineError::NotFound(format!("manifest {id}")))?;
        if !m.is_open() {
            return Err(EngineError::Refused(format!(
                "manifest {id} is already shipped: cannot {what} it (create a new manifest)"
            )));
        }
        Ok(m)
    }

    fn manifests_done(&self) -> Result<(), EngineError> {
        self.flush_step()?;
        self.emit(EngineEvent::ManifestsChanged);
        Ok(())
    }
}

fn recipient(o: &Order) -> String {
    let shipped_to = o
        .shipping
        .as_ref()
        .and_then(|s| s.address.as_ref())
        .map(|a| {
            format!("{} {}", a.first_name.trim(), a.last_name.trim())
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty());
    shipped_to.unwrap_or_else(|| o.customer.name())
}

fn address(o: &Order) -> String {
    o.shipping
        .as_ref()
        .and_then(|s| s.address.as_ref())
        .map(|a| a.one_line())
        .unwrap_or_default()
}

/// What the shop answered about one order's notification, in a few words.
pub fn shop_answer(sent: &Option<OutboxItem>) -> String {
    match sent {
        None => "-".into(),
        Some(i) => match (i.status, &i.last_error) {
            (crate::domain::outbox::OutboxStatus::Sent, _) => match &i.answer {
                Some(a) => format!("sent: {a}"),
                None => "sent".into(),
            },
            (crate::domain::outbox::OutboxStatus::Failed, Some(e)) => format!("failed: {e}"),
            (crate::domain::outbox::OutboxStatus::Pending, Some(e)) => format!("retrying: {e}"),
            (status, _) => serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        },
    }
}
