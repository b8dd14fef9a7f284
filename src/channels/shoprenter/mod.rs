//! Shoprenter (Hungary), its REST API at the shop's API address
//! (`https://{shop}.api.myshoprenter.hu`), HTTP Basic with the API user and password, every
//! request with `Accept: application/json` (XML is Shoprenter's default).
//!
//! Orders are pulled with `GET /orderExtend?full=1`: `dateUpdatedFrom` the cursor (Budapest
//! time), `limit` 50 and `page` N from 0, while `page + 1 < pageCount`; each item is a whole
//! order ([`map`]) and is passed over when its status is not fetched. Statuses change by
//! adding to the order's history (`POST /orderHistories`, [`push`]). Shoprenter allows 3
//! requests a second: the connector keeps to it (`channels::http::budget`) and waits out a
//! 429.

pub mod ids;
pub mod map;
mod products;
mod push;
pub mod statuses;
mod stock;

pub use statuses::{FETCHED, KNOWN, ON_CHANGE, SrStatuses};

use crate::channels::http::answers::{self, Changed};
use crate::channels::http::budget::{Budget, Spent};
use crate::channels::http::json::At;
use crate::channels::http::{Auth, HttpClient, Kind, Request};
use crate::channels::{Channel, ChannelError, FetchedOrder, OrdersPage};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Orders per page.
pub const PAGE_SIZE: u64 = 50;
/// Shoprenter's budget: 3 requests a second.
pub const SHOPRENTER_BUDGET: Budget = Budget::per_second(3);

/// A connected Shoprenter shop.
#[derive(Debug)]
pub struct ShoprenterChannel {
    http: HttpClient,
    root: String,
    statuses: SrStatuses,
    spent: Mutex<Spent>,
    /// The shop's category tree, read once by the first catalog page.
    categories: crate::channels::categories::CategoryCache,
}

impl ShoprenterChannel {
    pub fn new(
        url: &str,
        user: String,
        password: String,
        statuses: SrStatuses,
    ) -> Result<Self, ChannelError> {
        let root = url.trim().trim_end_matches('/');
        if !(root.starts_with("https://") || root.starts_with("http://")) || root.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's API address `{root}` is not an http(s) URL"
            )));
        }
        if user.trim().is_empty() || password.trim().is_empty() {
            return Err(ChannelError::Auth(
                "no API user or password is configured".into(),
            ));
        }
        if statuses.map.fetch.is_empty() {
            return Err(ChannelError::Config(
                "no Shoprenter status is fetched: name at least one (e.g. 2)".into(),
            ));
        }
        let auth = Auth::Basic {
            user: user.trim().to_string(),
            password: password.trim().to_string(),
        };
        Ok(ShoprenterChannel {
            http: HttpClient::new(auth, shoprenter_words)?,
            root: root.to_string(),
            statuses,
            spent: Mutex::new(Spent::new(SHOPRENTER_BUDGET)),
            categories: Default::default(),
        })
    }

    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.http.retry_delay = delay;
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    fn pace(&self) -> Duration {
        self.spent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default()
    }

    async fn get(&self, what: &str, request: Request) -> Result<Option<Value>, ChannelError> {
        self.http
            .send(
                Kind::Query,
                what,
                &request,
                || self.pace(),
                answers::json_or_missing,
            )
            .await
    }

    async fn change(&self, what: &str, request: Request) -> Result<Changed, ChannelError> {
        self.http
            .send(
                Kind::Mutation,
                what,
                &request,
                || self.pace(),
                answers::changed,
            )
            .await
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 0, "Shoprenter")?;
        let from = since.with_timezone(&chrono_tz::Europe::Budapest);
        let request = Request::get(self.url("orderExtend"))
            .with_query("full", "1")
            .with_query(
                "dateUpdatedFrom",
                from.format("%Y-%m-%dT%H:%M:%S").to_string(),
            )
            .with_query("page", page.to_string())
            .with_query("limit", PAGE_SIZE.to_string());
        let Some(body) = self.get("orders page", request).await? else {
            return Err(ChannelError::Shape(
                "the orders list answered that it does not exist".into(),
            ));
        };
        let at = At::root(&body);
        let pages = at.get("pageCount");
        let pages = pages
            .id()
            .ok()
            .and_then(|p| p.parse::<u64>().ok())
            .ok_or_else(|| ChannelError::Shape(pages.wrong("a page count")))?;
        let items = at.get("items");
        let items = if items.is_null() {
            Vec::new()
        } else {
            items.items().map_err(ChannelError::Shape)?
        };
        let orders = items
            .iter()
            .enumerate()
            .filter(|(_, o)| map::status(o).map_or(true, |s| self.statuses.is_fetched(&s)))
            .map(|(i, o)| map::fetched_order(o.value(), i, &self.statuses))
            .collect();
        Ok(OrdersPage {
            orders,
            next: (page + 1 < pages && !items.is_empty()).then(|| (page + 1).to_string()),
        })
    }

    async fn order_json(&self, remote_id: &str) -> Result<Option<Value>, ChannelError> {
        if remote_id.trim().is_empty() || ids::inner(remote_id).is_none() {
            tracing::warn!(remote_id, "not a Shoprenter order id; nothing to fetch");
            return Ok(None);
        }
        let request = Request::get(self.url(&format!("orderExtend/{}", ids::in_path(remote_id))))
            .with_query("full", "1");
        self.get("order", request).await
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        Ok(self
            .order_json(remote_id)
            .await?
            .map(|node| map::fetched_order(&node, 0, &self.statuses)))
    }
}

crate::channels::http::forward::rest_channel!(ShoprenterChannel, "shoprenter", "Shoprenter", {
    crate::channels::http::forward::sets_stock!();
});

/// Shoprenter's error body: `{"error": …, "message": …}`.
pub fn shoprenter_words(text: &str) -> Option<String> {
    let v = serde_json::from_str::<Value>(text).ok()?;
    let m = v.get("message").and_then(Value::as_str)?;
    Some(m.trim().to_string())
}

/// The registry's connector for a Shoprenter shop (`crate::platforms`).
pub fn connect(c: &crate::channels::Connection) -> Result<Arc<dyn Channel>, ChannelError> {
    let channel = ShoprenterChannel::new(
        &c.url,
        c.credential("user")?,
        c.credential("password")?,
        SrStatuses {
            map: c.statuses.clone(),
        },
    )?;
    Ok(Arc::new(channel))
}
