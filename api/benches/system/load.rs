//! The statistics load: many clients asking for a city's statistics, the requests that keep
//! each answer uncached, and the naive SQL aggregate they are compared with.

use std::time::Instant;

use diesel::prelude::*;

use super::{agent, percentile};

/// The city the load threads ask for (set before each load run).
pub static CITY: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

pub fn city() -> i64 {
    CITY.load(std::sync::atomic::Ordering::Relaxed)
}

/// p50 and p99 (ms) of `GET path(client, request)` from `clients` threads × `requests` each.
pub fn load(base: &str, path: fn(usize, usize) -> String, clients: usize, requests: usize) -> (f64, f64) {
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let base = base.to_string();
            std::thread::spawn(move || {
                let agent = agent();
                (0..requests)
                    .map(|request| {
                        let url = format!("{base}{}", path(client, request));
                        let started = Instant::now();
                        let mut reply = agent.get(&url).call().unwrap();
                        let _ = reply.body_mut().read_to_vec();
                        assert_eq!(reply.status(), 200);
                        started.elapsed().as_secs_f64() * 1e3
                    })
                    .collect::<Vec<f64>>()
            })
        })
        .collect();
    let mut all: Vec<f64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    all.sort_by(f64::total_cmp);
    (percentile(&all, 0.5), percentile(&all, 0.99))
}

/// The city's statistics up to a month end past the data, distinct for every client and
/// request (so no answer is cached; whole months, so the composition still comes from the
/// monthly rollups).
pub fn month_end(client: usize, request: usize) -> String {
    let k = (client * 1000 + request) as i32;
    let next = chrono::NaiveDate::from_ymd_opt(2030 + (k + 1) / 12, ((k + 1) % 12 + 1) as u32, 1).unwrap();
    let day = next - chrono::Duration::days(1);
    format!("/v1/cities/{}/stats?to={day}", city())
}

/// The city's statistics from a year before the data, distinct for every client and request:
/// the warm-up before the uncached run.
pub fn period_start(client: usize, request: usize) -> String {
    format!("/v1/cities/{}/stats?from={}-01-01", city(), 1900 + client * 10 + request)
}

/// p50 (ms) of a naive SQL aggregate computing the city's figures from the raw item rows.
pub fn naive(conn: &mut PgConnection, city_id: i64, runs: usize) -> f64 {
    let sql = format!(
        "WITH per_survey AS (SELECT s.id, s.length_m, sum(i.count) FILTER (WHERE i.counted) AS items \
         FROM surveys s JOIN survey_items i ON i.survey_id = s.id WHERE s.city_id = {city_id} AND s.status = 'accepted' \
         GROUP BY s.id, s.length_m) \
         SELECT count(*)::bigint AS n, avg(items * 100 / length_m), \
         percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY items * 100 / length_m) FROM per_survey"
    );
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            diesel::sql_query(&sql).execute(conn).unwrap();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    percentile(&times, 0.5)
}
