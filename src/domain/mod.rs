//! Pure rules of the store: no I/O, no async.

pub mod catalog;
pub mod delivery;
pub mod forms;
pub mod history;
pub mod intake;
pub mod invoice;
pub mod lifecycle;
pub mod limits;
pub mod manifest;
pub mod matching;
pub mod order;
pub mod outbox;
pub mod phone;
pub mod platform;
pub mod receipt;
pub mod records;
pub mod shop_order;
pub mod state;
pub mod text;

pub use order::{LineMatch, MatchStatus, Order, OrderCustomer, OrderLine, Payment, Shipping};
pub use records::{Customer, Product};
pub use shop_order::{
    FetchedOrder, RemoteFinancial, RemoteFulfillment, ShopAddress, ShopCustomer, ShopLine,
    ShopOrder, ShopShipping,
};
pub use state::OrderState;

/// Money is always a decimal in the order's currency.
pub type Money = rust_decimal::Decimal;
