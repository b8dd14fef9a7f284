//! Shopify's cost bucket (https://shopify.dev/docs/api/usage/limits): every answer reports
//! `extensions.cost` with the bucket's `throttleStatus`; the bucket refills at `restoreRate`
//! points a second up to `maximumAvailable`, and a query runs only when the bucket holds its
//! requested cost. The connector keeps an estimate of the bucket and waits before a call that
//! would not fit, instead of being refused.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The longest single wait the connector accepts to compute (a guard against absurd figures).
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// The bucket as Shopify reported it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThrottleStatus {
    pub maximum_available: f64,
    pub currently_available: f64,
    pub restore_rate: f64,
}

/// `extensions.cost` of one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryCost {
    pub requested: Option<f64>,
    pub actual: Option<f64>,
    pub status: Option<ThrottleStatus>,
}

impl QueryCost {
    /// Reads `extensions.cost` from an answer (numbers may come as integers or floats).
    pub fn from_answer(answer: &Value) -> Option<QueryCost> {
        let cost = answer.get("extensions")?.get("cost")?;
        let num = |v: &Value, f: &str| v.get(f).and_then(Value::as_f64);
        let status = cost.get("throttleStatus").and_then(|t| {
            Some(ThrottleStatus {
                maximum_available: num(t, "maximumAvailable")?,
                currently_available: num(t, "currentlyAvailable")?,
                restore_rate: num(t, "restoreRate")?,
            })
        });
        Some(QueryCost {
            requested: num(cost, "requestedQueryCost"),
            actual: num(cost, "actualQueryCost"),
            status,
        })
    }
}

/// What the bucket holds `elapsed` after `status` was reported.
pub fn available_after(status: &ThrottleStatus, elapsed: Duration) -> f64 {
    let restored =
        status.currently_available + status.restore_rate.max(0.0) * elapsed.as_secs_f64();
    restored.min(status.maximum_available)
}

/// How long to wait before a call costing `cost`, the bucket having been reported as
/// `status` `elapsed` ago. A cost above the bucket's size waits only for a full bucket.
pub fn wait_before(status: &ThrottleStatus, elapsed: Duration, cost: f64) -> Duration {
    let available = available_after(status, elapsed);
    let needed = cost.min(status.maximum_available);
    time_to_restore(needed - available, status.restore_rate)
}

/// After a THROTTLED answer: (requested − available) / restoreRate seconds.
pub fn throttled_wait(requested: f64, available: f64, restore_rate: f64) -> Duration {
    time_to_restore(requested - available, restore_rate)
}

fn time_to_restore(missing: f64, restore_rate: f64) -> Duration {
    // NaN counts as nothing missing, and as no restore at all.
    if missing.is_nan() || missing <= 0.0 {
        return Duration::ZERO;
    }
    if restore_rate.is_nan() || restore_rate <= 0.0 {
        return MAX_WAIT;
    }
    Duration::try_from_secs_f64(missing / restore_rate).map_or(MAX_WAIT, |d| d.min(MAX_WAIT))
}

/// The connector's estimate of the bucket, and the last requested cost of each document.
#[derive(Debug, Default)]
pub struct Throttle {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    bucket: Option<(ThrottleStatus, Instant)>,
    requested: HashMap<&'static str, f64>,
}

impl Throttle {
    /// How long to wait before sending `document`, whose cost by the rules is `computed`
    /// (used until Shopify has reported its requested cost). The expected cost is taken from
    /// the estimate at once, so two calls at the same time do not both count on it.
    pub fn reserve(&self, document: &'static str, computed: f64) -> Duration {
        let Ok(mut state) = self.state.lock() else {
            return Duration::ZERO;
        };
        let cost = state.requested.get(document).copied().unwrap_or(computed);
        let Some((status, at)) = state.bucket else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(at);
        let wait = wait_before(&status, elapsed, cost);
        let after = available_after(&status, elapsed + wait);
        let left = ThrottleStatus {
            currently_available: (after - cost).max(0.0),
            ..status
        };
        state.bucket = Some((left, now + wait));
        wait
    }

    /// Takes in what an answer reported.
    pub fn record(&self, document: &'static str, cost: &QueryCost) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if let Some(requested) = cost.requested {
            state.requested.insert(document, requested);
        }
        if let Some(status) = cost.status {
            state.bucket = Some((status, Instant::now()));
        }
    }

    /// The bucket as last reported (or estimated since).
    pub fn status(&self) -> Option<ThrottleStatus> {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.bucket.map(|(status, _)| status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(available: f64) -> ThrottleStatus {
        ThrottleStatus {
            maximum_available: 1000.0,
            currently_available: available,
            restore_rate: 50.0,
        }
    }

    #[test]
    fn a_call_that_fits_does_not_wait() {
        assert_eq!(
            wait_before(&status(986.0), Duration::ZERO, 752.0),
            Duration::ZERO
        );
    }

    #[test]
    fn a_call_that_does_not_fit_waits_for_the_restore() {
        // 891 needed, 91 there: 800 points at 50 a second.
        assert_eq!(
            wait_before(&status(91.0), Duration::ZERO, 891.0),
            Duration::from_secs(16)
        );
        // Six seconds since the report have restored 300 of them.
        assert_eq!(
            wait_before(&status(91.0), Duration::from_secs(6), 891.0),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn the_bucket_never_holds_more_than_its_size() {
        assert_eq!(
            available_after(&status(900.0), Duration::from_secs(100)),
            1000.0
        );
        // A cost above the bucket's size waits for a full bucket, not for ever.
        assert_eq!(
            wait_before(&status(0.0), Duration::ZERO, 5000.0),
            Duration::from_secs(20)
        );
    }

    /// A bucket as the shop keeps it: refilled continuously, what a full bucket cannot take
    /// is lost.
    struct ShopBucket {
        level: f64,
        at: f64,
        rate: f64,
        lost: f64,
    }

    impl ShopBucket {
        fn advance(&mut self, to: f64) {
            let filled = self.level + self.rate * (to - self.at);
            self.lost += (filled - 1000.0).max(0.0);
            self.level = filled.min(1000.0);
            self.at = to;
        }
    }

    #[test]
    fn waiting_on_the_last_report_keeps_the_bucket_busy_and_is_never_refused() {
        // Pages requesting 891 and costing 310, 20 ms round trips, 150 ms of intake between
        // pages; the answer reports the bucket rounded down, as Shopify does.
        let (requested, actual, trip, intake) = (891.0, 310.0, 0.02, 0.15);
        for rate in [50.0, 100.0] {
            let mut shop = ShopBucket {
                level: 1000.0,
                at: 0.0,
                rate,
                lost: 0.0,
            };
            let (mut now, mut report) = (0.0, None::<(ThrottleStatus, f64)>);
            while now < 300.0 {
                let mut waited = Duration::ZERO;
                if let Some((status, at)) = report {
                    let since = Duration::from_secs_f64(now - at);
                    waited = wait_before(&status, since, requested);
                    now += waited.as_secs_f64();
                }
                shop.advance(now + trip / 2.0);
                assert!(shop.level >= requested, "refused at {now} s ({rate}/s)");
                // A wait no longer than the report's rounding and the trip cost.
                assert!(
                    waited.is_zero() || shop.level - requested <= 1.0 + rate * trip,
                    "{} points idle at {now} s ({rate}/s)",
                    shop.level - requested
                );
                shop.level -= actual;
                let status = ThrottleStatus {
                    maximum_available: 1000.0,
                    currently_available: shop.level.floor(),
                    restore_rate: rate,
                };
                now += trip;
                report = Some((status, now));
                now += intake;
            }
            // Only the restore before the first query arrived is lost.
            assert!(shop.lost <= rate * trip / 2.0 + 1e-9, "{} lost", shop.lost);
        }
    }

    #[test]
    fn throttled_answers_wait_for_the_missing_points() {
        assert_eq!(throttled_wait(752.0, 152.0, 50.0), Duration::from_secs(12));
        assert_eq!(throttled_wait(10.0, 20.0, 50.0), Duration::ZERO);
        assert_eq!(throttled_wait(10.0, 0.0, 0.0), MAX_WAIT);
    }

    #[test]
    fn reserving_takes_the_cost_from_the_estimate() {
        let t = Throttle::default();
        assert_eq!(t.reserve("Q", 100.0), Duration::ZERO, "nothing known yet");
        let cost = QueryCost {
            requested: Some(400.0),
            actual: Some(10.0),
            status: Some(status(500.0)),
        };
        t.record("Q", &cost);
        assert_eq!(t.reserve("Q", 100.0), Duration::ZERO);
        // 100 left; the next 400 need 300 more points: 6 s at 50/s (give or take the clock).
        let wait = t.reserve("Q", 100.0);
        assert!(
            wait > Duration::from_millis(5900) && wait <= Duration::from_secs(6),
            "{wait:?}"
        );
    }

    #[test]
    fn the_cost_extension_reads_with_mixed_numbers() {
        let answer = serde_json::json!({"extensions": {"cost": {"requestedQueryCost": 752,
            "actualQueryCost": 14, "throttleStatus": {"maximumAvailable": 1000.0,
            "currentlyAvailable": 986, "restoreRate": 50.0}}}});
        let cost = QueryCost::from_answer(&answer).expect("a cost");
        assert_eq!(cost.requested, Some(752.0));
        assert_eq!(cost.status, Some(status(986.0)));
    }
}
