//! The published request bodies against the readers: every example in the OpenAPI document is
//! stored as posted, and every documented field is one the reader knows (a field documented but
//! not read, or read but renamed, fails here).

use serde_json::{json, Map, Value};
use tideline_api::testing::TestServer;

use crate::client::post_as;
use crate::network;

fn document() -> Value {
    serde_json::from_str(&tideline_api::http::openapi::document_json()).unwrap()
}

/// The documented property names of a component schema.
fn properties(api: &Value, schema: &str) -> Vec<String> {
    api["components"]["schemas"][schema]["properties"].as_object().unwrap().keys().cloned().collect()
}

/// A plausible value for each documented field, by name.
fn value_of(field: &str, site: i64) -> Value {
    match field {
        "client_id" => json!("00000000-0000-4000-8000-000000000000"),
        "protocol" => json!("tideline"),
        "site_id" => json!(site),
        "location" => json!({"lat": 16.0605, "lon": 108.2480}),
        "stretch" => json!({"start": {"lat": 16.0600, "lon": 108.2478}, "end": {"lat": 16.0609, "lon": 108.2482}}),
        "date" => json!("2026-03-15"),
        "started_at" => json!("2026-03-15T08:00:00+07:00"),
        "kind" => json!("monitoring"),
        "survey_type" => json!("accumulation"),
        "length_m" | "width_m" => json!(100),
        "length" | "width" => json!({"value": 0.1, "unit": "km"}),
        "participants" | "bags" => json!(3),
        "duration_min" | "tow_duration_min" => json!(20),
        "mass_kg" | "dry_mass_kg" => json!(1.5),
        "mass" => json!({"value": 3, "unit": "lb"}),
        "effort" => json!({"participants": 4}),
        "items" => json!([{"code": "G21", "count": 2}]),
        "code" => json!("G21"),
        "count" => json!(2),
        "blocks" => json!([{"length_m": 10, "width_m": 10}]),
        "weight_g" => json!(35.5),
        "weight" => json!({"value": 0.2, "unit": "kg"}),
        "size_class" => json!("meso"),
        "origin" => json!("foreign"),
        "matrix" => json!("surface_water"),
        "method" => json!("manta_net"),
        "mesh_um" => json!(333),
        "flowmeter" => json!({"start": 0, "end": 1000}),
        "start" => json!(0),
        "end" => json!(1000),
        "rotor_m_per_count" => json!(0.026873),
        "tow_distance_m" => json!(800),
        "net_width_m" => json!(0.6),
        "mouth_area_m2" => json!(0.09),
        "filtered_volume_m3" => json!(2.5),
        "area_m2" => json!(0.25),
        "particles" => json!([{"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": 3}]),
        other => panic!("the test has no value for the documented field `{other}`: add one"),
    }
}

/// Posts `base` with each documented field of `schema` set in turn (at `nested`, when given)
/// and asserts the reader never calls one unknown.
fn every_field_is_known(
    server: &TestServer,
    token: &str,
    path: &str,
    base: &Value,
    schema: &str,
    nested: Option<&str>,
) {
    let api = document();
    let site = base["site_id"].as_i64().unwrap();
    for (n, field) in properties(&api, schema).iter().enumerate() {
        let mut body = base.clone();
        body["client_id"] = json!(format!("00000000-0000-4000-8000-{:012}", n + 1 + 100 * nested.map_or(0, str::len)));
        let target: &mut Map<String, Value> = match nested {
            Some(parent) => body.pointer_mut(&format!("/{parent}")).and_then(Value::as_object_mut).unwrap(),
            None => body.as_object_mut().unwrap(),
        };
        target.insert(field.clone(), value_of(field, site));
        let reply = post_as(&server.url(path), token, &body);
        assert!(
            !reply.body.contains("unknown field"),
            "{schema}.{field} is documented but the reader does not know it: {}",
            reply.body
        );
    }
}

#[test]
fn every_published_example_is_stored_and_every_documented_field_is_read() {
    let (_db, net, server) = network::served();
    let api = document();
    let variants = api["components"]["schemas"]["SurveyBody"]["oneOf"].as_array().unwrap();
    assert_eq!(variants.len(), tideline_core::protocol::Protocol::ALL.len(), "one survey schema per protocol");
    for variant in variants {
        let mut example = variant["example"].clone();
        example["site_id"] = json!(net.my_khe);
        let reply = post_as(&server.url("/v1/surveys"), &net.trusted, &example);
        assert_eq!(reply.status, 201, "{example}: {}", reply.body);
    }
    let mut sample = api["components"]["schemas"]["SampleBody"]["example"].clone();
    sample["site_id"] = json!(net.my_khe);
    assert_eq!(post_as(&server.url("/v1/samples"), &net.trusted, &sample).status, 201);

    let survey = json!({"protocol": "tideline", "site_id": net.my_khe, "date": "2026-03-15",
                        "items": [{"code": "G21", "count": 2}], "effort": {}});
    every_field_is_known(&server, &net.trusted, "/v1/surveys", &survey, "SurveyFieldsBody", None);
    every_field_is_known(&server, &net.trusted, "/v1/surveys", &survey, "EffortBody", Some("effort"));
    every_field_is_known(&server, &net.trusted, "/v1/surveys", &survey, "ItemCountBody", Some("items/0"));
    let sample = json!({"site_id": net.my_khe, "date": "2026-05-02", "matrix": "surface_water",
                        "method": "manta_net", "net_width_m": 0.6, "flowmeter": {"start": 0, "end": 58963},
                        "particles": [{"shape": "fragment", "polymer": "PE", "size_class": "micro", "count": 3}]});
    every_field_is_known(&server, &net.trusted, "/v1/samples", &sample, "SampleBody", None);
    every_field_is_known(&server, &net.trusted, "/v1/samples", &sample, "FlowmeterBody", Some("flowmeter"));
}
