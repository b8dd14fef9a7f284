//! orderdesk: a keyboard-driven terminal console for a store's back office.
//!
//! Layers, each knowing only those below it (DESIGN.md §2):
//! `domain` → `store` → `engine` → `channels` / `sync` → `tui`; `sim` is the shops' simulator
//! and shares no code with `channels`; `killpoint` (the crash harness's kill points) is a leaf
//! any layer may call.

pub mod channels;
pub mod cli;
pub mod config;
pub mod domain;
pub mod engine;
pub mod killpoint;
pub mod platforms;
pub mod printer;
pub mod sample;
pub mod service;
pub mod sim;
pub mod store;
pub mod sync;
pub mod tui;
