//! Posting and reading microplastic samples over HTTP.

use serde_json::json;

use crate::client::{get_as, post_as};
use crate::ingest::count;
use crate::network;

#[test]
fn a_manta_tow_is_normalised_to_concentrations_and_read_back() {
    let (_db, net, server) = network::served();
    let mut body = manta_sample("8a4f6b2c-7d9e-4f1a-9b3c-6d7e8f9a0b11", net.my_khe, 30);
    body["particles"][1]["count"] = json!(12);
    let created = post_as(&server.url("/v1/samples"), &net.trusted, &body);
    assert_eq!(created.status, 201, "{}", created.body);
    let sample = created.json();
    let distance = 58_963.0 * 26_873.0 / 999_999.0;
    assert!((sample["distance_m"].as_f64().unwrap() - distance).abs() < 1e-9);
    assert!((sample["particles_per_m3"].as_f64().unwrap() - 42.0 / (distance * 0.09)).abs() < 1e-9);
    assert_eq!(sample["density_class"], "medium");
    let read = get_as(&server.url(&format!("/v1/samples/{}", sample["id"])), &net.trusted).json();
    let fibre = read["particles"].as_array().unwrap().iter().find(|p| p["shape"] == "fibre").unwrap().clone();
    assert_eq!((fibre["polymer"].as_str(), fibre["count"].as_u64()), (Some("PET"), Some(12)));
    assert_eq!(post_as(&server.url("/v1/samples"), &net.trusted, &body).status, 200, "retry");

    let mut bad = body.clone();
    bad["client_id"] = json!("8a4f6b2c-7d9e-4f1a-9b3c-6d7e8f9a0b12");
    bad["flowmeter"] = json!({"start": 500, "end": 500});
    bad["particles"][0]["shape"] = json!("blob");
    let pointers = post_as(&server.url("/v1/samples"), &net.trusted, &bad).pointers(422);
    assert_eq!(pointers, vec!["/flowmeter/end", "/particles/0/shape"]);
    get_as(&server.url(&format!("/v1/samples/{}", sample["id"])), &net.cebu_team).problem(404);
}

#[test]
fn the_samples_export_carries_what_a_researcher_needs_to_recompute_a_concentration() {
    let (_db, net, server) = network::served();
    let mut body = manta_sample("8a4f6b2c-7d9e-4f1a-9b3c-6d7e8f9a0c21", net.my_khe, 42);
    body["flowmeter"] = json!({"start": 999000, "end": 57963});
    body["particles"].as_array_mut().unwrap().truncate(1);
    let created = post_as(&server.url("/v1/samples"), &net.trusted, &body);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].clone();
    let review = post_as(
        &server.url(&format!("/v1/samples/{id}/review")),
        &net.coordinator_da_nang,
        &json!({"decision": "accept"}),
    );
    assert!(review.status < 300, "{}", review.body);
    let export = get_as(&server.url("/v1/exports/samples.csv"), &net.researcher);
    assert_eq!(export.status, 200, "{}", export.body);
    let mut reader = csv::Reader::from_reader(export.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row: std::collections::HashMap<String, String> = headers
        .iter()
        .zip(reader.records().next().unwrap().unwrap().iter())
        .map(|(h, v)| (h.into(), v.into()))
        .collect();
    let number = |column: &str| row[column].parse::<f64>().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]));
    assert_eq!((row["flowmeter_start"].as_str(), row["flowmeter_end"].as_str()), ("999000", "57963"));
    assert_eq!(row["flags"], "flowmeter_rollover");
    // 58 963 counts × 26 873 / 999 999 m
    assert!((number("distance_m") - 58_963.0 * 26_873.0 / 999_999.0).abs() < 1e-6);
    let recomputed = number("particle_count") / (number("distance_m") * number("mouth_area_m2"));
    assert!((recomputed - number("particles_per_m3")).abs() < 1e-9, "{row:?}");
    let per_km2 = number("particle_count") / (number("distance_m") * number("net_width_m")) * 1e6;
    assert!((per_km2 - number("particles_per_km2")).abs() < 1e-6);
}

/// A manta tow of 0.6 m width over the standard rotor's 58 963 counts: `fragments` PE fragments
/// and 2 polyester fibres.
pub fn manta_sample(client_id: &str, site_id: i64, fragments: u64) -> serde_json::Value {
    json!({
        "client_id": client_id, "site_id": site_id, "date": "2026-05-02",
        "matrix": "surface_water", "method": "manta_net", "mesh_um": 333,
        "flowmeter": {"start": 0, "end": 58963}, "net_width_m": 0.6, "mouth_area_m2": 0.09,
        "particles": [{"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": fragments},
                      {"shape": "fiber", "polymer": "polyester", "size_class": "1-5 mm", "count": 2}]
    })
}

#[test]
fn a_sample_batch_is_stored_set_based_and_a_retry_stores_nothing_twice() {
    let (db, net, server) = network::served();
    let url = server.url("/v1/samples/batch");
    let id = |i: usize| format!("5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d{i}");
    let mut records: Vec<_> = (0..4).map(|i| manta_sample(&id(i), net.my_khe, 10 + i as u64)).collect();
    records[2]["net_width_m"] = json!(-1);
    records.push(records[0].clone()); // the same record twice in one batch: stored once
    let mut changed = records[1].clone();
    changed["particles"][0]["count"] = json!(99);
    records.push(changed); // the same client id with another body: a conflict
    let body = json!({ "records": records });

    let answer = post_as(&url, &net.trusted, &body);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = answer.json();
    let outcomes: Vec<&str> =
        answer["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "created", "rejected", "created", "duplicate", "conflict"]);
    assert_eq!(answer["results"][2]["errors"][0]["pointer"], "/records/2/net_width_m");
    assert_eq!(answer["results"][4]["id"], answer["results"][0]["id"]);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM samples"), 3);
    // every stored sample has its own particle rows: 2 kinds each
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sample_particles"), 6);
    let third = get_as(&server.url(&format!("/v1/samples/{}", answer["results"][3]["id"])), &net.trusted).json();
    assert_eq!(third["particle_count"], 15);
    assert_eq!(third["client_id"], id(3));

    let retry = post_as(&url, &net.trusted, &body).json();
    assert_eq!((retry["created"].as_u64(), retry["duplicates"].as_u64()), (Some(0), Some(4)));
    assert_eq!(retry["results"][1]["id"], answer["results"][1]["id"]);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM samples"), 3);

    // a survey's client id is not a sample's: the sample is refused, nothing is stored
    let survey = crate::ingest::ospar_survey("5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5e0", net.my_khe);
    assert_eq!(post_as(&server.url("/v1/surveys"), &net.trusted, &survey).status, 201);
    let reused = manta_sample("5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5e0", net.my_khe, 1);
    assert_eq!(post_as(&server.url("/v1/samples"), &net.trusted, &reused).status, 409);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM samples"), 3);
}
