//! Answers kept from one engine event to the next: what was read after an event is still true
//! until the next one, so many consoles asking after one change share one reading. A second
//! at most, for what changes with the clock (the hour in the Sync log's pictures) or without
//! an event.

use super::EngineError;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const AT_MOST: Duration = Duration::from_secs(1);

pub(crate) struct Kept<T>(Mutex<Option<(u64, Instant, T)>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept(Mutex::new(None))
    }
}

impl<T: Clone> Kept<T> {
    /// The answer kept at `generation` (the events sent so far), else `read`'s, kept. Callers
    /// meanwhile wait for the one reading and take its answer.
    pub fn get(
        &self,
        generation: u64,
        read: impl FnOnce() -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, at, value)) = kept.as_ref()
            && *g == generation
            && at.elapsed() < AT_MOST
        {
            return Ok(value.clone());
        }
        let value = read()?;
        *kept = Some((generation, Instant::now(), value.clone()));
        Ok(value)
    }
}
