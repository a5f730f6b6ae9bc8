//! Per-survey totals and normalised values: items/100 m, items/m², plastic/SUP/fishing counts,
//! material composition, Clean Coast Index and EU-threshold eligibility.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CanonicalItem, SurveyKind};
use crate::category::{CategoryTree, Material};
use crate::stats::indices::{clean_coast_index, CciGrade};

/// Surveys of this length or less are excluded from EU threshold assessments (m).
pub const MIN_THRESHOLD_LENGTH_M: f64 = 10.0;

/// What one survey amounts to in the shared protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    /// Items counted in the total.
    pub total_items: u64,
    /// Items in the EU-threshold total (counted, and not pieces < 2.5 cm).
    pub threshold_items: u64,
    /// Items of artificial polymer (plastic).
    pub plastic_items: u64,
    /// Single-use plastic items.
    pub sup_items: u64,
    /// Fishing-related items.
    pub fishing_items: u64,
    /// total × 100 / length.
    pub items_per_100m: Option<f64>,
    /// threshold total × 100 / length.
    pub threshold_items_per_100m: Option<f64>,
    /// total / (length × width).
    pub items_per_m2: Option<f64>,
    /// Clean Coast Index: plastic items / area × 20.
    pub cci: Option<f64>,
    /// CCI grade (Alkalay et al. 2007).
    pub cci_grade: Option<CciGrade>,
    /// Whether the survey may enter an EU threshold assessment: a monitoring survey longer than 10 m.
    pub eu_threshold_eligible: bool,
    /// Counted items per material.
    pub materials: BTreeMap<Material, u64>,
}

impl SurveySummary {
    /// Computes the summary of canonical items over a surveyed length and width.
    pub fn compute(items: &[CanonicalItem], length_m: Option<f64>, width_m: Option<f64>, kind: SurveyKind) -> Self {
        let tree = CategoryTree::global();
        let mut summary = Self {
            total_items: 0,
            threshold_items: 0,
            plastic_items: 0,
            sup_items: 0,
            fishing_items: 0,
            items_per_100m: None,
            threshold_items_per_100m: None,
            items_per_m2: None,
            cci: None,
            cci_grade: None,
            eu_threshold_eligible: kind == SurveyKind::Monitoring
                && length_m.is_some_and(|l| l > MIN_THRESHOLD_LENGTH_M),
            materials: BTreeMap::new(),
        };
        for item in items.iter().filter(|i| i.counted) {
            let Some(category) = tree.get(&item.category) else { continue };
            let count = u64::from(item.count);
            summary.total_items += count;
            if category.in_threshold_total() {
                summary.threshold_items += count;
            }
            if category.is_plastic() {
                summary.plastic_items += count;
            }
            if category.single_use_plastic {
                summary.sup_items += count;
            }
            if category.fishing {
                summary.fishing_items += count;
            }
            *summary.materials.entry(category.material).or_default() += count;
        }
        if let Some(length) = length_m.filter(|l| *l > 0.0) {
            summary.items_per_100m = Some(per_100m(summary.total_items, length));
            summary.threshold_items_per_100m = Some(per_100m(summary.threshold_items, length));
            if let Some(width) = width_m.filter(|w| *w > 0.0) {
                let area = length * width;
                summary.items_per_m2 = Some(summary.total_items as f64 / area);
                let cci = clean_coast_index(summary.plastic_items, area);
                summary.cci = Some(cci);
                summary.cci_grade = Some(CciGrade::of(cci));
            }
        }
        summary
    }
}

/// Items per 100 m of shore: count × 100 / length.
pub fn per_100m(count: u64, length_m: f64) -> f64 {
    count as f64 * 100.0 / length_m
}
