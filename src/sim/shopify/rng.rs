//! The seeded world's PRNG, shared by the simulators (`crate::sim::seed`).

pub use crate::sim::seed::rng::Rng;
