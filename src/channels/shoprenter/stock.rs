//! Stock levels: `PUT /products/{id}` with `{"stock1": N}` (the product's first stock
//! field, what the shop sells from), `id` the product's resource id made of its inner id (the
//! remote code); one request per product, within the 3 a second. Assumed: a shop that keeps
//! stock in more than `stock1` (several warehouses) is not handled.

use super::{ShoprenterChannel, ids};
use crate::channels::ChannelError;
use crate::channels::http::Request;
use crate::channels::http::levels::one_by_one;
use crate::domain::outbox::QueuedStock;
use serde_json::json;

impl ShoprenterChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        one_by_one(levels, "Shoprenter", |inner, level| async move {
            let id = ids::encode(format!("product-product_id={inner}").as_bytes());
            let body = json!({ "stock1": level.quantity });
            let request = Request::put(self.url(&format!("products/{id}")), body);
            Ok(self.change("stock level", request).await?.map(|_| ()))
        })
        .await
    }
}
