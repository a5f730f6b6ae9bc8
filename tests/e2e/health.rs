//! `/health` and `/ready`, including readiness across a database outage.

use tideline_api::cluster::ManagedCluster;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::get;

#[test]
fn health_and_ready_answer_ok_with_the_version() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    for path in ["/health", "/ready"] {
        let reply = get(&server.url(path));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.json()["status"], "ok");
        assert_eq!(reply.json()["version"], env!("CARGO_PKG_VERSION"));
    }
}

#[test]
fn every_response_carries_a_request_id_and_echoes_a_sane_one() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let reply = get(&server.url("/health"));
    let id = reply.headers.get("x-request-id").expect("request id").to_str().unwrap().to_string();
    assert_eq!(uuid::Uuid::parse_str(&id).expect("a UUID").get_version_num(), 4);

    let request = ureq::http::Request::builder()
        .uri(server.url("/nope"))
        .header("x-request-id", "client-trace-42")
        .body(())
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let response = agent.run(request).unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-trace-42");
}

/// `/ready` goes 503 while the database is down and back to 200 when it returns, without a
/// restart of the service. Uses a private cluster, since stopping the shared one would
/// disturb the other tests.
#[test]
fn ready_follows_the_database_down_and_up_again() {
    let dir =
        tideline_api::testing::test_cluster_dir().with_file_name(format!("tideline-ready-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = ManagedCluster::new(&dir).unwrap();
    let guard = cluster.ensure_running().unwrap();
    let server = TestServer::start(tideline_api::database::pool(&cluster.url("postgres").unwrap(), 4));

    assert_eq!(get(&server.url("/ready")).status, 200);

    cluster.stop().unwrap();
    let down = get(&server.url("/ready"));
    let problem = down.problem(503);
    assert_eq!(problem["title"], "Service unavailable");
    assert!(down.headers.get("retry-after").is_some());
    assert_eq!(get(&server.url("/health")).status, 200, "liveness does not depend on the database");

    cluster.start().unwrap();
    let back = get(&server.url("/ready"));
    assert_eq!(back.status, 200, "{}", back.body);

    drop(server);
    drop(guard);
    let _ = std::fs::remove_dir_all(&dir);
}
