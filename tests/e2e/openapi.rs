//! The checked-in `openapi/openapi.json` must match the code; `UPDATE_OPENAPI=1` rewrites it.

use std::path::PathBuf;

#[test]
fn openapi_document_has_not_drifted() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let generated = tideline_api::http::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "openapi/openapi.json is out of date with the code: run `UPDATE_OPENAPI=1 cargo test --test e2e openapi` and commit it"
    );
}

#[test]
fn openapi_document_describes_every_documented_route() {
    let api: serde_json::Value = serde_json::from_str(&tideline_api::http::openapi::document_json()).unwrap();
    assert_eq!(api["info"]["title"], "Tideline");
    assert_eq!(api["info"]["license"]["name"], "AGPL-3.0-or-later");
    for path in ["/health", "/ready"] {
        assert!(api["paths"][path]["get"].is_object(), "{path} missing");
    }
    assert!(api["components"]["schemas"]["Problem"].is_object());
}

#[test]
fn every_schema_reference_resolves() {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(|r| r.as_str()) {
                    found.push(target.to_string());
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let api: serde_json::Value = serde_json::from_str(&tideline_api::http::openapi::document_json()).unwrap();
    let mut found = Vec::new();
    refs(&api, &mut found);
    assert!(found.len() > 50, "the document references its schemas");
    for target in found {
        let pointer = target.trim_start_matches('#');
        assert!(api.pointer(pointer).is_some(), "{target} does not resolve");
    }
}
