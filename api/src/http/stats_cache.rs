//! A small in-process cache of statistics answers. An entry is served while no record was
//! written or reviewed through this server since it was made, and for at most `ttl` (writes
//! by other processes, such as `tideline import`, show within that time).

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
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (Instant, u64, Bytes)>>,
}

impl StatsCache {
    /// A cache whose entries live at most `ttl` (zero disables it).
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()) }
    }

    /// The current generation, to pass back to [`StatsCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A fresh answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (made, generation, body) = entries.get(key)?;
        (made.elapsed() < self.ttl && *generation == self.generation()).then(|| body.clone())
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
