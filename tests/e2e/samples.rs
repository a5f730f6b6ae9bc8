//! Posting and reading microplastic samples over HTTP.

use serde_json::json;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get_as, post_as};
use crate::network;

#[test]
fn a_manta_tow_is_normalised_to_concentrations_and_read_back() {
    let db = TestDb::new();
    let net = network::create(&db);
    let server = TestServer::start(db.pool());
    let body = json!({
        "client_id": "8a4f6b2c-7d9e-4f1a-9b3c-6d7e8f9a0b11", "site_id": net.my_khe, "date": "2026-05-02",
        "matrix": "surface_water", "method": "manta_net", "mesh_um": 333,
        "flowmeter": {"start": 0, "end": 58963}, "net_width_m": 0.6, "mouth_area_m2": 0.09,
        "particles": [{"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": 30},
                      {"shape": "fiber", "polymer": "polyester", "size_class": "1-5 mm", "count": 12}]
    });
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
