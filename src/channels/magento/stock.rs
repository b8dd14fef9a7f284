//! Stock levels: `POST /V1/inventory/source-items` with `{"sourceItems": [{"sku",
//! "source_code": "default", "quantity", "status"}]}` (Magento's inventory by source, the
//! default source; `status` 1 in stock, 0 out of stock), 100 a request, by the product's SKU
//! (what Magento keys stock by). Assumed: a store selling from other sources than `default`
//! is not handled; Magento answers the request as a whole, so a refusal names every SKU of
//! that request.

use super::MagentoChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::domain::outbox::QueuedStock;
use serde_json::json;

/// Source items a request takes.
const BATCH: usize = 100;

impl MagentoChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        for chunk in levels.chunks(BATCH) {
            let items: Vec<_> = (chunk.iter())
                .map(|l| {
                    json!({"sku": l.sku, "source_code": "default", "quantity": l.quantity,
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
}
