//! A platform's request budget, written once: so many requests in a window (a sliding one:
//! a request waits until the oldest of the window's is a window old: 180 a minute, 3 a
//! second) and so many a day (counted per UTC day, kept with the
//! connector's session so that a restart goes on counting). The connector waits for the
//! window's budget and stops, saying why, when the day's is spent.

use crate::domain::text::thousands;
use chrono::{NaiveDate, Utc};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The requests a platform allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests in any `window`.
    pub per_window: u32,
    pub window: Duration,
    /// Requests in a UTC day (`u32::MAX`: no daily budget).
    pub per_day: u32,
}

impl Budget {
    /// `n` requests a minute and `day` a day.
    pub const fn per_minute(n: u32, day: u32) -> Budget {
        Budget {
            per_window: n,
            window: Duration::from_secs(60),
            per_day: day,
        }
    }

    /// `n` requests a second, no daily budget.
    pub const fn per_second(n: u32) -> Budget {
        Budget {
            per_window: n,
            window: Duration::from_secs(1),
            per_day: u32::MAX,
        }
    }

    /// "180 requests a minute", for messages.
    pub fn window_words(&self) -> String {
        match self.window.as_secs() {
            1 => format!("{} requests a second", self.per_window),
            60 => format!("{} requests a minute", self.per_window),
            s => format!("{} requests in {s} s", self.per_window),
        }
    }
}

/// The requests sent under a budget.
#[derive(Debug)]
pub struct Spent {
    budget: Budget,
    /// When each of the window's requests goes (or went) out.
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

    /// Takes one request: how long it must wait for the window's budget, or `Err` with the
    /// day's count when the day's budget is spent (nothing taken then).
    pub fn take(&mut self) -> Result<Duration, u32> {
        self.roll();
        if self.today >= self.budget.per_day {
            return Err(self.today);
        }
        let now = Instant::now();
        let (window, most) = (self.budget.window, self.budget.per_window.max(1) as usize);
        while self.minute.front().is_some_and(|t| *t + window <= now) {
            self.minute.pop_front();
        }
        let mut at = now;
        if self.minute.len() >= most
            && let Some(oldest) = self.minute.get(self.minute.len() - most)
        {
            // A little past the window: the shop counts a request when it arrives.
            let margin = (window / 20).min(Duration::from_millis(250));
            at = at.max(*oldest + window + margin);
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
    fn the_window_s_budget_makes_the_next_request_wait_and_the_day_s_stops() {
        let mut s = Spent::new(Budget::per_minute(3, 5));
        for _ in 0..3 {
            assert_eq!(s.take(), Ok(Duration::ZERO));
        }
        let wait = s.take().expect("within the day");
        assert!(wait > Duration::from_secs(59), "{wait:?}");
        assert!(s.take().expect("the fifth").as_secs() >= 59);
        assert_eq!(s.take(), Err(5));
        assert_eq!(s.line("Tray"), "Tray API requests today: 5 of 5");
        assert_eq!(s.budget().window_words(), "3 requests a minute");
        let mut again = Spent::new(s.budget());
        again.resume(Utc::now().date_naive(), 4);
        assert_eq!(again.today().1, 4);
        again.resume(NaiveDate::default(), 9);
        assert_eq!(again.today().1, 4, "another day's count is not today's");
    }
}
