//! Indicators cover monitoring surveys by default and say so; cleanups are reported apart.

use serde_json::json;

use crate::client::{get, post_as};
use crate::network;

#[test]
fn indicators_are_monitoring_only_by_default_and_cleanups_are_reported_apart() {
    let (_db, net, server) = network::served();
    let monitoring = json!({"client_id": "77777777-0000-4000-8000-000000000001", "protocol": "mlw",
                            "site_id": net.my_khe, "date": "2026-03-15", "kind": "monitoring", "length_m": 100,
                            "items": [{"code": "G1", "count": 40}]});
    let cleanup = json!({"client_id": "77777777-0000-4000-8000-000000000002", "protocol": "tides",
                         "site_id": net.my_khe, "date": "2026-03-16", "kind": "cleanup",
                         "length": {"value": 0.5, "unit": "mi"}, "effort": {"participants": 12, "bags": 3},
                         "items": [{"code": "Cigarette Butts", "count": 300}]});
    assert_eq!(post_as(&server.url("/v1/surveys"), &net.trusted, &monitoring).status, 201);
    let posted = post_as(&server.url("/v1/surveys"), &net.trusted, &cleanup);
    assert_eq!(posted.status, 201, "{}", posted.body);
    let record = posted.json();
    // a TIDES length is a walked distance: noted by a flag that does not hold the record back
    assert!(record["flags"].as_array().unwrap().iter().any(|f| f["code"] == "length_from_miles"), "{record}");
    assert_eq!(record["status"], "accepted", "a trusted team's cleanup counts at once");
    let stats = get(&server.url(&format!("/v1/cities/{}/stats?from=2026-01-01&to=2026-12-31", net.da_nang))).json();
    let beach = &stats["beach_litter"];
    assert_eq!(beach["surveys"], 2);
    assert_eq!(beach["indicators"]["kind"], "monitoring");
    assert_eq!(beach["indicators"]["surveys"], 1);
    assert_eq!(beach["indicators"]["left_out"], 1);
    assert_eq!(beach["indicators"]["protocols"], json!(["mlw"]));
    assert_eq!(beach["items_per_100m"]["n"], 1, "the cleanup's miles-based density is not pooled");
    assert_eq!(beach["items_per_100m"]["median"], 40.0);
    assert_eq!(beach["total_items"], 40);
    let effort = &beach["cleanup_effort"];
    assert_eq!((effort["cleanups"].as_u64(), effort["items"].as_u64()), (Some(1), Some(300)));
    assert!((effort["distance_m"].as_f64().unwrap() - 0.5 * 1609.344).abs() < 1e-6, "{effort}");
    assert_eq!(effort["participants"], 12);
    // asked for explicitly, cleanups become the indicators' kind
    let cleanups = get(&server.url(&format!("/v1/cities/{}/stats?kind=cleanup", net.da_nang))).json();
    assert_eq!(cleanups["beach_litter"]["indicators"]["kind"], "cleanup");
    assert_eq!(cleanups["beach_litter"]["total_items"], 300);
}
