//! The one way a survey becomes a statistics point: from the figures stored with it, whether
//! they come from a batch being written or from `survey_totals`.

use chrono::NaiveDate;

use super::SurveyPoint;
use crate::protocol::Protocol;
use crate::survey::{Effort, SurveyKind, SurveySummary};

/// The largest count an `int4` column holds: participants and bags are stored clamped to it.
const INT4_MAX: u32 = i32::MAX as u32;

/// Where and what a survey is: its site, date, protocol and kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointKeys {
    /// The survey's site (unassigned surveys have none).
    pub site_id: Option<i64>,
    /// Local date.
    pub date: NaiveDate,
    /// The protocol it was recorded in.
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    pub kind: SurveyKind,
}

impl SurveyPoint {
    /// A survey's point from its keys, its surveyed length, its effort and its summary.
    /// Participants and bags are clamped as their columns store them, so a point made while a
    /// batch is written equals the point read back from the database.
    pub fn of(keys: PointKeys, length_m: Option<f64>, effort: &Effort, summary: &SurveySummary) -> Self {
        SurveyPoint {
            site_id: keys.site_id,
            date: keys.date,
            protocol: Some(keys.protocol),
            kind: keys.kind,
            total_items: summary.total_items,
            length_m,
            plastic_items: summary.plastic_items,
            sup_items: summary.sup_items,
            fishing_items: summary.fishing_items,
            items_per_100m: summary.items_per_100m,
            threshold_items_per_100m: summary.threshold_items_per_100m,
            eu_eligible: summary.eu_threshold_eligible,
            items_per_m2: summary.items_per_m2,
            cci: summary.cci,
            participants: effort.participants.map(|v| v.min(INT4_MAX)),
            mass_kg: effort.mass_kg,
            bags: effort.bags.map(|v| v.min(INT4_MAX)),
            items_per_100m2: summary.items_per_100m2,
            total_weight_g: summary.total_weight_g,
            grams_per_100m2: summary.grams_per_100m2,
            kg_per_100m: summary.kg_per_100m,
            grams_per_m: summary.grams_per_m,
        }
    }
}
