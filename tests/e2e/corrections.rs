//! Corrections: a team corrects its survey with the full body; versions are kept with what
//! changed, the review status is decided again, statistics use the latest version, and a
//! repeated correction changes nothing.

use serde_json::json;

use crate::client::{get_as, post_as, put_as};
use crate::ingest::{count, ospar_survey};
use crate::network;
use crate::samples::manta_sample;

const CLIENT_ID: &str = "7a3e5f1b-6c8d-4e0f-8a2b-5c6d7e8f9a01";

#[test]
fn a_correction_keeps_the_history_moves_the_statistics_and_is_idempotent() {
    let (db, net, server) = network::served();
    let original = ospar_survey(CLIENT_ID, net.my_khe);
    let created = post_as(&server.url("/v1/surveys"), &net.trusted, &original);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let rolled_up = || count(&db, "SELECT coalesce(sum(total_items), 0)::bigint AS n FROM site_month_rollups");
    // 12 + 7 + 30: OSPAR 108 (paraffin wax, G213, chemicals) is not a counted category
    assert_eq!(created.json()["summary"]["total_items"], 49);
    assert_eq!(rolled_up(), 49);
    let path = server.url(&format!("/v1/surveys/{id}"));

    // the volunteer typed 30 for 3 of type 64
    let mut corrected = original.clone();
    corrected["items"][2]["count"] = json!(3);
    let answer = put_as(&path, &net.trusted, &corrected);
    assert_eq!(
        (answer.status, answer.header("tideline-outcome").as_deref()),
        (200, Some("corrected")),
        "{}",
        answer.body
    );
    let record = answer.json();
    assert_eq!((record["version"].as_i64(), record["summary"]["total_items"].as_i64()), (Some(2), Some(22)));
    assert_eq!(record["status"], "accepted");
    assert_eq!(rolled_up(), 22, "statistics use the latest version");
    assert_eq!(count(&db, &format!("SELECT total_items AS n FROM survey_totals WHERE survey_id = {id}")), 22);

    // the same correction again: nothing changes
    let again = put_as(&path, &net.trusted, &corrected);
    assert_eq!((again.status, again.header("tideline-outcome").as_deref()), (200, Some("unchanged")));
    assert_eq!(again.json()["version"], 2);
    assert_eq!(rolled_up(), 22);

    // a coordinator sees what changed
    let history = get_as(&server.url(&format!("/v1/surveys/{id}/history")), &net.coordinator_da_nang);
    assert_eq!(history.status, 200, "{}", history.body);
    let versions = history.json();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["body"]["items"][2]["count"], 30);
    assert_eq!(versions[0]["status"], "accepted");
    assert_eq!(versions[1]["changes"], json!([{"pointer": "/items/2/count", "before": 30, "after": 3}]));

    // a correction that needs review goes back to review and leaves the statistics
    let mut doubtful = corrected.clone();
    doubtful["items"][0]["count"] = json!(12_000);
    let answer = put_as(&path, &net.trusted, &doubtful);
    assert_eq!(answer.json()["status"], "pending", "{}", answer.body);
    assert_eq!(rolled_up(), 0);
    assert_eq!(get_as(&path, &net.trusted).json()["version"], 3);

    // the original post retried by the app is still answered with the record, never a copy
    let retried = post_as(&server.url("/v1/surveys"), &net.trusted, &original);
    assert_eq!((retried.status, retried.json()["id"].as_i64()), (200, Some(id)));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 1);
}

#[test]
fn bad_corrections_change_nothing() {
    let (db, net, server) = network::served();
    let original = ospar_survey(CLIENT_ID, net.my_khe);
    let id = post_as(&server.url("/v1/surveys"), &net.trusted, &original).json()["id"].as_i64().unwrap();
    let path = server.url(&format!("/v1/surveys/{id}"));
    let before = get_as(&path, &net.trusted).body;

    let mut invalid = original.clone();
    invalid["date"] = json!("0001-01-01");
    invalid["items"][0]["count"] = json!(-3);
    assert_eq!(put_as(&path, &net.trusted, &invalid).pointers(422), ["/date", "/items/0/count"]);
    let mut other_id = original.clone();
    other_id["client_id"] = json!("00000000-0000-4000-8000-000000000001");
    assert_eq!(put_as(&path, &net.trusted, &other_id).pointers(422), ["/client_id"]);
    let mut moved = original.clone();
    moved["site_id"] = json!(net.cebu_site);
    assert_eq!(put_as(&path, &net.trusted, &moved).pointers(422), ["/site_id"]);
    // another team's record is not found, whatever the body
    put_as(&path, &net.untrusted, &original).problem(404);
    put_as(&server.url("/v1/surveys/999999"), &net.trusted, &original).problem(404);

    assert_eq!(get_as(&path, &net.trusted).body, before, "nothing changed");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM record_versions"), 0);
    let history = get_as(&server.url(&format!("/v1/surveys/{id}/history")), &net.trusted).json();
    assert_eq!(history.as_array().unwrap().len(), 1, "the record as first sent");
    get_as(&server.url(&format!("/v1/surveys/{id}/history")), &net.cebu_team).problem(404);
}

#[test]
fn a_sample_with_centimetres_typed_as_metres_is_corrected_and_its_concentration_follows() {
    let (_db, net, server) = network::served();
    let mut body = manta_sample("8a4f6b2c-7d9e-4f1a-9b3c-6d7e8f9a0b21", net.my_khe, 42);
    body["tow_duration_min"] = json!(20);
    body["net_width_m"] = json!(6);
    body["particles"].as_array_mut().unwrap().truncate(1);
    // 6 m is inside the hard range but doubtful: stored, flagged, held for review
    let created = post_as(&server.url("/v1/samples"), &net.trusted, &body);
    assert_eq!(created.status, 201, "{}", created.body);
    let sample = created.json();
    assert_eq!(sample["status"], "pending");
    assert_eq!(sample["flags"][0]["pointer"], "/net_width_m");
    let path = server.url(&format!("/v1/samples/{}", sample["id"]));
    let distance = 58_963.0 * 26_873.0 / 999_999.0;
    let per_km2 = |width: f64| 42.0 / (distance * width) * 1e6;
    assert!((sample["particles_per_km2"].as_f64().unwrap() - per_km2(6.0)).abs() < 1e-6);

    let mut corrected = body.clone();
    corrected["net_width_m"] = json!(0.6);
    let answer = put_as(&path, &net.trusted, &corrected);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let record = answer.json();
    assert_eq!((record["status"].as_str(), record["version"].as_i64()), (Some("accepted"), Some(2)));
    assert!((record["particles_per_km2"].as_f64().unwrap() - per_km2(0.6)).abs() < 1e-6);
    assert_eq!(record["flags"], json!([]));
    assert_eq!(put_as(&path, &net.trusted, &corrected).header("tideline-outcome").as_deref(), Some("unchanged"));
    let history = get_as(&format!("{path}/history"), &net.coordinator_da_nang).json();
    assert_eq!(history[1]["changes"], json!([{"pointer": "/net_width_m", "before": 6, "after": 0.6}]));
    assert_eq!(history[0]["status"], "pending");
    // the export a researcher reads has the corrected width and the rotor constant used
    let export = get_as(&server.url("/v1/exports/samples.csv"), &net.researcher);
    assert_eq!(export.status, 200, "{}", export.body);
    let mut rows = csv::Reader::from_reader(export.body.as_bytes());
    let header = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let column = |name: &str| row.get(header.iter().position(|h| h == name).unwrap()).unwrap().to_string();
    assert_eq!(column("net_width_m"), "0.6");
    assert_eq!(column("tow_duration_min"), "20");
    assert!((column("rotor_m_per_count").parse::<f64>().unwrap() - 26_873.0 / 999_999.0).abs() < 1e-12);
}
