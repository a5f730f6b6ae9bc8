//! CSV export measured side by side: the streamed `GET /v1/exports/surveys.csv` of the release
//! server, and `COPY (the same query) TO STDOUT` through psql as the baseline.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::agent;
use super::machine::{rss_kb, PeakRss, Server};

/// One export's figures.
pub struct Export {
    /// Data rows (header left out).
    pub rows: usize,
    /// Bytes read.
    pub bytes: usize,
    /// Seconds from request to last byte.
    pub seconds: f64,
}

fn drain(reader: &mut dyn Read) -> (usize, usize) {
    let (mut bytes, mut lines, mut buffer) = (0usize, 0usize, vec![0u8; 1 << 16]);
    loop {
        let n = reader.read(&mut buffer).unwrap();
        if n == 0 {
            return (bytes, lines);
        }
        bytes += n;
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count();
    }
}

/// The whole survey export over HTTP; with the server's RSS before and at peak, KiB.
pub fn export_over_http(server: &Server, researcher: &str) -> (Export, u64, u64) {
    let pid = server.child.id();
    let before = rss_kb(pid);
    let peak = PeakRss::start(pid);
    let started = Instant::now();
    let mut reply = agent()
        .get(format!("{}/v1/exports/surveys.csv", server.base))
        .header("authorization", format!("Bearer {researcher}"))
        .call()
        .unwrap();
    let mut reader = reply.body_mut().with_config().limit(u64::MAX).reader();
    let (bytes, lines) = drain(&mut reader);
    let seconds = started.elapsed().as_secs_f64();
    (Export { rows: lines.saturating_sub(1), bytes, seconds }, before, peak.stop())
}

/// The query the survey export runs for the whole network, as SQL (the DSL query of
/// `store::exports::for_each_survey_chunk` with the network scope and no filter).
const EXPORT_QUERY: &str = "SELECT t.survey_id, t.city_id, t.survey_date, t.site_id, s.code, c.name, c.country_code, \
     t.protocol, t.survey_kind, t.length_m, t.total_items, t.items_per_100m, t.items_per_m2, t.plastic_items, \
     t.sup_items, t.fishing_items, t.cci FROM survey_totals t JOIN cities c ON c.id = t.city_id \
     LEFT JOIN sites s ON s.id = t.site_id WHERE t.status = 'accepted' ORDER BY t.survey_date, t.survey_id";

/// `COPY (the export's query) TO STDOUT WITH CSV HEADER` through psql, read to the end.
pub fn copy_to_baseline(url: &str) -> Export {
    let started = Instant::now();
    let mut child = Command::new("psql")
        .args([
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            url,
            "-c",
            &format!("COPY ({EXPORT_QUERY}) TO STDOUT WITH (FORMAT csv, HEADER)"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (bytes, lines) = drain(child.stdout.as_mut().unwrap());
    assert!(child.wait().unwrap().success());
    Export { rows: lines.saturating_sub(1), bytes, seconds: started.elapsed().as_secs_f64() }
}
