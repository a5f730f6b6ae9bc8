//! A small in-process cache of statistics answers (and pages). An entry is served for at most
//! `ttl`, and after a record is written or reviewed through this server only while it is
//! younger than `staleness`: an answer is never more than `staleness` behind this server's
//! writes (zero: never behind them), nor more than `ttl` behind writes by other processes
//! such as `tideline import`. Under continuous ingest, each answer is then recomputed at most
//! once per `staleness` instead of on every request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

/// Most entries kept; the cache is emptied when full.
const MAX_ENTRIES: usize = 10_000;

/// Cached JSON answers by request key.
pub struct StatsCache {
    ttl: Duration,
    staleness: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (Instant, u64, Bytes)>>,
}

impl StatsCache {
    /// A cache whose entries live at most `ttl` (zero disables it), and at most `staleness`
    /// after a write.
    pub fn new(ttl: Duration, staleness: Duration) -> Self {
        Self { ttl, staleness: staleness.min(ttl), generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()) }
    }

    /// The current generation, to pass back to [`StatsCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A fresh answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (made, generation, body) = entries.get(key)?;
        let age = made.elapsed();
        let current = *generation == self.generation() || age < self.staleness;
        (age < self.ttl && current).then(|| body.clone())
    }

    /// Keeps an answer computed at `generation`.
    pub fn put(&self, key: String, generation: u64, body: Bytes) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), generation, body));
    }

    /// Records were written or reviewed: every cached answer is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_ends_an_answer_at_once_or_after_the_staleness_bound() {
        let strict = StatsCache::new(Duration::from_secs(10), Duration::ZERO);
        let relaxed = StatsCache::new(Duration::from_secs(10), Duration::from_millis(200));
        for cache in [&strict, &relaxed] {
            cache.put("k".into(), cache.generation(), Bytes::from_static(b"1"));
            cache.invalidate();
        }
        assert_eq!(strict.get("k"), None, "no staleness: a write ends every answer");
        assert_eq!(relaxed.get("k"), Some(Bytes::from_static(b"1")), "within the bound");
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(relaxed.get("k"), None, "past the bound");
        relaxed.put("k".into(), relaxed.generation(), Bytes::from_static(b"2"));
        assert_eq!(relaxed.get("k"), Some(Bytes::from_static(b"2")), "no write since: served until the ttl");
        assert_eq!(StatsCache::new(Duration::ZERO, Duration::from_secs(1)).get("k"), None);
    }
}
