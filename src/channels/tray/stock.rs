//! Stock levels: `PUT /products/:id` with `{"Product": {"stock": N}}`, one request per
//! product (Tray takes no batch of stock), each within the store's request budget.

use super::TrayChannel;
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::channels::http::levels::one_by_one;
use crate::domain::outbox::QueuedStock;
use serde_json::json;

impl TrayChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        one_by_one(levels, "Tray", |id, quantity| async move {
            let body = json!({"Product": {"stock": quantity.to_string()}});
            let request = Request::put(self.api.url(&format!("products/{id}")), body);
            Ok(self.api.change("stock level", request).await?.map(|_| ()))
        })
        .await
    }
}
