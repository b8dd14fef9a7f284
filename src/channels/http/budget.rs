//! A platform's request budget, written once: so many requests a minute (a sliding window:
//! a request waits until the oldest of the last minute's is a minute old) and so many a day
//! (counted per UTC day, kept with the connector's session so that a restart goes on
//! counting). The connector waits for the minute's budget and stops, saying why, when the
//! day's is spent.

use crate::domain::text::thousands;
use chrono::{NaiveDate, Utc};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

/// The requests a platform allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub per_minute: u32,
    pub per_day: u32,
}

/// The requests sent under a budget.
#[derive(Debug)]
pub struct Spent {
    budget: Budget,
    /// When each of the last minute's requests goes (or went) out.
    minute: VecDeque<Instant>,
    day: NaiveDate,
    today: u32,
}

impl Spent {
    pub fn new(budget: Budget) -> Spent {
        Spent {
            budget,
            minute: VecDeque::new(),
            day: Utc::now().date_naive(),
            today: 0,
        }
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Goes on from a count kept before (`day`'s `used` requests); another day's count is
    /// not today's.
    pub fn resume(&mut self, day: NaiveDate, used: u32) {
        if day == Utc::now().date_naive() && day == self.day {
            self.today = self.today.max(used);
        }
    }

    /// Today's date and the requests sent today.
    pub fn today(&mut self) -> (NaiveDate, u32) {
        self.roll();
        (self.day, self.today)
    }

    fn roll(&mut self) {
        let now = Utc::now().date_naive();
        if now != self.day {
            self.day = now;
            self.today = 0;
        }
    }

    /// Takes one request: how long it must wait for the minute's budget, or `Err` with the
    /// day's count when the day's budget is spent (nothing taken then).
    pub fn take(&mut self) -> Result<Duration, u32> {
        self.roll();
        if self.today >= self.budget.per_day {
            return Err(self.today);
        }
        let now = Instant::now();
        while self.minute.front().is_some_and(|t| *t + MINUTE <= now) {
            self.minute.pop_front();
        }
        let mut at = now;
        if self.minute.len() >= self.budget.per_minute.max(1) as usize {
            let full = self.minute.len() + 1 - self.budget.per_minute.max(1) as usize;
            if let Some(oldest) = self.minute.get(full - 1) {
                at = at.max(*oldest + MINUTE);
            }
        }
        if let Some(last) = self.minute.back() {
            at = at.max(*last);
        }
        self.minute.push_back(at);
        self.today += 1;
        Ok(at.saturating_duration_since(now))
    }

    /// The sync log's line: "API requests today: 1,234 of 10,000".
    pub fn line(&mut self, platform: &str) -> String {
        let (_, used) = self.today();
        format!(
            "{platform} API requests today: {} of {}",
            thousands(u64::from(used)),
            thousands(u64::from(self.budget.per_day))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minute_s_budget_makes_the_next_request_wait_and_the_day_s_stops() {
        let mut s = Spent::new(Budget {
            per_minute: 3,
            per_day: 5,
        });
        for _ in 0..3 {
            assert_eq!(s.take(), Ok(Duration::ZERO));
        }
        let wait = s.take().expect("within the day");
        assert!(wait > Duration::from_secs(59), "{wait:?}");
        assert!(s.take().expect("the fifth").as_secs() >= 59);
        assert_eq!(s.take(), Err(5));
        assert_eq!(s.line("Tray"), "Tray API requests today: 5 of 5");
        let mut again = Spent::new(s.budget());
        again.resume(Utc::now().date_naive(), 4);
        assert_eq!(again.today().1, 4);
        again.resume(NaiveDate::default(), 9);
        assert_eq!(again.today().1, 4, "another day's count is not today's");
    }
}
