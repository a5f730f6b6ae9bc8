//! Beach-litter surveys: the protocol-neutral input an adapter produces, and its
//! normalisation to canonical items, per-survey summary values and plausibility flags.

mod lines;
mod measure;
mod nesting;
mod normalise;
mod plausibility;
mod summary;

pub use lines::{line_key, repeated_line};
pub use measure::{blocks_area_m2, total_weight_g, Block, ItemMeasure, LitterSize, Origin};
pub use normalise::{normalise, CanonicalItem, LengthSource, NormalisedSurvey};
pub use plausibility::{
    null_island, stretch_length_m, LENGTH_MISMATCH_RATIO, MAX_PLAUSIBLE_COUNT, MIN_STRETCH_M, NULL_ISLAND_DEGREES,
};
pub use summary::{per_100m, SurveySummary};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::protocol::Protocol;
pub use crate::vocabulary::{SurveyKind, SurveyType};

/// The first day of `date`'s month: the calendar month a survey is counted in (monthly
/// rollups and summaries, monthly trend medians, whole-month periods).
pub fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// A WGS 84 position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    /// Latitude in degrees, −90 … 90.
    pub lat: f64,
    /// Longitude in degrees, −180 … 180.
    pub lon: f64,
}

/// One count as the team recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCount {
    /// The source protocol's code or item name.
    pub code: String,
    /// Number of items.
    pub count: u32,
    /// Where it came from, as a JSON pointer (`/items/3`) or CSV column (`/G21`).
    pub pointer: String,
    /// Weight, size class and origin, where the protocol records them.
    pub measure: ItemMeasure,
}

/// Effort of a survey or cleanup, in SI units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effort {
    /// People taking part.
    pub participants: Option<u32>,
    /// Duration in minutes.
    pub duration_min: Option<f64>,
    /// Mass of litter collected, kg.
    pub mass_kg: Option<f64>,
    /// Bags filled.
    pub bags: Option<u32>,
}

/// A survey as an adapter hands it over: protocol-neutral, items still in source codes.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyInput {
    /// Protocol the items are coded in.
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    pub kind: SurveyKind,
    /// MDMAP standing-stock or accumulation, when known.
    pub survey_type: Option<SurveyType>,
    /// Local calendar date of the survey.
    pub date: NaiveDate,
    /// Start instant with its UTC offset, when known (the UTC instant and local date both follow).
    pub started_at: Option<DateTime<FixedOffset>>,
    /// Where the survey took place.
    pub location: Option<GeoPoint>,
    /// Start and end of the surveyed stretch.
    pub stretch: Option<(GeoPoint, GeoPoint)>,
    /// Declared surveyed length along the shore, m.
    pub length_m: Option<f64>,
    /// The length came from a cleanup's distance in miles (TIDES), not a measured stretch.
    pub length_from_miles: bool,
    /// The site's reference length, used when the survey gives neither length nor stretch.
    pub site_length_m: Option<f64>,
    /// Mean width of the surveyed area, m.
    pub width_m: Option<f64>,
    /// The surveyed area when the protocol measures one (blocks, quadrats), m²; else the
    /// length × width.
    pub area_m2: Option<f64>,
    /// Effort.
    pub effort: Effort,
    /// Item counts in source codes.
    pub items: Vec<SourceCount>,
}

impl SurveyInput {
    /// An empty survey of `protocol` on `date`, to fill in.
    pub fn new(protocol: Protocol, kind: SurveyKind, date: NaiveDate) -> Self {
        Self {
            protocol,
            kind,
            survey_type: None,
            date,
            started_at: None,
            location: None,
            stretch: None,
            length_m: None,
            length_from_miles: false,
            site_length_m: None,
            width_m: None,
            area_m2: None,
            effort: Effort::default(),
            items: Vec::new(),
        }
    }
}
