//! Ingest measured side by side: batches posted over HTTP to the release server, and `psql
//! \copy` of the same rows into the same tables as the baseline.

use std::process::Command;
use std::time::Instant;

use diesel::prelude::*;
use tideline_api::demo;

use super::machine::Server;
use super::{agent, count};

/// Posts `batches` batches of 1 000 synthetic surveys; returns (item rows, seconds).
pub fn ingest_over_http(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    batches: u64,
    site_id: i64,
) -> (i64, f64) {
    let bodies = batch_bodies(batches, 1000, site_id, 10_000_000);
    let before = count(conn, "SELECT count(*) AS n FROM survey_items");
    let seconds = post_batches(&server.base, token, bodies);
    (count(conn, "SELECT count(*) AS n FROM survey_items") - before, seconds)
}

/// Posts each batch body in turn; returns seconds.
pub fn post_batches(base: &str, token: &str, bodies: Vec<String>) -> f64 {
    let started = Instant::now();
    for body in bodies {
        let reply = agent()
            .post(format!("{base}/v1/surveys/batch"))
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

/// `psql \copy` of the rows the HTTP ingest wrote, into the same tables: the rows are copied
/// out, deleted, and copied back in (same ids, same indexes, constraints and foreign keys;
/// COPY writes identity columns as given). Returns seconds of the copy-in.
pub fn copy_baseline(url: &str, team_id: i64) -> f64 {
    let dir = std::env::temp_dir().join(format!("tideline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tables = ["submissions", "surveys", "survey_items", "survey_totals"];
    let filter = |t: &str| {
        match t {
        "submissions" | "surveys" => format!("SELECT * FROM {t} WHERE team_id = {team_id}"),
        "survey_items" => format!("SELECT i.* FROM survey_items i JOIN surveys s ON s.city_id = i.city_id AND s.id = i.survey_id WHERE s.team_id = {team_id}"),
        _ => format!("SELECT x.* FROM survey_totals x JOIN surveys s ON s.city_id = x.city_id AND s.id = x.survey_id WHERE s.team_id = {team_id}"),
    }
    };
    let psql = |command: &str| {
        let ok =
            Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", command]).status().unwrap().success();
        assert!(ok, "psql {command}");
    };
    for t in tables {
        psql(&format!("\\copy ({}) TO '{}/{t}.csv' WITH (FORMAT csv)", filter(t), dir.display()));
    }
    psql(&format!(
        "BEGIN; DELETE FROM surveys WHERE team_id = {team_id}; DELETE FROM submissions WHERE team_id = {team_id}; COMMIT"
    ));
    psql("VACUUM ANALYZE");
    let started = Instant::now();
    for t in tables {
        psql(&format!("\\copy {t} FROM '{}/{t}.csv' WITH (FORMAT csv)", dir.display()));
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    seconds
}
