//! Statistics of a scope (a site, city, country or the network) from its accepted surveys'
//! per-survey values and its category counts: what `/stats` answers and the CSV reports show.
//! Microplastic samples: `microplastics.rs`.

mod measured;
mod microplastics;
pub use measured::{by_area, by_weight, Basis, LeftOut, UnitFigures, WeightFigures};
pub use microplastics::{microplastics, MatrixStats, MicroplasticStats, SamplePoint};

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::category::{CategoryTree, Material};
use crate::protocol::Protocol;
use crate::stats::comparable::comparable_counts;
use crate::stats::composition::{composition, top_x, Share};
use crate::stats::descriptive::{median, summarise, total, Summary};
use crate::stats::indices::{eu_threshold_status, CciGrade, ThresholdStatus};
use crate::stats::trend::{dated_trend, regional_trend, Trend, MIN_TREND_SURVEYS};
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
/// figures when the `basis` is weight.
pub fn beach_litter(
    all_surveys: &[SurveyPoint],
    category_counts: &BTreeMap<String, u64>,
    kind: SurveyKind,
    basis: Basis,
) -> BeachLitterStats {
    let surveys: Vec<&SurveyPoint> = all_surveys.iter().filter(|s| s.kind == kind).collect();
    let protocols: BTreeSet<Protocol> = surveys.iter().filter_map(|s| s.protocol).collect();
    let indicators = IndicatorCoverage {
        kind,
        surveys: surveys.len(),
        left_out: all_surveys.len() - surveys.len(),
        protocols: protocols.iter().copied().collect(),
    };
    let per_100m: Vec<f64> = surveys.iter().filter_map(|s| s.items_per_100m).collect();
    let threshold: Vec<f64> =
        surveys.iter().filter(|s| s.eu_eligible).filter_map(|s| s.threshold_items_per_100m).collect();
    let per_m2: Vec<f64> = surveys.iter().filter_map(|s| s.items_per_m2).collect();
    let cci_values: Vec<f64> = surveys.iter().filter_map(|s| s.cci).collect();
    let total_items: u64 = surveys.iter().map(|s| s.total_items).sum();
    let plastic: u64 = surveys.iter().map(|s| s.plastic_items).sum();
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
    let (trend, trend_note) = trend_of(&surveys);
    let cleanups: Vec<&SurveyPoint> = all_surveys.iter().filter(|s| s.kind == SurveyKind::Cleanup).collect();
    BeachLitterStats {
        surveys: all_surveys.len(),
        indicators,
        total_items,
        items_per_100m: summarise(&per_100m),
        median_items_per_m2: median(&per_m2),
        cci: median(&cci_values).map(|m| CciSummary { surveys: cci_values.len(), median: m, grade: CciGrade::of(m) }),
        eu_threshold: eu_threshold_status(&threshold),
        plastic_share: (total_items > 0).then(|| plastic as f64 / total_items as f64),
        materials: composition(&materials),
        sup_items: surveys.iter().map(|s| s.sup_items).sum(),
        fishing_items: surveys.iter().map(|s| s.fishing_items).sum(),
        top_x: top,
        top_x_groups,
        trend,
        trend_note,
        cleanup_effort: CleanupEffort {
            cleanups: cleanups.len(),
            items: cleanups.iter().map(|s| s.total_items).sum(),
            distance_m: total(cleanups.iter().filter_map(|s| s.length_m)),
            participants: cleanups.iter().filter_map(|s| s.participants).map(u64::from).sum(),
            mass_kg: total(cleanups.iter().filter_map(|s| s.mass_kg)),
            bags: cleanups.iter().filter_map(|s| s.bags).map(u64::from).sum(),
        },
        by_area: by_area(&surveys),
        by_weight: (basis == Basis::Weight).then(|| by_weight(&surveys)),
    }
}

/// The trend of items/100 m over a scope's monitoring surveys: one site's series with the
/// Mann–Kendall test, several sites with the regional Kendall test (never one pooled series),
/// and a note saying why there is none or what was left out.
fn trend_of(surveys: &[&SurveyPoint]) -> (Option<Trend>, Option<String>) {
    let mut by_site: BTreeMap<Option<i64>, Vec<(NaiveDate, f64)>> = BTreeMap::new();
    for s in surveys.iter().filter(|s| s.kind == SurveyKind::Monitoring) {
        if let Some(value) = s.items_per_100m {
            by_site.entry(s.site_id).or_default().push((s.date, value));
        }
    }
    let dated: usize = by_site.values().map(Vec::len).sum();
    let too_few =
        || format!("a trend needs at least {MIN_TREND_SURVEYS} monitoring surveys with a known length; {dated} here");
    if by_site.len() <= 1 {
        let points = by_site.into_values().next().unwrap_or_default();
        let trend = dated_trend(&points);
        let note = trend.is_none().then(too_few);
        return (trend, note);
    }
    let unassigned = by_site.remove(&None).map_or(0, |p| p.len());
    let sites: Vec<(i64, Vec<(NaiveDate, f64)>)> =
        by_site.into_iter().filter_map(|(site, points)| Some((site?, points))).collect();
    let trend = regional_trend(&sites);
    let note = match (&trend, unassigned) {
        (None, _) => Some(too_few()),
        (Some(_), 0) => None,
        (Some(_), n) => Some(format!("{n} surveys without a site are left out of the regional trend")),
    };
    (trend, note)
}
