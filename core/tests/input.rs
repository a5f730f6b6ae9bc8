//! Reading posted JSON envelopes: units, placements, and every error at once.

use chrono::NaiveDate;
use serde_json::json;
use tideline_core::input::{read_sample, read_survey, Placement};
use tideline_core::protocol::Protocol;
use tideline_core::survey::SurveyKind;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn a_full_survey_envelope_with_units_and_time_zone() {
    let body = json!({
        "client_id": "5f0c8a7e-3b7d-4a51-9a55-0b8e7c7f1e01",
        "protocol": "tides",
        "location": {"lat": 10.3157, "lon": 123.8854},
        "started_at": "2026-02-14T07:30:00+08:00",
        "length": {"value": 0.5, "unit": "mi"},
        "effort": {"participants": 20, "mass": {"value": 33.5, "unit": "lb"}, "bags": 6},
        "items": [{"code": "Cigarette Butts", "count": 120}]
    });
    let envelope = read_survey(&body, "", today()).unwrap();
    assert_eq!(envelope.input.protocol, Protocol::Tides);
    assert_eq!(envelope.input.kind, SurveyKind::Cleanup, "TIDES defaults to cleanup");
    assert_eq!(envelope.input.date.to_string(), "2026-02-14", "local date of the start");
    assert_eq!(envelope.input.started_at.unwrap().naive_utc().to_string(), "2026-02-13 23:30:00");
    assert_eq!(envelope.input.length_m, Some(804.672));
    assert!((envelope.input.effort.mass_kg.unwrap() - 15.195_344_395).abs() < 1e-9);
    assert!(matches!(envelope.placement, Placement::Location(p) if p.lat == 10.3157));
}

#[test]
fn every_bad_field_is_named_with_its_pointer() {
    let body = json!({
        "client_id": "not-a-uuid",
        "protocol": "ospar",
        "site_id": -4,
        "date": "2026-13-01",
        "length_m": 0,
        "width": {"value": 3, "unit": "furlong"},
        "colour": "blue",
        "effort": {"participants": 2.5},
        "items": [{"code": "15", "count": -1}, {"code": 7, "count": 1.5}, {"count": 3}, {"code": "Plastic: UFO [999]", "count": 1}]
    });
    let errors = read_survey(&body, "", today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        vec![
            "/client_id",
            "/site_id",
            "/date",
            "/length_m",
            "/width/unit",
            "/effort/participants",
            "/items/0/count",
            "/items/1/code",
            "/items/1/count",
            "/items/2/code",
            "/items/3/code",
            "/colour",
        ],
        "{errors:#?}"
    );
}

#[test]
fn missing_required_fields_and_wrong_shapes() {
    let errors = read_survey(&json!({"protocol": "mars"}), "/records/3", today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, vec!["/records/3/client_id", "/records/3/protocol", "/records/3/date", "/records/3/items"]);
    assert!(errors[1].message.contains("unknown protocol"));
    let errors = read_survey(&json!([1, 2]), "", today()).unwrap_err();
    assert_eq!(errors[0].message, "must be a JSON object");
}

#[test]
fn sample_envelope_reads_flowmeter_and_particles() {
    let body = json!({
        "client_id": "5f0c8a7e-3b7d-4a51-9a55-0b8e7c7f1e02",
        "site_id": 3,
        "date": "2026-05-02",
        "matrix": "surface_water",
        "method": "manta_net",
        "mesh_um": 333,
        "flowmeter": {"start": 974631, "end": 55274},
        "net_width_m": 0.6,
        "mouth_area_m2": 0.09,
        "particles": [{"shape": "Nurdle", "polymer": "PE", "size_class": "1-5 mm", "count": 4}]
    });
    let envelope = read_sample(&body, "", today()).unwrap();
    assert_eq!(envelope.placement, Placement::Site(3));
    assert_eq!(envelope.input.flowmeter, Some((974_631, 55_274)));
    let bad = json!({"client_id": "5f0c8a7e-3b7d-4a51-9a55-0b8e7c7f1e02", "date": "2026-05-02",
        "matrix": "lava", "method": "manta_net", "flowmeter": {"start": 1_000_000}, "particles": []});
    let errors = read_sample(&bad, "", today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, vec!["/matrix", "/flowmeter/start", "/flowmeter/end"]);
}
