//! The microplastic sample envelope: `client_id`, site or location, date, matrix, method,
//! sampling extent (flowmeter, tow, volume, mass or area) and particle counts.

use chrono::NaiveDate;
use serde_json::Value;

use super::survey::Placement;
use super::{Fields, MAX_COUNT, MAX_ENTRIES};
use crate::microplastics::{Matrix, Method, ParticleCount, SampleInput};
use crate::validation::FieldError;

/// A posted sample, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleEnvelope {
    /// The app's UUID for this record: the idempotency key.
    pub client_id: uuid::Uuid,
    /// Where it belongs.
    pub placement: Placement,
    /// The sample.
    pub input: SampleInput,
}

fn choice<T: Copy>(fields: &mut Fields<'_>, key: &'static str, options: &[(&str, T)]) -> Option<T> {
    let text = fields.string(key)?;
    let found = options.iter().find(|(name, _)| *name == text).map(|(_, v)| *v);
    if found.is_none() {
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        fields.error(key, format!("`{text}` is not one of {}", names.join(", ")));
    }
    found
}

fn particles(fields: &mut Fields<'_>) -> Vec<ParticleCount> {
    let entries = fields.array("particles");
    let entries = fields.require("particles", entries).unwrap_or_default();
    if entries.len() > MAX_ENTRIES {
        fields.error("particles", format!("at most {MAX_ENTRIES} particle entries per sample"));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (pointer, value) in entries {
        let mut entry = Fields::new(value, &pointer, fields.errors());
        let shape = entry.string("shape");
        let polymer = entry.string("polymer").unwrap_or("unknown");
        let size_class = entry.string("size_class");
        let count = entry.whole("count", MAX_COUNT);
        let shape = entry.require("shape", shape);
        let size_class = entry.require("size_class", size_class);
        let count = entry.require("count", count);
        entry.finish();
        if let (Some(shape), Some(size_class), Some(count)) = (shape, size_class, count) {
            out.push(ParticleCount {
                shape: shape.into(),
                polymer: polymer.into(),
                size_class: size_class.into(),
                count: count as u32,
                pointer,
            });
        }
    }
    out
}

/// Reads a sample envelope; every problem is reported at once. `today` is the latest local
/// date a sample may have.
pub fn read_sample(value: &Value, base: &str, today: NaiveDate) -> Result<SampleEnvelope, Vec<FieldError>> {
    use Matrix::*;
    use Method::*;
    let mut errors = Vec::new();
    let mut fields = Fields::new(value, base, &mut errors);
    let client_id = super::client_id(&mut fields);
    if let Some(protocol) = fields.string("protocol") {
        if protocol != "tideline" {
            fields.error("protocol", "samples are posted in the tideline protocol");
        }
    }
    let site_id = fields.id("site_id");
    let location = fields.point("location");
    let started_at = fields.timestamp("started_at");
    let date = fields.date("date").or_else(|| started_at.map(|t| t.date_naive()));
    let date = fields.require("date", date);
    if let Some(problem) = date.and_then(|d| crate::validation::record_date_problem(d, today)) {
        fields.error("date", problem);
    }
    let matrix = choice(
        &mut fields,
        "matrix",
        &[
            ("surface_water", SurfaceWater),
            ("river_water", RiverWater),
            ("beach_sediment", BeachSediment),
            ("river_sediment", RiverSediment),
            ("seafloor_sediment", SeafloorSediment),
        ],
    );
    let matrix = fields.require("matrix", matrix);
    let method = choice(
        &mut fields,
        "method",
        &[
            ("manta_net", MantaNet),
            ("neuston_net", NeustonNet),
            ("pump", Pump),
            ("grab", Grab),
            ("quadrat", Quadrat),
            ("core", Core),
        ],
    );
    let method = fields.require("method", method);
    let mesh_um = fields.positive("mesh_um");
    let (flowmeter, rotor) = match fields.object("flowmeter") {
        Some((pointer, value)) => {
            let mut meter = Fields::new(value, &pointer, fields.errors());
            let start = meter.whole("start", 999_999).map(|v| v as u32);
            let end = meter.whole("end", 999_999).map(|v| v as u32);
            let rotor = meter.positive("rotor_m_per_count");
            let start = meter.require("start", start);
            let end = meter.require("end", end);
            meter.finish();
            (start.zip(end), rotor)
        }
        None => (None, None),
    };
    let input = SampleInput {
        matrix: matrix.unwrap_or(SurfaceWater),
        method: method.unwrap_or(Pump),
        mesh_um,
        date: date.unwrap_or_default(),
        started_at,
        location,
        flowmeter,
        rotor_m_per_count: rotor,
        tow_distance_m: fields.positive("tow_distance_m"),
        tow_duration_min: fields.positive("tow_duration_min"),
        net_width_m: fields.positive("net_width_m"),
        mouth_area_m2: fields.positive("mouth_area_m2"),
        filtered_volume_m3: fields.positive("filtered_volume_m3"),
        dry_mass_kg: fields.positive("dry_mass_kg"),
        area_m2: fields.positive("area_m2"),
        particles: particles(&mut fields),
    };
    fields.finish();
    let (Some(client_id), true) = (client_id, errors.is_empty()) else { return Err(errors) };
    let placement = match (site_id, location) {
        (Some(id), _) => Placement::Site(id),
        (None, Some(point)) => Placement::Location(point),
        (None, None) => Placement::Unknown,
    };
    Ok(SampleEnvelope { client_id, placement, input })
}
