//! Tray (Brazil), its REST API at the store's API address (`https://{store}/web_api`), every
//! request with `?access_token=` ([`session`], [`api`]).
//!
//! Orders are pulled with `GET /orders`: `modified` (Tray filters by day: `start,end` in
//! Brasília dates) from the cursor's day to tomorrow, `sort=id_asc`, `limit` 50 (Tray's
//! most) and `page` N (from 1), while `page × limit < paging.total`. An order on the page
//! changed before the cursor, or in a status the store does not fetch, is passed over; each
//! other one is read whole (`GET /orders/:id/complete`, [`map`]). Changes go back by
//! `PUT /orders/:id` (`status_id`, `sending_code`, `sending_date`) and
//! `PUT /orders/cancel/:id` ([`push`]). Every request counts against Tray's budget (180 a
//! minute, 10,000 a day); the day's use ends in the sync log, and a backlog larger than the
//! day's budget goes on the next day from the page where the budget stopped it.

mod api;
pub mod map;
mod products;
mod push;
pub mod session;
pub mod statuses;
mod stock;

pub use api::TRAY_BUDGET;
pub use statuses::{FETCHED, KNOWN, ON_CHANGE, TrayStatuses};

use crate::channels::http::Request;
use crate::channels::http::budget::Budget;
use crate::channels::http::json::At;
use crate::channels::{Channel, ChannelError, FetchedOrder, Keeper, OrdersPage};
use api::Api;
use chrono::{DateTime, Days, Utc};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// Orders per page: Tray's most.
pub const PAGE_SIZE: u64 = 50;

/// A connected Tray store.
#[derive(Debug)]
pub struct TrayChannel {
    api: Api,
    statuses: TrayStatuses,
    currency: String,
    /// The store's status ids by name, read once (`GET /orders/statuses`).
    ids: tokio::sync::Mutex<Option<Vec<(String, String)>>>,
    /// The store's category tree, read once by the first catalog page.
    categories: crate::channels::categories::CategoryCache,
}

impl TrayChannel {
    /// The connector for one store: `url` its API address, the app's consumer key and secret,
    /// the store's code. Nothing is sent yet.
    pub fn new(
        url: &str,
        key: String,
        secret: String,
        code: String,
        statuses: TrayStatuses,
        currency: &str,
    ) -> Result<Self, ChannelError> {
        let root = url.trim().trim_end_matches('/');
        if !(root.starts_with("https://") || root.starts_with("http://")) || root.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's API address `{root}` is not an http(s) URL"
            )));
        }
        if statuses.fetched.is_empty() {
            return Err(ChannelError::Config(
                "no Tray status is fetched: name at least one (e.g. A ENVIAR)".into(),
            ));
        }
        Ok(TrayChannel {
            api: Api::new(root, key, secret, code)?,
            statuses,
            currency: currency.trim().to_uppercase(),
            ids: tokio::sync::Mutex::new(None),
            categories: Default::default(),
        })
    }

    /// Another request budget than Tray's (tests).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.api = self.api.with_budget(budget);
        self
    }

    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.api.http.retry_delay = delay;
        self
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "Tray")?;
        let zone = session::zone();
        let from = since.with_timezone(&zone).date_naive();
        let to = Utc::now().with_timezone(&zone).date_naive() + Days::new(1);
        let request = Request::get(self.api.url("orders"))
            .with_query("modified", format!("{from},{to}"))
            .with_query("sort", "id_asc")
            .with_query("limit", PAGE_SIZE.to_string())
            .with_query("page", page.to_string());
        let Some(body) = self.api.get("orders page", request).await? else {
            return Err(ChannelError::Shape(
                "the orders list answered that it does not exist".into(),
            ));
        };
        let at = At::root(&body);
        let total = at.get("paging").get("total");
        let total = total
            .id()
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .ok_or_else(|| ChannelError::Shape(total.wrong("a count")))?;
        let list = at.get("Orders");
        let entries = if list.is_null() {
            Vec::new()
        } else {
            list.items().map_err(ChannelError::Shape)?
        };
        let mut orders = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let o = entry.get("Order");
            let status = o
                .get("status")
                .opt_text()
                .ok()
                .flatten()
                .unwrap_or_default();
            let changed = map::modified(&o).ok();
            if changed.is_some_and(|m| m < since) || !self.statuses.is_fetched(&status) {
                continue;
            }
            let Ok(id) = o.get("id").id() else {
                orders.push(map::fetched_order(entry.value(), i, &self.statuses, ""));
                continue;
            };
            match self.order(&id).await? {
                Some(whole) => orders.push(whole),
                None => tracing::info!(id, "a listed order is gone at the shop"),
            }
        }
        let more = page * PAGE_SIZE < total && !entries.is_empty();
        Ok(OrdersPage {
            orders,
            next: more.then(|| (page + 1).to_string()),
        })
    }

    /// The order as the shop has it now (`{"Order": …}`); `None` when it has no such order.
    async fn order_json(&self, remote_id: &str) -> Result<Option<Value>, ChannelError> {
        let Some(id) = order_id(remote_id) else {
            tracing::warn!(remote_id, "not a Tray order id; nothing to fetch");
            return Ok(None);
        };
        let request = Request::get(self.api.url(&format!("orders/{id}/complete")));
        self.api.get("order", request).await
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        Ok(self
            .order_json(remote_id)
            .await?
            .map(|node| map::fetched_order(&node, 0, &self.statuses, &self.currency)))
    }
}

/// A Tray order id: digits only.
fn order_id(remote_id: &str) -> Option<&str> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

crate::channels::http::forward::rest_channel!(TrayChannel, "tray", "Tray", {
    fn keep_in(&self, keeper: Arc<dyn Keeper>) {
        self.api.keep_in(keeper);
    }

    fn usage(&self) -> Option<String> {
        Some(self.api.usage())
    }

    // Pages of one window are in the order of ids, and an order only ever enters the window
    // (its `modified` grows, the window's end is tomorrow): nothing slides back a page, so a
    // backlog larger than a day's budget goes on the next day from the page it stopped at.
    fn pages_resume(&self) -> bool {
        true
    }

    crate::channels::http::forward::sets_stock!();
});

/// The registry's connector for a Tray store (`crate::platforms`).
pub fn connect(c: &crate::channels::Connection) -> Result<Arc<dyn Channel>, ChannelError> {
    let channel = TrayChannel::new(
        &c.url,
        c.credential("key")?,
        c.credential("secret")?,
        c.credential("code")?,
        TrayStatuses::from_map(&c.statuses),
        &c.currency,
    )?;
    Ok(Arc::new(channel))
}
