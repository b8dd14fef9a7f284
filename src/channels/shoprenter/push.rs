//! Changes pushed to a Shoprenter shop, and the order's state read back. Every push reads the
//! order first (`GET /orderExtend/{id}?full=1`). A status is set by adding an entry to the
//! order's history (`POST /orderHistories` with the order, the status, a comment and
//! whether the customer is told): a shipment carries its tracking number in the comment
//! ("Tracking number: JD0146…"), read back from the history (`GET /orderHistories?orderId=`)
//! to tell whether it was sent; a cancel sets the store's refused status (Shoprenter's 5).
//! A note for the staff (an invoice's number) is a history entry that keeps the order's
//! status, its comment the note, unless a comment already says it.

use super::ShoprenterChannel;
use super::ids;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::http::steps::{cancelled_there, outcome};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use crate::domain::platform::LocalChange;
use serde_json::json;

/// How a tracking number is written in a history comment.
const TRACKING: &str = "Tracking number: ";

struct Seen {
    status: String,
    cancelled: bool,
    sent: bool,
}

impl ShoprenterChannel {
    fn seen(&self, order: &serde_json::Value) -> Result<Seen, ChannelError> {
        let status = super::map::status(&At::root(order)).map_err(ChannelError::Shape)?;
        Ok(Seen {
            cancelled: self.statuses.is_cancelled(&status),
            sent: self.statuses.is_sent(&status),
            status,
        })
    }

    /// The comments of the order's history, oldest first.
    async fn comments(&self, id: &str) -> Result<Vec<String>, ChannelError> {
        let request = Request::get(self.url("orderHistories"))
            .with_query("orderId", id)
            .with_query("full", "1")
            .with_query("limit", "200");
        let Some(body) = self.get("order history", request).await? else {
            return Ok(Vec::new());
        };
        let items = At::root(&body).get("items");
        if items.is_null() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for h in items.items().map_err(ChannelError::Shape)? {
            out.push(
                h.get("comment")
                    .opt_text()
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        Ok(out)
    }

    /// The tracking numbers in the order's history comments.
    async fn tracking(&self, id: &str) -> Result<Vec<String>, ChannelError> {
        Ok(self
            .comments(id)
            .await?
            .iter()
            .filter_map(|c| c.split_once(TRACKING))
            .filter_map(|(_, rest)| rest.split_whitespace().next())
            .map(str::to_string)
            .collect())
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
            tracking_numbers: self.tracking(remote_id).await?,
            prepared_for_pickup: pickup == Some(seen.status.as_str()),
            status: Some(seen.status),
        }))
    }

    pub(super) async fn push_change(
        &self,
        remote_id: &str,
        change: &ShopChange,
    ) -> Result<PushOutcome, ChannelError> {
        let Some(order) = self.order_json(remote_id).await? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".into(),
            ));
        };
        let seen = self.seen(&order)?;
        let id = remote_id.trim();
        match change {
            ShopChange::Note { text } => {
                let text = text.trim();
                if self.comments(id).await?.iter().any(|c| c.trim() == text) {
                    return Ok(PushOutcome::Done(format!(
                        "the order's history already says \"{text}\""
                    )));
                }
                // A history entry that keeps the order's status: its comment is the note,
                // for the staff (the customer is not told).
                Ok(outcome(
                    self.history(id, &seen.status, text, false)
                        .await?
                        .map(|_| format!("history note \"{text}\"")),
                ))
            }
            ShopChange::PreparedForPickup => {
                let Some(target) = self.statuses.set_on(LocalChange::ReadyForPickup) else {
                    return Ok(PushOutcome::Done(
                        "no ready-for-pickup status is mapped: nothing to tell Shoprenter".into(),
                    ));
                };
                self.set_status(id, &seen, target, "Ready for pickup.", true)
                    .await
            }
            ShopChange::SetStatus { change, status } => {
                let text = format!("{}.", change.label());
                self.set_status(id, &seen, status.trim(), &text, false)
                    .await
            }
            ShopChange::Fulfil {
                company,
                number,
                notify_customer,
            } => {
                if seen.cancelled {
                    return Ok(cancelled_there(&seen.status));
                }
                let number = number.as_deref().map(str::trim).filter(|n| !n.is_empty());
                if let Some(n) = number
                    && self.tracking(id).await?.iter().any(|t| t == n)
                {
                    return Ok(PushOutcome::Done(format!("tracking {n} already there")));
                }
                let target = self
                    .statuses
                    .set_on(LocalChange::Shipped)
                    .unwrap_or(seen.status.as_str())
                    .to_string();
                let comment = match (number, company.as_deref()) {
                    (Some(n), Some(c)) => format!("Shipped. {TRACKING}{n} ({c})"),
                    (Some(n), None) => format!("Shipped. {TRACKING}{n}"),
                    (None, _) if seen.sent => {
                        return Ok(PushOutcome::Done("already shipped".into()));
                    }
                    (None, _) => "Shipped.".to_string(),
                };
                Ok(outcome(
                    self.history(id, &target, &comment, *notify_customer)
                        .await?
                        .map(|_| match number {
                            Some(n) => format!("status {target}, tracking {n}"),
                            None => format!("status {target}"),
                        }),
                ))
            }
            ShopChange::Cancel {
                reason,
                notify_customer,
                ..
            } => {
                if seen.cancelled {
                    return Ok(PushOutcome::Done(format!(
                        "already cancelled ({})",
                        seen.status
                    )));
                }
                let target = self
                    .statuses
                    .set_on(LocalChange::Refused)
                    .unwrap_or(super::statuses::CANCELLED)
                    .to_string();
                Ok(outcome(
                    self.history(id, &target, reason, *notify_customer)
                        .await?
                        .map(|_| format!("cancelled (status {target})")),
                ))
            }
        }
    }

    async fn set_status(
        &self,
        id: &str,
        seen: &Seen,
        target: &str,
        comment: &str,
        notify: bool,
    ) -> Result<PushOutcome, ChannelError> {
        if seen.cancelled {
            return Ok(cancelled_there(&seen.status));
        }
        if seen.status == target {
            return Ok(PushOutcome::Done(format!("status already {target}")));
        }
        Ok(outcome(
            self.history(id, target, comment, notify)
                .await?
                .map(|_| format!("status {target}")),
        ))
    }

    /// `POST /orderHistories`: the order moves to status `target`.
    async fn history(
        &self,
        id: &str,
        target: &str,
        comment: &str,
        notify: bool,
    ) -> Result<Result<(), String>, ChannelError> {
        let body = json!({
            "order": {"id": id},
            "orderStatus": {"id": ids::order_status(target)},
            "comment": comment,
            "notify": if notify { "1" } else { "0" },
        });
        let request = Request::post(self.url("orderHistories"), body);
        Ok(self.change("order history", request).await?.map(|_| ()))
    }
}
