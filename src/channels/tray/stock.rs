//! Stock levels, one request per product (Tray takes no batch of stock), each within the
//! store's request budget: a product's by `PUT /products/:id` with `{"Product": {"stock": N}}`;
//! a variant's (a level whose product knows the product it is a variant of) by
//! `PUT /products/variants/:id` with `{"Variant": {"stock": N}}`.

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
        one_by_one(levels, "Tray", |id, level| async move {
            let stock = level.quantity.to_string();
            let (path, body) = match level.parent {
                Some(_) => (
                    format!("products/variants/{id}"),
                    json!({"Variant": {"stock": stock}}),
                ),
                None => (
                    format!("products/{id}"),
                    json!({"Product": {"stock": stock}}),
                ),
            };
            let request = Request::put(self.api.url(&path), body);
            Ok(self.api.change("stock level", request).await?.map(|_| ()))
        })
        .await
    }
}
