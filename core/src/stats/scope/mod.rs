//! Statistics of a scope (a site, city, country or the network) from its accepted surveys'
//! per-survey values and its category counts: what `/stats` answers and the CSV reports show.
//! Microplastic samples: `microplastics.rs`.

mod measured;
mod microplastics;
mod parts;
mod point;
pub use measured::{by_area, by_weight, Basis, LeftOut, UnitFigures, UnitParts, WeightFigures, WeightParts};
pub use microplastics::{microplastics, MatrixStats, MicroplasticStats, SamplePoint};
pub use parts::LitterParts;
pub use point::PointKeys;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::category::{CategoryTree, Material};
use crate::protocol::Protocol;
use crate::stats::comparable::comparable_counts;
use crate::stats::composition::{composition, top_x, Share};
use crate::stats::descriptive::{percentile_sorted, Summary};
use crate::stats::indices::{eu_threshold_status, CciGrade, ThresholdStatus};
use crate::stats::sorted::{summary_of, total_of, SortedValues};
use crate::stats::trend::{regional_of, single_trend, SeriesTrend, Trend, MIN_TREND_SURVEYS};
use crate::survey::SurveyKind;

/// One accepted survey as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyPoint {
    /// The survey's site (unassigned surveys have none).
    pub site_id: Option<i64>,
    /// Local date.
    pub date: NaiveDate,
    /// The protocol it was recorded in.
    pub protocol: Option<Protocol>,
    /// Monitoring or cleanup.
    pub kind: SurveyKind,
    /// Items counted in the total.
    pub total_items: u64,
    /// Surveyed or walked length, m, when known.
    pub length_m: Option<f64>,
    /// Plastic items.
    pub plastic_items: u64,
    /// Single-use plastic items.
    pub sup_items: u64,
    /// Fishing-related items.
    pub fishing_items: u64,
    /// items/100 m, when the length is known.
    pub items_per_100m: Option<f64>,
    /// EU-threshold items/100 m, when the length is known.
    pub threshold_items_per_100m: Option<f64>,
    /// Eligible for the EU threshold assessment (monitoring, longer than 10 m).
    pub eu_eligible: bool,
    /// items/m², when the width is known.
    pub items_per_m2: Option<f64>,
    /// Clean Coast Index, when the width is known.
    pub cci: Option<f64>,
    /// Participants (cleanups).
    pub participants: Option<u32>,
    /// Mass collected, kg.
    pub mass_kg: Option<f64>,
    /// Bags filled.
    pub bags: Option<u32>,
    /// items/100 m², when the surveyed area is known.
    pub items_per_100m2: Option<f64>,
    /// Weight of the counted items, g, when every counted line was weighed.
    pub total_weight_g: Option<f64>,
    /// g/100 m², when weighed and the area is known.
    pub grams_per_100m2: Option<f64>,
    /// kg/100 m, when weighed and the length is known.
    pub kg_per_100m: Option<f64>,
    /// g/m of shoreline, when weighed and the length is known.
    pub grams_per_m: Option<f64>,
}

/// Clean Coast Index summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CciSummary {
    /// Surveys with a known area.
    pub surveys: usize,
    /// Median CCI.
    pub median: f64,
    /// Grade of the median.
    pub grade: CciGrade,
}

/// A category's share, with its name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryShare {
    /// Canonical code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Items.
    pub count: u64,
    /// Share of the counted total, 0–1.
    pub share: f64,
}

/// Cleanup effort.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CleanupEffort {
    /// Cleanups.
    pub cleanups: usize,
    /// Items collected (counted in the totals).
    pub items: u64,
    /// Distance cleaned, m (cleanups with a known length).
    pub distance_m: f64,
    /// Participants, summed.
    pub participants: u64,
    /// Mass collected, kg.
    pub mass_kg: f64,
    /// Bags filled.
    pub bags: u64,
}

/// What the indicators of a scope cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorCoverage {
    /// The survey kind the indicators (items/100 m, items/m², CCI, EU threshold, trend,
    /// top-X, materials) are computed over: monitoring unless cleanups were asked for.
    pub kind: SurveyKind,
    /// Surveys of that kind.
    pub surveys: usize,
    /// Surveys of the scope left out of the indicators (the other kind: cleanups are reported
    /// in `cleanup_effort`).
    pub left_out: usize,
    /// The protocols the indicators' surveys were recorded in.
    pub protocols: Vec<Protocol>,
}

/// Beach-litter statistics of a scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BeachLitterStats {
    /// Accepted surveys, of every kind.
    pub surveys: usize,
    /// What the indicators below cover.
    pub indicators: IndicatorCoverage,
    /// Items counted in the totals of the indicators' surveys.
    pub total_items: u64,
    /// items/100 m over surveys with a known length (median is `percentile_cont(0.5)`).
    pub items_per_100m: Option<Summary>,
    /// Median items/m² over surveys with a known width.
    pub median_items_per_m2: Option<f64>,
    /// Clean Coast Index.
    pub cci: Option<CciSummary>,
    /// EU threshold assessment (20 items/100 m, at least 40 eligible surveys).
    pub eu_threshold: ThresholdStatus,
    /// Plastic items / total items.
    pub plastic_share: Option<f64>,
    /// Counted items per material, largest first.
    pub materials: Vec<Share>,
    /// Single-use plastic items.
    pub sup_items: u64,
    /// Fishing-related items.
    pub fishing_items: u64,
    /// The categories making up 80 % of the count, largest first, at a level every
    /// contributing protocol can express (see `top_x_groups`).
    pub top_x: Vec<CategoryShare>,
    /// Groups at which top-X counts items because a contributing protocol records only the
    /// whole group (e.g. OSPAR 4 drink bottles over the Master List's G7 and G8).
    pub top_x_groups: Vec<String>,
    /// Theil–Sen slope of items/100 m per year with Mann–Kendall test.
    pub trend: Option<Trend>,
    /// Why there is no trend, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend_note: Option<String>,
    /// Effort of cleanups.
    pub cleanup_effort: CleanupEffort,
    /// items/100 m² over the indicators' surveys with a surveyed area.
    pub by_area: UnitFigures,
    /// Weight-based figures (asked for with `basis=weight`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_weight: Option<WeightFigures>,
}

/// Computes a scope's beach-litter statistics from its surveys and the category counts of the
/// surveys of `kind` (the indicators' kind: monitoring by default), with the weight-based
/// figures when the `basis` is weight: the composition of the surveys' parts by site.
pub fn beach_litter(
    all_surveys: &[SurveyPoint],
    category_counts: &BTreeMap<String, u64>,
    kind: SurveyKind,
    basis: Basis,
) -> BeachLitterStats {
    let parts = LitterParts::by_site(all_surveys, kind, basis);
    compose(&parts.iter().collect::<Vec<_>>(), category_counts, kind, basis)
}

/// A scope's beach-litter statistics from the parts of its sites (each computed by
/// [`LitterParts::of`] with the same `kind` and `basis`, in any order) and the category counts
/// of its surveys of `kind`.
pub fn compose(
    parts: &[&LitterParts],
    category_counts: &BTreeMap<String, u64>,
    kind: SurveyKind,
    basis: Basis,
) -> BeachLitterStats {
    let sum = |of: fn(&LitterParts) -> u64| parts.iter().map(|p| of(p)).sum::<u64>();
    let merged =
        |of: fn(&LitterParts) -> &SortedValues| SortedValues::merged(&parts.iter().map(|p| of(p)).collect::<Vec<_>>());
    let protocols: BTreeSet<Protocol> = parts.iter().flat_map(|p| p.protocols.iter().copied()).collect();
    let indicator_surveys: usize = parts.iter().map(|p| p.indicator_surveys).sum();
    let surveys: usize = parts.iter().map(|p| p.surveys).sum();
    let indicators = IndicatorCoverage {
        kind,
        surveys: indicator_surveys,
        left_out: surveys - indicator_surveys,
        protocols: protocols.iter().copied().collect(),
    };
    let total_items = sum(|p| p.total_items);
    let plastic = sum(|p| p.plastic_items);
    let tree = CategoryTree::global();
    let mut materials: BTreeMap<Material, u64> = BTreeMap::new();
    for (code, count) in category_counts {
        if let Some(category) = tree.get(code) {
            *materials.entry(category.material).or_default() += count;
        }
    }
    let (comparable, top_x_groups) = comparable_counts(category_counts, &protocols);
    let top = top_x(comparable)
        .into_iter()
        .map(|s| CategoryShare {
            name: tree.get(&s.code).map(|c| c.name.clone()).unwrap_or_default(),
            code: s.code,
            count: s.count,
            share: s.share,
        })
        .collect();
    let (trend, trend_note) = trend_of(parts);
    let threshold = merged(|p| &p.threshold);
    let per_m2 = merged(|p| &p.per_m2);
    let cci = merged(|p| &p.cci);
    let area: Vec<&UnitParts> = parts.iter().map(|p| &p.by_area).collect();
    BeachLitterStats {
        surveys,
        indicators,
        total_items,
        items_per_100m: summary_of(&merged(|p| &p.per_100m)),
        median_items_per_m2: percentile_sorted(&per_m2, 0.5),
        cci: percentile_sorted(&cci, 0.5).map(|m| CciSummary { surveys: cci.len(), median: m, grade: CciGrade::of(m) }),
        eu_threshold: eu_threshold_status(&threshold),
        plastic_share: (total_items > 0).then(|| plastic as f64 / total_items as f64),
        materials: composition(&materials),
        sup_items: sum(|p| p.sup_items),
        fishing_items: sum(|p| p.fishing_items),
        top_x: top,
        top_x_groups,
        trend,
        trend_note,
        cleanup_effort: CleanupEffort {
            cleanups: parts.iter().map(|p| p.cleanups).sum(),
            items: sum(|p| p.cleanup_items),
            distance_m: total_of(&merged(|p| &p.distances_m)),
            participants: sum(|p| p.participants),
            mass_kg: total_of(&merged(|p| &p.masses_kg)),
            bags: sum(|p| p.bags),
        },
        by_area: by_area(&area),
        by_weight: (basis == Basis::Weight)
            .then(|| by_weight(&parts.iter().filter_map(|p| p.by_weight.as_ref()).collect::<Vec<_>>())),
    }
}

/// The trend of items/100 m over a scope's monitoring surveys: one site's series with the
/// Mann–Kendall test, several sites with the regional Kendall test (never one pooled series),
/// and a note saying why there is none or what was left out.
fn trend_of(parts: &[&LitterParts]) -> (Option<Trend>, Option<String>) {
    let series: Vec<(Option<i64>, SeriesTrend)> = parts.iter().filter_map(|p| Some((p.site_id, p.trend?))).collect();
    let dated: usize = series.iter().map(|(_, s)| s.n).sum();
    let too_few =
        || format!("a trend needs at least {MIN_TREND_SURVEYS} monitoring surveys with a known length; {dated} here");
    if let [(_, one)] = series.as_slice() {
        let trend = single_trend(one);
        let note = trend.is_none().then(too_few);
        return (trend, note);
    }
    if series.is_empty() {
        return (None, Some(too_few()));
    }
    let unassigned: usize = series.iter().filter(|(site, _)| site.is_none()).map(|(_, s)| s.n).sum();
    let sites: Vec<(i64, SeriesTrend)> = series.into_iter().filter_map(|(site, s)| Some((site?, s))).collect();
    let trend = regional_of(&sites);
    let note = match (&trend, unassigned) {
        (None, _) => Some(too_few()),
        (Some(_), 0) => None,
        (Some(_), n) => Some(format!("{n} surveys without a site are left out of the regional trend")),
    };
    (trend, note)
}
