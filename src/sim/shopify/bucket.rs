//! Shopify's leaky bucket: `maximum` points, restored continuously at `restore` per second.

use serde_json::{Value, json};
use std::time::Instant;

#[derive(Debug)]
pub struct Bucket {
    maximum: f64,
    restore: f64,
    available: f64,
    at: Instant,
}

impl Bucket {
    pub fn new(maximum: u32, restore: u32) -> Bucket {
        Bucket {
            maximum: f64::from(maximum),
            restore: f64::from(restore),
            available: f64::from(maximum),
            at: Instant::now(),
        }
    }

    fn refill(&mut self) {
        let now = Instant::now();
        let secs = now.duration_since(self.at).as_secs_f64();
        self.available = (self.available + secs * self.restore).min(self.maximum);
        self.at = now;
    }

    /// Takes `cost` points if they are there; false (nothing taken) if not.
    pub fn take(&mut self, cost: u64) -> bool {
        self.refill();
        let cost = cost as f64;
        if cost > self.available {
            return false;
        }
        self.available -= cost;
        true
    }

    pub fn refund(&mut self, points: u64) {
        self.refill();
        self.available = (self.available + points as f64).min(self.maximum);
    }

    /// The points the bucket holds now, unrounded.
    pub fn available(&mut self) -> f64 {
        self.refill();
        self.available
    }

    /// `throttleStatus` as Shopify prints it (`1000.0`, `990`, `100.0`).
    pub fn status(&mut self) -> Value {
        self.refill();
        json!({
            "maximumAvailable": self.maximum,
            "currentlyAvailable": self.available.floor() as u64,
            "restoreRate": self.restore,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Bucket;

    #[test]
    fn takes_refunds_and_refuses() {
        let mut b = Bucket::new(100, 0);
        assert!(b.take(60));
        assert!(!b.take(50));
        b.refund(20);
        assert!(b.take(50));
        assert_eq!(b.status()["currentlyAvailable"], 10);
    }
}
