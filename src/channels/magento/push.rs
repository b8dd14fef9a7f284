//! Changes pushed to the shop, and the order's state read back to tell whether a change
//! already took effect. Every push reads the order first (`GET /V1/orders/{id}`):
//!
//! - Prepared for pickup: a comment "Ready for pickup." (`POST /V1/orders/{id}/comments`,
//!   the customer notified), with the store's ready-for-pickup status when it maps one. It
//!   counts as made once the order has that status or that comment.
//! - Fulfil: a shipment (`POST /V1/order/{id}/ship`, `notify` as the change says) with the
//!   tracking number in `tracks` (`carrier_code` one of Magento's carriers, else `custom`;
//!   `title` the carrier's name), unless a shipment of the order already has that number
//!   (`GET /V1/shipments` by `order_id`). An order shipped in full already gets the number
//!   on its last shipment (`POST /V1/shipment/track`). The store's shipped status, when it
//!   maps one, follows as a comment.
//! - Set status (ready to ship, completed): a comment with the status the store maps
//!   (`POST /V1/orders/{id}/comments`), unless the order has it; not for an order cancelled at
//!   the shop.
//! - Cancel: an order with an invoice not yet refunded cannot be cancelled in Magento: when
//!   the change refunds, it gets a credit memo of everything (`POST /V1/order/{id}/refund`,
//!   items back to stock when the change restocks) and Magento closes it; otherwise it is
//!   cancelled (`POST /V1/orders/{id}/cancel`, which answers `true` or `false`). A custom
//!   refused status follows as a comment.

use super::MagentoChannel;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::http::steps::{Step, cancelled_there, outcome, then};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::Money;
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use serde_json::{Value, json};

/// The comment that tells the customer a pickup order is ready.
pub const PICKUP_COMMENT: &str = "Ready for pickup.";

/// Magento's own carrier codes; any other carrier goes as `custom` with its name as title.
const CARRIERS: [&str; 4] = ["ups", "usps", "fedex", "dhl"];

/// What the push reads of an order.
struct Seen {
    status: String,
    cancelled: bool,
    fulfilled: bool,
    invoiced: bool,
    prepared: bool,
}

fn shape(e: String) -> ChannelError {
    ChannelError::Shape(e)
}

fn amount(at: &At, field: &str) -> Result<Money, ChannelError> {
    let f = at.get(field);
    if f.is_null() {
        Ok(Money::ZERO)
    } else {
        f.decimal().map_err(shape)
    }
}

impl MagentoChannel {
    fn seen(&self, order: &Value) -> Result<Seen, ChannelError> {
        let at = At::root(order);
        let status = at.get("status").string().map_err(shape)?.trim().to_string();
        let state = at
            .get("state")
            .opt_text()
            .map_err(shape)?
            .unwrap_or_default();
        let read = super::map::read_order(&at, &self.statuses);
        let fulfilled = matches!(
            read.as_ref().map(|o| o.fulfillment),
            Ok(crate::domain::RemoteFulfillment::Fulfilled)
        );
        let mut prepared = self.statuses.ready_for_pickup.as_deref() == Some(status.as_str());
        let history = at.get("status_histories");
        if !history.is_null() {
            for h in history.items().map_err(shape)? {
                let comment = h.get("comment").opt_text().ok().flatten();
                prepared |= comment.as_deref() == Some(PICKUP_COMMENT);
            }
        }
        Ok(Seen {
            cancelled: self.statuses.is_cancelled(&status)
                || matches!(state.as_str(), "canceled" | "closed"),
            fulfilled,
            invoiced: amount(&at, "base_total_invoiced")? > amount(&at, "base_total_refunded")?,
            prepared,
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
        let tracks = self.shipments(remote_id.trim()).await?;
        Ok(Some(RemoteOrderState {
            cancelled: seen.cancelled,
            fulfilled: seen.fulfilled,
            tracking_numbers: tracks.into_iter().flat_map(|(_, n)| n).collect(),
            prepared_for_pickup: seen.prepared,
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
                "`{remote_id}` is not a Magento order id"
            )));
        };
        let Some(order) = self.order_json(id).await? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".into(),
            ));
        };
        let seen = self.seen(&order)?;
        match change {
            ShopChange::PreparedForPickup => {
                if seen.cancelled {
                    return Ok(cancelled_there(&seen.status));
                }
                if seen.prepared {
                    return Ok(PushOutcome::Done("already marked ready for pickup".into()));
                }
                let status = self.statuses.ready_for_pickup.as_deref();
                Ok(outcome(
                    self.comment(id, PICKUP_COMMENT, status, true).await?,
                ))
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
                let company = company.as_deref().map(str::trim).filter(|c| !c.is_empty());
                let step = self
                    .ship(id, &seen, company, number, *notify_customer)
                    .await?;
                let mut done = match step {
                    Ok(summary) => vec![summary],
                    Err(words) => return Ok(PushOutcome::Refused(words)),
                };
                if let Some(target) = self.statuses.shipped.as_deref() {
                    match self.comment(id, "Shipped.", Some(target), false).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(then(&done, words))),
                    }
                }
                Ok(PushOutcome::Done(done.join("; ")))
            }
            ShopChange::Cancel {
                reason,
                notify_customer,
                refund,
                restock,
            } => {
                if seen.cancelled {
                    return Ok(PushOutcome::Done(format!(
                        "already {} at the shop",
                        seen.status
                    )));
                }
                let step = if seen.invoiced && *refund {
                    self.credit_memo(id, &order, reason, *notify_customer, *restock)
                        .await?
                } else if seen.invoiced {
                    Err("the order is invoiced: Magento cancels it only by a refund".into())
                } else {
                    self.cancel(id).await?
                };
                let mut done = match step {
                    Ok(summary) => vec![summary],
                    Err(words) => return Ok(PushOutcome::Refused(words)),
                };
                let custom = self.statuses.refused.as_deref();
                if let Some(target) = custom.filter(|t| !matches!(*t, "canceled" | "closed")) {
                    match self.comment(id, reason, Some(target), false).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(then(&done, words))),
                    }
                }
                Ok(PushOutcome::Done(done.join("; ")))
            }
            ShopChange::SetStatus {
                change,
                status: target,
            } => {
                let target = match super::statuses::code("status", target) {
                    Ok(t) => t,
                    Err(e) => return Ok(PushOutcome::Refused(e.to_string())),
                };
                if seen.cancelled {
                    return Ok(cancelled_there(&seen.status));
                }
                if seen.status == target {
                    return Ok(PushOutcome::Done(format!("status already {target}")));
                }
                let text = format!("{}.", capitalised(&change.label()));
                Ok(outcome(
                    self.comment(id, &text, Some(&target), false).await?,
                ))
            }
            // Magento keeps invoices of its own; orderdesk does not write them there yet.
            ShopChange::Note { .. } => Ok(PushOutcome::Refused(
                "orderdesk sends Magento no order notes".to_string(),
            )),
        }
    }

    /// `POST /V1/orders/{id}/comments`, setting `status` when given.
    async fn comment(
        &self,
        id: &str,
        text: &str,
        status: Option<&str>,
        notify: bool,
    ) -> Result<Step, ChannelError> {
        let mut history = json!({
            "comment": text,
            "is_customer_notified": i32::from(notify),
            "is_visible_on_front": i32::from(notify),
            "parent_id": id.parse::<u64>().unwrap_or_default(),
        });
        if let Some(s) = status {
            history["status"] = json!(s);
        }
        let request = Request::post(
            self.api.v1(&format!("orders/{id}/comments")),
            json!({ "statusHistory": history }),
        );
        let answer = self.api.change("order comment", request).await?;
        Ok(answer.map(|_| match status {
            Some(s) => format!("comment \"{text}\", status {s}"),
            None => format!("comment \"{text}\""),
        }))
    }

    /// The order's shipments: each one's id and its tracking numbers.
    async fn shipments(&self, id: &str) -> Result<Vec<(String, Vec<String>)>, ChannelError> {
        let request = Request::get(self.api.v1("shipments"))
            .with_query(
                "searchCriteria[filter_groups][0][filters][0][field]",
                "order_id",
            )
            .with_query("searchCriteria[filter_groups][0][filters][0][value]", id)
            .with_query(
                "searchCriteria[filter_groups][0][filters][0][condition_type]",
                "eq",
            );
        let Some(list) = self.api.get("order shipments", request).await? else {
            return Ok(Vec::new());
        };
        let items = At::root(&list).get("items");
        let mut out = Vec::new();
        if items.is_null() {
            return Ok(out);
        }
        for shipment in items.items().map_err(shape)? {
            let sid = shipment.get("entity_id").id().map_err(shape)?;
            let mut numbers = Vec::new();
            if !shipment.get("tracks").is_null() {
                for t in shipment.get("tracks").items().map_err(shape)? {
                    numbers.extend(t.get("track_number").opt_text().map_err(shape)?);
                }
            }
            out.push((sid, numbers));
        }
        Ok(out)
    }

    async fn ship(
        &self,
        id: &str,
        seen: &Seen,
        company: Option<&str>,
        number: Option<&str>,
        notify: bool,
    ) -> Result<Step, ChannelError> {
        let track = number.map(|n| {
            let title = company.unwrap_or("Custom");
            let code = CARRIERS
                .iter()
                .find(|c| c.eq_ignore_ascii_case(title))
                .map_or("custom", |c| c);
            json!({ "track_number": n, "title": title, "carrier_code": code })
        });
        if let Some(n) = number {
            let known = self.shipments(id).await?;
            if known.iter().any(|(_, t)| t.iter().any(|t| t == n)) {
                return Ok(Ok(format!("tracking {n} already there")));
            }
            if seen.fulfilled {
                return self.add_track(id, &known, track, n).await;
            }
        } else if seen.fulfilled {
            return Ok(Ok("already shipped".into()));
        }
        let mut body = json!({ "notify": notify });
        if let Some(t) = track {
            body["tracks"] = json!([t]);
        }
        let request = Request::post(self.api.v1(&format!("order/{id}/ship")), body);
        let answer = self.api.change("shipment", request).await?;
        Ok(answer.map(|v| {
            let sid = At::root(&v).id().unwrap_or_default();
            match number {
                Some(n) => format!("shipment {sid} with tracking {n}"),
                None => format!("shipment {sid}"),
            }
        }))
    }

    /// Adds a tracking number to the order's last shipment (`POST /V1/shipment/track`).
    async fn add_track(
        &self,
        id: &str,
        known: &[(String, Vec<String>)],
        track: Option<Value>,
        number: &str,
    ) -> Result<Step, ChannelError> {
        let Some(mut track) = track else {
            return Ok(Ok("already shipped".into()));
        };
        let Some((parent, _)) = known.last() else {
            return Ok(Err("shipped at the shop, but no shipment to track".into()));
        };
        track["order_id"] = json!(id.parse::<u64>().unwrap_or_default());
        track["parent_id"] = json!(parent.parse::<u64>().unwrap_or_default());
        let request = Request::post(self.api.v1("shipment/track"), json!({ "entity": track }));
        let answer = self.api.change("shipment track", request).await?;
        Ok(answer.map(|_| format!("tracking {number} on shipment {parent}")))
    }

    async fn cancel(&self, id: &str) -> Result<Step, ChannelError> {
        let request = Request::post(self.api.v1(&format!("orders/{id}/cancel")), json!({}));
        let answer = self.api.change("cancel", request).await?;
        Ok(answer.and_then(|v| match v {
            Value::Bool(false) => Err("Magento did not cancel the order (it cannot be)".into()),
            _ => Ok("cancelled".to_string()),
        }))
    }

    /// A credit memo of everything left, the items back in stock when `restock`.
    async fn credit_memo(
        &self,
        id: &str,
        order: &Value,
        reason: &str,
        notify: bool,
        restock: bool,
    ) -> Result<Step, ChannelError> {
        let mut arguments = json!({});
        if restock {
            let mut items = Vec::new();
            if let Ok(list) = At::root(order).get("items").items() {
                for item in list.iter().filter(|i| i.get("parent_item_id").is_null()) {
                    items.push(item.get("item_id").id().map_err(shape)?);
                }
            }
            let ids: Vec<u64> = items.iter().filter_map(|i| i.parse().ok()).collect();
            arguments["extension_attributes"] = json!({ "return_to_stock_items": ids });
        }
        let body = json!({
            "notify": notify,
            "appendComment": true,
            "comment": { "comment": reason, "is_visible_on_front": 0 },
            "arguments": arguments,
        });
        let request = Request::post(self.api.v1(&format!("order/{id}/refund")), body);
        let answer = self.api.change("refund", request).await?;
        Ok(answer.map(|v| match At::root(&v).id() {
            Ok(memo) => format!("refunded (credit memo {memo})"),
            Err(_) => "refunded".to_string(),
        }))
    }
}

/// "Ready to ship" of "ready to ship".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
