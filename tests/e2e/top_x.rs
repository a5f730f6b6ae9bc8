//! Top-X at a level every contributing protocol can express: a city with OSPAR surveys (drink
//! bottles as one type, OSPAR 4) and Marine LitterWatch surveys (G7 and G8) lists drink
//! bottles once.

use serde_json::json;

use crate::client::{get, post_as};
use crate::network;

#[test]
fn a_city_with_ospar_and_mlw_lists_drink_bottles_once() {
    let (_db, net, server) = network::served();
    let ospar = json!({"client_id": "66666666-0000-4000-8000-000000000001", "protocol": "ospar",
                       "site_id": net.my_khe, "date": "2026-03-15",
                       "items": [{"code": "4", "count": 50}, {"code": "15", "count": 10}]});
    let mlw = json!({"client_id": "66666666-0000-4000-8000-000000000002", "protocol": "mlw",
                     "site_id": net.my_khe, "date": "2026-03-16", "kind": "monitoring", "length_m": 100,
                     "items": [{"code": "G7", "count": 30}, {"code": "G8", "count": 20}, {"code": "G21", "count": 5}]});
    for body in [&ospar, &mlw] {
        assert_eq!(post_as(&server.url("/v1/surveys"), &net.trusted, body).status, 201);
    }
    let stats = get(&server.url(&format!("/v1/cities/{}/stats", net.da_nang))).json();
    let beach = &stats["beach_litter"];
    let top: Vec<(String, u64)> = beach["top_x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["code"].as_str().unwrap().to_string(), t["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(top[0], ("GRP-drink-bottles".to_string(), 100), "50 (OSPAR 4) + 30 (G7) + 20 (G8): {top:?}");
    assert!(top.iter().all(|(code, _)| code != "G7" && code != "G8"), "{top:?}");
    let groups = beach["top_x_groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| g == "GRP-drink-bottles"), "{groups:?}");
    // an MLW-only site of another city keeps the Master List's own codes
    let cebu = json!({"client_id": "66666666-0000-4000-8000-000000000003", "protocol": "mlw",
                      "site_id": net.cebu_site, "date": "2026-03-16", "kind": "monitoring", "length_m": 100,
                      "items": [{"code": "G7", "count": 30}, {"code": "G8", "count": 20}]});
    assert_eq!(post_as(&server.url("/v1/surveys"), &net.cebu_team, &cebu).status, 201);
    let cebu_stats = get(&server.url(&format!("/v1/cities/{}/stats", net.cebu))).json();
    let codes: Vec<&str> =
        cebu_stats["beach_litter"]["top_x"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["G7", "G8"]);
}
