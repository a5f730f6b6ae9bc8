//! Statistics while ingest runs: small batches posted one after another by one writer (as the
//! apps post, many small writes) while readers ask for the city's statistics.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::ingest::{batch_bodies, post_batches};
use super::machine::{rss_kb, PeakRss, Server};
use super::{agent, percentile};

/// Surveys per write of the concurrent writer.
pub const WRITE_SIZE: u64 = 10;

/// What one concurrent run measured.
pub struct UnderIngest {
    /// Statistics answers during the ingest.
    pub answers: usize,
    /// Their p50 and p99, ms.
    pub p50: f64,
    /// p99, ms.
    pub p99: f64,
    /// Surveys per second the writer stored meanwhile.
    pub surveys_per_s: f64,
    /// Server RSS before, at peak, and 3 s after, MiB.
    pub rss: (f64, f64, f64),
}

/// `clients` readers of `path` for as long as one writer posts `batches` batches of
/// [`WRITE_SIZE`] surveys at `site_id` (client ids from `first`).
pub fn stats_under_ingest(
    server: &Server,
    token: &str,
    path: String,
    clients: usize,
    batches: u64,
    site_id: i64,
    first: u64,
) -> UnderIngest {
    let bodies = batch_bodies(batches, WRITE_SIZE, site_id, first);
    let pid = server.child.id();
    let before = rss_kb(pid);
    let peak = PeakRss::start(pid);
    let writing = Arc::new(AtomicBool::new(true));
    let readers: Vec<_> = (0..clients)
        .map(|_| {
            let (url, writing) = (format!("{}{path}", server.base), writing.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut times = Vec::new();
                while writing.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let mut reply = agent.get(&url).call().unwrap();
                    let _ = reply.body_mut().read_to_vec();
                    assert_eq!(reply.status(), 200);
                    times.push(started.elapsed().as_secs_f64() * 1e3);
                }
                times
            })
        })
        .collect();
    let seconds = post_batches(&server.base, "/v1/surveys/batch", token, bodies, 1);
    writing.store(false, Ordering::Relaxed);
    let mut times: Vec<f64> = readers.into_iter().flat_map(|r| r.join().unwrap()).collect();
    let peak = peak.stop();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let after = rss_kb(pid);
    times.sort_by(f64::total_cmp);
    let mib = |kb: u64| kb as f64 / 1024.0;
    UnderIngest {
        answers: times.len(),
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        surveys_per_s: (batches * WRITE_SIZE) as f64 / seconds,
        rss: (mib(before), mib(peak), mib(after)),
    }
}
