//! The rows the exports read through their cursor, in the order of their queries' columns.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::microplastics::{Matrix, Method};

use crate::store::figures::{RecordPlace, SampleDensities, SurveyFigures};

/// One accepted survey, as exported.
#[derive(Debug, Clone, Queryable)]
pub struct SurveyExportRow {
    /// Survey id.
    pub id: i64,
    /// Its city (the partition key; read to find its items).
    pub city_id: i64,
    /// Local date.
    pub survey_date: NaiveDate,
    /// Where.
    pub place: RecordPlace,
    /// What was found.
    pub figures: SurveyFigures,
}

/// Counted items of exported surveys: by survey id, category code → count.
pub type ItemCounts = HashMap<i64, BTreeMap<String, i64>>;

/// One accepted sample, as exported.
#[derive(Debug, Clone, Queryable)]
pub struct SampleExportRow {
    /// Sample id.
    pub id: i64,
    /// Local date.
    pub sample_date: NaiveDate,
    /// Where.
    pub place: RecordPlace,
    /// Matrix.
    pub matrix: Matrix,
    /// Method.
    pub method: Method,
    /// Mesh, µm.
    pub mesh_um: Option<f64>,
    /// Flowmeter start reading.
    pub flowmeter_start: Option<i32>,
    /// Flowmeter end reading.
    pub flowmeter_end: Option<i32>,
    /// Rotor constant the distance was computed with, m per count.
    pub rotor_m_per_count: Option<f64>,
    /// Tow distance, m.
    pub distance_m: Option<f64>,
    /// Tow duration, min.
    pub tow_duration_min: Option<f64>,
    /// Net width, m.
    pub net_width_m: Option<f64>,
    /// Net mouth area, m².
    pub mouth_area_m2: Option<f64>,
    /// Filtered volume, m³.
    pub volume_m3: Option<f64>,
    /// Sediment dry mass, kg.
    pub dry_mass_kg: Option<f64>,
    /// Sampled area, m².
    pub area_m2: Option<f64>,
    /// Plausibility flags.
    pub flags: serde_json::Value,
    /// Particles and densities.
    pub densities: SampleDensities,
}

impl SampleExportRow {
    /// The plausibility flag codes, space-separated.
    pub fn flag_codes(&self) -> String {
        let codes = self.flags.as_array().into_iter().flatten().filter_map(|f| f["code"].as_str());
        codes.collect::<Vec<_>>().join(" ")
    }
}
