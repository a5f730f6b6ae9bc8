//! Sample ingest measured side by side: batches of microplastic samples posted over HTTP to the
//! release server, and `psql \copy` of the same rows into the same tables as the baseline.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::ingest::{copy_back, post_and_count, Mark};
use super::machine::Server;

/// `batches` bodies of `size` manta-trawl samples at a site (three kinds of particles each),
/// their client ids numbered from `first`.
pub fn sample_bodies(batches: u64, size: u64, site_id: i64, first: u64) -> Vec<String> {
    (0..batches)
        .map(|b| {
            let records: Vec<serde_json::Value> = (0..size)
                .map(|i| {
                    let index = first + b * size + i;
                    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("bench-sample|{index}").as_bytes());
                    let date = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Days::new(index % 2500);
                    serde_json::json!({
                        "client_id": id, "site_id": site_id, "date": date,
                        "matrix": "surface_water", "method": "manta_net", "mesh_um": 333,
                        "flowmeter": {"start": 0, "end": 40000 + index % 30000},
                        "net_width_m": 0.6, "mouth_area_m2": 0.09,
                        "particles": [
                            {"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": 5 + index % 40},
                            {"shape": "fiber", "polymer": "polyester", "size_class": "1-5 mm", "count": 1 + index % 7},
                            {"shape": "film", "polymer": "PP", "size_class": "micro", "count": index % 11},
                        ]
                    })
                })
                .collect();
            serde_json::json!({ "records": records }).to_string()
        })
        .collect()
}

/// Posts batches of 1 000 samples (`batches`: how many, and the first client id's number);
/// returns (particle rows, seconds).
pub fn samples_over_http(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    batches: (u64, u64),
    site_id: i64,
) -> (i64, f64) {
    let (batches, first) = batches;
    // both sides start from analysed tables and a checkpoint (the baseline runs `VACUUM ANALYZE`
    // after its delete), so neither plans its foreign-key checks for a table much smaller than
    // it is, nor pays for the other's dirty pages
    let bodies = sample_bodies(batches, 1000, site_id, first);
    post_and_count(server, conn, token, ("/v1/samples/batch", bodies, 1), "sample_particles", "ANALYZE; CHECKPOINT")
}

/// `psql \copy` of the sample rows the HTTP ingest wrote since `mark` (submissions, samples,
/// particle counts), into the same tables; returns seconds of the copy-in.
pub fn copy_samples_baseline(url: &str, mark: Mark) -> f64 {
    let (samples, submissions) = (mark.records(""), mark.submissions());
    let particles = format!(
        "SELECT p.* FROM sample_particles p JOIN samples s ON s.city_id = p.city_id AND s.id = p.sample_id WHERE {}",
        mark.records("s.")
    );
    copy_back(
        url,
        &[vec![
            ("submissions", format!("SELECT * FROM submissions WHERE {submissions}")),
            ("samples", format!("SELECT * FROM samples WHERE {samples}")),
            ("sample_particles", particles),
        ]],
        &format!("DELETE FROM samples WHERE {samples}; DELETE FROM submissions WHERE {submissions}"),
    )
}

/// Removes the team's samples, their submissions and their client-id claims, so that the
/// measures that follow see the surveys alone.
pub fn remove_samples(conn: &mut PgConnection, team_id: i64) {
    conn.batch_execute(&format!(
        "BEGIN; \
         DELETE FROM client_ids c USING submissions s WHERE c.city_id = s.city_id AND c.submission_id = s.id \
           AND s.team_id = {team_id} AND s.record_kind = 'sample'; \
         DELETE FROM samples WHERE team_id = {team_id}; \
         DELETE FROM submissions WHERE team_id = {team_id} AND record_kind = 'sample'; \
         COMMIT"
    ))
    .unwrap();
    conn.batch_execute("VACUUM ANALYZE").unwrap();
}
