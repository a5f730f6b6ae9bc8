//! `--read-database-url`: statistics, reports and exports come from the read replica, while
//! writes and record reads stay on the primary. Here the "replica" is a second database with
//! other contents, so each answer shows which database it came from.

use tideline_api::http::server::Settings;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, get_as, post_as};
use crate::ingest::ospar_survey;
use crate::network;

#[test]
fn statistics_come_from_the_read_replica_and_records_from_the_primary() {
    let primary = TestDb::new();
    let replica = TestDb::new();
    let net = network::create(&primary);
    let replica_net = network::create(&replica);
    assert_eq!(net.my_khe, replica_net.my_khe, "the same network in both");
    // two surveys only the replica has (posted straight to it)
    let replica_server = TestServer::start(replica.pool());
    for n in 1..=2 {
        let body = ospar_survey(&format!("4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c0{n}"), replica_net.my_khe);
        assert_eq!(post_as(&replica_server.url("/v1/surveys"), &replica_net.trusted, &body).status, 201);
    }
    let settings = Settings { stats_cache_ttl: std::time::Duration::ZERO, ..Settings::default() };
    let server = TestServer::start_on(primary.pool(), Some(replica.pool()), settings);
    let posted = post_as(
        &server.url("/v1/surveys"),
        &net.trusted,
        &ospar_survey("4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c09", net.my_khe),
    );
    assert_eq!(posted.status, 201, "writes go to the primary");
    let id = posted.json()["id"].clone();
    assert_eq!(get_as(&server.url(&format!("/v1/surveys/{id}")), &net.trusted).status, 200, "records from the primary");

    let stats = get(&server.url(&format!("/v1/sites/{}/stats", net.my_khe))).json();
    assert_eq!(stats["beach_litter"]["surveys"], 2, "statistics from the replica");
    let export = get_as(&server.url("/v1/exports/surveys.csv"), &net.researcher);
    assert_eq!(export.body.lines().count(), 3, "a header and the replica's two surveys");
    let series = get(&server.url("/v1/stats?group_by=site&period=year")).json();
    assert_eq!(series[0]["surveys"], 2);
}
