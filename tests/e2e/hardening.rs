//! Abuse and races: concurrent idempotency keys, bodies that never arrive,
//! rate limits per address, dates PostgreSQL cannot hold, capped error answers.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tideline_api::http::server::Settings;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, get_as, post_as, request};
use crate::ingest::count;
use crate::network;
use crate::raw::{exchange, request_bytes};

/// A small MLW survey.
pub fn survey(client_id: &str, site: i64) -> Value {
    json!({"client_id": client_id, "protocol": "mlw", "site_id": site, "date": "2026-03-15",
           "kind": "monitoring", "length_m": 100, "items": [{"code": "G1", "count": 3}]})
}

/// Settings without rate limits.
pub fn unlimited() -> Settings {
    Settings {
        rate_limit_per_minute: 0,
        anonymous_rate_limit_per_minute: 0,
        failed_auth_per_minute: 0,
        ..Settings::default()
    }
}

#[test]
fn concurrent_batches_with_one_idempotency_key_are_processed_once_never_500() {
    let (db, net, server) = network::served_with(unlimited());
    let records: Vec<Value> =
        (0..200).map(|i| survey(&format!("00000000-0000-4000-8000-{i:012}"), net.my_khe)).collect();
    let body = json!({"records": records}).to_string();
    let url = server.url("/v1/surveys/batch");
    let answers: Vec<(u16, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                scope.spawn(|| {
                    let reply = request(
                        "POST",
                        &url,
                        Some(&net.trusted),
                        &[("Idempotency-Key", "sync-2026-03-15")],
                        Some(("application/json", body.clone())),
                    );
                    (reply.status, reply.header("idempotency-replayed"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (status, _) in &answers {
        assert!([200, 409].contains(status), "answers: {answers:?}");
    }
    let processed = answers.iter().filter(|(s, replayed)| *s == 200 && replayed.is_none()).count();
    assert_eq!(processed, 1, "exactly one request processes the batch: {answers:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 200);
    let retry = request(
        "POST",
        &url,
        Some(&net.trusted),
        &[("Idempotency-Key", "sync-2026-03-15")],
        Some(("application/json", body)),
    );
    assert_eq!(retry.status, 200);
    assert_eq!(retry.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(retry.json()["created"], 200, "the replay is the first answer");
}

#[test]
fn an_idempotency_key_that_is_not_printable_ascii_is_refused() {
    let (db, net, server) = network::served_with(unlimited());
    let body = json!({"records": [survey("00000000-0000-4000-8000-000000000001", net.my_khe)]}).to_string();
    let headers = [
        format!("Authorization: Bearer {}", net.trusted).into_bytes(),
        b"Content-Type: application/json".to_vec(),
        "Idempotency-Key: clé".as_bytes().to_vec(),
    ];
    let reply = exchange(
        &server.base_url,
        &request_bytes("POST", "/v1/surveys/batch", &headers, body.as_bytes()),
        Duration::from_secs(10),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body.contains("/Idempotency-Key"), "{}", reply.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 0, "nothing stored");
}

#[test]
fn a_body_that_never_arrives_is_answered_408() {
    let db = TestDb::new();
    let net = network::create(&db);
    let settings = Settings { body_timeout: Duration::from_secs(1), ..unlimited() };
    let server = TestServer::start_with(db.pool(), settings);
    let head = format!(
        "POST /v1/surveys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{{\"client_id\":",
        net.trusted
    );
    let started = Instant::now();
    let reply = exchange(&server.base_url, head.as_bytes(), Duration::from_secs(20));
    assert_eq!(reply.status, 408, "{} {}", reply.head, reply.body);
    assert!(started.elapsed() < Duration::from_secs(10), "answered after {:?}", started.elapsed());
    assert_eq!(reply.header("content-type").as_deref(), Some("application/problem+json"));
    assert_eq!(get(&server.url("/health")).status, 200);
}

#[test]
fn anonymous_reads_and_refused_tokens_are_limited_per_address() {
    let db = TestDb::new();
    let net = network::create(&db);
    let settings = Settings { anonymous_rate_limit_per_minute: 5, failed_auth_per_minute: 3, ..Settings::default() };
    let server = TestServer::start_with(db.pool(), settings);
    for _ in 0..5 {
        assert_eq!(get(&server.url("/v1/network/stats")).status, 200);
    }
    let limited = get(&server.url("/v1/network/stats"));
    limited.problem(429);
    assert!(limited.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 1));
    assert_eq!(get(&server.url("/health")).status, 200, "probes are exempt");
    // a valid token still reads: its budget is its own
    assert_eq!(get_as(&server.url("/v1/surveys"), &net.trusted).status, 200);
    for _ in 0..3 {
        get_as(&server.url("/v1/surveys"), "not-a-token").problem(401);
    }
    // the address has spent its failures: refused before any database look-up
    let refused = get_as(&server.url("/v1/surveys"), "another-guess");
    refused.problem(429);
    assert!(refused.header("retry-after").is_some());
}

#[test]
fn dates_postgresql_cannot_hold_are_named_never_500() {
    let (_db, net, server) = network::served_with(unlimited());
    let mut ancient = survey("22222222-0000-4000-8000-000000000001", net.my_khe);
    ancient["date"] = json!("-5000-01-01");
    let reply = post_as(&server.url("/v1/surveys"), &net.trusted, &ancient);
    assert_eq!(reply.pointers(422), ["/date"]);
    ancient["date"] = json!("1969-12-31");
    let problem = post_as(&server.url("/v1/surveys"), &net.trusted, &ancient).problem(422);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("1970-01-01"), "{problem}");
    // one bad record in a batch: the others are stored
    let good = survey("22222222-0000-4000-8000-000000000002", net.my_khe);
    ancient["date"] = json!("-5000-01-01");
    let batch = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({"records": [good, ancient]}));
    assert_eq!(batch.status, 200, "{}", batch.body);
    let answer = batch.json();
    assert_eq!((answer["created"].as_u64(), answer["rejected"].as_u64()), (Some(1), Some(1)));
    assert_eq!(answer["results"][1]["errors"][0]["pointer"], "/records/1/date");
    // query dates are checked before any SQL runs, exports before the first byte
    for path in [
        "/v1/surveys?from=-5000-01-01",
        "/v1/cities/1/stats?to=-5000-01-01",
        "/v1/stats?from=-5000-01-01",
        "/v1/cities/1/report.csv?from=-5000-01-01",
        "/v1/exports/surveys.csv?from=-5000-01-01",
        "/v1/exports/samples.csv?to=+99999-01-01",
    ] {
        let reply = get_as(&server.url(path), &net.admin);
        let pointers = reply.pointers(400);
        assert_eq!(pointers.len(), 1, "{path}: {}", reply.body);
        assert!(["/from", "/to"].contains(&pointers[0].as_str()), "{path}: {pointers:?}");
    }
}

/// A query string with many bad parameters is answered once, naming each: values their type
/// cannot hold (in the order the OpenAPI document lists the parameters), a parameter given
/// twice, then names the route does not take. Before, the first bad value was the only one
/// named, a bad number with no pointer at all and a bad word with the word as its pointer.
#[test]
fn every_bad_query_parameter_is_named_in_one_answer() {
    let (_db, net, server) = network::served_with(unlimited());
    let path =
        "/v1/exports/surveys.csv?city=abc&colour=red&bom=maybe&separator=tab&from=2020-13-01&kind=foo&site=1&site=2";
    let reply = get_as(&server.url(path), &net.researcher);
    assert_eq!(reply.pointers(400), ["/from", "/kind", "/bom", "/separator", "/city", "/site", "/colour"]);
    let messages: Vec<String> =
        reply.json()["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(messages[1], "`foo` is not one of monitoring, cleanup");
    assert_eq!(messages[2], "`bom` must be true or false (got \"maybe\")");
    assert_eq!(messages[3], "`tab` is not one of comma, semicolon");
    assert_eq!(messages[4], "`city` must be a whole number (got \"abc\")");
    assert_eq!(messages[5], "`site` is given more than once");
    assert_eq!(messages[6], "unknown query parameter `colour`");
    let near = get(&server.url("/v1/sites?near=1,2&radius_m=far&city=x"));
    assert_eq!(near.pointers(400), ["/city", "/radius_m"]);
    // what a parameter means is its handler's to check, once every value can be read
    let meaning = get_as(&server.url("/v1/exports/surveys.csv?format=tall&country=XX"), &net.researcher);
    assert_eq!(meaning.pointers(400), ["/format"]);
    let meaning = get_as(&server.url("/v1/exports/surveys.csv?format=wide&country=XX"), &net.researcher);
    assert_eq!(meaning.pointers(400), ["/country"]);
    assert_eq!(
        get_as(&server.url("/v1/exports/surveys.csv?format=wide&country=VN&bom=true"), &net.researcher).status,
        200
    );
}

#[test]
fn error_answers_are_capped_whatever_the_body_holds() {
    let (_db, net, server) = network::served_with(unlimited());
    let record = |n: usize| {
        json!({"client_id": format!("33333333-0000-4000-8000-{n:012}"), "protocol": "mlw", "date": "2026-01-10",
               "kind": "monitoring", "length_m": 100, "items": (0..300).map(|i| json!({"code": format!("NOPE-{i}"), "count": 1})).collect::<Vec<_>>()})
    };
    let single = post_as(&server.url("/v1/surveys"), &net.trusted, &record(0)).problem(422);
    let errors = single["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 21, "20 listed and one counting the rest");
    assert!(errors[20]["message"].as_str().unwrap().contains("280 more"), "{}", errors[20]);
    let batch = post_as(
        &server.url("/v1/surveys/batch"),
        &net.trusted,
        &json!({"records": (0..100).map(record).collect::<Vec<_>>()}),
    );
    assert_eq!(batch.status, 200);
    assert!(batch.body.len() < 200_000, "answer of {} bytes", batch.body.len());
    let answer = batch.json();
    let listed: usize =
        answer["results"].as_array().unwrap().iter().map(|r| r["errors"].as_array().unwrap().len()).sum();
    assert!(listed <= 600, "{listed} errors listed");
    assert_eq!(answer["rejected"], 100);
    let last = &answer["results"][99]["errors"][0]["message"];
    assert!(last.as_str().unwrap().contains("300 errors, not listed"), "{last}");
}

#[test]
fn headers_that_never_finish_are_answered_408() {
    let db = TestDb::new();
    let settings = Settings { header_timeout: Duration::from_secs(1), ..unlimited() };
    let server = TestServer::start_with(db.pool(), settings);
    let started = Instant::now();
    let reply =
        exchange(&server.base_url, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", Duration::from_secs(20));
    assert_eq!(reply.status, 408, "{}", reply.head);
    assert!(started.elapsed() < Duration::from_secs(10), "answered after {:?}", started.elapsed());
    assert_eq!(get(&server.url("/health")).status, 200);
}

/// A key with a NUL inside a batch record is refused by name, and the answer (with its pointer)
/// is stored for an `Idempotency-Key` replay: the stored answer carries no NUL PostgreSQL
/// would refuse (found by schemathesis once the bodies were documented).
#[test]
fn a_nul_in_a_key_is_refused_and_the_answer_replays() {
    let (db, net, server) = network::served();
    let url = server.url("/v1/surveys/batch");
    let mut record = crate::ingest::ospar_survey("7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f", net.my_khe);
    record["location"] = json!({"lat": 16.06, "lon": 108.25, "a\u{0}b": 1});
    let body = json!({ "records": [record] }).to_string();
    let token = Some(net.trusted.as_str());
    let post =
        || request("POST", &url, token, &[("idempotency-key", "nul-key-1")], Some(("application/json", body.clone())));
    let first = post();
    assert_eq!(first.status, 200, "{}", first.body);
    let answer = first.json();
    assert_eq!(answer["results"][0]["outcome"], "rejected");
    assert_eq!(answer["results"][0]["errors"][0]["pointer"], "/records/0/location/a\u{FFFD}b");
    let again = post();
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(again.json(), answer);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 0);
}
