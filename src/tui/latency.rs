//! The console's own timing, for the benchmarks (target `orderdesk::latency` at debug level,
//! in the log file): each frame's drawing, each key until the screen showing its answer is
//! drawn (the key handled, what it asked the engine answered, the frame drawn), and the first
//! frame that shows orders, counted from the start of the process.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Marks the start of the process (called first thing in `main`).
pub fn mark_start() {
    let _ = STARTED.set(Instant::now());
}

/// What the event loop keeps to time keys.
#[derive(Default)]
pub struct KeyClock {
    /// The first key not yet shown on screen.
    key: Option<Instant>,
    /// Questions to the engine whose answers have not come back yet.
    asked: usize,
    orders_shown: bool,
}

impl KeyClock {
    pub fn key(&mut self) {
        self.key.get_or_insert_with(Instant::now);
    }

    pub fn asked(&mut self) {
        self.asked += 1;
    }

    pub fn answered(&mut self) {
        self.asked = self.asked.saturating_sub(1);
    }

    /// A key is waiting for the frame that shows what it asked for.
    pub fn awaiting_key(&self) -> bool {
        self.key.is_some()
    }

    /// After a frame was drawn in `took`; `orders` tells whether it shows order rows.
    pub fn drawn(&mut self, took: Duration, orders: bool) {
        tracing::debug!(target: "orderdesk::latency", draw_us = took.as_micros() as u64, "frame");
        if orders && !self.orders_shown {
            self.orders_shown = true;
            if let Some(start) = STARTED.get() {
                tracing::debug!(
                    target: "orderdesk::latency",
                    since_start_ms = start.elapsed().as_millis() as u64,
                    "first frame with orders"
                );
            }
        }
        if self.asked == 0
            && let Some(key) = self.key.take()
        {
            tracing::debug!(
                target: "orderdesk::latency",
                key_to_screen_us = key.elapsed().as_micros() as u64,
                "key"
            );
        }
    }
}
