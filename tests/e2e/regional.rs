//! The region's own protocols over HTTP: each example of `fixtures/examples/` posted as is,
//! stored with its lines (a NOWPAP material's domestic and foreign items apart, KLHK's macro
//! and meso), and read back as statistics by count and by weight, with the OSPAR survey that
//! shares the site left out of the units it cannot be expressed in.

use serde_json::{json, Value};
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{close, get, get_as, post_as};
use crate::network;

fn example(name: &str, site: i64) -> Value {
    let path = format!("{}/../fixtures/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    body["site_id"] = json!(site);
    body
}

#[test]
fn each_regional_protocol_is_posted_and_read_by_count_and_by_weight() {
    let (_db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    // grams per 100 m² of each example, by hand (core/tests/regional.rs has the rest)
    let examples = [("nowpap", 1400.0 / 3.0), ("china", 177.2), ("klhk", 109.0), ("vietnam", 173.8)];
    let mut ids = Vec::new();
    for (name, grams_per_100m2) in examples {
        let reply = post_as(&url, &net.trusted, &example(name, net.my_khe));
        assert_eq!(reply.status, 201, "{name}: {}", reply.body);
        let stored = reply.json();
        close(&stored["summary"]["grams_per_100m2"], grams_per_100m2);
        ids.push(stored["id"].as_i64().unwrap());
        // NOWPAP's blocks front 10 m of shore: too short for an EU threshold assessment, a
        // flag the city's coordinator reads before the survey counts
        let expected = if name == "nowpap" { "pending" } else { "accepted" };
        assert_eq!(stored["status"], expected, "{name}: {}", stored["flags"]);
    }
    let review = server.url(&format!("/v1/surveys/{}/review", ids[0]));
    let accepted =
        post_as(&review, &net.coordinator_da_nang, &json!({"decision": "accept", "reason": "blocks checked"}));
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let nowpap = get_as(&server.url(&format!("/v1/surveys/{}", ids[0])), &net.trusted).json();
    let lines: Vec<(&str, &str)> = nowpap["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["category"] == "TL-MAT-artificial_polymer")
        .map(|i| (i["source_code"].as_str().unwrap(), i["origin"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(lines, vec![("plastic@domestic", "domestic"), ("plastic@foreign", "foreign")], "{nowpap}");
    let ospar = crate::ingest::ospar_survey("6a1f0e2d-3c4b-4d5e-9f60-7a8b9c0d1e31", net.my_khe);
    assert_eq!(post_as(&url, &net.trusted, &ospar).status, 201);

    let stats = |query: &str| get(&server.url(&format!("/v1/sites/{}/stats{query}", net.my_khe))).json();
    let by_count = stats("");
    let beach = &by_count["beach_litter"];
    assert_eq!(beach["surveys"], 5);
    let by_area = &beach["by_area"];
    assert_eq!(by_area["surveys"], 4);
    // items/100 m² of the four: 24, 12.6, 13.1, 19.8 → median (13.1 + 19.8) / 2
    close(&by_area["summary"]["median"], (13.1 + 19.8) / 2.0);
    assert_eq!(by_area["left_out"], json!([{"reason": "no surveyed area (no width, blocks or area)", "surveys": 1}]));
    let top = beach["top_x"][0]["code"].as_str().unwrap();
    assert!(top.starts_with("TL-MAT-"), "NOWPAP and China record materials only, so the site is listed by material");

    let weight = &stats("?basis=weight")["beach_litter"]["by_weight"];
    close(&weight["total_weight_kg"], (1400.0 + 1772.0 + 1090.0 + 869.0) / 1000.0);
    let grams = &weight["grams_per_100m2"];
    assert_eq!(grams["surveys"], 4);
    close(&grams["summary"]["median"], (173.8 + 177.2) / 2.0);
    assert_eq!(grams["left_out"][0]["surveys"], 1);
    assert!(grams["left_out"][0]["reason"].as_str().unwrap().starts_with("not weighed"));
    // g per metre of shoreline (KLHK's unit): 140, 17.72, 10.9, 17.38
    close(&weight["grams_per_m"]["summary"]["median"], (17.38 + 17.72) / 2.0);
    close(&weight["kg_per_100m"]["summary"]["median"], (1.738 + 1.772) / 2.0);
}

#[test]
fn regional_lines_are_refused_naming_the_line() {
    let (_db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    let mut twice = example("nowpap", net.my_khe);
    twice["items"][1]["origin"] = json!("domestic");
    let mut mega = example("klhk", net.my_khe);
    mega["items"][2]["code"] = json!("PL02:mega");
    let mut landmark = example("vietnam", net.my_khe);
    landmark["items"][3]["code"] = json!("Street Food Vendor");
    let mut small = example("china", net.my_khe);
    small["items"][0]["code"] = json!("plastic:tiny");
    for (body, pointer) in
        [(twice, "/items/1/code"), (mega, "/items/2/code"), (landmark, "/items/3/code"), (small, "/items/0/code")]
    {
        let reply = post_as(&url, &net.trusted, &body);
        assert_eq!(reply.pointers(422), vec![pointer], "{}", reply.body);
    }
    let stats = get(&server.url(&format!("/v1/sites/{}/stats", net.my_khe))).json();
    assert_eq!(stats["beach_litter"]["surveys"], 0, "nothing refused is stored");
}

#[test]
fn the_regional_vocabularies_are_served() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    for (protocol, items) in [("nowpap", 8), ("china", 36), ("klhk", 77), ("vietnam", 65)] {
        let served = get(&server.url(&format!("/v1/protocols/{protocol}"))).json();
        assert_eq!(served["items"].as_array().unwrap().len(), items, "{protocol}");
    }
    let klhk = get(&server.url("/v1/protocols/klhk")).json();
    let bags = klhk["items"].as_array().unwrap().iter().find(|i| i["code"] == "PL07").unwrap();
    assert_eq!(bags["category"], "GRP-plastic-bags", "{bags}");
    assert_eq!(klhk["size_suffixes"], json!(["macro", "meso"]), "an app learns that PL07:meso may be sent");
    let china = get(&server.url("/v1/protocols/china")).json();
    let small = china["items"].as_array().unwrap().iter().find(|i| i["code"] == "plastic:small").unwrap();
    assert_eq!((&small["size_class"], &china["size_suffixes"]), (&json!("meso"), &json!([])));
}
