//! Stock levels: a product's (or a combination's) `stock_availables` row, found by
//! `filter[id_product]` and `filter[id_product_attribute]` (0 for a product without
//! combinations), changed by `PUT /api/stock_availables/{id}` with the whole row in XML and
//! its `quantity`. A remote code is a product's id or a combination's (what order lines name
//! by `product_attribute_id`): `combinations?filter[id]=[…]` (one request a batch) tells
//! which. Two more requests a product; the webservice has no batch for stock.

use super::{PrestaShopChannel, api, xml};
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::domain::outbox::QueuedStock;
use reqwest::Method;
use serde_json::Value;
use std::collections::HashMap;

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

impl PrestaShopChannel {
    /// `(id_product, id_product_attribute)` of each remote code that is a combination's.
    async fn combination_owners(
        &self,
        ids: &[&str],
    ) -> Result<HashMap<String, String>, ChannelError> {
        let request = Request::get(self.api.url("combinations"))
            .with_query("display", "[id,id_product]")
            .with_query("filter[id]", format!("[{}]", ids.join("|")));
        let Some(body) = self.api.get("combination list", request).await? else {
            return Ok(HashMap::new());
        };
        let list = api::list(&body, "combinations")?;
        Ok(list
            .iter()
            .map(|c| (text(&c["id"]), text(&c["id_product"])))
            .collect())
    }

    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        let ids: Vec<&str> = (levels.iter())
            .map(|l| l.remote_id.trim())
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let owners = if ids.is_empty() {
            HashMap::new()
        } else {
            self.combination_owners(&ids).await?
        };
        for l in levels {
            let id = l.remote_id.trim();
            if !ids.contains(&id) {
                refused.push((l.remote_id.clone(), "not a PrestaShop id".into()));
                continue;
            }
            let (product, attribute) = match owners.get(id) {
                Some(p) => (p.as_str(), id),
                None => (id, "0"),
            };
            let request = Request::get(self.api.url("stock_availables"))
                .with_query("display", "full")
                .with_query("filter[id_product]", format!("[{product}]"))
                .with_query("filter[id_product_attribute]", format!("[{attribute}]"));
            let rows = match self.api.get("stock row", request).await? {
                Some(body) => api::list(&body, "stock_availables")?,
                None => Vec::new(),
            };
            let Some(row) = rows.first() else {
                refused.push((
                    l.remote_id.clone(),
                    "the shop keeps no stock row for it".into(),
                ));
                continue;
            };
            let fields = xml::fields_of(row, &[("quantity", l.quantity.to_string())]);
            let url = self
                .api
                .url(&format!("stock_availables/{}", text(&row["id"])));
            let body = xml::object("stock_available", &fields);
            if let Err(words) = self
                .api
                .change("stock level", Method::PUT, url, body)
                .await?
            {
                refused.push((l.remote_id.clone(), words));
            }
        }
        Ok(refused)
    }
}
