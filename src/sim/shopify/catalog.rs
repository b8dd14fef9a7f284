//! The store's products and customers, shared by the simulators (`crate::sim::seed::catalog`).

pub use crate::sim::seed::catalog::*;
