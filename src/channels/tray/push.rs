//! Changes pushed to a Tray store, and the order's state read back to tell whether a change
//! already took effect. Every push reads the order first (`GET /orders/:id/complete`):
//!
//! - A status (ready for pickup, ready to ship, completed, invoiced, as the store maps them):
//!   `PUT /orders/:id` with `{"Order": {"status_id"}}`, the id the store gives that name
//!   (`GET /orders/statuses`), unless the order has it.
//! - Fulfil: `PUT /orders/:id` with the tracking code (`sending_code`), the day
//!   (`sending_date`) and the store's shipped status, unless the order has that code.
//! - A note for the staff (an invoice's number): `PUT /orders/:id` with the order's
//!   `store_note` and the line added, unless a line of it already says so.
//! - Cancel: `PUT /orders/cancel/:id`, then the store's refused status when it is not Tray's
//!   own `CANCELADO`. Tray refunds nothing through its API: the refund is the payment's.

use super::TrayChannel;
use super::statuses::name;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::http::steps::{Step, cancelled_there, note_with, outcome, then};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use crate::domain::platform::LocalChange;
use serde_json::{Value, json};

/// What the push reads of an order.
struct Seen {
    status: String,
    cancelled: bool,
    sent: bool,
    tracking: Option<String>,
}

impl TrayChannel {
    fn seen(&self, order: &Value) -> Result<Seen, ChannelError> {
        let at = At::root(order).get("Order");
        let status = name(&at.get("status").string().map_err(ChannelError::Shape)?);
        Ok(Seen {
            cancelled: self.statuses.is_cancelled(&status),
            sent: self.statuses.is_sent(&status),
            tracking: at.get("sending_code").opt_text().ok().flatten(),
            status,
        })
    }

    pub(super) async fn remote_order_state(
        &self,
        remote_id: &str,
    ) -> Result<Option<RemoteOrderState>, ChannelError> {
        let Some(order) = self.order_json(remote_id).await? else {
            return Ok(None);
        };
        let seen = self.seen(&order)?;
        let pickup = self.statuses.set_on(LocalChange::ReadyForPickup);
        Ok(Some(RemoteOrderState {
            cancelled: seen.cancelled,
            fulfilled: seen.sent,
            tracking_numbers: seen.tracking.into_iter().collect(),
            prepared_for_pickup: pickup.as_deref() == Some(seen.status.as_str()),
            status: Some(seen.status),
        }))
    }

    pub(super) async fn push_change(
        &self,
        remote_id: &str,
        change: &ShopChange,
    ) -> Result<PushOutcome, ChannelError> {
        let Some(id) = super::order_id(remote_id) else {
            return Ok(PushOutcome::Refused(format!(
                "`{remote_id}` is not a Tray order id"
            )));
        };
        let Some(order) = self.order_json(id).await? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".into(),
            ));
        };
        let seen = self.seen(&order)?;
        match change {
            ShopChange::Note { text } => {
                let old = At::root(&order)
                    .get("Order")
                    .get("store_note")
                    .opt_text()
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let Some(note) = note_with(&old, text) else {
                    return Ok(PushOutcome::Done(format!(
                        "the store's note already says \"{}\"",
                        text.trim()
                    )));
                };
                let said = format!("store note \"{}\"", text.trim());
                Ok(outcome(
                    self.put(id, json!({ "store_note": note }), said).await?,
                ))
            }
            ShopChange::PreparedForPickup => {
                let Some(target) = self.statuses.set_on(LocalChange::ReadyForPickup) else {
                    return Ok(PushOutcome::Done(
                        "no ready-for-pickup status is mapped: nothing to tell Tray".into(),
                    ));
                };
                self.set_status(id, &seen, &target).await
            }
            ShopChange::SetStatus { status, .. } => self.set_status(id, &seen, &name(status)).await,
            ShopChange::Fulfil { number, .. } => {
                if seen.cancelled {
                    return Ok(cancelled_there(&seen.status));
                }
                let number = number.as_deref().map(str::trim).filter(|n| !n.is_empty());
                if seen.tracking.as_deref() == number && (number.is_some() || seen.sent) {
                    return Ok(PushOutcome::Done("already shipped with this code".into()));
                }
                let mut body = json!({});
                let mut said = Vec::new();
                if let Some(target) = self.statuses.set_on(LocalChange::Shipped) {
                    match self.status_id(&target).await? {
                        Ok(sid) => body["status_id"] = json!(sid),
                        Err(words) => return Ok(PushOutcome::Refused(words)),
                    }
                    said.push(format!("status {target}"));
                }
                if let Some(n) = number {
                    body["sending_code"] = json!(n);
                    body["sending_date"] = json!(
                        chrono::Utc::now()
                            .with_timezone(&super::session::zone())
                            .format("%Y-%m-%d")
                            .to_string()
                    );
                    said.insert(0, format!("tracking {n}"));
                }
                if said.is_empty() {
                    return Ok(PushOutcome::Done("nothing to tell Tray".into()));
                }
                Ok(outcome(self.put(id, body, said.join(", ")).await?))
            }
            ShopChange::Cancel { .. } => {
                if seen.cancelled {
                    return Ok(PushOutcome::Done(format!(
                        "already {} at the shop",
                        seen.status
                    )));
                }
                let request = Request::put(self.api.url(&format!("orders/cancel/{id}")), json!({}));
                let done = match self.api.change("cancel", request).await? {
                    Ok(_) => vec!["cancelled".to_string()],
                    Err(words) => return Ok(PushOutcome::Refused(words)),
                };
                let own = self.statuses.set_on(LocalChange::Refused);
                if let Some(target) = own.filter(|t| t != super::statuses::CANCELLED) {
                    let after = Seen {
                        status: super::statuses::CANCELLED.into(),
                        cancelled: false,
                        sent: false,
                        tracking: None,
                    };
                    return Ok(match self.set_status(id, &after, &target).await? {
                        PushOutcome::Refused(words) => PushOutcome::Refused(then(&done, words)),
                        PushOutcome::Done(s) => PushOutcome::Done(format!("cancelled; {s}")),
                    });
                }
                Ok(PushOutcome::Done(done.join("; ")))
            }
        }
    }

    async fn set_status(
        &self,
        id: &str,
        seen: &Seen,
        target: &str,
    ) -> Result<PushOutcome, ChannelError> {
        if seen.cancelled {
            return Ok(cancelled_there(&seen.status));
        }
        if seen.status == target {
            return Ok(PushOutcome::Done(format!("status already {target}")));
        }
        let sid = match self.status_id(target).await? {
            Ok(sid) => sid,
            Err(words) => return Ok(PushOutcome::Refused(words)),
        };
        Ok(outcome(
            self.put(id, json!({ "status_id": sid }), format!("status {target}"))
                .await?,
        ))
    }

    /// `PUT /orders/:id` with `{"Order": fields}`.
    async fn put(&self, id: &str, fields: Value, said: String) -> Result<Step, ChannelError> {
        let request = Request::put(
            self.api.url(&format!("orders/{id}")),
            json!({ "Order": fields }),
        );
        Ok(self
            .api
            .change("order update", request)
            .await?
            .map(|_| said))
    }

    /// The store's id of the status named `target`; the refusal's words when it has none.
    async fn status_id(&self, target: &str) -> Result<Result<String, String>, ChannelError> {
        let mut ids = self.ids.lock().await;
        if ids.is_none() {
            let request = Request::get(self.api.url("orders/statuses")).with_query("limit", "50");
            let body = self
                .api
                .get("order statuses", request)
                .await?
                .unwrap_or(Value::Null);
            let list = At::root(&body).get("OrderStatuses");
            let mut found = Vec::new();
            for entry in list.items().map_err(ChannelError::Shape)? {
                let s = entry.get("OrderStatus");
                let sid = s.get("id").id().map_err(ChannelError::Shape)?;
                found.push((
                    name(&s.get("status").string().map_err(ChannelError::Shape)?),
                    sid,
                ));
            }
            *ids = Some(found);
        }
        let known = ids.as_deref().unwrap_or_default();
        Ok(match known.iter().find(|(n, _)| *n == target) {
            Some((_, sid)) => Ok(sid.clone()),
            None => Err(format!(
                "the Tray store has no status \"{target}\" (it has: {})",
                known
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        })
    }
}
