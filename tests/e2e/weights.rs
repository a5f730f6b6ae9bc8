//! Surveys counted *and weighed* on measured areas (the region's protocols): stored with their
//! weights, and the statistics by count and by weight, each over only the surveys that can be
//! expressed in its unit, saying how many were left out and why.

use serde_json::{json, Value};
use tideline_api::testing::TestServer;

use crate::client::{close, get, post_as};
use crate::network;

fn weighed_survey(client_id: &str, site: i64, date: &str, blocks: usize, items: Value) -> Value {
    json!({
        "client_id": client_id, "protocol": "tideline", "site_id": site, "date": date, "length_m": 20,
        "blocks": vec![json!({"length_m": 10, "width_m": 10}); blocks],
        "items": items
    })
}

#[test]
fn statistics_by_weight_cover_the_weighed_surveys_and_say_what_they_left_out() {
    let (_db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    // 44 items, 1155 g on 300 m² of 20 m of shore; 10 items, 1160 g on 200 m²
    let first = weighed_survey(
        "9a1b2c3d-4e5f-4061-8273-94a5b6c7d801",
        net.my_khe,
        "2026-05-10",
        3,
        json!([{"code": "G21", "count": 12, "weight_g": 240, "size_class": "macro", "origin": "domestic"},
               {"code": "G27", "count": 30, "weight_g": 15},
               {"code": "G200", "count": 2, "weight": {"value": 0.9, "unit": "kg"}, "origin": "foreign"}]),
    );
    let second = weighed_survey(
        "9a1b2c3d-4e5f-4061-8273-94a5b6c7d802",
        net.my_khe,
        "2026-06-10",
        2,
        json!([{"code": "G21", "count": 8, "weight_g": 160}, {"code": "G200", "count": 2, "weight_g": 1000}]),
    );
    for body in [&first, &second] {
        let reply = post_as(&url, &net.trusted, body);
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let stored = post_as(&url, &net.trusted, &first).json();
    close(&stored["summary"]["grams_per_100m2"], 385.0);
    close(&stored["summary"]["items_per_100m2"], 44.0 * 100.0 / 300.0);
    assert_eq!(stored["summary"]["area_m2"], 300.0);
    // an OSPAR survey: counted, not weighed, no surveyed area
    let ospar = crate::ingest::ospar_survey("9a1b2c3d-4e5f-4061-8273-94a5b6c7d803", net.my_khe);
    assert_eq!(post_as(&url, &net.trusted, &ospar).status, 201);

    let stats = |query: &str| get(&server.url(&format!("/v1/sites/{}/stats{query}", net.my_khe))).json();
    let by_count = stats("");
    let beach = &by_count["beach_litter"];
    assert_eq!(beach["surveys"], 3);
    assert_eq!(beach["items_per_100m"]["n"], 3, "items/100 m over every survey, as before");
    assert!(beach.get("by_weight").is_none(), "weights are asked for with basis=weight");
    let by_area = &beach["by_area"];
    assert_eq!(by_area["surveys"], 2);
    close(&by_area["summary"]["median"], (44.0 * 100.0 / 300.0 + 5.0) / 2.0);
    assert_eq!(by_area["left_out"], json!([{"reason": "no surveyed area (no width, blocks or area)", "surveys": 1}]));

    let by_weight = &stats("?basis=weight")["beach_litter"]["by_weight"];
    close(&by_weight["total_weight_kg"], 2.315);
    let grams = &by_weight["grams_per_100m2"];
    assert_eq!((grams["unit"].as_str(), grams["surveys"].as_u64()), (Some("g/100 m²"), Some(2)));
    close(&grams["summary"]["median"], (385.0 + 580.0) / 2.0);
    assert_eq!(grams["left_out"][0]["surveys"], 1);
    assert!(grams["left_out"][0]["reason"].as_str().unwrap().starts_with("not weighed"));
    close(&by_weight["kg_per_100m"]["summary"]["median"], (5.775 + 5.8) / 2.0);
    close(&by_weight["grams_per_m"]["summary"]["median"], (57.75 + 58.0) / 2.0);
    assert_eq!(get(&server.url(&format!("/v1/sites/{}/stats?basis=volume", net.my_khe))).pointers(400), vec!["/basis"]);
}

/// A GESAMP sheet next to an OSPAR survey at one site: the site's top items are listed by
/// material (the sheet records nothing finer), weights cover the weighed sheet only.
#[test]
fn a_gesamp_sheet_and_an_ospar_survey_are_compared_by_material() {
    let (_db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    let sheet = json!({
        "client_id": "9a1b2c3d-4e5f-4061-8273-94a5b6c7d811", "protocol": "gesamp", "site_id": net.my_khe,
        "date": "2026-05-10", "length_m": 50, "width_m": 20,
        "items": [{"code": "plastic:macro", "count": 20, "weight_g": 400},
                  {"code": "plastic:meso", "count": 50, "weight_g": 25},
                  {"code": "glass:macro", "count": 3, "weight_g": 600}]
    });
    assert_eq!(post_as(&url, &net.trusted, &sheet).status, 201);
    let ospar = crate::ingest::ospar_survey("9a1b2c3d-4e5f-4061-8273-94a5b6c7d812", net.my_khe);
    assert_eq!(post_as(&url, &net.trusted, &ospar).status, 201);
    let stats = get(&server.url(&format!("/v1/sites/{}/stats?basis=weight", net.my_khe))).json();
    let beach = &stats["beach_litter"];
    let top: Vec<&str> = beach["top_x"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(top[0], "TL-MAT-artificial_polymer", "{top:?}");
    assert!(top.iter().all(|code| code.starts_with("TL-MAT-") || code.starts_with("GRP-")), "{top:?}");
    let grams = &beach["by_weight"]["grams_per_100m2"];
    assert_eq!((grams["surveys"].as_u64(), grams["left_out"][0]["surveys"].as_u64()), (Some(1), Some(1)));
    close(&grams["summary"]["median"], 102.5); // 1025 g × 100 / 1000 m²
    let protocol = get(&server.url("/v1/protocols/gesamp")).json();
    assert_eq!(protocol["items"].as_array().unwrap().len(), 36, "9 materials × 4 size classes");
}

/// The demonstration network speaks the region's protocols: the cities whose teams record
/// their national sheets (China, NOWPAP in Japan and Korea, KLHK in Indonesia) have
/// weight-based figures; NOWPAP and China are listed by material, KLHK by item; an OSPAR city
/// says it was not weighed.
#[test]
fn the_demo_network_has_weighed_cities_in_their_national_protocols() {
    let (db, _conn) = network::demo_network(600, 0, 11);
    let server = TestServer::start(db.pool());
    let cities = get(&server.url("/v1/cities")).json();
    let city = |name: &str| cities.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"].clone();
    for (name, protocol, by_material) in [
        ("Busan", "nowpap", true),
        ("Kitakyushu", "nowpap", true),
        ("Qingdao", "china", true),
        ("Denpasar", "klhk", false),
    ] {
        let stats = get(&server.url(&format!("/v1/cities/{}/stats?basis=weight", city(name)))).json();
        let beach = &stats["beach_litter"];
        let only = get(&server.url(&format!("/v1/cities/{}/stats?protocol={protocol}", city(name)))).json();
        assert!(beach["surveys"].as_u64().unwrap() > 0, "{name}");
        assert_eq!(only["beach_litter"]["surveys"], beach["surveys"], "{name}: every survey in {protocol}");
        let weight = &beach["by_weight"];
        assert!(weight["grams_per_100m2"]["surveys"].as_u64().unwrap() > 0, "{name}: {weight}");
        assert!(weight["total_weight_kg"].as_f64().unwrap() > 0.0, "{name}");
        let top = beach["top_x"][0]["code"].as_str().unwrap();
        assert_eq!(top.starts_with("TL-MAT-"), by_material, "{name}: {top}");
    }
    let ospar_city = get(&server.url(&format!("/v1/cities/{}/stats?basis=weight", city("Singapore")))).json();
    let grams = &ospar_city["beach_litter"]["by_weight"]["grams_per_100m2"];
    assert_eq!(grams["surveys"], 0);
    assert!(grams["left_out"][0]["reason"].as_str().unwrap().starts_with("not weighed"));
}
