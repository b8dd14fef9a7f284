//! Connectors to the shop platforms: HTTP <-> platform types <-> domain types.
//! One module per platform; they share only this trait and its types.

pub mod categories;
mod connection;
pub mod http;
pub mod magento;
pub mod prestashop;
pub mod shopify;
pub mod shoprenter;
pub mod tray;
pub mod woocommerce;

pub use crate::domain::FetchedOrder;
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use chrono::{DateTime, Utc};
pub use connection::Connection;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, Default)]
pub struct OrdersPage {
    pub orders: Vec<FetchedOrder>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<String>,
}

/// One page of a shop's catalog ([`Channel::fetch_products_page`]).
#[derive(Debug, Clone, Default)]
pub struct CatalogPage {
    pub products: Vec<crate::domain::catalog::ShopProduct>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<String>,
    /// How many products the whole catalog has, when the shop says.
    pub total: Option<u64>,
}

/// One step of a first sync's bulk read ([`Channel::bulk_orders`]).
#[derive(Debug)]
pub enum BulkStep {
    /// The shop is still at work: orders done so far, and how many there are when known.
    Progress { done: u64, total: Option<u64> },
    /// Orders read from the result, a batch for intake.
    Orders(Vec<FetchedOrder>),
    /// The bulk read cannot go on (the shop refused the operation, it ended FAILED, EXPIRED
    /// or CANCELED, its result could not be read): why, and the run reads pages instead.
    Abandoned(String),
}

/// A bulk read under way.
pub trait BulkRead: Send {
    /// When the shop began the operation, if it says: what the result holds is as of then at
    /// the latest, so the next run's cursor must not pass it.
    fn began(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }

    /// The next step; `Ok(None)` once every order was given. An error is the shop that
    /// cannot be read (as a page that cannot be read): it fails the run.
    fn next(&mut self) -> BoxFuture<'_, Result<Option<BulkStep>, ChannelError>>;
}

/// Why a shop could not be read. The messages are one line for the operator and never carry
/// a credential.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ChannelError {
    #[error("cannot reach the shop: {0}")]
    Transport(String),
    /// The shop refused the credentials; the registry's connection adds which config keys
    /// give them (`crate::platforms::connect`).
    #[error("the shop refused the credentials: {0}")]
    Auth(String),
    #[error("the shop's answer is not in the platform's shape: {0}")]
    Shape(String),
    #[error("the shop answered with an error: {0}")]
    Remote(String),
    /// The store's config does not give what connecting needs (e.g. its token).
    #[error("{0}")]
    Config(String),
}

/// Where a connector keeps what must outlive the process between runs (a platform's tokens,
/// the day's request count), as text of its own; kept in the store, per store. A failure is
/// said in words for the operator.
pub trait Keeper: Send + Sync {
    fn load(&self) -> Result<Option<String>, String>;
    fn save(&self, text: &str) -> Result<(), String>;
}

/// What every platform connector does for a sync run.
pub trait Channel: Send + Sync {
    fn platform(&self) -> &'static str;

    /// Gives the connector where to keep its session (the sync and the outbox call it before
    /// they use the connector); a connector without one ignores it.
    fn keep_in(&self, keeper: Arc<dyn Keeper>) {
        let _ = keeper;
    }

    /// A line for the sync log about the platform's own budget (the day's requests), if it has
    /// one.
    fn usage(&self) -> Option<String> {
        None
    }

    /// Whether a run that stopped part-way through its pages may go on later from the page
    /// where it stopped (the same `since`, the page's `after`): true only where the pages of
    /// one window keep their orders in place while orders change (no order of a page already
    /// taken can slide onto one not yet taken), e.g. pages in the order of ids.
    fn pages_resume(&self) -> bool {
        false
    }

    /// One page of the orders updated at or after `since` (the shop's clock), oldest first;
    /// `after` is the `next` of the previous page.
    fn fetch_orders_page<'a>(
        &'a self,
        since: DateTime<Utc>,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<OrdersPage, ChannelError>>;

    /// One page of the shop's catalog, every product the shop has (disabled ones too), each
    /// with the id its order lines name it by; `after` is the `next` of the previous page.
    fn fetch_products_page<'a>(
        &'a self,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<CatalogPage, ChannelError>> {
        let _ = after;
        Box::pin(async move {
            Err(ChannelError::Remote(format!(
                "{} cannot read its catalog yet",
                self.platform()
            )))
        })
    }

    /// Whether [`Channel::push_stock`] sets stock at this platform (else stock waits queued).
    fn takes_stock(&self) -> bool {
        false
    }

    /// Sets the shop's available quantity of each product in `levels` (by its remote id; the
    /// connector batches as its platform allows). The answer names those the shop refused,
    /// each with its words; the others are set. A transport or server failure is an error:
    /// the levels stay queued and are sent again (a quantity is absolute, so a second
    /// sending sets the same).
    fn push_stock<'a>(
        &'a self,
        levels: &'a [crate::domain::outbox::QueuedStock],
    ) -> BoxFuture<'a, Result<Vec<(String, String)>, ChannelError>> {
        let _ = levels;
        Box::pin(async move {
            Err(ChannelError::Remote(format!(
                "{} cannot take stock levels yet",
                self.platform()
            )))
        })
    }

    /// A first sync's window (orders created at or after `created_since`) read in one go,
    /// where the platform offers it (Shopify's bulk operations); `Ok(None)` where it does not.
    /// An error is the shop that cannot be read (it fails the run); what goes wrong with the
    /// bulk read itself comes as [`BulkStep::Abandoned`] and the run reads pages instead.
    fn bulk_orders<'a>(
        &'a self,
        created_since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<Box<dyn BulkRead + 'a>>, ChannelError>> {
        let _ = created_since;
        Box::pin(async { Ok(None) })
    }

    /// One order by the shop's id (used to fetch again an order that could not be read).
    /// `Ok(None)` when the shop no longer has it.
    fn fetch_order<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<FetchedOrder>, ChannelError>>;

    /// What the shop shows of an order now, to tell whether a change already took effect
    /// (an outbox item that was in flight when the process died). `Ok(None)`: no such order.
    fn order_state<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RemoteOrderState>, ChannelError>> {
        let _ = remote_id;
        Box::pin(async move {
            Err(ChannelError::Remote(format!(
                "{} cannot read order states yet",
                self.platform()
            )))
        })
    }

    /// Makes `change` at the shop. `key` is unique per change (the idempotency key where the
    /// platform takes one). A refusal by the shop (its user errors) is `Ok(Refused)`; transport
    /// and server failures are errors, retried by the caller.
    fn push<'a>(
        &'a self,
        remote_id: &'a str,
        change: &'a ShopChange,
        key: &'a str,
    ) -> BoxFuture<'a, Result<PushOutcome, ChannelError>> {
        let _ = (remote_id, change, key);
        Box::pin(async move {
            Err(ChannelError::Remote(format!(
                "{} cannot take changes yet",
                self.platform()
            )))
        })
    }
}

/// The shop's answer to a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Done; a short summary of the shop's answer (ids, status) for the timeline.
    Done(String),
    /// The shop refused it, in its own words (e.g. Shopify's userErrors).
    Refused(String),
}
