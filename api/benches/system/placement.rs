//! Placement measured side by side: batches of surveys placed by their coordinates alone (each
//! record goes to the nearest site within 1 km, looked up a chunk at a time) against the same
//! surveys naming their site.

use diesel::PgConnection;

use super::ingest::{batch_bodies, first_client_of_round, post_batches};
use super::machine::Server;

/// Batches of each kind, posted alternately.
const PAIRS: u64 = 3;

/// The section of the report: batches placed by the position of `site_id` against batches
/// naming it.
pub fn report(server: &Server, conn: &mut PgConnection, token: &str, site_id: i64, say: &mut impl FnMut(String)) {
    say("\n## Placement by coordinates vs a named site\n".into());
    say(format!(
        "{PAIRS} batches of 1 000 surveys carrying only their coordinates (the site's own position: each record goes \
         to the nearest site within 1 km, one look-up a chunk), posted alternately with as many naming their site \
         (median ms a batch).\n"
    ));
    let site = tideline_api::store::places::find_site(conn, site_id).unwrap().unwrap();
    let (named_ms, located_ms) = named_vs_located(server, token, site_id, (site.lat, site.lon));
    say(format!(
        "| site named ms | coordinates only ms | named / coordinates |\n|---|---|---|\n| {named_ms:.0} | \
         {located_ms:.0} | {:.2} |",
        named_ms / located_ms
    ));
}

/// Milliseconds (median over the pairs) to post a batch of 1 000 surveys naming `site_id`, and
/// one of 1 000 others carrying only `location` (the site's own position).
fn named_vs_located(server: &Server, token: &str, site_id: i64, location: (f64, f64)) -> (f64, f64) {
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
