//! PrestaShop Webservice (`/api/`), JSON out.
//!
//! The webservice key is the HTTP Basic user, with no password. Orders are pulled with
//! `GET /api/orders?display=full&filter[date_upd]=[FROM,TO]&date=1` (`date=1` lets a date
//! filter take hours), the store's fetched states as `filter[current_state]=[2|3|…]`,
//! `sort=[date_upd_ASC,id_ASC]` and `limit=OFFSET,N`. A page's next one starts from the last
//! `date_upd` it held, skipping the orders of that second already seen, so an order changed
//! mid-run does not shift the next page over one not yet read. What the orders name by id
//! (customers, addresses, carriers, currencies, countries) is read per page ([`related`]).
//! Changes go back as new order states and tracking numbers ([`push`]).

mod api;
pub mod map;
mod products;
mod push;
mod related;
pub mod settings;
mod stock;
mod xml;

pub use related::Related;
pub use settings::{FETCHED, KNOWN, ON_CHANGE, PsSettings, PsStatuses};

use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::{Channel, ChannelError, FetchedOrder, OrdersPage};
use api::Api;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Orders per page.
pub const PAGE_SIZE: usize = 100;

const DATE: &str = "%Y-%m-%d %H:%M:%S";

/// A connected PrestaShop store.
pub struct PrestaShopChannel {
    api: Api,
    base_url: String,
    statuses: PsStatuses,
    /// Carriers, currencies and countries read so far, by `resource/id`.
    kept: Mutex<HashMap<String, Value>>,
    /// The shop's category tree, read once by the first catalog page.
    categories: crate::channels::categories::CategoryCache,
}

impl std::fmt::Debug for PrestaShopChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrestaShopChannel")
            .field("base_url", &self.base_url)
            .field("key", &"<redacted>")
            .field("statuses", &self.statuses)
            .finish()
    }
}

impl PrestaShopChannel {
    /// The connector for one store: `url` the shop's address (not `/api`), `key` the
    /// webservice key, `statuses` its state mapping. Nothing is sent yet.
    ///
    /// Errors: an address that is not http(s) (`Transport`), an empty key (`Auth`), a state
    /// that is not an id or none fetched (`Config`). No message holds the key.
    pub fn new(settings: PsSettings) -> Result<Self, ChannelError> {
        let base = settings.url.trim().trim_end_matches('/');
        let base = base.strip_suffix("/api").unwrap_or(base);
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < 9 {
            return Err(ChannelError::Transport(format!(
                "the shop's address `{base}` is not an http(s) URL"
            )));
        }
        Ok(PrestaShopChannel {
            api: Api::new(base, &settings.key)?,
            base_url: base.to_string(),
            statuses: settings.statuses.checked()?,
            kept: Mutex::new(HashMap::new()),
            categories: Default::default(),
        })
    }

    /// The first delay of the backoff after a 5xx or a network error (doubling after that).
    pub fn with_retry_delay(mut self, delay: Duration) -> Self {
        self.api.http.retry_delay = delay;
        self
    }

    async fn orders_page(
        &self,
        since: DateTime<Utc>,
        after: Option<&str>,
    ) -> Result<OrdersPage, ChannelError> {
        let (from, skip) = match after {
            None => (since.format(DATE).to_string(), 0),
            Some(token) => read_token(token)?,
        };
        // Past the shop's clock, whatever its time zone.
        let to = (Utc::now() + chrono::Duration::days(2)).format(DATE);
        let request = Request::get(self.api.url("orders"))
            .with_query("display", "full")
            .with_query("filter[date_upd]", format!("[{from},{to}]"))
            .with_query(
                "filter[current_state]",
                format!("[{}]", self.statuses.fetched.join("|")),
            )
            .with_query("date", "1")
            .with_query("sort", "[date_upd_ASC,id_ASC]")
            .with_query("limit", format!("{skip},{PAGE_SIZE}"));
        let Some(body) = self.api.get("orders page", request).await? else {
            return Err(ChannelError::Shape(
                "the orders list answered 404: no webservice at this address".to_string(),
            ));
        };
        let nodes = api::list(&body, "orders")?;
        let related = self.related(&nodes).await?;
        let next = (nodes.len() >= PAGE_SIZE).then(|| next_token(&nodes, &from, skip));
        Ok(OrdersPage {
            orders: nodes
                .iter()
                .enumerate()
                .map(|(i, node)| map::fetched_order(node, i, &related, &self.statuses))
                .collect(),
            next,
        })
    }

    /// The order as the shop has it now; `None` when it has no such order.
    async fn order_json(&self, remote_id: &str) -> Result<Option<Value>, ChannelError> {
        let Some(id) = order_id(remote_id) else {
            tracing::warn!(remote_id, "not a PrestaShop order id; nothing to fetch");
            return Ok(None);
        };
        let request = Request::get(self.api.url(&format!("orders/{id}")));
        Ok(self
            .api
            .get("order", request)
            .await?
            .and_then(|v| v.get("order").cloned()))
    }

    async fn order(&self, remote_id: &str) -> Result<Option<FetchedOrder>, ChannelError> {
        let Some(node) = self.order_json(remote_id).await? else {
            return Ok(None);
        };
        let related = self.related(std::slice::from_ref(&node)).await?;
        Ok(Some(map::fetched_order(&node, 0, &related, &self.statuses)))
    }
}

/// The next page: from the last `date_upd` of this one, past the orders of that second
/// already seen (all of this page's when it is that second throughout).
fn next_token(nodes: &[Value], from: &str, skip: usize) -> String {
    let date = |n: &Value| At::root(n).get("date_upd").string().ok();
    let Some(last) = nodes.last().and_then(date) else {
        return format!("{from}|{}", skip + nodes.len());
    };
    let same = nodes
        .iter()
        .rev()
        .take_while(|n| date(n).as_deref() == Some(last.as_str()))
        .count();
    let skip = if last == from && same == nodes.len() {
        skip + same
    } else {
        same
    };
    format!("{last}|{skip}")
}

fn read_token(token: &str) -> Result<(String, usize), ChannelError> {
    let bad = || ChannelError::Shape(format!("`{token}` is not a PrestaShop page token"));
    let (date, skip) = token.split_once('|').ok_or_else(bad)?;
    chrono::NaiveDateTime::parse_from_str(date, DATE).map_err(|_| bad())?;
    Ok((date.to_string(), skip.parse().map_err(|_| bad())?))
}

/// A PrestaShop order id: digits only.
fn order_id(remote_id: &str) -> Option<&str> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

crate::channels::http::forward::rest_channel!(PrestaShopChannel, "prestashop", "PrestaShop", {
    crate::channels::http::forward::sets_stock!();
});

/// The registry's connector for a PrestaShop store (`crate::platforms`).
pub fn connect(
    c: &crate::channels::Connection,
) -> Result<std::sync::Arc<dyn Channel>, ChannelError> {
    let settings = PsSettings {
        url: c.url.clone(),
        key: c.credential("token")?,
        statuses: PsStatuses::from_map(&c.statuses),
    };
    Ok(std::sync::Arc::new(PrestaShopChannel::new(settings)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn construction_checks_the_address_and_the_key_and_hides_it() {
        let channel = PrestaShopChannel::new(PsSettings::new(
            "https://shop.example.com/api/",
            "K3Y".into(),
        ))
        .expect("a channel");
        assert!(!format!("{channel:?}").contains("K3Y"));
        assert_eq!(
            channel.api.url("orders"),
            "https://shop.example.com/api/orders"
        );
        let bad = PsSettings::new("shop.example.com", "K".into());
        assert!(matches!(
            PrestaShopChannel::new(bad),
            Err(ChannelError::Transport(_))
        ));
        let empty = PsSettings::new("https://shop.example.com", " ".into());
        assert!(matches!(
            PrestaShopChannel::new(empty),
            Err(ChannelError::Auth(_))
        ));
        assert_eq!(order_id(" 5 "), Some("5"));
        assert_eq!(order_id("unreadable-3"), None);
    }

    #[test]
    fn the_next_page_skips_only_the_last_second_already_seen() {
        let n = |d: &str| json!({"date_upd": d});
        let page = [
            n("2026-01-01 10:00:00"),
            n("2026-01-01 10:00:05"),
            n("2026-01-01 10:00:05"),
        ];
        let token = next_token(&page, "2026-01-01 09:00:00", 0);
        assert_eq!(token, "2026-01-01 10:00:05|2");
        assert_eq!(
            read_token(&token).expect("reads"),
            ("2026-01-01 10:00:05".into(), 2)
        );
        let same = [n("2026-01-01 10:00:05"), n("2026-01-01 10:00:05")];
        assert_eq!(
            next_token(&same, "2026-01-01 10:00:05", 2),
            "2026-01-01 10:00:05|4"
        );
        assert!(read_token("3").is_err());
    }
}
