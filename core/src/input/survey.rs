//! The survey envelope posted by apps: `client_id`, `protocol`, site or location, date, effort
//! and items in the protocol's codes.

use chrono::NaiveDate;
use serde_json::Value;

use super::{length, mass, Fields, MAX_COUNT, MAX_ENTRIES};
use crate::protocol::Protocol;
use crate::survey::{Effort, GeoPoint, SourceCount, SurveyInput, SurveyKind, SurveyType};
use crate::validation::FieldError;

/// Where a record belongs: a registered site, or a position to match to the nearest one.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// An explicit site id.
    Site(i64),
    /// Coordinates only.
    Location(GeoPoint),
    /// Neither (kept unassigned, for review).
    Unknown,
}

/// A posted survey, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyEnvelope {
    /// The app's UUID for this record: the idempotency key.
    pub client_id: uuid::Uuid,
    /// Where it belongs.
    pub placement: Placement,
    /// The survey in its source protocol.
    pub input: SurveyInput,
}

fn kind(fields: &mut Fields<'_>, protocol: Option<Protocol>) -> Option<SurveyKind> {
    match fields.string("kind") {
        // TIDES records have no standard surveyed stretch: cleanups, as in the CSV path
        Some("monitoring") if protocol == Some(Protocol::Tides) => {
            fields.error("kind", "TIDES/ICC records are cleanups: they have no standard surveyed stretch");
            None
        }
        Some("monitoring") => Some(SurveyKind::Monitoring),
        Some("cleanup") => Some(SurveyKind::Cleanup),
        Some(other) => {
            fields.error("kind", format!("`{other}` is neither monitoring nor cleanup"));
            None
        }
        // TIDES records are cleanups; the monitoring protocols default to monitoring.
        None => protocol.map(|p| if p == Protocol::Tides { SurveyKind::Cleanup } else { SurveyKind::Monitoring }),
    }
}

fn survey_type(fields: &mut Fields<'_>) -> Option<SurveyType> {
    match fields.string("survey_type")? {
        "standing_stock" => Some(SurveyType::StandingStock),
        "accumulation" => Some(SurveyType::Accumulation),
        other => {
            fields.error("survey_type", format!("`{other}` is neither standing_stock nor accumulation"));
            None
        }
    }
}

fn effort(fields: &mut Fields<'_>) -> Effort {
    let Some((pointer, value)) = fields.object("effort") else { return Effort::default() };
    let mut effort = Fields::new(value, &pointer, fields.errors());
    let participants = effort.whole("participants", 100_000).map(|v| v as u32);
    let duration_min = effort.number("duration_min");
    if duration_min.is_some_and(|d| d < 0.0) {
        effort.error("duration_min", "must be ≥ 0");
    }
    let mass_kg = mass(&mut effort);
    if mass_kg.is_some_and(|m| m < 0.0) {
        effort.error("mass_kg", "must be ≥ 0");
    }
    let bags = effort.whole("bags", 100_000).map(|v| v as u32);
    effort.finish();
    Effort { participants, duration_min, mass_kg, bags }
}

fn items(fields: &mut Fields<'_>, protocol: Option<Protocol>) -> Vec<SourceCount> {
    let entries = fields.array("items");
    let entries = fields.require("items", entries).unwrap_or_default();
    if entries.len() > MAX_ENTRIES {
        fields.error("items", format!("at most {MAX_ENTRIES} items per survey"));
        return Vec::new();
    }
    let mut counts = Vec::with_capacity(entries.len());
    let mut seen = std::collections::HashSet::new();
    for (pointer, value) in entries {
        let mut item = Fields::new(value, &pointer, fields.errors());
        let code = item.string("code");
        let count = item.whole("count", MAX_COUNT);
        let measure = super::measure::item_measure(&mut item);
        let code = item.require("code", code);
        let count = item.require("count", count);
        // Codes are checked here too, so one answer names every problem of the record.
        let resolved = code.zip(protocol).map(|(code, protocol)| protocol.resolve(code));
        match resolved {
            Some(Err(err)) => item.error("code", err.to_string()),
            Some(Ok(mapping)) if !seen.insert(crate::survey::line_key(&mapping, measure.origin)) => {
                item.error("code", crate::survey::repeated_line(&mapping.stored_code()))
            }
            _ => {}
        }
        item.finish();
        if let (Some(code), Some(count)) = (code, count) {
            counts.push(SourceCount { code: code.to_string(), count: count as u32, pointer, measure });
        }
    }
    counts
}

/// Reads a survey envelope; every problem is reported at once. `today` is the latest local
/// date a survey may have.
pub fn read_survey(value: &Value, base: &str, today: NaiveDate) -> Result<SurveyEnvelope, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fields = Fields::new(value, base, &mut errors);
    let client_id = super::client_id(&mut fields);
    let protocol = fields.parsed::<Protocol>("protocol");
    let protocol = fields.require("protocol", protocol);
    let site_id = fields.id("site_id");
    let location = fields.point("location");
    let stretch = fields.object("stretch").and_then(|(pointer, value)| {
        let mut stretch = Fields::new(value, &pointer, fields.errors());
        let start = stretch.point("start");
        let end = stretch.point("end");
        let start = stretch.require("start", start);
        let end = stretch.require("end", end);
        stretch.finish();
        start.zip(end)
    });
    let started_at = fields.timestamp("started_at");
    let date = fields.date("date").or_else(|| started_at.map(|t| t.date_naive()));
    let date = fields.require("date", date);
    if let Some(problem) = date.and_then(|d| crate::validation::record_date_problem(d, today)) {
        fields.error("date", problem);
    }
    if let (Some(d), Some(t)) = (date, started_at) {
        if d != t.date_naive() {
            fields.error("date", format!("{d} is not the local date of started_at ({})", t.date_naive()));
        }
    }
    let kind = kind(&mut fields, protocol);
    let survey_type = survey_type(&mut fields);
    let length_m = length(&mut fields, "length_m", "length");
    let width_m = length(&mut fields, "width_m", "width");
    let area_m2 = super::measure::surveyed_area(&mut fields);
    let effort = effort(&mut fields);
    let items = items(&mut fields, protocol);
    fields.finish();
    let (Some(client_id), Some(protocol), Some(date), Some(kind), true) =
        (client_id, protocol, date, kind, errors.is_empty())
    else {
        return Err(errors);
    };
    let placement = match (site_id, location.or(stretch.map(|(start, _)| start))) {
        (Some(id), _) => Placement::Site(id),
        (None, Some(point)) => Placement::Location(point),
        (None, None) => Placement::Unknown,
    };
    let input = SurveyInput {
        // a TIDES length is a walked distance (miles in the CSV path), never a monitoring length
        length_from_miles: protocol == Protocol::Tides && length_m.is_some(),
        survey_type,
        started_at,
        location: location.or(stretch.map(|(start, _)| start)),
        stretch,
        length_m,
        width_m,
        area_m2,
        effort,
        items,
        ..SurveyInput::new(protocol, kind, date)
    };
    Ok(SurveyEnvelope { client_id, placement, input })
}
