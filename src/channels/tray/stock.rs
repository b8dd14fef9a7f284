//! Stock levels: `PUT /products/:id` with `{"Product": {"stock": N}}`, one request per
//! product (Tray takes no batch of stock), each within the store's request budget.

use super::TrayChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::domain::outbox::QueuedStock;
use serde_json::json;

impl TrayChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        for l in levels {
            let id = l.remote_id.trim();
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                refused.push((l.remote_id.clone(), "not a Tray product id".to_string()));
                continue;
            }
            let body = json!({"Product": {"stock": l.quantity.to_string()}});
            let request = Request::put(self.api.url(&format!("products/{id}")), body);
            if let Err(words) = self.api.change("stock level", request).await? {
                refused.push((l.remote_id.clone(), words));
            }
        }
        Ok(refused)
    }
}
