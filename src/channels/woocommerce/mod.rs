//! WooCommerce REST API v3 (`/wp-json/wc/v3/`).
//!
//! The consumer key and secret go by HTTP Basic, or as `consumer_key`/`consumer_secret` query
//! parameters for servers that strip `Authorization` (WooCommerce takes either over HTTPS
//! only). Orders are pulled with `GET /orders?modified_after=…&dates_are_gmt=true` (without
//! `dates_are_gmt` the shop reads the date in its own time zone and orders are missed),
//! `orderby=modified&order=asc`, `per_page=100`, the store's fetched statuses, and `page=N`
//! up to the `X-WP-TotalPages` the shop answers. Each order is read on its own ([`map`]).
//! Changes go back as status updates, tracking and refunds ([`push`]).

mod api;
pub mod map;
mod products;
mod push;
pub mod settings;
mod stock;
mod text;

pub use settings::{CORE_STATUSES, FETCHED, ON_CHANGE, WooSettings, WooStatuses};

use crate::channels::http::Request;
use crate::channels::{Channel, ChannelError, FetchedOrder, OrdersPage};
use api::Api;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// Orders per page: the most WooCommerce gives.
pub const PAGE_SIZE: usize = 100;

/// A connected WooCommerce store.
pub struct WooCommerceChannel {
    api: Api,
    base_url: String,
    statuses: WooStatuses,
    shipment_tracking: bool,
    /// The shop's category tree, read once by the first catalog page.
    categories: crate::channels::categories::CategoryCache,
}

impl std::fmt::Debug for WooCommerceChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WooCommerceChannel")
            .field("base_url", &self.base_url)
            .field("credentials", &"<redacted>")
            .field("statuses", &self.statuses)
            .field("shipment_tracking", &self.shipment_tracking)
            .finish()
    }
}

impl WooCommerceChannel {
    /// The connector for one store. From a store's config: `url` is the site's address
    /// (`https://shop.example.com`, the WordPress root, not `/wp-json`), `consumer_key` and
    /// `consumer_secret` the resolved secrets (e.g. from `key_env`/`secret_env`),
    /// `query_string_auth` and `shipment_tracking` the store's switches, and `statuses` its
    /// status mapping ([`WooStatuses::default`] for keys it does not set). Nothing is sent yet.
    ///
    /// Errors: an address that is not http(s) (`Transport`), an empty key or secret (`Auth`),
    /// a status that is not a slug or no fetched status (`Config`). No message holds a secret.
    pub fn new(settings: WooSettings) -> Result<Self, ChannelError> {
        let base = settings.url.trim().trim_end_matches('/');
        let base = base.strip_suffix("/wp-json").unwrap_or(base);
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's address `{base}` is not an http(s) URL"
            )));
        }
        if base.starts_with("http://") {
            tracing::warn!(
                base,
                "WooCommerce takes a consumer key over HTTPS only; a real shop needs https://"
            );
        }
        Ok(WooCommerceChannel {
            api: Api::new(
                base,
                &settings.consumer_key,
                &settings.consumer_secret,
                settings.query_string_auth,
            )?,
            base_url: base.to_string(),
            statuses: settings.statuses.checked()?,
            shipment_tracking: settings.shipment_tracking,
            categories: Default::default(),
        })
    }

    /// The first delay of the backoff after a 5xx or a network error (doubling after that).
    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.api.http.retry_delay = delay;
        self
    }

    /// How long one request may take, answer included (60 s by default).
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, ChannelError> {
        self.api.http.set_timeout(timeout)?;
        Ok(self)
    }

    pub fn statuses(&self) -> &WooStatuses {
        &self.statuses
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "WooCommerce")?;
        // `modified_after` is strict; one second earlier keeps an order modified at `since`.
        let from = since - chrono::Duration::seconds(1);
        let request = Request::get(self.api.wc("orders"))
            .with_query(
                "modified_after",
                from.format("%Y-%m-%dT%H:%M:%S").to_string(),
            )
            .with_query("dates_are_gmt", "true")
            .with_query("orderby", "modified")
            .with_query("order", "asc")
            .with_query("status", self.statuses.fetched.join(","))
            .with_query("per_page", PAGE_SIZE.to_string())
            .with_query("page", page.to_string());
        let Some((body, answer)) = self.api.get("orders page", request).await? else {
            return Err(ChannelError::Shape(
                "the orders list answered that it does not exist".to_string(),
            ));
        };
        let Value::Array(nodes) = body else {
            return Err(ChannelError::Shape(
                "the orders list is not a JSON array".to_string(),
            ));
        };
        let total_pages = answer
            .header("x-wp-totalpages")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let more = match total_pages {
            Some(total) => page < total,
            None => {
                tracing::warn!("no X-WP-TotalPages header; a full page is taken to have a next");
                nodes.len() >= PAGE_SIZE
            }
        };
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
            tracing::warn!(remote_id, "not a WooCommerce order id; nothing to fetch");
            return Ok(None);
        };
        let request = Request::get(self.api.wc(&format!("orders/{id}")));
        Ok(self.api.get("order", request).await?.map(|(v, _)| v))
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        Ok(self
            .order_json(remote_id)
            .await?
            .map(|node| map::fetched_order(&node, 0, &self.statuses)))
    }
}

/// A WooCommerce order id: digits only.
fn order_id(remote_id: &str) -> Option<&str> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

crate::channels::http::forward::rest_channel!(WooCommerceChannel, "woocommerce", "WooCommerce", {
    crate::channels::http::forward::sets_stock!();
});

/// The registry's connector for a WooCommerce store (`crate::platforms`): its address, key and
/// secret, switches and status mapping.
pub fn connect(
    c: &crate::channels::Connection,
) -> Result<std::sync::Arc<dyn Channel>, ChannelError> {
    let settings = WooSettings {
        url: c.url.clone(),
        consumer_key: c.credential("key")?,
        consumer_secret: c.credential("secret")?,
        query_string_auth: c.option("query_string_auth"),
        shipment_tracking: c.option("shipment_tracking"),
        statuses: WooStatuses::from_map(&c.statuses),
    };
    Ok(std::sync::Arc::new(WooCommerceChannel::new(settings)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_checks_the_address_and_the_credentials_and_hides_them() {
        let settings = WooSettings::new(
            "https://shop.example.com/wp-json/",
            "ck_k".into(),
            "cs_s".into(),
        );
        let channel = WooCommerceChannel::new(settings).expect("a channel");
        let shown = format!("{channel:?}");
        assert!(
            !shown.contains("ck_k") && !shown.contains("cs_s"),
            "{shown}"
        );
        assert_eq!(
            channel.api.wc("orders"),
            "https://shop.example.com/wp-json/wc/v3/orders"
        );
        let bad = WooSettings::new("shop.example.com", "k".into(), "s".into());
        assert!(matches!(
            WooCommerceChannel::new(bad),
            Err(ChannelError::Transport(_))
        ));
        let empty = WooSettings::new("https://shop.example.com", "ck_k".into(), " ".into());
        assert!(matches!(
            WooCommerceChannel::new(empty),
            Err(ChannelError::Auth(_))
        ));
        assert_eq!(order_id(" 727 "), Some("727"));
        assert_eq!(order_id("unreadable-3"), None);
    }
}
