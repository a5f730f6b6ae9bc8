//! Per-survey totals and normalised values: items/100 m, items/m², items/100 m², plastic/SUP/
//! fishing counts, material composition, Clean Coast Index and EU-threshold eligibility, and
//! where the items were weighed, g/100 m², kg/100 m and g/m of shoreline. Each unit exists
//! only where the survey's geometry defines it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{total_weight_g, CanonicalItem, LitterSize, SurveyKind};
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
    /// The surveyed area, m²: the protocol's blocks or quadrats, else length × width.
    pub area_m2: Option<f64>,
    /// total × 100 / area.
    pub items_per_100m2: Option<f64>,
    /// Weight of the counted items, g (only when every counted line was weighed).
    pub total_weight_g: Option<f64>,
    /// weight (g) × 100 / area.
    pub grams_per_100m2: Option<f64>,
    /// weight (kg) × 100 / length.
    pub kg_per_100m: Option<f64>,
    /// weight (g) / length: grams per metre of shoreline.
    pub grams_per_m: Option<f64>,
}

impl SurveySummary {
    /// Computes the summary of canonical items over a surveyed length and width, or over the
    /// protocol's own `area_m2` (blocks, quadrats) when it gives one.
    pub fn compute(
        items: &[CanonicalItem],
        length_m: Option<f64>,
        width_m: Option<f64>,
        area_m2: Option<f64>,
        kind: SurveyKind,
    ) -> Self {
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
            area_m2: None,
            items_per_100m2: None,
            total_weight_g: None,
            grams_per_100m2: None,
            kg_per_100m: None,
            grams_per_m: None,
        };
        for item in items.iter().filter(|i| i.counted) {
            let Some(category) = tree.get(&item.category) else { continue };
            let count = u64::from(item.count);
            summary.total_items += count;
            // pieces a line measures below 2.5 cm stay out of the EU threshold total, whatever their category
            let below_macro = matches!(item.measure.size_class, Some(LitterSize::Meso | LitterSize::Micro));
            if category.in_threshold_total() && !below_macro {
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
        let length = length_m.filter(|l| *l > 0.0);
        let area = area_m2.or_else(|| Some(length? * width_m?)).filter(|a| *a > 0.0);
        let weight = total_weight_g(items.iter().filter(|i| i.counted).map(|i| (i.count, &i.measure)));
        if let Some(length) = length {
            summary.items_per_100m = Some(per_100m(summary.total_items, length));
            summary.threshold_items_per_100m = Some(per_100m(summary.threshold_items, length));
            summary.kg_per_100m = weight.map(|g| g / 1000.0 * 100.0 / length);
            summary.grams_per_m = weight.map(|g| g / length);
        }
        if let Some(area) = area {
            summary.items_per_m2 = Some(summary.total_items as f64 / area);
            summary.items_per_100m2 = Some(summary.total_items as f64 * 100.0 / area);
            summary.grams_per_100m2 = weight.map(|g| g * 100.0 / area);
            let cci = clean_coast_index(summary.plastic_items, area);
            summary.cci = Some(cci);
            summary.cci_grade = Some(CciGrade::of(cci));
        }
        summary.area_m2 = area;
        summary.total_weight_g = weight;
        summary
    }
}

/// Items per 100 m of shore: count × 100 / length.
pub fn per_100m(count: u64, length_m: f64) -> f64 {
    count as f64 * 100.0 / length_m
}
