//! Ingest measured side by side: batches posted over HTTP to the release server, and `psql
//! \copy` of the same rows into the same tables as the baseline.

use std::process::Command;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use tideline_api::demo;

use super::machine::Server;
use super::{agent, count};

/// Where a round of ingest starts: the team's highest record id (`surveys` or `samples`) and
/// submission id before it, and the rows since then of a table holding the team's records.
#[derive(Clone, Copy)]
pub struct Mark {
    team_id: i64,
    record: i64,
    submission: i64,
}

impl Mark {
    /// The team's highest ids in `records` (`surveys` or `samples`) and `submissions` now.
    pub fn now(conn: &mut PgConnection, team_id: i64, records: &str) -> Mark {
        let mut max = |table: &str| {
            count(conn, &format!("SELECT coalesce(max(id), 0) AS n FROM {table} WHERE team_id = {team_id}"))
        };
        Mark { team_id, record: max(records), submission: max("submissions") }
    }

    /// The condition on a record table's columns (qualified by `prefix`, e.g. `s.`) that
    /// selects the team's records written since the mark.
    pub fn records(&self, prefix: &str) -> String {
        format!("{prefix}team_id = {} AND {prefix}id > {}", self.team_id, self.record)
    }

    /// The condition that selects the team's submissions written since the mark.
    pub fn submissions(&self) -> String {
        format!("team_id = {} AND id > {}", self.team_id, self.submission)
    }
}

/// Client ids of the first survey of ingest round `round`.
pub fn first_client_of_round(round: u64) -> u64 {
    10_000_000 + round * 1_000_000
}

/// Posts `batches` batches of 1 000 synthetic surveys, client ids from `first`; returns
/// (item rows, seconds).
pub fn ingest_over_http(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    batches: u64,
    site_id: i64,
    first: u64,
) -> (i64, f64) {
    let bodies = batch_bodies(batches, 1000, site_id, first);
    // both sides start from a checkpoint, so neither pays for the other's dirty pages
    post_and_count(server, conn, token, ("/v1/surveys/batch", bodies), "survey_items", "CHECKPOINT")
}

/// Runs `prepare` (SQL), then posts each body to the path in turn; returns (rows added to
/// `table`, seconds of the posts).
pub fn post_and_count(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    (path, bodies): (&str, Vec<String>),
    table: &str,
    prepare: &str,
) -> (i64, f64) {
    let rows = |conn: &mut PgConnection| count(conn, &format!("SELECT count(*) AS n FROM {table}"));
    let before = rows(conn);
    conn.batch_execute(prepare).unwrap();
    let seconds = post_batches(&server.base, path, token, bodies);
    (rows(conn) - before, seconds)
}

/// Milliseconds (median of 3) to post again `size` surveys already stored (client ids from
/// `first`): the answer must call every one a duplicate.
pub fn retry_ms(server: &Server, token: &str, size: u64, site_id: i64, first: u64) -> f64 {
    let body = batch_bodies(1, size, site_id, first).remove(0);
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let mut reply = agent()
                .post(format!("{}/v1/surveys/batch", server.base))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .send(&body)
                .unwrap();
            let answer: serde_json::Value = serde_json::from_slice(&reply.body_mut().read_to_vec().unwrap()).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1e3;
            assert_eq!(answer["duplicates"], size, "a retry stored again: {answer}");
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

/// Posts each batch body in turn to `path` (`/v1/surveys/batch`, `/v1/samples/batch`);
/// returns seconds.
pub fn post_batches(base: &str, path: &str, token: &str, bodies: Vec<String>) -> f64 {
    let started = Instant::now();
    for body in bodies {
        let reply = agent()
            .post(format!("{base}{path}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .send(body)
            .unwrap();
        assert_eq!(reply.status(), 200);
    }
    started.elapsed().as_secs_f64()
}

/// `batches` bodies of `size` synthetic surveys at a site, their client ids numbered from `first`.
pub fn batch_bodies(batches: u64, size: u64, site_id: i64, first: u64) -> Vec<String> {
    let profile: Vec<(String, f64)> = tideline_core::protocol::Protocol::Tideline
        .table()
        .rows()
        .iter()
        .filter(|r| r.category.starts_with('G'))
        .take(30)
        .enumerate()
        .map(|(i, r)| (r.source_code.clone(), 1.0 + (i % 7) as f64))
        .collect();
    let site = demo::synth::DemoSite {
        id: site_id,
        kind: tideline_core::vocabulary::SiteKind::Beach,
        location: tideline_core::survey::GeoPoint { lat: 24.438, lon: 118.1 },
    };
    (0..batches)
        .map(|b| {
            let records: Vec<serde_json::Value> = (0..size)
                .map(|i| {
                    let index = first + b * size + i;
                    let mut input =
                        demo::synth::survey(7, index, tideline_core::protocol::Protocol::Tideline, &profile, &site);
                    input.length_m = Some(100.0);
                    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("bench|{index}").as_bytes());
                    tideline_api::import::envelope(&input, id, Some(site_id))
                })
                .collect();
            serde_json::json!({ "records": records }).to_string()
        })
        .collect()
}

/// `psql \copy` of the rows the HTTP ingest wrote since `mark`, into the same tables: the rows
/// are copied out, deleted, and copied back in (same ids, same indexes, constraints and foreign
/// keys; COPY writes identity columns as given). Returns seconds of the copy-in.
pub fn copy_baseline(url: &str, mark: Mark) -> f64 {
    let surveys = mark.records("");
    let of_surveys = |t: &str| {
        format!(
            "SELECT x.* FROM {t} x JOIN surveys s ON s.city_id = x.city_id AND s.id = x.survey_id WHERE {}",
            mark.records("s.")
        )
    };
    let submissions = mark.submissions();
    copy_back(
        url,
        &[
            ("submissions", format!("SELECT * FROM submissions WHERE {submissions}")),
            ("surveys", format!("SELECT * FROM surveys WHERE {surveys}")),
            ("survey_items", of_surveys("survey_items")),
            ("survey_totals", of_surveys("survey_totals")),
        ],
        &format!("DELETE FROM surveys WHERE {surveys}; DELETE FROM submissions WHERE {submissions}"),
    )
}

/// Copies the rows `tables` select out to files, runs `delete` (which must remove them), and
/// copies them back in, in that order, in one `psql` session (as the server keeps its
/// connection: the time is the copies', not connections' start-up). Returns seconds of the
/// copy-in.
pub fn copy_back(url: &str, tables: &[(&str, String)], delete: &str) -> f64 {
    let dir = std::env::temp_dir().join(format!("tideline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let psql = |command: &str| {
        let ok =
            Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", command]).status().unwrap().success();
        assert!(ok, "psql {command}");
    };
    for (table, select) in tables {
        psql(&format!("\\copy ({select}) TO '{}/{table}.csv' WITH (FORMAT csv)", dir.display()));
    }
    psql(&format!("BEGIN; {delete}; COMMIT"));
    psql("VACUUM ANALYZE");
    psql("CHECKPOINT");
    let mut copy_in = Command::new("psql");
    copy_in.args(["-q", "-v", "ON_ERROR_STOP=1", url]);
    for (table, _) in tables {
        copy_in.args(["-c", &format!("\\copy {table} FROM '{}/{table}.csv' WITH (FORMAT csv)", dir.display())]);
    }
    let started = Instant::now();
    assert!(copy_in.status().unwrap().success(), "psql copy-in");
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    seconds
}
