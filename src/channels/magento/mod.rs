//! Magento 2 REST (`/rest/<store code>/V1/`), with an integration's access token as a Bearer
//! token.
//!
//! Orders are pulled with `GET /V1/orders` and `searchCriteria`: `updated_at` `gteq` the
//! cursor (the shop keeps it in UTC, `YYYY-MM-DD HH:MM:SS`) in one filter group and the
//! store's fetched statuses (`in`) in another (groups are ANDed), sorted by `updated_at` then
//! `entity_id` ascending, `pageSize` 100 and `currentPage` N. Magento answers a page past the
//! end with the last page again, so the next page is asked for only while
//! `currentPage × pageSize < total_count`. Each order is read on its own ([`map`]); changes go
//! back as comments, shipments, cancels and credit memos ([`push`]).
//!
//! The store code is `default` (the default store view), or `all` with the store's
//! `all_store_views` switch.

mod api;
pub mod map;
mod products;
mod push;
pub mod statuses;
mod stock;

pub use statuses::{CORE_STATUSES, FETCHED, MagentoStatuses, ON_CHANGE};

use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::{Channel, ChannelError, FetchedOrder, OrdersPage};
use api::Api;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// Orders per page.
pub const PAGE_SIZE: u64 = 100;

/// A connected Magento 2 store.
pub struct MagentoChannel {
    api: Api,
    base_url: String,
    statuses: MagentoStatuses,
    /// The shop's category tree, read once by the first catalog page.
    categories: crate::channels::categories::CategoryCache,
    /// Category ids of configurable products, by the child ids they give them to.
    inherited: tokio::sync::Mutex<std::collections::HashMap<String, Vec<String>>>,
    /// The source stock is set at ([`stock`]).
    stock_source: stock::StockSource,
}

impl std::fmt::Debug for MagentoChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MagentoChannel")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("statuses", &self.statuses)
            .finish()
    }
}

impl MagentoChannel {
    /// The connector for one store: `url` is the shop's address (without `/rest`), `token` an
    /// integration's access token, `store_code` `default` or `all`. Nothing is sent yet.
    pub fn new(
        url: &str,
        token: String,
        store_code: &str,
        statuses: MagentoStatuses,
    ) -> Result<Self, ChannelError> {
        let base = url.trim().trim_end_matches('/');
        let base = base.strip_suffix("/rest").unwrap_or(base);
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's address `{base}` is not an http(s) URL"
            )));
        }
        Ok(MagentoChannel {
            api: Api::new(base, store_code, token)?,
            base_url: base.to_string(),
            statuses: statuses.checked()?,
            categories: Default::default(),
            inherited: Default::default(),
            stock_source: Default::default(),
        })
    }

    /// Where stock levels are set: the source this names (its `source_code` or name);
    /// `None`, the `default` source.
    pub fn with_stock_location(mut self, wanted: Option<String>) -> Self {
        self.stock_source = stock::StockSource::named(wanted);
        self
    }

    /// The first delay of the backoff after a 5xx or a network error.
    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.api.http.retry_delay = delay;
        self
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "Magento")?;
        let request = Request::get(self.api.v1("orders"))
            .with_query(
                "searchCriteria[filter_groups][0][filters][0][field]",
                "updated_at",
            )
            .with_query(
                "searchCriteria[filter_groups][0][filters][0][value]",
                since.format("%Y-%m-%d %H:%M:%S").to_string(),
            )
            .with_query(
                "searchCriteria[filter_groups][0][filters][0][condition_type]",
                "gteq",
            )
            .with_query(
                "searchCriteria[filter_groups][1][filters][0][field]",
                "status",
            )
            .with_query(
                "searchCriteria[filter_groups][1][filters][0][value]",
                self.statuses.fetched.join(","),
            )
            .with_query(
                "searchCriteria[filter_groups][1][filters][0][condition_type]",
                "in",
            )
            .with_query("searchCriteria[sortOrders][0][field]", "updated_at")
            .with_query("searchCriteria[sortOrders][0][direction]", "ASC")
            .with_query("searchCriteria[sortOrders][1][field]", "entity_id")
            .with_query("searchCriteria[sortOrders][1][direction]", "ASC")
            .with_query("searchCriteria[pageSize]", PAGE_SIZE.to_string())
            .with_query("searchCriteria[currentPage]", page.to_string());
        let Some(body) = self.api.get("orders page", request).await? else {
            return Err(ChannelError::Shape(
                "the orders list answered that it does not exist".to_string(),
            ));
        };
        let at = At::root(&body);
        let items = at.get("items");
        let nodes: Vec<Value> = if items.is_null() {
            Vec::new()
        } else {
            items
                .items()
                .map_err(ChannelError::Shape)?
                .iter()
                .map(|i| i.value().clone())
                .collect()
        };
        let total = at
            .get("total_count")
            .integer()
            .map_err(ChannelError::Shape)?;
        let more = u64::try_from(total).is_ok_and(|t| page * PAGE_SIZE < t) && !nodes.is_empty();
        Ok(OrdersPage {
            orders: nodes
                .iter()
                .enumerate()
                .map(|(i, node)| map::fetched_order(node, i, &self.statuses))
                .collect(),
            next: more.then(|| (page + 1).to_string()),
        })
    }

    /// The order as the shop has it now; `None` when it has no such order.
    async fn order_json(&self, remote_id: &str) -> Result<Option<Value>, ChannelError> {
        let Some(id) = order_id(remote_id) else {
            tracing::warn!(remote_id, "not a Magento order id; nothing to fetch");
            return Ok(None);
        };
        let request = Request::get(self.api.v1(&format!("orders/{id}")));
        self.api.get("order", request).await
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        Ok(self
            .order_json(remote_id)
            .await?
            .map(|node| map::fetched_order(&node, 0, &self.statuses)))
    }
}

/// A Magento `entity_id`: digits only.
fn order_id(remote_id: &str) -> Option<&str> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

crate::channels::http::forward::rest_channel!(MagentoChannel, "magento", "Magento", {
    crate::channels::http::forward::sets_stock!();
});

/// The registry's connector for a Magento 2 store (`crate::platforms`).
pub fn connect(
    c: &crate::channels::Connection,
) -> Result<std::sync::Arc<dyn Channel>, ChannelError> {
    let statuses = MagentoStatuses::from_map(&c.statuses);
    let store_code = if c.option("all_store_views") {
        "all"
    } else {
        "default"
    };
    let channel = MagentoChannel::new(&c.url, c.credential("token")?, store_code, statuses)?
        .with_stock_location(c.stock_location.clone());
    Ok(std::sync::Arc::new(channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_checks_the_address_and_hides_the_token() {
        let channel = MagentoChannel::new(
            "https://shop.example.com/rest/",
            "tok_secret".into(),
            "default",
            MagentoStatuses::default(),
        )
        .expect("a channel");
        assert!(!format!("{channel:?}").contains("tok_secret"));
        assert_eq!(
            channel.api.v1("orders"),
            "https://shop.example.com/rest/default/V1/orders"
        );
        let bad = MagentoChannel::new("shop", "t".into(), "all", MagentoStatuses::default());
        assert!(matches!(bad, Err(ChannelError::Transport(_))));
        let empty = MagentoChannel::new("https://s.example", " ".into(), "all", Default::default());
        assert!(matches!(empty, Err(ChannelError::Auth(_))));
        assert_eq!(order_id(" 12 "), Some("12"));
        assert_eq!(order_id("unreadable-0"), None);
    }
}
