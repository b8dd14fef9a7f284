//! Stock levels: `POST /wc/v3/products/batch` with `{"update": [{"id", "manage_stock": true,
//! "stock_quantity"}]}`, up to 100 a request (WooCommerce's most); each item of the answer is
//! the product, or `{"id", "error": {"code", "message"}}` for one the shop refused. A
//! variation is set through its parent: the levels whose product knows its parent (learnt by
//! the catalog sync, which reads variations per parent, or from an order line's `product_id`)
//! go by parent to `POST /wc/v3/products/{parent}/variations/batch`, the same shape. A
//! variation whose parent is not known yet is refused by the shop as no product; the sync log
//! then says to run a catalog sync.

use super::WooCommerceChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::domain::outbox::QueuedStock;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Items a batch request takes.
const BATCH: usize = 100;

/// What the sync log says of a level refused as no product when its parent is not known.
const NO_PARENT: &str = "if it is a variation, its parent product is not known yet: run a \
                         catalog sync of this store";

/// A WooCommerce id (a positive whole number).
fn wc_id(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|id| *id > 0)
}

impl WooCommerceChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        let mut by_parent: BTreeMap<Option<u64>, Vec<(u64, &QueuedStock)>> = BTreeMap::new();
        for l in levels {
            let parent = l.parent.as_deref().map(|p| wc_id(p).ok_or(p));
            match (wc_id(&l.remote_id), parent) {
                (Some(id), None) => by_parent.entry(None).or_default().push((id, l)),
                (Some(id), Some(Ok(p))) => by_parent.entry(Some(p)).or_default().push((id, l)),
                (Some(_), Some(Err(p))) => refused.push((
                    l.remote_id.clone(),
                    format!("its parent {p} is not a WooCommerce id"),
                )),
                (None, _) => refused.push((l.remote_id.clone(), "not a WooCommerce id".into())),
            }
        }
        for (parent, items) in &by_parent {
            for chunk in items.chunks(BATCH) {
                refused.extend(self.stock_batch(*parent, chunk).await?);
            }
        }
        Ok(refused)
    }

    /// One batch request: products of their own (`parent` none) or variations of `parent`;
    /// answers those the shop refused.
    async fn stock_batch(
        &self,
        parent: Option<u64>,
        chunk: &[(u64, &QueuedStock)],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let update: Vec<Value> = chunk
            .iter()
            .map(|(id, l)| json!({"id": id, "manage_stock": true, "stock_quantity": l.quantity}))
            .collect();
        let path = match parent {
            None => "products/batch".to_string(),
            Some(p) => format!("products/{p}/variations/batch"),
        };
        let request = Request::post(self.api.wc(&path), json!({ "update": update }));
        let answer = match self.api.change("stock levels", request).await? {
            Err(words) => {
                return Ok(chunk
                    .iter()
                    .map(|(_, l)| (l.remote_id.clone(), words.clone()))
                    .collect());
            }
            Ok(answer) => answer,
        };
        let mut refused = Vec::new();
        for item in answer["update"].as_array().into_iter().flatten() {
            let Some(error) = item.get("error").filter(|e| !e.is_null()) else {
                continue;
            };
            let id = match &item["id"] {
                Value::Number(n) => n.to_string(),
                other => other.as_str().unwrap_or_default().to_string(),
            };
            let mut words = error["message"].as_str().unwrap_or("refused").to_string();
            let no_product = error["code"].as_str() == Some("woocommerce_rest_product_invalid_id");
            if parent.is_none() && no_product {
                words = format!("{words} ({NO_PARENT})");
            }
            refused.push((id, words));
        }
        Ok(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::wc_id;

    #[test]
    fn only_positive_whole_numbers_are_ids() {
        assert_eq!(wc_id(" 595 "), Some(595));
        assert_eq!(wc_id("0"), None);
        assert_eq!(wc_id("gid://x/1"), None);
        assert_eq!(wc_id("-3"), None);
    }
}
