//! The seeded cases, shared by the simulators (`crate::sim::seed::cases`).

pub use crate::sim::seed::cases::*;
