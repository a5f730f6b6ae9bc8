//! The bad-input corpus: several hundred malformed or out-of-range requests (sizes, encodings,
//! nesting, numbers, dates, coordinates, content types, query parameters, headers, paths). Each
//! must be answered 4xx problem+json, the server must answer `/health` after each, and nothing
//! stored may change.

use std::time::Duration;

use serde_json::{json, Value};
use tideline_api::http::server::Settings;
use tideline_api::testing::{TestDb, TestServer};

use crate::ingest::count;
use crate::network;
use crate::raw::{exchange, request_bytes};

mod requests;
use requests::{header_cases, query_cases};

/// One request of the corpus.
pub(super) struct Case {
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

pub(super) fn bearer(token: &str) -> Vec<u8> {
    format!("Authorization: Bearer {token}").into_bytes()
}

pub(super) fn json_post(name: String, path: &str, token: &str, body: &[u8]) -> Case {
    let headers = [bearer(token), b"Content-Type: application/json".to_vec()];
    Case { name, bytes: request_bytes("POST", path, &headers, body) }
}

pub(super) fn valid_survey(site: i64) -> Value {
    json!({"client_id": "5b0d8a4e-3c8f-4d8e-9a7b-1f2e3d4c5b6a", "protocol": "mlw", "site_id": site,
           "date": "2026-03-15", "kind": "monitoring", "length_m": 100,
           "items": [{"code": "G1", "count": 3}]})
}

pub(super) fn valid_sample(site: i64) -> Value {
    json!({"client_id": "6c1e9b5f-4d9a-4e9f-8b8c-2a3b4c5d6e7f", "site_id": site, "date": "2026-03-15",
           "matrix": "surface_water", "method": "manta_net", "mesh_um": 333,
           "flowmeter": {"start": 0, "end": 58963}, "net_width_m": 0.6, "mouth_area_m2": 0.09,
           "particles": [{"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": 4}]})
}

/// Values no field of a record accepts.
fn hostile_values() -> Vec<Value> {
    vec![
        json!(-1),
        json!(1e300),
        json!(-1e300),
        json!(1.5e19),
        json!("\u{0}"),
        json!("x".repeat(70_000)),
        json!([[[[[[[[1]]]]]]]]),
        json!({"nested": {"deeper": [1, 2, {"x": null}]}}),
        json!(true),
        json!("-5000-01-01"),
        json!("0001-01-01"),
        json!("∞"),
    ]
}

/// Each field of a record replaced by each hostile value: never acceptable, always named.
fn field_cases(path: &str, token: &str, valid: &Value, fields: &[&str]) -> Vec<Case> {
    let mut cases = Vec::new();
    for field in fields {
        for (n, value) in hostile_values().into_iter().enumerate() {
            let mut body = valid.clone();
            body[*field] = value;
            cases.push(json_post(format!("{path} {field} #{n}"), path, token, body.to_string().as_bytes()));
        }
    }
    cases
}

fn survey_cases(token: &str, site: i64) -> Vec<Case> {
    let valid = valid_survey(site);
    let mut cases = field_cases(
        "/v1/surveys",
        token,
        &valid,
        &["client_id", "protocol", "site_id", "location", "date", "started_at", "kind", "length_m", "items"],
    );
    let dated = |date: &str| {
        let mut body = valid.clone();
        body["date"] = json!(date);
        body
    };
    for date in ["1969-12-31", "2026-02-30", "+20000-01-01", "9999-12-31", "2026-13-01", "20260315", "2026-3-15 "] {
        cases.push(json_post(format!("survey date {date}"), "/v1/surveys", token, dated(date).to_string().as_bytes()));
    }
    for started in ["0000-01-01T00:00:00Z", "2026-03-15T25:00:00Z", "2026-03-15T08:00:00", "-5000-03-15T08:00:00Z"] {
        let mut body = valid.clone();
        body["started_at"] = json!(started);
        cases.push(json_post(
            format!("survey started_at {started}"),
            "/v1/surveys",
            token,
            body.to_string().as_bytes(),
        ));
    }
    for (lat, lon) in [(91.0, 0.0), (-90.5, 10.0), (10.0, 180.5), (10.0, -181.0), (1e9, 1e9)] {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove("site_id");
        body["location"] = json!({"lat": lat, "lon": lon});
        cases.push(json_post(
            format!("survey location {lat},{lon}"),
            "/v1/surveys",
            token,
            body.to_string().as_bytes(),
        ));
    }
    let items: Vec<Value> = vec![
        json!([{"code": "G1", "count": -3}]),
        json!([{"code": "G1", "count": 1.5}]),
        json!([{"code": "G1", "count": 1e12}]),
        json!([{"code": "G1", "count": "3"}]),
        json!([{"code": "", "count": 3}]),
        json!([{"code": "NOT-A-CODE", "count": 3}]),
        json!([{"code": "G1"}]),
        json!([{"count": 3}]),
        json!([{"code": "G1", "count": 3, "extra": 1}]),
        json!([null]),
        json!((0..1001).map(|i| json!({"code": format!("G{}", i % 200 + 1), "count": 1})).collect::<Vec<_>>()),
    ];
    for (n, list) in items.into_iter().enumerate() {
        let mut body = valid.clone();
        body["items"] = list;
        cases.push(json_post(format!("survey items #{n}"), "/v1/surveys", token, body.to_string().as_bytes()));
    }
    for (n, length) in [json!(0), json!(-5), json!({"value": 1, "unit": "parsec"}), json!({"value": -1, "unit": "m"})]
        .into_iter()
        .enumerate()
    {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove("length_m");
        body["length"] = length;
        cases.push(json_post(format!("survey length #{n}"), "/v1/surveys", token, body.to_string().as_bytes()));
    }
    let mut unknown = valid.clone();
    unknown["colour"] = json!("blue");
    cases.push(json_post("survey unknown field".into(), "/v1/surveys", token, unknown.to_string().as_bytes()));
    cases
}

fn sample_cases(token: &str, site: i64) -> Vec<Case> {
    let valid = valid_sample(site);
    field_cases(
        "/v1/samples",
        token,
        &valid,
        &["client_id", "date", "matrix", "method", "net_width_m", "flowmeter", "particles"],
    )
}

fn body_cases(token: &str, site: i64) -> Vec<Case> {
    let survey = valid_survey(site).to_string();
    let mut deep = "[".repeat(100_000);
    deep.push_str(&"]".repeat(100_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("null", b"null".to_vec()),
        ("array", b"[]".to_vec()),
        ("string", b"\"survey\"".to_vec()),
        ("number", b"42".to_vec()),
        ("truncated", survey.as_bytes()[..survey.len() / 2].to_vec()),
        ("trailing garbage", format!("{survey}}}").into_bytes()),
        ("two documents", format!("{survey}{survey}").into_bytes()),
        ("invalid UTF-8", [b"{\"client_id\": \"".as_slice(), &[0xff, 0xfe, 0xfd], b"\"}"].concat()),
        ("UTF-16", survey.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()),
        ("byte-order mark", [b"\xef\xbb\xbf".as_slice(), survey.as_bytes()].concat()),
        ("deep nesting", deep.into_bytes()),
        ("NUL escape in key", br#"{"client\u0000id": 1}"#.to_vec()),
        ("lone surrogate", br#"{"client_id": "\ud800"}"#.to_vec()),
        ("NaN", br#"{"length_m": NaN}"#.to_vec()),
        ("comment", b"/* */ {}".to_vec()),
        ("single quotes", b"{'client_id': 1}".to_vec()),
        ("duplicate keys", br#"{"date": "2026-03-15", "date": "-5000-01-01"}"#.to_vec()),
        ("huge number", format!("{{\"length_m\": 1{}}}", "0".repeat(400)).into_bytes()),
    ];
    let mut cases = Vec::new();
    for path in ["/v1/surveys", "/v1/samples", "/v1/surveys/batch", "/v1/samples/batch"] {
        for (name, body) in &bodies {
            cases.push(json_post(format!("{path} body {name}"), path, token, body));
        }
    }
    // batches
    let record = valid_survey(site);
    for (name, body) in [
        ("records not an array", json!({"records": 5})),
        ("records missing", json!({})),
        ("extra field", json!({"records": [], "more": 1})),
        ("1001 records", json!({"records": vec![record.clone(); 1001]})),
        ("records an object", json!({"records": {"0": record.clone()}})),
        ("records a string", json!({"records": "[]"})),
    ] {
        cases.push(json_post(format!("batch {name}"), "/v1/surveys/batch", token, body.to_string().as_bytes()));
    }
    // content types
    for content_type in [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "image/png",
    ] {
        let headers = [bearer(token), format!("Content-Type: {content_type}").into_bytes()];
        cases.push(Case {
            name: format!("content type {content_type}"),
            bytes: request_bytes("POST", "/v1/surveys", &headers, survey.as_bytes()),
        });
    }
    cases.push(Case {
        name: "no content type".into(),
        bytes: request_bytes("POST", "/v1/surveys", &[bearer(token)], survey.as_bytes()),
    });
    // a body over the size limit
    let big = vec![b' '; 17 * 1024 * 1024];
    cases.push(json_post("17 MiB body".into(), "/v1/surveys/batch", token, &big));
    cases
}

#[test]
fn every_bad_input_is_a_4xx_problem_and_the_server_lives_on() {
    let db = TestDb::new();
    let net = network::create(&db);
    let settings = Settings {
        rate_limit_per_minute: 0,
        anonymous_rate_limit_per_minute: 0,
        failed_auth_per_minute: 0,
        ..Settings::default()
    };
    let server = TestServer::start_with(db.pool(), settings);
    let stored = |db: &TestDb| {
        ["submissions", "surveys", "samples", "sites", "teams", "client_ids", "batch_replays"]
            .map(|table| count(db, &format!("SELECT count(*) AS n FROM {table}")))
    };
    let before = stored(&db);
    let mut cases = survey_cases(&net.trusted, net.my_khe);
    cases.extend(sample_cases(&net.trusted, net.my_khe));
    cases.extend(body_cases(&net.trusted, net.my_khe));
    cases.extend(header_cases(&net.trusted, net.my_khe));
    cases.extend(query_cases());
    assert!(cases.len() >= 300, "the corpus has {} cases", cases.len());
    let health = request_bytes("GET", "/health", &[], b"");
    let mut wrong = Vec::new();
    for case in &cases {
        let reply = exchange(&server.base_url, &case.bytes, Duration::from_secs(30));
        let problem = reply.header("content-type").as_deref() == Some("application/problem+json")
            && serde_json::from_str::<Value>(&reply.body).is_ok_and(|p| p["status"] == reply.status);
        if !(400..500).contains(&reply.status) || !problem {
            wrong.push(format!("{}: {} {}", case.name, reply.status, reply.body.chars().take(200).collect::<String>()));
        }
        let alive = exchange(&server.base_url, &health, Duration::from_secs(10));
        assert_eq!(alive.status, 200, "server down after {}", case.name);
    }
    assert!(wrong.is_empty(), "{} of {} cases were not a 4xx problem:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
    assert_eq!(stored(&db), before, "a bad request changed what is stored");
}
