//! What the bucket charged, query by query (`GET /_sim/charges`), and the pacing figures a
//! benchmark reads from it: over a window that starts when the bucket's first fill is spent,
//! the actual points used ÷ the points restored.

use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// One query that reached the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Charge {
    /// Seconds since the simulator started, when the bucket was asked.
    pub t: f64,
    pub requested: u64,
    /// What the query cost once run (`None` when it was THROTTLED and did not run).
    pub actual: Option<u64>,
    /// The points the bucket held after the charge and its refund.
    pub available: f64,
    /// Seconds from the request's arrival to this charge (validation, cost and execution).
    #[serde(default)]
    pub took: f64,
}

impl Charge {
    pub fn throttled(&self) -> bool {
        self.actual.is_none()
    }
}

/// The charges since the simulator started (about 40 bytes a query).
#[derive(Debug)]
pub struct ChargeLog {
    started: Instant,
    list: Vec<Charge>,
}

impl Default for ChargeLog {
    fn default() -> Self {
        ChargeLog {
            started: Instant::now(),
            list: Vec::new(),
        }
    }
}

impl ChargeLog {
    pub fn push(&mut self, requested: u64, actual: Option<u64>, available: f64, took: Duration) {
        self.list.push(Charge {
            t: self.started.elapsed().as_secs_f64(),
            requested,
            actual,
            available,
            took: took.as_secs_f64(),
        });
    }

    pub fn list(&self) -> &[Charge] {
        &self.list
    }
}

/// The pacing of a client over one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pacing {
    /// When the window starts (seconds since the simulator started): the first answer after
    /// which the bucket held less than that query requests (the client must wait).
    pub start: f64,
    /// The window's length in seconds.
    pub window: f64,
    /// Actual points of the queries answered in the window.
    pub points: u64,
    /// Queries answered in the window.
    pub queries: usize,
    /// THROTTLED answers in the whole log.
    pub throttled: usize,
    /// `points` ÷ (restore rate × window).
    pub ratio: f64,
    /// What the bucket held at the window's start and end.
    pub level_start: f64,
    pub level_end: f64,
    /// Points the restore would have added but a full bucket could not take:
    /// restore × window + level_start − level_end − points (0 when the client kept up).
    pub lost: f64,
}

/// When the bucket's first fill is spent: the first answered query after which the bucket
/// holds less than it requests.
pub fn window_start(charges: &[Charge]) -> Option<&Charge> {
    charges
        .iter()
        .find(|c| !c.throttled() && c.available < c.requested as f64)
}

/// The pacing over `window` seconds after the first fill is spent, for a bucket of `maximum`
/// points restoring `restore` a second. An error says why there is no figure (the log does
/// not reach the window's end, or the bucket was never spent).
pub fn pacing(
    charges: &[Charge],
    maximum: f64,
    restore: f64,
    window: f64,
) -> Result<Pacing, String> {
    let first = window_start(charges).ok_or("the bucket's first fill was never spent")?;
    let (start, end) = (first.t, first.t + window);
    let last_t = charges.last().map_or(0.0, |c| c.t);
    if last_t < end {
        return Err(format!(
            "the log ends {:.1} s after the window's start, before its end ({window} s)",
            last_t - start
        ));
    }
    let inside: Vec<&Charge> = charges
        .iter()
        .filter(|c| c.t > start && c.t <= end && !c.throttled())
        .collect();
    let points: u64 = inside.iter().filter_map(|c| c.actual).sum();
    let level_end = inside.last().map_or(first.available, |c| {
        (c.available + restore * (end - c.t)).min(maximum)
    });
    let level_start = first.available;
    let restored = restore * window;
    Ok(Pacing {
        start,
        window,
        points,
        queries: inside.len(),
        throttled: charges.iter().filter(|c| c.throttled()).count(),
        ratio: if restored > 0.0 {
            points as f64 / restored
        } else {
            0.0
        },
        level_start,
        level_end,
        lost: (restored + level_start - level_end - points as f64).max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(t: f64, requested: u64, actual: Option<u64>, available: f64) -> Charge {
        Charge {
            t,
            requested,
            actual,
            available,
            took: 0.0,
        }
    }

    #[test]
    fn the_window_starts_when_the_next_query_would_have_to_wait() {
        let log = [
            charge(0.0, 100, Some(100), 900.0),
            charge(0.1, 891, Some(300), 600.0),
            charge(3.9, 891, Some(300), 600.0),
        ];
        assert_eq!(window_start(&log).map(|c| c.t), Some(0.1));
        assert_eq!(window_start(&log[..1]), None);
    }

    #[test]
    fn a_client_that_keeps_pace_uses_what_is_restored() {
        // 50 points a second; a query of actual 300 every 6 s, each waiting for 891.
        let mut log = vec![charge(0.0, 891, Some(300), 591.0)];
        for i in 1..=21 {
            log.push(charge(f64::from(i) * 6.0, 891, Some(300), 591.0));
        }
        let p = pacing(&log, 1000.0, 50.0, 120.0).expect("figures");
        assert_eq!(
            (p.start, p.queries, p.points, p.throttled),
            (0.0, 20, 6000, 0)
        );
        assert!((p.ratio - 1.0).abs() < 1e-9, "{p:?}");
        assert!(p.lost < 1e-9, "{p:?}");
    }

    #[test]
    fn a_slow_client_loses_points_to_a_full_bucket_and_throttles_count() {
        // One query of 300 every 12 s: the bucket fills and half the restore is lost.
        let mut log = vec![charge(0.0, 891, Some(300), 700.0)];
        for i in 1..=11 {
            log.push(charge(f64::from(i) * 12.0, 891, Some(300), 700.0));
        }
        log.push(charge(130.0, 891, None, 100.0));
        let p = pacing(&log, 1000.0, 50.0, 120.0).expect("figures");
        assert_eq!((p.queries, p.points, p.throttled), (10, 3000, 1));
        assert!((p.ratio - 0.5).abs() < 1e-9, "{p:?}");
        assert!((p.lost - 3000.0).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn no_figures_before_the_window_ends() {
        let log = [
            charge(0.0, 891, Some(300), 700.0),
            charge(60.0, 891, Some(300), 700.0),
        ];
        assert!(pacing(&log, 1000.0, 50.0, 120.0).is_err());
        assert!(pacing(&[], 1000.0, 50.0, 120.0).is_err());
    }
}
