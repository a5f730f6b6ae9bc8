//! The statistics cache's staleness bound: with `stats_staleness`, an answer cached before a
//! write is still served until it is that old, says when it was computed (`as_of`), and the
//! next answer after the bound has the write in it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use tideline_api::http::server::Settings;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, post_as};
use crate::stats::import_ospar;

#[test]
fn a_cached_answer_lags_a_write_by_at_most_the_staleness_bound() {
    let db = TestDb::new();
    let nl = import_ospar(&db);
    let bound = Duration::from_millis(1500);
    let settings = Settings { stats_staleness: bound, ..Settings::default() };
    let server = TestServer::start_with(db.pool(), settings);
    let site = nl.sites["NL001"];
    let stats = || get(&server.url(&format!("/v1/sites/{site}/stats"))).json();
    let first = stats();
    assert_eq!(first["beach_litter"]["surveys"], 24);
    let as_of: DateTime<Utc> = first["as_of"].as_str().unwrap().parse().unwrap();
    assert!((Utc::now() - as_of).num_seconds().abs() < 5, "as_of is when it was computed: {as_of}");

    let body = json!({"client_id": "6d0c2f4e-1b7a-4f3e-9a58-2c1d0e9f8b71", "protocol": "ospar", "site_id": site,
                      "date": "2017-11-02", "items": [{"code": "15", "count": 40}]});
    let id = post_as(&server.url("/v1/surveys"), &nl.volunteer, &body).json()["id"].as_i64().unwrap();
    let review = json!({"decision": "accept"});
    assert_eq!(post_as(&server.url(&format!("/v1/surveys/{id}/review")), &nl.coordinator, &review).status, 200);
    let soon = stats();
    assert_eq!(soon["as_of"], first["as_of"], "within the bound: the cached answer, saying when it was made");
    assert_eq!(soon["beach_litter"]["surveys"], 24);

    std::thread::sleep(bound + Duration::from_millis(100));
    let later = stats();
    assert_eq!(later["beach_litter"]["surveys"], 25, "past the bound the write is in");
    assert_ne!(later["as_of"], first["as_of"]);
}
