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

/// Rounds of survey ingest: which (numbering their client ids), of how many batches each, posted
/// by how many clients at once.
pub struct Rounds {
    /// Round numbers.
    pub rounds: std::ops::Range<u64>,
    /// Batches of 1 000 surveys a round.
    pub batches: u64,
    /// Clients posting at once.
    pub clients: usize,
}

/// Survey ingest rounds, each posted over HTTP and then copied back with `psql \copy` (a table
/// row each through `say`); returns the pooled ratio HTTP / COPY (rows per second).
pub fn survey_rounds(
    server: &Server,
    (conn, url, token): (&mut PgConnection, &str, &str),
    (team_id, site_id): (i64, i64),
    rounds: Rounds,
    say: &mut impl FnMut(String),
) -> f64 {
    say("| round | surveys | item rows | HTTP s | `psql \\copy` s | ratio |\n|---|---|---|---|---|---|".into());
    let (mut http_total, mut copy_total) = (0.0, 0.0);
    for round in rounds.rounds {
        let mark = Mark::now(conn, team_id, "surveys");
        let first = first_client_of_round(round);
        let (items, http_s) = ingest_over_http(server, conn, token, (rounds.batches, rounds.clients), site_id, first);
        let copy_s = copy_baseline(url, mark, rounds.clients);
        (http_total, copy_total) = (http_total + http_s, copy_total + copy_s);
        say(format!(
            "| {round} | {} | {items} | {http_s:.2} | {copy_s:.2} | {:.2} |",
            rounds.batches * 1000,
            copy_s / http_s
        ));
    }
    copy_total / http_total
}

/// Client ids of the first survey of ingest round `round`.
pub fn first_client_of_round(round: u64) -> u64 {
    10_000_000 + round * 1_000_000
}

/// Posts `batches` batches of 1 000 synthetic surveys, client ids from `first`, from `clients`
/// clients at once; returns (item rows, seconds).
pub fn ingest_over_http(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    (batches, clients): (u64, usize),
    site_id: i64,
    first: u64,
) -> (i64, f64) {
    let bodies = batch_bodies(batches, 1000, site_id, first);
    // both sides start from a checkpoint, so neither pays for the other's dirty pages
    post_and_count(server, conn, token, ("/v1/surveys/batch", bodies, clients), "survey_items", "CHECKPOINT")
}

/// Runs `prepare` (SQL), then posts the bodies to the path from that many clients; returns
/// (rows added to `table`, seconds of the posts).
pub fn post_and_count(
    server: &Server,
    conn: &mut PgConnection,
    token: &str,
    (path, bodies, clients): (&str, Vec<String>, usize),
    table: &str,
    prepare: &str,
) -> (i64, f64) {
    let rows = |conn: &mut PgConnection| count(conn, &format!("SELECT count(*) AS n FROM {table}"));
    let before = rows(conn);
    conn.batch_execute(prepare).unwrap();
    let seconds = post_batches(&server.base, path, token, bodies, clients);
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

/// Posts the batch bodies to `path` (`/v1/surveys/batch`, `/v1/samples/batch`) from `clients`
/// clients at once, each posting its share (bodies k, k + clients, …) in turn; returns seconds
/// until the last answer.
pub fn post_batches(base: &str, path: &str, token: &str, bodies: Vec<String>, clients: usize) -> f64 {
    let mut shares: Vec<Vec<String>> = vec![Vec::new(); clients];
    for (k, body) in bodies.into_iter().enumerate() {
        shares[k % clients].push(body);
    }
    let url = format!("{base}{path}");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for share in shares {
            let url = &url;
            scope.spawn(move || {
                for body in share {
                    let reply = agent()
                        .post(url)
                        .header("authorization", format!("Bearer {token}"))
                        .header("content-type", "application/json")
                        .send(body)
                        .unwrap();
                    assert_eq!(reply.status(), 200);
                }
            });
        }
    });
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

/// `psql \copy` of the rows the HTTP ingest wrote since `mark`, into the same tables, in
/// `streams` `psql` sessions at once (each the surveys of every `streams`-th submission): the
/// rows are copied out, deleted, and copied back in (same ids, same indexes, constraints and
/// foreign keys; COPY writes identity columns as given). Returns seconds of the copy-in.
pub fn copy_baseline(url: &str, mark: Mark, streams: usize) -> f64 {
    let surveys = mark.records("");
    let submissions = mark.submissions();
    let per_stream: Vec<Vec<(&str, String)>> = (0..streams)
        .map(|k| {
            let share = |column: &str| format!("{column} % {streams} = {k}");
            let of_surveys = |t: &str| {
                format!(
                    "SELECT x.* FROM {t} x JOIN surveys s ON s.city_id = x.city_id AND s.id = x.survey_id \
                     WHERE {} AND {}",
                    mark.records("s."),
                    share("s.submission_id")
                )
            };
            vec![
                ("submissions", format!("SELECT * FROM submissions WHERE {submissions} AND {}", share("id"))),
                ("surveys", format!("SELECT * FROM surveys WHERE {surveys} AND {}", share("submission_id"))),
                ("survey_items", of_surveys("survey_items")),
                ("survey_totals", of_surveys("survey_totals")),
            ]
        })
        .collect();
    copy_back(
        url,
        &per_stream,
        &format!("DELETE FROM surveys WHERE {surveys}; DELETE FROM submissions WHERE {submissions}"),
    )
}

/// Copies the rows each stream's `tables` select out to files, runs `delete` (which must remove
/// them), and copies them back in: each stream's tables in order in one `psql` session (as the
/// server keeps its connection: the time is the copies', not connections' start-up), the
/// streams' sessions at once. Returns seconds until the last session is done.
pub fn copy_back(url: &str, streams: &[Vec<(&str, String)>], delete: &str) -> f64 {
    let dir = std::env::temp_dir().join(format!("tideline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let psql = |command: &str| {
        let ok =
            Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", command]).status().unwrap().success();
        assert!(ok, "psql {command}");
    };
    let file = |k: usize, table: &str| dir.join(format!("{table}-{k}.csv")).display().to_string();
    for (k, tables) in streams.iter().enumerate() {
        for (table, select) in tables {
            psql(&format!("\\copy ({select}) TO '{}' WITH (FORMAT csv)", file(k, table)));
        }
    }
    psql(&format!("BEGIN; {delete}; COMMIT"));
    psql("VACUUM ANALYZE");
    psql("CHECKPOINT");
    let mut sessions: Vec<Command> = streams
        .iter()
        .enumerate()
        .map(|(k, tables)| {
            let mut copy_in = Command::new("psql");
            copy_in.args(["-q", "-v", "ON_ERROR_STOP=1", url]);
            for (table, _) in tables {
                copy_in.args(["-c", &format!("\\copy {table} FROM '{}' WITH (FORMAT csv)", file(k, table))]);
            }
            copy_in
        })
        .collect();
    let started = Instant::now();
    let running: Vec<_> = sessions.iter_mut().map(|copy_in| copy_in.spawn().unwrap()).collect();
    for mut session in running {
        assert!(session.wait().unwrap().success(), "psql copy-in");
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    seconds
}
