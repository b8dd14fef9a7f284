//! The shop's catalog: not read yet (TODO: the platform's products API).

use super::ShoprenterChannel;
use crate::channels::{CatalogPage, ChannelError};

impl ShoprenterChannel {
    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let _ = after;
        Err(ChannelError::Remote(
            "this platform's catalog cannot be read yet".to_string(),
        ))
    }
}
