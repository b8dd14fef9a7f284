//! Shopify's GraphQL Admin API 2026-10.
//!
//! `POST {base}/admin/api/2026-10/graphql.json` with `X-Shopify-Access-Token`. Orders are read
//! with `orders(sortKey: UPDATED_AT, query: "updated_at:>='…'")`, page by page on the cursor;
//! an order with more lines than one page holds gets the rest before it is read. Each order
//! node is read on its own ([`map`]); the cost bucket is respected ([`throttle`]). Changes go
//! back as mutations, and the order's state is read to tell what already took effect
//! ([`push`]). Stock levels are set at the shop's primary location ([`stock`]).

pub mod answers;
mod bulk;
pub mod catalog;
mod client;
pub mod map;
mod page;
mod push;
pub mod query;
mod read;
pub mod stock;
pub mod throttle;

use crate::channels::{
    BoxFuture, BulkRead, Channel, ChannelError, FetchedOrder, OrdersPage, PushOutcome,
};
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use chrono::{DateTime, Utc};
use client::GraphqlClient;
use query::{MAX_PAGE_SIZE, ORDER, ORDER_LINES, ORDERS_PAGE};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub use bulk::BulkPolling;
pub use page::read_orders_page;
pub use query::documents;
pub use throttle::ThrottleStatus;

/// The Admin API version the connector speaks.
pub const API_VERSION: &str = "2026-10";

/// The most follow-up pages of lines read for one order.
const MAX_LINE_PAGES: usize = 100;

/// A connected Shopify shop.
pub struct ShopifyChannel {
    base_url: String,
    client: GraphqlClient,
    page_size: usize,
    orders_page_document: String,
    order_document: String,
    order_lines_document: String,
    push_documents: push::Documents,
    job_polling: push::JobPolling,
    bulk_documents: bulk::Documents,
    bulk_polling: BulkPolling,
    /// How long the bulk result may stay silent while it is read.
    bulk_timeout: Duration,
    /// Whether a first sync may use a bulk operation (on unless turned off).
    bulk: bool,
    /// The catalog's page and count documents ([`catalog`]).
    catalog_documents: (String, String),
    /// Stock levels' documents and what they read once ([`stock`]).
    stock: stock::Stock,
}

impl std::fmt::Debug for ShopifyChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyChannel")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("page_size", &self.page_size)
            .finish()
    }
}

impl ShopifyChannel {
    /// `base_url` is the shop's address (`https://example.myshopify.com`).
    pub fn new(base_url: &str, token: String) -> Result<Self, ChannelError> {
        let base = base_url.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's address `{base}` is not an http(s) URL"
            )));
        }
        let endpoint = format!("{base}/admin/api/{API_VERSION}/graphql.json");
        Ok(ShopifyChannel {
            base_url: base.to_string(),
            client: GraphqlClient::new(endpoint, token)?,
            page_size: MAX_PAGE_SIZE,
            orders_page_document: query::orders_page_document(),
            order_document: query::order_document(),
            order_lines_document: query::order_lines_document(),
            push_documents: push::Documents::default(),
            job_polling: push::JobPolling::default(),
            bulk_documents: bulk::Documents::default(),
            bulk_polling: BulkPolling::default(),
            bulk_timeout: Duration::from_secs(60),
            bulk: true,
            catalog_documents: (
                catalog::catalog_page_document(),
                catalog::catalog_count_document(),
            ),
            stock: stock::Stock::default(),
        })
    }

    /// Where stock levels are set: the location this names (its name, gid or numeric id);
    /// `None`, the shop's primary location.
    pub fn with_stock_location(mut self, wanted: Option<String>) -> Self {
        self.stock.wanted = wanted.filter(|w| !w.trim().is_empty());
        self
    }

    /// Orders per page, kept between 1 and the most that stays under Shopify's maximum
    /// query cost ([`query::MAX_PAGE_SIZE`]).
    pub fn with_page_size(mut self, n: usize) -> Self {
        self.page_size = n.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// The first delay of the backoff after a 5xx or a network error (doubling after that).
    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.client.set_retry_delay(delay);
        self
    }

    /// How long one request may take, answer included (60 s by default); a query that takes
    /// longer is tried again.
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, ChannelError> {
        self.client.set_timeout(timeout)?;
        Ok(self)
    }

    /// How often (at most) and how far apart a cancel job is asked whether it is done
    /// (20 × 250 ms by default).
    pub fn with_job_polling(mut self, polls: usize, every: Duration) -> Self {
        self.job_polling = push::JobPolling {
            polls: polls.max(1),
            every,
        };
        self
    }

    /// How often a first sync's bulk operation is asked about (every second by default),
    /// and when the run gives up on it and reads pages.
    pub fn with_bulk_polling(mut self, polling: BulkPolling) -> Self {
        self.bulk_polling = polling;
        self
    }

    /// Whether a first sync may use a bulk operation (it does by default).
    pub fn with_bulk(mut self, on: bool) -> Self {
        self.bulk = on;
        self
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// Shopify's cost bucket as last reported (then estimated), if any answer reported it.
    pub fn throttle_status(&self) -> Option<ThrottleStatus> {
        self.client.throttle.status()
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let variables = json!({
            "first": self.page_size,
            "after": after,
            "query": query::updated_since(since),
        });
        let cost = query::orders_page_cost(self.page_size);
        let data = self
            .client
            .call(ORDERS_PAGE, &self.orders_page_document, variables, cost)
            .await?;
        let (nodes, next) = page::parts(&data)?;
        let mut page = OrdersPage {
            orders: Vec::with_capacity(nodes.len()),
            next,
        };
        for (index, mut node) in nodes.into_iter().enumerate() {
            self.complete_lines(&mut node).await?;
            page.orders.push(map::fetched_order(node, index));
        }
        Ok(page)
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        let id = remote_id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            tracing::warn!(remote_id, "not a Shopify order id; nothing to fetch");
            return Ok(None);
        }
        let variables = json!({ "id": query::order_gid(id) });
        let data = self
            .client
            .call(ORDER, &self.order_document, variables, query::order_cost())
            .await?;
        match data.get("order") {
            None => Err(ChannelError::Shape(
                "the answer has no `data.order`".to_string(),
            )),
            Some(Value::Null) => Ok(None),
            Some(node) => {
                let mut node = node.clone();
                self.complete_lines(&mut node).await?;
                Ok(Some(map::fetched_order(node, 0)))
            }
        }
    }

    /// Reads the rest of the lines of an order with more than one page of them, appending them
    /// to the node's `lineItems.nodes` (so the kept payload holds every line).
    async fn complete_lines(&self, node: &mut Value) -> Result<(), ChannelError> {
        for _ in 0..MAX_LINE_PAGES {
            let Some(after) = more_lines_after(node) else {
                return Ok(());
            };
            let Some(gid) = node.get("id").and_then(Value::as_str).map(str::to_string) else {
                return Ok(());
            };
            let variables = json!({ "id": gid, "after": after });
            let cost = query::order_lines_cost();
            let data = self
                .client
                .call(ORDER_LINES, &self.order_lines_document, variables, cost)
                .await?;
            let Some(more) = data.pointer("/order/lineItems") else {
                return Ok(());
            };
            let Some(Value::Array(new_lines)) = more.get("nodes") else {
                return Err(ChannelError::Shape(format!(
                    "the lines of order {gid} have no `nodes`"
                )));
            };
            let new_lines = new_lines.clone();
            let page_info = more.get("pageInfo").cloned().unwrap_or(Value::Null);
            if let Some(Value::Array(lines)) = node.pointer_mut("/lineItems/nodes") {
                lines.extend(new_lines);
            }
            if let Some(slot) = node.pointer_mut("/lineItems/pageInfo") {
                *slot = page_info;
            }
        }
        Ok(())
    }
}

/// The cursor after the node's lines, when Shopify says there are more.
fn more_lines_after(node: &Value) -> Option<String> {
    let info = node.pointer("/lineItems/pageInfo")?;
    if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    info.get("endCursor")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The platform's name in the registry and in configs.
pub const PLATFORM: &str = "shopify";

impl Channel for ShopifyChannel {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn fetch_orders_page<'a>(
        &'a self,
        since: DateTime<Utc>,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<OrdersPage, ChannelError>> {
        Box::pin(self.orders_page(since, after))
    }

    fn fetch_order<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<FetchedOrder>, ChannelError>> {
        Box::pin(self.order(remote_id))
    }

    fn fetch_products_page<'a>(
        &'a self,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<crate::channels::CatalogPage, ChannelError>> {
        Box::pin(self.products_page(after))
    }

    fn bulk_orders<'a>(
        &'a self,
        created_since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<Box<dyn BulkRead + 'a>>, ChannelError>> {
        Box::pin(async move {
            if !self.bulk {
                return Ok(None);
            }
            let read = self.start_bulk(created_since).await?;
            Ok(Some(Box::new(read) as Box<dyn BulkRead + 'a>))
        })
    }

    fn order_state<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RemoteOrderState>, ChannelError>> {
        Box::pin(self.remote_order_state(remote_id))
    }

    fn takes_stock(&self) -> bool {
        true
    }

    fn push_stock<'a>(
        &'a self,
        levels: &'a [crate::domain::outbox::QueuedStock],
    ) -> BoxFuture<'a, Result<Vec<(String, String)>, ChannelError>> {
        Box::pin(self.set_stock(levels))
    }

    /// `key` is not sent: none of the mutations used documents `@idempotent` in 2026-10
    /// (see [`push`]); the caller reads [`Channel::order_state`] before sending again.
    fn push<'a>(
        &'a self,
        remote_id: &'a str,
        change: &'a ShopChange,
        key: &'a str,
    ) -> BoxFuture<'a, Result<PushOutcome, ChannelError>> {
        tracing::debug!(remote_id, key, change = %change.describe(), "pushing to Shopify");
        Box::pin(self.push_change(remote_id, change))
    }
}

/// The registry's connector for a Shopify store (`crate::platforms`): its address and token.
pub fn connect(c: &crate::channels::Connection) -> Result<Arc<dyn Channel>, ChannelError> {
    let channel = ShopifyChannel::new(&c.url, c.credential("token")?)?;
    Ok(Arc::new(
        channel.with_stock_location(c.stock_location.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_checks_the_address_and_the_token_and_hides_it() {
        let channel = ShopifyChannel::new("https://shop.example.com/", "shpat_abc".to_string())
            .expect("a channel");
        let shown = format!("{channel:?}");
        assert!(
            !shown.contains("shpat_abc") && shown.contains("<redacted>"),
            "{shown}"
        );
        assert!(matches!(
            ShopifyChannel::new("shop.example.com", "t".to_string()),
            Err(ChannelError::Transport(_))
        ));
        assert!(matches!(
            ShopifyChannel::new("https://shop.example.com", " ".to_string()),
            Err(ChannelError::Auth(_))
        ));
        let err = ShopifyChannel::new("https://shop.example.com", "bad\ntoken".to_string())
            .expect_err("not a header value");
        assert!(!err.to_string().contains("bad"), "{err}");
    }

    #[test]
    fn the_page_size_stays_within_the_cost_limit() {
        let channel =
            ShopifyChannel::new("https://shop.example.com", "t".to_string()).expect("a channel");
        assert_eq!(channel.page_size(), MAX_PAGE_SIZE);
        let channel = channel.with_page_size(0);
        assert_eq!(channel.page_size(), 1);
        assert_eq!(channel.with_page_size(50).page_size(), MAX_PAGE_SIZE);
    }
}
