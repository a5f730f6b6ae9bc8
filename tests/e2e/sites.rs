//! Cities and sites: listing, spatial filters, GeoJSON and registration by coordinators.

use serde_json::json;

use crate::client::{get, post_as};
use crate::network;

#[test]
fn sites_are_found_by_city_distance_and_box_and_served_as_geojson() {
    let (_db, net, server) = network::served();
    let cities = get(&server.url("/v1/cities")).json();
    assert_eq!(cities.as_array().unwrap().len(), 2);
    assert_eq!(get(&server.url("/v1/cities?country=vn")).json()[0]["name"], "Da Nang");
    let in_city = get(&server.url(&format!("/v1/sites?city={}", net.cebu))).json();
    assert_eq!(in_city[0]["id"], net.cebu_site);
    let near = get(&server.url("/v1/sites?near=16.065,108.248&radius_m=1000")).json();
    assert_eq!(near.as_array().unwrap().len(), 1);
    assert_eq!(get(&server.url("/v1/sites?near=16.1,108.248&radius_m=1000")).json().as_array().unwrap().len(), 0);
    let boxed = get(&server.url("/v1/sites?bbox=120,5,125,15")).json();
    assert_eq!(boxed.as_array().unwrap().len(), 1);
    assert_eq!(boxed[0]["code"], "PH-CB-001");
    get(&server.url("/v1/sites?bbox=1,2,3")).problem(400);
    get(&server.url("/v1/sites?near=95,10")).problem(400);
    let geojson = get(&server.url("/v1/sites.geojson"));
    assert_eq!(geojson.content_type, "application/geo+json");
    let collection = geojson.json();
    assert_eq!(collection["type"], "FeatureCollection");
    assert_eq!(collection["features"].as_array().unwrap().len(), 2);
    let my_khe = collection["features"].as_array().unwrap().iter().find(|f| f["id"] == net.my_khe).unwrap().clone();
    assert_eq!(my_khe["geometry"]["coordinates"], json!([108.248, 16.06]));
    get(&server.url("/v1/sites/999999")).problem(404);
    get(&server.url("/v1/sites/abc")).problem(404);
}

#[test]
fn coordinators_register_sites_of_their_own_city_only() {
    let (_db, net, server) = network::served();
    let site = json!({"city_id": net.da_nang, "code": "VN-DN-002", "name": "Non Nuoc", "kind": "beach", "lat": 16.0004, "lon": 108.2672});
    let created = post_as(&server.url("/v1/sites"), &net.coordinator_da_nang, &site);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["city"], "Da Nang");
    post_as(&server.url("/v1/sites"), &net.coordinator_cebu, &site).problem(403);
    post_as(&server.url("/v1/sites"), &net.trusted, &site).problem(403);
    let bad = json!({"city_id": net.da_nang, "code": "", "name": "X", "kind": "lake", "lat": 91, "lon": 0});
    assert_eq!(post_as(&server.url("/v1/sites"), &net.admin, &bad).pointers(422), vec!["/code", "/kind", "/lat"]);
    // names count characters, as the schema does: a 70-character Chinese name (210 bytes) fits
    let long_name = "厦门".repeat(35);
    let chinese = json!({"city_id": net.da_nang, "code": "VN-DN-003", "name": long_name, "kind": "beach", "lat": 16.0, "lon": 108.3});
    assert_eq!(post_as(&server.url("/v1/sites"), &net.admin, &chinese).status, 201);
    let far = json!({"city_id": net.da_nang, "code": "VN-DN-004", "name": "Far", "kind": "beach", "lat": 16.0, "lon": 108.3, "reference_length_m": 250000});
    let problem = post_as(&server.url("/v1/sites"), &net.admin, &far).problem(422);
    assert_eq!(problem["errors"][0]["pointer"], "/reference_length_m");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("at most 100000 m"), "{problem}");
}

/// `tideline site create` keeps the same rules as the API, every broken one named by its
/// option; nothing is stored.
#[test]
fn the_command_line_registers_sites_by_the_same_rules() {
    let (db, net, _server) = network::served();
    let site = |extra: &[&str]| {
        let city = net.da_nang.to_string();
        let mut args = vec!["--database-url", &db.url, "site", "create", "--city", &city, "--code", "VN-DN-009"];
        args.extend(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_tideline"))
            .args(&args)
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap()
    };
    let before = crate::ingest::count(&db, "SELECT count(*) AS n FROM sites");
    let bad = site(&["--name", " ", "--lat", "95", "--lon", "200", "--length-m=-5"]);
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    for option in
        ["--name: 1 to 200 characters", "--lat: latitude", "--lon: longitude", "--length-m: -5 m is not a plausible"]
    {
        assert!(said.contains(option), "{option} in {said}");
    }
    assert_eq!(crate::ingest::count(&db, "SELECT count(*) AS n FROM sites"), before);
    let team = std::process::Command::new(env!("CARGO_BIN_EXE_tideline"))
        .args(["--database-url", &db.url, "team", "create", "--name", "  ", "--city", &net.da_nang.to_string()])
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&team.stderr).contains("--name: 1 to 200 characters"));
    let good = site(&["--name", "Non Nuoc", "--lat", "16.0", "--lon", "108.27", "--length-m", "100"]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    assert_eq!(crate::ingest::count(&db, "SELECT count(*) AS n FROM sites"), before + 1);
}

#[test]
fn coordinators_register_and_list_the_teams_of_their_city() {
    let (_db, net, server) = network::served();
    let team = json!({"name": "Non Nuoc Volunteers", "kind": "community", "city_id": net.da_nang});
    let created = post_as(&server.url("/v1/teams"), &net.coordinator_da_nang, &team);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["trusted"], false);
    post_as(&server.url("/v1/teams"), &net.coordinator_cebu, &team).problem(403);
    post_as(&server.url("/v1/teams"), &net.trusted, &team).problem(403);
    let bad = json!({"name": "", "kind": "club", "city_id": net.da_nang});
    assert_eq!(post_as(&server.url("/v1/teams"), &net.admin, &bad).pointers(422), vec!["/name", "/kind"]);
    let listed = crate::client::get_as(&server.url("/v1/teams"), &net.coordinator_da_nang).json();
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["DN Students", "Green Da Nang", "Non Nuoc Volunteers"]);
    crate::client::get_as(&server.url(&format!("/v1/teams?city={}", net.cebu)), &net.coordinator_da_nang).problem(403);
    // 70 Chinese characters (210 bytes) are a name the schema holds
    let chinese = json!({"name": "厦门海洋志愿者".repeat(10), "kind": "community", "city_id": net.da_nang});
    assert_eq!(post_as(&server.url("/v1/teams"), &net.admin, &chinese).status, 201);
}
