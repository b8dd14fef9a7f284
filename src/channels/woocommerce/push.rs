//! Changes pushed to the store, and the order's state read back to tell whether a change
//! already took effect. Every push reads the order first (`GET /orders/{id}`), so a change the
//! shop already shows is not made again:
//!
//! - Prepared for pickup: `PUT /orders/{id}` with the store's ready-for-pickup status (none by
//!   default: then the shop is not told, and the push says so).
//! - Fulfil: the tracking number first, unless the order already has it — through the Shipment
//!   Tracking extension (`/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings`)
//!   when the store has it, else as an order note (`POST /orders/{id}/notes`, to the customer
//!   when the change says to notify) — then the shipped status. A tracking number counts as
//!   sent once the order has that status, so a push that died between the two sets the
//!   status without adding the number twice.
//! - Set status (ready to ship, completed): `PUT /orders/{id}` with the status the store maps,
//!   unless the order has it; not for an order cancelled at the shop.
//! - Cancel: a refund of what is left of the total (`POST /orders/{id}/refunds` with
//!   `api_refund`, the payment gateway refunding it) when asked, then the refused status.
//!   What was refunded already is not refunded again; an order the shop recorded no payment
//!   for (`date_paid_gmt` null, e.g. `pending`) is not refunded. WooCommerce puts the stock back itself
//!   when an order is cancelled, and emails the customer about a refund itself: the change's
//!   `restock` and `notify_customer` cannot be chosen here.

use super::WooCommerceChannel;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::http::steps::{Step, cancelled_there, outcome, then};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::Money;
use crate::domain::limits::show_money;
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use serde_json::{Value, json};

/// The line of an order note that carries a tracking number.
const TRACKING_LINE: &str = "Tracking number: ";

impl WooCommerceChannel {
    pub(super) async fn remote_order_state(
        &self,
        remote_id: &str,
    ) -> Result<Option<RemoteOrderState>, ChannelError> {
        let Some(order) = self.order_json(remote_id).await? else {
            return Ok(None);
        };
        let status = status_of(&order)?;
        let s = &self.statuses;
        let fulfilled = s.is_fulfilled(&status);
        let tracking_numbers = if fulfilled || s.shipped.is_none() {
            self.trackings(remote_id.trim()).await?
        } else {
            Vec::new()
        };
        // A refusal has taken effect only once the order has the store's refused status: a
        // full refund alone moves the order to `refunded`, and the status must still be sent
        // (what it re-sends refunds nothing twice, see `refund_rest`).
        let cancelled = match s.refused.as_deref() {
            Some(refused) => status == refused,
            None => s.is_cancelled(&status),
        };
        Ok(Some(RemoteOrderState {
            cancelled,
            fulfilled,
            tracking_numbers,
            prepared_for_pickup: s.ready_for_pickup.as_deref() == Some(status.as_str()),
            status: Some(status),
        }))
    }

    pub(super) async fn push_change(
        &self,
        remote_id: &str,
        change: &ShopChange,
    ) -> Result<PushOutcome, ChannelError> {
        let Some(id) = super::order_id(remote_id) else {
            return Ok(PushOutcome::Refused(format!(
                "`{remote_id}` is not a WooCommerce order id"
            )));
        };
        let Some(order) = self.order_json(id).await? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".to_string(),
            ));
        };
        let status = status_of(&order)?;
        let s = &self.statuses;
        match change {
            ShopChange::PreparedForPickup => {
                let Some(target) = s.ready_for_pickup.as_deref() else {
                    return Ok(PushOutcome::Done(
                        "not told: the store sets no WooCommerce status for ready for pickup"
                            .to_string(),
                    ));
                };
                if s.is_cancelled(&status) {
                    return Ok(cancelled_there(&status));
                }
                Ok(outcome(self.set_status(id, &status, target).await?))
            }
            ShopChange::Fulfil {
                company,
                number,
                notify_customer,
            } => {
                if s.is_cancelled(&status) {
                    return Ok(cancelled_there(&status));
                }
                let mut done = Vec::new();
                if let Some(number) = number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    let company = company.as_deref().map(str::trim).filter(|c| !c.is_empty());
                    match self
                        .add_tracking(id, company, number, *notify_customer)
                        .await?
                    {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(words)),
                    }
                }
                if let Some(target) = s.shipped.as_deref() {
                    match self.set_status(id, &status, target).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(then(&done, words))),
                    }
                }
                Ok(PushOutcome::Done(if done.is_empty() {
                    "not told: the store sets no WooCommerce status for shipped".to_string()
                } else {
                    done.join("; ")
                }))
            }
            ShopChange::Cancel { reason, refund, .. } => {
                let mut done = Vec::new();
                if *refund {
                    match self.refund_rest(id, &order, reason).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(words)),
                    }
                }
                if let Some(target) = s.refused.as_deref() {
                    match self.set_status(id, &status, target).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(then(&done, words))),
                    }
                }
                Ok(PushOutcome::Done(if done.is_empty() {
                    "not told: the store sets no WooCommerce status for refused".to_string()
                } else {
                    done.join("; ")
                }))
            }
            ShopChange::Note { text } => Ok(outcome(self.add_note(id, text).await?)),
            ShopChange::SetStatus { status: target, .. } => {
                let target = match super::settings::slug("status", target) {
                    Ok(t) => t,
                    Err(e) => return Ok(PushOutcome::Refused(e.to_string())),
                };
                if s.is_cancelled(&status) {
                    return Ok(cancelled_there(&status));
                }
                Ok(outcome(self.set_status(id, &status, &target).await?))
            }
        }
    }

    /// `PUT /orders/{id}` with `target`, unless the order already has it.
    async fn set_status(&self, id: &str, now: &str, target: &str) -> Result<Step, ChannelError> {
        if now == target {
            return Ok(Ok(format!("status already {target}")));
        }
        let request = Request::put(
            self.api.wc(&format!("orders/{id}")),
            json!({ "status": target }),
        );
        let answer = self.api.change("order status", request).await?;
        Ok(
            answer.and_then(|order| match order.get("status").and_then(Value::as_str) {
                Some(s) if s == target => Ok(format!("status {target}")),
                Some(s) => Err(format!("the shop kept the order {s} instead of {target}")),
                None => Err("the shop's answer shows no status".to_string()),
            }),
        )
    }

    /// The tracking numbers the order has: the extension's, or those in its notes.
    async fn trackings(&self, id: &str) -> Result<Vec<String>, ChannelError> {
        let texts = if self.shipment_tracking {
            self.texts(self.tracking_url(id), "tracking_number").await?
        } else {
            self.notes(id).await?
        };
        let mut out: Vec<String> = Vec::new();
        for text in &texts {
            let numbers: Vec<&str> = if self.shipment_tracking {
                vec![text.trim()]
            } else {
                text.lines()
                    .filter_map(|l| l.trim().strip_prefix(TRACKING_LINE))
                    .map(str::trim)
                    .collect()
            };
            for n in numbers {
                if !n.is_empty() && !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
        }
        Ok(out)
    }

    /// The texts of the order's notes.
    async fn notes(&self, id: &str) -> Result<Vec<String>, ChannelError> {
        self.texts(self.api.wc(&format!("orders/{id}/notes")), "note")
            .await
    }

    /// `field` of each object in the list at `url` (none when the order is gone).
    async fn texts(&self, url: String, field: &str) -> Result<Vec<String>, ChannelError> {
        let Some((list, _)) = self.api.get("order trackings", Request::get(url)).await? else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = list else {
            return Err(ChannelError::Shape(format!(
                "the order's {field}s are not a list"
            )));
        };
        Ok(items
            .iter()
            .filter_map(|item| item.get(field).and_then(Value::as_str))
            .map(str::to_string)
            .collect())
    }

    /// A note for the shop's staff (not sent to the customer), unless the order has it.
    async fn add_note(&self, id: &str, text: &str) -> Result<Step, ChannelError> {
        if self
            .notes(id)
            .await?
            .iter()
            .any(|n| n.trim() == text.trim())
        {
            return Ok(Ok("the note is there already".to_string()));
        }
        let body = json!({ "note": text.trim(), "customer_note": false });
        let request = Request::post(self.api.wc(&format!("orders/{id}/notes")), body);
        let answer = self.api.change("order note", request).await?;
        Ok(answer.map(|note| match note.get("id") {
            Some(n) => format!("order note {n}"),
            None => "order note".to_string(),
        }))
    }

    fn tracking_url(&self, id: &str) -> String {
        format!(
            "{}/wc-shipment-tracking/v3/orders/{id}/shipment-trackings",
            self.api.root
        )
    }

    /// Adds the tracking number unless the order already has it.
    async fn add_tracking(
        &self,
        id: &str,
        company: Option<&str>,
        number: &str,
        notify: bool,
    ) -> Result<Step, ChannelError> {
        if self.trackings(id).await?.iter().any(|t| t == number) {
            return Ok(Ok(format!("tracking {number} already there")));
        }
        let request = if self.shipment_tracking {
            let mut body = json!({
                "tracking_number": number,
                "date_shipped": chrono::Utc::now().format("%Y-%m-%d").to_string(),
            });
            if let Some(c) = company {
                body["tracking_provider"] = json!(c);
            }
            Request::post(self.tracking_url(id), body)
        } else {
            let shipped = match company {
                Some(c) => format!("Shipped with {c}."),
                None => "Shipped.".to_string(),
            };
            let note = format!("{shipped}\n{TRACKING_LINE}{number}");
            let body = json!({ "note": note, "customer_note": notify });
            Request::post(self.api.wc(&format!("orders/{id}/notes")), body)
        };
        let answer = self.api.change("tracking", request).await?;
        let how = if self.shipment_tracking {
            "Shipment Tracking"
        } else {
            "order note"
        };
        Ok(answer.map(|_| format!("tracking {number} ({how})")))
    }

    /// Refunds what is left of the order's total (nothing when it is all refunded already, or
    /// when the shop recorded no payment).
    async fn refund_rest(
        &self,
        id: &str,
        order: &Value,
        reason: &str,
    ) -> Result<Step, ChannelError> {
        let at = At::root(order);
        if at.get("date_paid_gmt").opt_text().ok().flatten().is_none() {
            return Ok(Ok("nothing paid, nothing refunded".to_string()));
        }
        let total = at.get("total").decimal().map_err(ChannelError::Shape)?;
        let mut refunded = Money::ZERO;
        if !at.get("refunds").is_null() {
            for r in at.get("refunds").items().map_err(ChannelError::Shape)? {
                refunded += r.get("total").decimal().map_err(ChannelError::Shape)?.abs();
            }
        }
        let rest = total - refunded;
        if rest <= Money::ZERO {
            return Ok(Ok("nothing left to refund".to_string()));
        }
        let body = json!({ "amount": show_money(rest), "reason": reason, "api_refund": true });
        let request = Request::post(self.api.wc(&format!("orders/{id}/refunds")), body);
        let answer = self.api.change("refund", request).await?;
        Ok(
            answer.map(|r| match r.get("id").and_then(|v| At::root(v).id().ok()) {
                Some(rid) => format!("refunded {} (refund {rid})", show_money(rest)),
                None => format!("refunded {}", show_money(rest)),
            }),
        )
    }
}

fn status_of(order: &Value) -> Result<String, ChannelError> {
    At::root(order)
        .get("status")
        .string()
        .map(|s| s.trim().to_string())
        .map_err(ChannelError::Shape)
}
