//! The objects an order names only by id: its customer and addresses (read once per page,
//! all of the page's in one request each), and its carrier, currency and the addresses'
//! countries (shop settings that rarely change: read once per connection, then kept).

use super::PrestaShopChannel;
use super::api::list;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// What a page's orders name, by resource and id.
#[derive(Debug, Default, Clone)]
pub struct Related {
    pub customers: HashMap<String, Value>,
    pub addresses: HashMap<String, Value>,
    pub carriers: HashMap<String, Value>,
    pub currencies: HashMap<String, Value>,
    pub countries: HashMap<String, Value>,
}

/// The ids under `field` of `nodes`, without the ones that do not read and `0` (none).
fn ids(nodes: &[Value], field: &str) -> BTreeSet<String> {
    nodes
        .iter()
        .filter_map(|n| At::root(n).get(field).id().ok())
        .filter(|id| id != "0")
        .collect()
}

impl PrestaShopChannel {
    /// Everything `orders` name, in at most five requests (fewer once settings are kept).
    pub(super) async fn related(&self, orders: &[Value]) -> Result<Related, ChannelError> {
        let mut addresses = ids(orders, "id_address_delivery");
        addresses.extend(ids(orders, "id_address_invoice"));
        let addresses = self.by_ids("addresses", addresses).await?;
        let countries: Vec<Value> = addresses.values().cloned().collect();
        Ok(Related {
            customers: self.by_ids("customers", ids(orders, "id_customer")).await?,
            carriers: self.kept("carriers", ids(orders, "id_carrier")).await?,
            currencies: self.kept("currencies", ids(orders, "id_currency")).await?,
            countries: self
                .kept("countries", ids(&countries, "id_country"))
                .await?,
            addresses,
        })
    }

    /// `GET /api/{resource}?display=full&filter[id]=[1|2|3]`, by id.
    async fn by_ids(
        &self,
        resource: &str,
        wanted: BTreeSet<String>,
    ) -> Result<HashMap<String, Value>, ChannelError> {
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let filter = wanted.into_iter().collect::<Vec<_>>().join("|");
        let request = Request::get(self.api.url(resource))
            .with_query("display", "full")
            .with_query("filter[id]", format!("[{filter}]"));
        let Some(body) = self.api.get(resource, request).await? else {
            return Err(ChannelError::Shape(format!(
                "the shop has no {resource} resource (is it allowed for the key?)"
            )));
        };
        Ok(list(&body, resource)?
            .into_iter()
            .filter_map(|v| Some((At::root(&v).get("id").id().ok()?, v)))
            .collect())
    }

    /// Like [`Self::by_ids`], kept for the connection's life.
    async fn kept(
        &self,
        resource: &'static str,
        wanted: BTreeSet<String>,
    ) -> Result<HashMap<String, Value>, ChannelError> {
        let key = |id: &str| format!("{resource}/{id}");
        let missing: BTreeSet<String> = {
            let cache = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            wanted
                .iter()
                .filter(|id| !cache.contains_key(&key(id)))
                .cloned()
                .collect()
        };
        let fetched = self.by_ids(resource, missing).await?;
        let mut cache = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        for (id, v) in fetched {
            cache.insert(key(&id), v);
        }
        Ok(wanted
            .into_iter()
            .filter_map(|id| Some((id.clone(), cache.get(&key(&id))?.clone())))
            .collect())
    }
}
