//! Placement: a record naming no site goes to the nearest registered site within 1 km of its
//! coordinates, or waits unassigned in its team's city; a batch's records are placed a chunk
//! at a time, each as a look-up of its own would place it.

use serde_json::{json, Value};
use tideline_api::testing::{TestDb, TestServer};

use crate::client::post_as;
use crate::ingest::{count, ospar_survey};
use crate::network;

#[test]
fn records_land_on_the_nearest_site_within_1_km_or_wait_unassigned() {
    let (_db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    let mut near = ospar_survey("3b9a1c7d-2e4f-4a6b-8c0d-1e2f3a4b5c61", 0);
    near.as_object_mut().unwrap().remove("site_id");
    near["location"] = json!({"lat": 16.0645, "lon": 108.2480}); // 500 m north of My Khe
    let placed = post_as(&url, &net.trusted, &near).json();
    assert_eq!(placed["site_id"], net.my_khe);
    assert_eq!(placed["status"], "accepted");

    let mut far = near.clone();
    far["client_id"] = json!("3b9a1c7d-2e4f-4a6b-8c0d-1e2f3a4b5c62");
    far["location"] = json!({"lat": 16.0800, "lon": 108.2480}); // 2.2 km away
    let unassigned = post_as(&url, &net.trusted, &far).json();
    assert_eq!(unassigned["site_id"], Value::Null);
    assert_eq!(unassigned["city_id"], net.da_nang, "kept in the team's home city");
    assert_eq!(unassigned["status"], "pending", "flagged records wait for review");
    assert_eq!(unassigned["flags"][0]["code"], "unassigned_site");
}

/// A batch of records placed by their coordinates alone lands each one where a look-up of its
/// own would put it: three sites about 1 km apart and points scattered around and beyond them.
#[test]
fn a_batch_placed_by_coordinates_lands_each_record_on_its_own_nearest_site() {
    let db = TestDb::new();
    let net = network::create(&db);
    {
        let mut conn = db.connect();
        network::beach(&mut conn, net.da_nang, "VN-DN-002", (16.0700, 108.2480)); // 1.1 km north of My Khe
        network::beach(&mut conn, net.da_nang, "VN-DN-003", (16.0600, 108.2570));
        // 960 m east
    }
    let server = TestServer::start(db.pool());
    // a seeded walk over ±0.015° (±1.6 km) around the three sites
    let mut state: u64 = 0x5eed_2026;
    let mut offset = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 0.03
    };
    let points: Vec<(f64, f64)> = (0..120).map(|_| (16.0630 + offset(), 108.2510 + offset())).collect();
    let records: Vec<Value> = (points.iter().enumerate())
        .map(|(i, (lat, lon))| {
            let mut survey = ospar_survey(&format!("5d1c3e9f-4a6b-4c8d-9e0f-{i:012}"), 0);
            survey.as_object_mut().unwrap().remove("site_id");
            survey["location"] = json!({"lat": lat, "lon": lon});
            survey
        })
        .collect();
    let answer = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({ "records": records })).json();
    assert_eq!(answer["created"], 120, "{answer}");
    let mut conn = db.connect();
    let mut landed_on = std::collections::BTreeMap::new();
    for (result, (lat, lon)) in answer["results"].as_array().unwrap().iter().zip(&points) {
        let own = tideline_api::store::places::nearest_site(&mut conn, *lat, *lon, 1_000.0).unwrap().map(|s| s.id);
        let stored = count(&db, &format!("SELECT coalesce(site_id, 0) AS n FROM surveys WHERE id = {}", result["id"]));
        assert_eq!(stored, own.unwrap_or(0), "({lat}, {lon})");
        *landed_on.entry(own).or_insert(0) += 1;
    }
    // the points reach every site and beyond: the test tells sites apart
    assert_eq!(landed_on.len(), 4, "{landed_on:?}");
}
