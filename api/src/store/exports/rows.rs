//! The rows the exports read through their cursor, typed by column name.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Integer, Jsonb, Nullable, Text};
use tideline_core::microplastics::{Matrix, Method};
use tideline_core::protocol::Protocol;
use tideline_core::survey::SurveyKind;

/// Where an exported record was taken.
#[derive(Debug, Clone, QueryableByName)]
pub struct ExportPlace {
    /// Site id.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub site_id: Option<i64>,
    /// Site code.
    #[diesel(sql_type = Nullable<Text>, column_name = code)]
    pub site_code: Option<String>,
    /// City name.
    #[diesel(sql_type = Text, column_name = name)]
    pub city: String,
    /// Country code.
    #[diesel(sql_type = Text)]
    pub country_code: String,
}

/// The normalised figures of an exported survey.
#[derive(Debug, Clone, QueryableByName)]
pub struct SurveyFigures {
    /// Protocol.
    #[diesel(sql_type = Text)]
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    #[diesel(sql_type = Text)]
    pub survey_kind: SurveyKind,
    /// Length used, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub length_m: Option<f64>,
    /// Total items.
    #[diesel(sql_type = BigInt)]
    pub total_items: i64,
    /// items/100 m.
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_100m: Option<f64>,
    /// items/m².
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_m2: Option<f64>,
    /// Plastic items.
    #[diesel(sql_type = BigInt)]
    pub plastic_items: i64,
    /// SUP items.
    #[diesel(sql_type = BigInt)]
    pub sup_items: i64,
    /// Fishing items.
    #[diesel(sql_type = BigInt)]
    pub fishing_items: i64,
    /// CCI.
    #[diesel(sql_type = Nullable<Double>)]
    pub cci: Option<f64>,
}

/// One accepted survey, as exported.
#[derive(Debug, Clone, QueryableByName)]
pub struct SurveyExportRow {
    /// Survey id.
    #[diesel(sql_type = BigInt, column_name = survey_id)]
    pub id: i64,
    /// Its city (the partition key; read to find its items).
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub survey_date: NaiveDate,
    /// Where.
    #[diesel(embed)]
    pub place: ExportPlace,
    /// What was found.
    #[diesel(embed)]
    pub figures: SurveyFigures,
}

/// Counted items of exported surveys: by survey id, category code → count.
pub type ItemCounts = HashMap<i64, BTreeMap<String, i64>>;

/// One accepted sample, as exported.
#[derive(Debug, Clone, QueryableByName)]
pub struct SampleExportRow {
    /// Sample id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub sample_date: NaiveDate,
    /// Where.
    #[diesel(embed)]
    pub place: ExportPlace,
    /// Matrix.
    #[diesel(sql_type = Text)]
    pub matrix: Matrix,
    /// Method.
    #[diesel(sql_type = Text)]
    pub method: Method,
    /// Mesh, µm.
    #[diesel(sql_type = Nullable<Double>)]
    pub mesh_um: Option<f64>,
    /// Flowmeter start reading.
    #[diesel(sql_type = Nullable<Integer>)]
    pub flowmeter_start: Option<i32>,
    /// Flowmeter end reading.
    #[diesel(sql_type = Nullable<Integer>)]
    pub flowmeter_end: Option<i32>,
    /// Rotor constant the distance was computed with, m per count.
    #[diesel(sql_type = Nullable<Double>)]
    pub rotor_m_per_count: Option<f64>,
    /// Tow distance, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub distance_m: Option<f64>,
    /// Tow duration, min.
    #[diesel(sql_type = Nullable<Double>)]
    pub tow_duration_min: Option<f64>,
    /// Net width, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub net_width_m: Option<f64>,
    /// Net mouth area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub mouth_area_m2: Option<f64>,
    /// Filtered volume, m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub volume_m3: Option<f64>,
    /// Sediment dry mass, kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub dry_mass_kg: Option<f64>,
    /// Sampled area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub area_m2: Option<f64>,
    /// Plausibility flags.
    #[diesel(sql_type = Jsonb)]
    pub flags: serde_json::Value,
    /// Particles.
    #[diesel(sql_type = BigInt)]
    pub particle_count: i64,
    /// per m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m3: Option<f64>,
    /// per km².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_km2: Option<f64>,
    /// per kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_kg: Option<f64>,
    /// per m².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m2: Option<f64>,
    /// NCEI class.
    #[diesel(sql_type = Nullable<Text>)]
    pub density_class: Option<String>,
}

impl SampleExportRow {
    /// The plausibility flag codes, space-separated.
    pub fn flag_codes(&self) -> String {
        let codes = self.flags.as_array().into_iter().flatten().filter_map(|f| f["code"].as_str());
        codes.collect::<Vec<_>>().join(" ")
    }
}
