//! Simulated shops (DESIGN.md §4 "The simulator"). Shares no code with `crate::channels`.

pub mod faults;
pub mod log;
pub mod seed;
pub mod shopify;
pub mod woocommerce;
