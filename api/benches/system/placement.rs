//! Placement measured side by side: batches of surveys placed by their coordinates alone (each
//! record goes to the nearest site within 1 km, looked up a chunk at a time) against the same
//! surveys naming their site.

use super::ingest::{batch_bodies, first_client_of_round, post_batches};
use super::machine::Server;

/// Batches of each kind, posted alternately.
pub const PAIRS: u64 = 3;

/// Milliseconds (median over the pairs) to post a batch of 1 000 surveys naming `site_id`, and
/// one of 1 000 others carrying only `location` (the site's own position).
pub fn named_vs_located(server: &Server, token: &str, site_id: i64, location: (f64, f64)) -> (f64, f64) {
    let named = batch_bodies(PAIRS, 1000, site_id, first_client_of_round(20));
    let located: Vec<String> = batch_bodies(PAIRS, 1000, site_id, first_client_of_round(21))
        .iter()
        .map(|body| {
            let mut batch: serde_json::Value = serde_json::from_str(body).unwrap();
            for record in batch["records"].as_array_mut().unwrap() {
                record.as_object_mut().unwrap().remove("site_id");
                record["location"] = serde_json::json!({ "lat": location.0, "lon": location.1 });
            }
            batch.to_string()
        })
        .collect();
    let post = |body: &String| post_batches(&server.base, "/v1/surveys/batch", token, vec![body.clone()], 1) * 1e3;
    let (mut named_ms, mut located_ms): (Vec<f64>, Vec<f64>) =
        named.iter().zip(&located).map(|(n, l)| (post(n), post(l))).unzip();
    named_ms.sort_by(f64::total_cmp);
    located_ms.sort_by(f64::total_cmp);
    (named_ms[named_ms.len() / 2], located_ms[located_ms.len() / 2])
}
