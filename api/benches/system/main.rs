//! The system benchmark behind `make bench`: a fresh local PostGIS cluster, the release
//! `tideline serve` as its own process, and each measurement next to its baseline in the same
//! run — batch ingest (surveys, then samples) over HTTP vs `psql \copy` of the same rows; city
//! statistics under concurrent load vs a naive SQL aggregate over the raw rows, at growing
//! database sizes, and again while ingest runs (with the server's memory); CSV export vs
//! `COPY … TO STDOUT`.
//!
//! `cargo bench -p tideline-api --bench system -- [--quick]`; results go to stdout and to
//! `target/bench/results.md` (`TIDELINE_BENCH_ONLY=ingest`: the ingest rows only, for
//! profiling). Load goes to 127.0.0.1 only, with bounded request counts.

use std::io::Write;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use tideline_api::cluster::ManagedCluster;
use tideline_api::database::{create_database_if_missing, run_migrations};
use tideline_api::demo;
use tideline_api::store::{teams, tokens};

mod concurrent;
mod export;
mod ingest;
mod load;
mod machine;
mod placement;
mod samples;
use concurrent::stats_under_ingest;
use export::{copy_to_baseline, export_over_http};
use load::{city, load, month_end, naive, period_start, CITY};
use machine::{memory, start_server};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).map(|c| c.n).unwrap_or(-1)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    tideline_core::stats::descriptive::percentile_sorted(sorted, p).unwrap_or(f64::NAN)
}

/// Rounds of the ingest measure, each beside its own baseline (`ingest_batches` split evenly).
const INGEST_ROUNDS: u64 = 5;

/// Rounds of the ingest measure with two clients posting at once.
const TWO_CLIENT_ROUNDS: u64 = 3;

/// Rounds of the sample ingest measure.
const SAMPLE_ROUNDS: u64 = 3;

fn main() {
    // `cargo test --all-targets` runs bench targets without `--bench`: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick") || std::env::var_os("TIDELINE_BENCH_QUICK").is_some();
    let sizes: Vec<u64> = if quick { vec![10_000, 50_000] } else { vec![10_000, 100_000, 1_000_000] };
    let ingest_batches = if quick { 10 } else { 50 };
    let (clients, requests) = (8, if quick { 25 } else { 50 });
    let mut out = String::new();
    let mut say = |line: String| {
        println!("{line}");
        out.push_str(&line);
        out.push('\n');
    };
    say(format!("# Tideline system benchmark ({} mode)\n", if quick { "quick" } else { "full" }));
    say(format!("machine: {} cores, {}", std::thread::available_parallelism().map_or(0, |n| n.get()), memory()));

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tideline-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = ManagedCluster::new(&dir).unwrap();
    let _guard = cluster.ensure_running().unwrap();
    create_database_if_missing(&cluster.url("postgres").unwrap(), "bench").unwrap();
    let url = cluster.url("bench").unwrap();
    let mut conn = PgConnection::establish(&url).unwrap();
    run_migrations(&mut conn).unwrap();
    demo::seed(&mut conn, 0, 0, 42, |_, _, _| ()).unwrap();
    let team = teams::find_team_by_name(&mut conn, "Xiamen Coastal Guardians").unwrap().unwrap();
    let token = tokens::create(&mut conn, "volunteer".parse().unwrap(), Some(team.id), None, "bench", None).unwrap().1;
    let xiamen_site =
        tideline_api::store::places::find_site_by_code(&mut conn, team.city_id, "XM-BC").unwrap().unwrap().id;
    let server = start_server(&url, &[]);
    // the baseline of the statistics under ingest: every write ends every cached answer
    let strict = start_server(&url, &["--stats-staleness-ms", "0"]);
    // the baseline of the uncached statistics: no site's parts kept, every site read each time
    let unkept = start_server(&url, &["--stats-parts-mib", "0"]);

    say("\n## Batch ingest over HTTP vs `psql \\copy` of the same rows\n".into());
    say(format!(
        "{INGEST_ROUNDS} rounds of {} batches of 1 000 surveys. Each round posts its batches over HTTP, then copies its \
         rows out, deletes them and copies them back in with `psql \\copy` (same ids, indexes, constraints and foreign \
         keys). Each side starts from a `CHECKPOINT`. The ratio pools the rounds (all rows over all seconds).\n",
        ingest_batches / INGEST_ROUNDS
    ));
    let rounds = ingest::Rounds { rounds: 0..INGEST_ROUNDS, batches: ingest_batches / INGEST_ROUNDS, clients: 1 };
    let ratio = ingest::survey_rounds(&server, (&mut conn, &url, &token), (team.id, xiamen_site), rounds, &mut say);
    say(format!("\nratio HTTP / COPY (rows per second, pooled) = **{ratio:.2}** (target ≥ 0.8)"));
    say("\n### The same with two clients posting at once\n".into());
    say(format!(
        "{TWO_CLIENT_ROUNDS} more rounds as above, each round's batches posted by two clients at once (alternate \
         batches; the same team and site, as two devices of one team), beside two `psql \\copy` sessions at once, \
         each copying half the rows (every other submission).\n"
    ));
    let rounds = ingest::Rounds {
        rounds: INGEST_ROUNDS..INGEST_ROUNDS + TWO_CLIENT_ROUNDS,
        batches: ingest_batches / INGEST_ROUNDS,
        clients: 2,
    };
    let ratio = ingest::survey_rounds(&server, (&mut conn, &url, &token), (team.id, xiamen_site), rounds, &mut say);
    say(format!("\nratio HTTP (two clients) / COPY (two sessions; rows per second, pooled) = **{ratio:.2}**"));
    let retries = |conn: &mut PgConnection| {
        let surveys = count(conn, "SELECT count(*) AS n FROM surveys");
        let first = ingest::first_client_of_round(0);
        let single = ingest::retry_ms(&server, &token, 1, xiamen_site, first);
        let whole = ingest::retry_ms(&server, &token, 1000, xiamen_site, first);
        format!("| {surveys} | {single:.1} | {whole:.1} |")
    };
    let mut retried = vec![retries(&mut conn)];

    placement::report(&server, &mut conn, &token, xiamen_site, &mut say);

    let sample_batches = if quick { 2 } else { 5 };
    say("\n## Sample batch ingest over HTTP vs `psql \\copy` of the same rows\n".into());
    say(format!(
        "{SAMPLE_ROUNDS} rounds of {sample_batches} batches of 1 000 manta-trawl samples (three particle counts each), \
         measured as the surveys are: HTTP, then the same rows copied out, deleted and copied back in (submissions, \
         samples, particle counts).\n"
    ));
    say("| round | samples | particle rows | HTTP s | `psql \\copy` s | ratio |\n|---|---|---|---|---|---|".into());
    // the surveys' tables hold the demonstration network when they are measured; the samples'
    // are empty, and the survey rounds' `VACUUM ANALYZE` recorded them so (a table never
    // analysed is assumed 10 pages at least): the particle counts' foreign-key check, planned
    // for that, stayed a sequential scan of the growing samples table on the server's
    // connection (2.7–3.2 s for the first 5 000). One unmeasured batch first, then ANALYZE.
    samples::samples_over_http(&server, &mut conn, &token, (1, ingest::first_client_of_round(9)), xiamen_site);
    let (mut http_total, mut copy_total) = (0.0, 0.0);
    for round in 0..SAMPLE_ROUNDS {
        let mark = ingest::Mark::now(&mut conn, team.id, "samples");
        let first = ingest::first_client_of_round(round);
        let (particles, http_s) =
            samples::samples_over_http(&server, &mut conn, &token, (sample_batches, first), xiamen_site);
        let copy_s = samples::copy_samples_baseline(&url, mark);
        (http_total, copy_total) = (http_total + http_s, copy_total + copy_s);
        say(format!(
            "| {round} | {} | {particles} | {http_s:.2} | {copy_s:.2} | {:.2} |",
            sample_batches * 1000,
            copy_s / http_s
        ));
    }
    say(format!("\nratio HTTP / COPY for samples (pooled) = **{:.2}**", copy_total / http_total));
    samples::remove_samples(&mut conn, team.id); // the statistics measured next are the surveys'

    if std::env::var("TIDELINE_BENCH_ONLY").as_deref() == Ok("ingest") {
        say(format!("\nretried after ingest (surveys in DB, single ms, batch of 1 000 ms): {}", retried[0]));
        return;
    }

    say("\n## City statistics: latency under load vs a naive SQL aggregate, by database size\n".into());
    say(format!(
        "{clients} concurrent clients × {requests} requests of `GET /v1/cities/{{id}}/stats` (Xiamen, which holds the \
         benchmark's ingested surveys). *Cached*: repeated requests, served from the statistics cache (10 s, dropped on \
         every write). *Uncached*: every request with its own `to=` month end (past the data), so the answer cache never holds it: the \
         server reads the revisions of the city's summary rows and composes the sites' parts it keeps (a site is read \
         again only after a write to it). *Every site read*: the same requests to a server keeping no parts \
         (`--stats-parts-mib 0`), which reads every survey of the city each time. Both after a warm-up of 2 requests per client (so every \
         client's database connection is open; the cached run needed none).\n"
    ));
    say("| surveys in DB | item rows | city surveys | cached p50 / p99 ms | uncached p50 / p99 ms | every site read p50 / p99 ms | naive SQL p50 ms | naive / uncached p50 |\n|---|---|---|---|---|---|---|---|".into());
    let mut under_ingest = Vec::new();
    for (round, size) in sizes.iter().enumerate() {
        let have = count(&mut conn, "SELECT count(*) AS n FROM surveys") as u64;
        if have < *size {
            let started = Instant::now();
            demo::seed(&mut conn, *size - have, 0, 1000 + have, |_, _, _| ()).unwrap();
            eprintln!("seeded to {size} surveys in {:.0} s", started.elapsed().as_secs_f64());
        }
        diesel::sql_query("VACUUM ANALYZE").execute(&mut conn).unwrap();
        let surveys = count(&mut conn, "SELECT count(*) AS n FROM surveys");
        let items = count(&mut conn, "SELECT count(*) AS n FROM survey_items");
        let city_surveys =
            count(&mut conn, &format!("SELECT count(*) AS n FROM surveys WHERE city_id = {}", team.city_id));
        CITY.store(team.city_id, std::sync::atomic::Ordering::Relaxed);
        // steady state: the first answer fills the cache
        load(&server.base, |_, _| format!("/v1/cities/{}/stats", city()), 1, 1);
        let (cached50, cached99) = load(&server.base, |_, _| format!("/v1/cities/{}/stats", city()), clients, requests);
        // every client's connection opened (the cached run above needed none), then measured
        load(&server.base, period_start, clients, 2);
        let (cold50, cold99) = load(&server.base, month_end, clients, requests);
        load(&unkept.base, period_start, clients, 2);
        let (read50, read99) = load(&unkept.base, month_end, clients, requests);
        let naive_p50 = naive(&mut conn, team.city_id, 5);
        say(format!(
            "| {surveys} | {items} | {city_surveys} | {cached50:.1} / {cached99:.1} | {cold50:.1} / {cold99:.1} | {read50:.1} / {read99:.1} | {naive_p50:.1} | {:.2} |",
            naive_p50 / cold50
        ));
        let path = format!("/v1/cities/{}/stats", city());
        let first = 30_000_000 + round as u64 * 1_000_000;
        let batches = ingest_batches * 30;
        let baseline = stats_under_ingest(&strict, &token, path.clone(), clients, batches, xiamen_site, first);
        let run = stats_under_ingest(&server, &token, path, clients, batches, xiamen_site, first + 500_000);
        under_ingest.push((surveys, city_surveys, baseline, run));
        retried.push(retries(&mut conn));
    }

    say("\n## Retries by database size\n".into());
    say("Milliseconds (median of 3) to post again surveys the network already holds: the answer calls each a \
         duplicate and stores nothing. The check finds each client id's submission and its record through indexes, \
         so it should not grow with the database.\n"
        .into());
    say("| surveys in DB | retried single survey ms | retried batch of 1 000 ms |\n|---|---|---|".into());
    for row in &retried {
        say(row.clone());
    }

    say("\n## City statistics while ingest runs\n".into());
    say(format!(
        "{clients} clients ask for `GET /v1/cities/{{id}}/stats` (no `to=`: the cacheable request) for as long as one \
         writer posts {} batches of {} surveys, one after another, to the same city. *Strict* (the baseline, \
         `--stats-staleness-ms 0`): every write ends every cached answer, so each answer is recomputed. *Bounded* \
         (the default, 2 000 ms): a cached answer is served up to 2 s after a write, saying `as_of`. Server RSS \
         before, at peak, and 3 s after.\n",
        ingest_batches * 30,
        concurrent::WRITE_SIZE
    ));
    say("| surveys in DB | city surveys | cache | answers | p50 / p99 ms | surveys/s stored meanwhile | RSS before / peak / after MiB |\n|---|---|---|---|---|---|---|".into());
    for (surveys, city_surveys, baseline, run) in &under_ingest {
        for (name, run) in [("strict", baseline), ("bounded 2 s", run)] {
            say(format!(
                "| {surveys} | {city_surveys} | {name} | {} | {:.1} / {:.1} | {:.0} | {:.0} / {:.0} / {:.0} |",
                run.answers, run.p50, run.p99, run.surveys_per_s, run.rss.0, run.rss.1, run.rss.2
            ));
        }
    }

    say("\n## CSV export vs `COPY (the same query) TO STDOUT`\n".into());
    let researcher = tokens::create(&mut conn, "researcher".parse().unwrap(), None, None, "bench", None).unwrap().1;
    say("The query is run once unmeasured (so neither side reads the table cold or sets the hint bits of rows \
         written just before), then each side twice, alternately; each side's faster run is shown.\n"
        .into());
    copy_to_baseline(&url);
    let (mut http, rss_before, mut rss_peak) = export_over_http(&server, &researcher);
    let mut copy = copy_to_baseline(&url);
    let (again, _, peak) = export_over_http(&server, &researcher);
    rss_peak = rss_peak.max(peak);
    if again.seconds < http.seconds {
        http = again;
    }
    let again = copy_to_baseline(&url);
    if again.seconds < copy.seconds {
        copy = again;
    }
    say("| path | rows | MB | seconds | rows/s | server RSS before / peak MiB |\n|---|---|---|---|---|---|".into());
    let mib = |kb: u64| kb as f64 / 1024.0;
    say(format!(
        "| `GET /v1/exports/surveys.csv` | {} | {:.1} | {:.2} | {:.0} | {:.0} / {:.0} |",
        http.rows,
        http.bytes as f64 / 1e6,
        http.seconds,
        http.rows as f64 / http.seconds,
        mib(rss_before),
        mib(rss_peak)
    ));
    say(format!(
        "| `psql -c \"COPY (…) TO STDOUT WITH CSV\"` | {} | {:.1} | {:.2} | {:.0} | |",
        copy.rows,
        copy.bytes as f64 / 1e6,
        copy.seconds,
        copy.rows as f64 / copy.seconds
    ));
    say(format!(
        "\nratio export / COPY = **{:.2}** rows/s (target ≥ 0.5)",
        (http.rows as f64 / http.seconds) / (copy.rows as f64 / copy.seconds)
    ));
    drop(server);
    drop(strict);
    drop(unkept);
    let results = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&results).unwrap();
    std::fs::File::create(results.join("results.md")).unwrap().write_all(out.as_bytes()).unwrap();
}
