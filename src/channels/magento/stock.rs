//! Stock levels: `POST /V1/inventory/source-items` with `{"sourceItems": [{"sku",
//! "source_code", "quantity", "status"}]}` (Magento's inventory by source; `status` 1 in
//! stock, 0 out of stock), 100 a request, by the product's SKU (what Magento keys stock by).
//! The source is `default` unless the store's `stock_location` names another: then `GET
//! /V1/inventory/sources` (`{"items": [{"source_code", "name", "enabled"}]}`), read once, and
//! the one it names by code or name ([`crate::channels::http::locations`]); a name the shop
//! does not have, or a disabled source, is an error naming its sources (the levels stay
//! queued). Assumed: Magento answers the request as a whole, so a refusal names every SKU of
//! that request.

use super::MagentoChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::channels::http::locations::{StockPlace, pick};
use crate::domain::outbox::QueuedStock;
use serde_json::{Value, json};

/// Source items a request takes.
const BATCH: usize = 100;

/// The source Magento keeps stock at unless told otherwise.
const DEFAULT_SOURCE: &str = "default";

/// The source the store names, and its code once read.
#[derive(Debug, Default)]
pub struct StockSource {
    wanted: Option<String>,
    code: tokio::sync::OnceCell<String>,
}

impl StockSource {
    pub fn named(wanted: Option<String>) -> StockSource {
        StockSource {
            wanted: wanted.filter(|w| !w.trim().is_empty()),
            code: Default::default(),
        }
    }
}

impl MagentoChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let source = self.source_code().await?;
        let mut refused = Vec::new();
        for chunk in levels.chunks(BATCH) {
            let items: Vec<_> = (chunk.iter())
                .map(|l| {
                    json!({"sku": l.sku, "source_code": source, "quantity": l.quantity,
                           "status": i32::from(l.quantity > 0)})
                })
                .collect();
            let request = Request::post(
                self.api.v1("inventory/source-items"),
                json!({ "sourceItems": items }),
            );
            if let Err(words) = self.api.change("stock levels", request).await? {
                refused.extend(chunk.iter().map(|l| (l.remote_id.clone(), words.clone())));
            }
        }
        Ok(refused)
    }

    /// The code of the source stock is set at.
    async fn source_code(&self) -> Result<&str, ChannelError> {
        let Some(wanted) = &self.stock_source.wanted else {
            return Ok(DEFAULT_SOURCE);
        };
        let code = self
            .stock_source
            .code
            .get_or_try_init(|| self.named_source(wanted))
            .await?;
        Ok(code)
    }

    async fn named_source(&self, wanted: &str) -> Result<String, ChannelError> {
        let request = Request::get(self.api.v1("inventory/sources"))
            .with_query("searchCriteria[currentPage]", "1")
            .with_query("searchCriteria[pageSize]", "100");
        let body = (self.api.get("source list", request).await?).ok_or_else(|| {
            ChannelError::Shape("the source list answered that it does not exist".into())
        })?;
        let Some(Value::Array(items)) = body.get("items") else {
            return Err(ChannelError::Shape("the source list has no `items`".into()));
        };
        let places: Vec<StockPlace> = (items.iter())
            .filter_map(|s| {
                let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
                Some(StockPlace {
                    id: text("source_code")?,
                    aliases: vec![],
                    name: text("name").unwrap_or_default(),
                    active: s.get("enabled") != Some(&Value::Bool(false)),
                })
            })
            .collect();
        pick(wanted, &places, "source")
    }
}
