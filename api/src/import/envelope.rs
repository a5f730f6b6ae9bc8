//! The JSON envelope of an adapted survey, exactly as an app would post it: the payload an
//! import stores with each row, and the body the demonstration network posts.

use serde_json::{json, Value};
use tideline_core::input::{Placement, SurveyEnvelope};
use tideline_core::survey::{GeoPoint, SurveyInput};

/// The envelope of `input` with its client id, on `site_id` when known.
pub fn envelope(input: &SurveyInput, client_id: uuid::Uuid, site_id: Option<i64>) -> Value {
    let point = |p: GeoPoint| json!({"lat": p.lat, "lon": p.lon});
    let mut fields = serde_json::Map::new();
    fields.insert("client_id".into(), json!(client_id.to_string()));
    fields.insert("protocol".into(), json!(input.protocol.as_str()));
    fields.insert("date".into(), json!(input.date.to_string()));
    fields.insert("kind".into(), json!(input.kind.as_str()));
    let items: Vec<Value> = input
        .items
        .iter()
        .map(|i| {
            // the line's weight, size class and origin, where recorded (absent ones are left out)
            let mut item = serde_json::to_value(i.measure).unwrap_or_else(|_| json!({}));
            item["code"] = json!(i.code);
            item["count"] = json!(i.count);
            item
        })
        .collect();
    fields.insert("items".into(), Value::Array(items));
    if let Some(id) = site_id {
        fields.insert("site_id".into(), json!(id));
    }
    if let Some(location) = input.location {
        fields.insert("location".into(), point(location));
    }
    if let Some((start, end)) = input.stretch {
        fields.insert("stretch".into(), json!({"start": point(start), "end": point(end)}));
    }
    if let Some(length) = input.length_m {
        fields.insert("length_m".into(), json!(length));
    }
    if let Some(width) = input.width_m {
        fields.insert("width_m".into(), json!(width));
    }
    if let Some(area) = input.area_m2 {
        fields.insert("area_m2".into(), json!(area));
    }
    if let Some(t) = input.survey_type {
        fields.insert("survey_type".into(), json!(t.as_str()));
    }
    let e = &input.effort;
    if e.participants.is_some() || e.mass_kg.is_some() || e.bags.is_some() || e.duration_min.is_some() {
        let mut effort = serde_json::Map::new();
        e.participants.map(|v| effort.insert("participants".into(), json!(v)));
        e.duration_min.map(|v| effort.insert("duration_min".into(), json!(v)));
        e.mass_kg.map(|v| effort.insert("mass_kg".into(), json!(v)));
        e.bags.map(|v| effort.insert("bags".into(), json!(v)));
        fields.insert("effort".into(), Value::Object(effort));
    }
    Value::Object(fields)
}

/// The envelope of a survey already placed.
pub fn of(envelope: &SurveyEnvelope) -> Value {
    let site_id = match envelope.placement {
        Placement::Site(id) => Some(id),
        _ => None,
    };
    self::envelope(&envelope.input, envelope.client_id, site_id)
}
