//! Stock levels: `POST /wc/v3/products/batch` with `{"update": [{"id", "manage_stock": true,
//! "stock_quantity"}]}`, up to 100 a request (WooCommerce's most); each item of the answer is
//! the product, or `{"id", "error": {"code", "message"}}` for one the shop refused. A
//! variation is set through its parent (`/products/{parent}/variations/batch`), which the
//! remote code (the variation's id, as order lines name it) does not give: the shop refuses
//! it here, and the refusal is in the sync log (left for later).

use super::WooCommerceChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::domain::outbox::QueuedStock;
use serde_json::{Value, json};

/// Items a batch request takes.
const BATCH: usize = 100;

impl WooCommerceChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        for chunk in levels.chunks(BATCH) {
            let mut update = Vec::with_capacity(chunk.len());
            for l in chunk {
                match l.remote_id.trim().parse::<u64>() {
                    Ok(id) => update.push(
                        json!({"id": id, "manage_stock": true, "stock_quantity": l.quantity}),
                    ),
                    Err(_) => refused.push((l.remote_id.clone(), "not a WooCommerce id".into())),
                }
            }
            if update.is_empty() {
                continue;
            }
            let request = Request::post(self.api.wc("products/batch"), json!({ "update": update }));
            match self.api.change("stock levels", request).await? {
                Err(words) => {
                    refused.extend(chunk.iter().map(|l| (l.remote_id.clone(), words.clone())));
                }
                Ok(answer) => {
                    for item in answer["update"].as_array().into_iter().flatten() {
                        if let Some(error) = item.get("error").filter(|e| !e.is_null()) {
                            let id = match &item["id"] {
                                Value::Number(n) => n.to_string(),
                                other => other.as_str().unwrap_or_default().to_string(),
                            };
                            let words = error["message"].as_str().unwrap_or("refused");
                            refused.push((id, words.to_string()));
                        }
                    }
                }
            }
        }
        Ok(refused)
    }
}
