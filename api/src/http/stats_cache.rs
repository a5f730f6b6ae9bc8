//! A small in-process cache of statistics answers (and pages). An entry is served for at most
//! `ttl`, and after a record is written or reviewed through this server only while it is
//! younger than `staleness`: an answer is never more than `staleness` behind this server's
//! writes (zero: never behind them), nor more than `ttl` behind writes by other processes
//! such as `tideline import`. Under continuous ingest, each answer is then recomputed at most
//! once per `staleness` instead of on every request. [`StatsCache::answer`] computes an answer
//! once however many requests ask for it at the same time: they wait for the one computation
//! (its result is theirs, as fresh as if each had computed it).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use tokio::sync::OnceCell;

use super::problem::ApiError;

/// One computation of an answer that requests may share: the cache generation it started at,
/// and the answer.
type Flight = Arc<OnceCell<(u64, Bytes)>>;

/// Most entries kept; the cache is emptied when full.
const MAX_ENTRIES: usize = 10_000;

/// Cached JSON answers by request key.
pub struct StatsCache {
    ttl: Duration,
    staleness: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (Instant, u64, Bytes)>>,
    flights: Mutex<HashMap<String, Flight>>,
}

impl StatsCache {
    /// A cache whose entries live at most `ttl` (zero disables it), and at most `staleness`
    /// after a write.
    pub fn new(ttl: Duration, staleness: Duration) -> Self {
        Self {
            ttl,
            staleness: staleness.min(ttl),
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// The answer for `key`: from the cache, else from the computation already running for it,
    /// else computed by `compute` (and kept). A failed computation is not shared: each waiter
    /// then computes for itself.
    pub async fn answer<F, Fut>(&self, key: &str, compute: F) -> Result<Bytes, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, ApiError>>,
    {
        if let Some(body) = self.get(key) {
            return Ok(body);
        }
        let flight = {
            let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
            flights.entry(key.to_string()).or_default().clone()
        };
        let computed = flight
            .get_or_try_init(|| async {
                // the generation before reading: a write during the computation outdates it
                let generation = self.generation();
                compute().await.map(|body| (generation, body))
            })
            .await
            .cloned();
        {
            // the flight is over for everyone: the next miss starts a new one
            let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
            if flights.get(key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
                flights.remove(key);
            }
        }
        let (generation, body) = computed?;
        self.put(key.to_string(), generation, body.clone());
        Ok(body)
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn simultaneous_requests_share_one_computation() {
        let cache = Arc::new(StatsCache::new(Duration::from_secs(10), Duration::ZERO));
        let computed = Arc::new(AtomicU64::new(0));
        let askers: Vec<_> = (0..8)
            .map(|_| {
                let (cache, computed) = (cache.clone(), computed.clone());
                tokio::spawn(async move {
                    cache
                        .answer("city 1", || async {
                            computed.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            Ok(Bytes::from_static(b"figures"))
                        })
                        .await
                })
            })
            .collect();
        for asker in askers {
            assert_eq!(asker.await.unwrap().unwrap(), Bytes::from_static(b"figures"));
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1, "one computation for eight requests");
        assert!(cache.flights.lock().unwrap().is_empty(), "no flight left behind");
        cache.invalidate();
        let again = cache.answer("city 1", || async { Ok(Bytes::from_static(b"new")) }).await.unwrap();
        assert_eq!(again, Bytes::from_static(b"new"), "after a write, a new computation");
        let failed = cache.answer("city 2", || async { Err(ApiError::NotFound("no city 2".into())) }).await;
        assert!(failed.is_err());
        assert!(cache.get("city 2").is_none(), "a failure is not kept");
        let during = cache.answer("city 3", || async {
            cache.invalidate(); // a write while the answer is computed
            Ok(Bytes::from_static(b"before the write"))
        });
        assert_eq!(during.await.unwrap(), Bytes::from_static(b"before the write"));
        assert!(cache.get("city 3").is_none(), "an answer a write outdated is not kept as current");
    }

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
