//! What every reader shows of a stored record, declared once with its columns: where it was
//! taken, a survey's normalised figures and a sample's densities. The CSV exports and reports
//! and the OGC features select them alike.

use diesel::prelude::*;
use tideline_core::protocol::Protocol;
use tideline_core::survey::SurveyKind;

use crate::schema::{samples, survey_totals};

/// Where a record was taken: its site (if placed on one) and its city.
#[derive(Debug, Clone, Queryable)]
pub struct RecordPlace {
    /// Site id.
    pub site_id: Option<i64>,
    /// Site code.
    pub site_code: Option<String>,
    /// City name.
    pub city: String,
    /// Country code.
    pub country_code: String,
}

/// A survey's normalised figures, as its totals row holds them (select them with
/// `SurveyFigures::as_select()`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_totals)]
pub struct SurveyFigures {
    /// Protocol it was recorded in.
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    pub survey_kind: SurveyKind,
    /// Length used, m.
    pub length_m: Option<f64>,
    /// Counted items.
    pub total_items: i64,
    /// Items per 100 m of shoreline.
    pub items_per_100m: Option<f64>,
    /// Items per m².
    pub items_per_m2: Option<f64>,
    /// Plastic items.
    pub plastic_items: i64,
    /// Single-use plastic items.
    pub sup_items: i64,
    /// Fishing-related items.
    pub fishing_items: i64,
    /// Clean Coast Index.
    pub cci: Option<f64>,
}

/// A sample's particle count and what it comes to per unit sampled (select them with
/// `SampleDensities::as_select()`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = samples)]
pub struct SampleDensities {
    /// Particles counted.
    pub particle_count: i64,
    /// Particles per m³ of water.
    pub particles_per_m3: Option<f64>,
    /// Particles per km² of sea surface.
    pub particles_per_km2: Option<f64>,
    /// Particles per kg of dry sediment.
    pub particles_per_kg: Option<f64>,
    /// Particles per m² of sediment.
    pub particles_per_m2: Option<f64>,
    /// NOAA NCEI density class.
    pub density_class: Option<String>,
}
