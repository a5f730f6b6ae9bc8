//! A scope's beach-litter figures in parts: one part per site (and one for the surveys without
//! a site), each computed once from its own surveys, composed into a site, city, country or
//! network without visiting a survey again. [`super::beach_litter`] is the composition of its
//! own parts, so a cached part and a from-scratch computation give the same bits.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::measured::{area_parts, weight_parts, UnitParts, WeightParts};
use super::{Basis, SurveyPoint};
use crate::protocol::Protocol;
use crate::stats::sorted::SortedValues;
use crate::stats::trend::{series_trend, SeriesTrend};
use crate::survey::SurveyKind;

/// What the figures of one site (or of the surveys without a site) contribute to any scope
/// holding it, for one indicator kind and basis.
#[derive(Debug, Clone, PartialEq)]
pub struct LitterParts {
    /// The site (`None`: surveys without a site).
    pub site_id: Option<i64>,
    /// Accepted surveys, of every kind.
    pub(super) surveys: usize,
    /// Surveys of the indicators' kind.
    pub(super) indicator_surveys: usize,
    pub(super) protocols: BTreeSet<Protocol>,
    pub(super) total_items: u64,
    pub(super) plastic_items: u64,
    pub(super) sup_items: u64,
    pub(super) fishing_items: u64,
    pub(super) per_100m: SortedValues,
    /// EU-threshold items/100 m of the eligible surveys.
    pub(super) threshold: SortedValues,
    pub(super) per_m2: SortedValues,
    pub(super) cci: SortedValues,
    /// The trend of the monitoring surveys with a known length (absent when there are none).
    pub(super) trend: Option<SeriesTrend>,
    pub(super) cleanups: usize,
    pub(super) cleanup_items: u64,
    pub(super) participants: u64,
    pub(super) bags: u64,
    pub(super) distances_m: SortedValues,
    pub(super) masses_kg: SortedValues,
    pub(super) by_area: UnitParts,
    pub(super) by_weight: Option<WeightParts>,
}

impl LitterParts {
    /// The parts of one site's surveys (all of one `site_id`), with the indicators over the
    /// surveys of `kind` and the weight figures when the `basis` is weight.
    pub fn of(site_id: Option<i64>, all_surveys: &[&SurveyPoint], kind: SurveyKind, basis: Basis) -> Self {
        let surveys: Vec<&SurveyPoint> = all_surveys.iter().copied().filter(|s| s.kind == kind).collect();
        let dated: Vec<(NaiveDate, f64)> = surveys
            .iter()
            .filter(|s| s.kind == SurveyKind::Monitoring)
            .filter_map(|s| Some((s.date, s.items_per_100m?)))
            .collect();
        let cleanups: Vec<&SurveyPoint> =
            all_surveys.iter().copied().filter(|s| s.kind == SurveyKind::Cleanup).collect();
        Self {
            site_id,
            surveys: all_surveys.len(),
            indicator_surveys: surveys.len(),
            protocols: surveys.iter().filter_map(|s| s.protocol).collect(),
            total_items: surveys.iter().map(|s| s.total_items).sum(),
            plastic_items: surveys.iter().map(|s| s.plastic_items).sum(),
            sup_items: surveys.iter().map(|s| s.sup_items).sum(),
            fishing_items: surveys.iter().map(|s| s.fishing_items).sum(),
            per_100m: SortedValues::of(surveys.iter().filter_map(|s| s.items_per_100m)),
            threshold: SortedValues::of(
                surveys.iter().filter(|s| s.eu_eligible).filter_map(|s| s.threshold_items_per_100m),
            ),
            per_m2: SortedValues::of(surveys.iter().filter_map(|s| s.items_per_m2)),
            cci: SortedValues::of(surveys.iter().filter_map(|s| s.cci)),
            trend: series_trend(&dated),
            cleanups: cleanups.len(),
            cleanup_items: cleanups.iter().map(|s| s.total_items).sum(),
            participants: cleanups.iter().filter_map(|s| s.participants).map(u64::from).sum(),
            bags: cleanups.iter().filter_map(|s| s.bags).map(u64::from).sum(),
            distances_m: SortedValues::of(cleanups.iter().filter_map(|s| s.length_m)),
            masses_kg: SortedValues::of(cleanups.iter().filter_map(|s| s.mass_kg)),
            by_area: area_parts(&surveys),
            by_weight: (basis == Basis::Weight).then(|| weight_parts(&surveys)),
        }
    }

    /// The parts of each site of the surveys (and of those without a site), by site id.
    pub fn by_site(all_surveys: &[SurveyPoint], kind: SurveyKind, basis: Basis) -> Vec<LitterParts> {
        let mut by_site: std::collections::BTreeMap<Option<i64>, Vec<&SurveyPoint>> = Default::default();
        for survey in all_surveys {
            by_site.entry(survey.site_id).or_default().push(survey);
        }
        by_site.into_iter().map(|(site_id, surveys)| Self::of(site_id, &surveys, kind, basis)).collect()
    }

    /// Bytes held (roughly: for a cache's budget).
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + [&self.per_100m, &self.threshold, &self.per_m2, &self.cci, &self.distances_m, &self.masses_kg]
                .iter()
                .map(|v| v.bytes())
                .sum::<usize>()
            + self.by_area.bytes()
            + self.by_weight.as_ref().map_or(0, WeightParts::bytes)
    }
}
