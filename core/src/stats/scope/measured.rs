//! A scope's figures in the units the measurement model adds — items/100 m² over surveys with
//! a surveyed area, and (asked for with `basis=weight`) g/100 m², kg/100 m and g/m over weighed
//! surveys — each over only the surveys that can be expressed in it, saying how many were left
//! out and why. Records are never pooled across units.

use serde::Serialize;

use super::SurveyPoint;
use crate::stats::descriptive::{summarise, total, Summary};
use crate::vocabulary;

vocabulary! {
    /// What a scope's figures are counted by.
    #[derive(Default)]
    pub enum Basis {
        /// Item counts (the default).
        #[default]
        Count = "count",
        /// Item weights: only surveys whose items were weighed.
        Weight = "weight",
    }
}

/// Surveys left out of a unit, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeftOut {
    /// Why they cannot be expressed in the unit.
    #[cfg_attr(feature = "openapi", schema(example = "not weighed"))]
    pub reason: String,
    /// How many surveys.
    pub surveys: usize,
}

/// One unit over the surveys that can be expressed in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitFigures {
    /// The unit.
    #[cfg_attr(feature = "openapi", schema(example = "items/100 m²"))]
    pub unit: String,
    /// Surveys expressed in it.
    pub surveys: usize,
    /// Mean, median (`percentile_cont(0.5)`), P10, P90 …
    pub summary: Option<Summary>,
    /// Surveys that could not be, by reason.
    pub left_out: Vec<LeftOut>,
}

/// Weight-based figures of a scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightFigures {
    /// Weight of the counted items of the weighed surveys, kg.
    pub total_weight_kg: f64,
    /// g/100 m² over weighed surveys with a surveyed area.
    pub grams_per_100m2: UnitFigures,
    /// kg/100 m over weighed surveys with a surveyed length.
    pub kg_per_100m: UnitFigures,
    /// g per metre of shoreline over weighed surveys with a surveyed length.
    pub grams_per_m: UnitFigures,
}

const NO_AREA: &str = "no surveyed area (no width, blocks or area)";
const NO_LENGTH: &str = "no surveyed length";
const NOT_WEIGHED: &str = "not weighed (every counted item line needs a weight)";

/// A unit's figures: `value` gives a survey's value in it, or why it has none.
fn unit(
    unit: &str,
    surveys: &[&SurveyPoint],
    value: impl Fn(&SurveyPoint) -> Result<f64, &'static str>,
) -> UnitFigures {
    let mut values = Vec::new();
    let mut left_out: Vec<LeftOut> = Vec::new();
    for survey in surveys {
        match value(survey) {
            Ok(v) => values.push(v),
            Err(reason) => match left_out.iter_mut().find(|l| l.reason == reason) {
                Some(entry) => entry.surveys += 1,
                None => left_out.push(LeftOut { reason: reason.to_string(), surveys: 1 }),
            },
        }
    }
    UnitFigures { unit: unit.to_string(), surveys: values.len(), summary: summarise(&values), left_out }
}

/// items/100 m² over the surveys with a surveyed area.
pub fn by_area(surveys: &[&SurveyPoint]) -> UnitFigures {
    unit("items/100 m²", surveys, |s| s.items_per_100m2.ok_or(NO_AREA))
}

/// The weight-based figures of the surveys.
pub fn by_weight(surveys: &[&SurveyPoint]) -> WeightFigures {
    let weighed = |s: &SurveyPoint, value: Option<f64>, missing: &'static str| match (s.total_weight_g, value) {
        (None, _) => Err(NOT_WEIGHED),
        (Some(_), None) => Err(missing),
        (Some(_), Some(v)) => Ok(v),
    };
    WeightFigures {
        total_weight_kg: total(surveys.iter().filter_map(|s| s.total_weight_g)) / 1000.0,
        grams_per_100m2: unit("g/100 m²", surveys, |s| weighed(s, s.grams_per_100m2, NO_AREA)),
        kg_per_100m: unit("kg/100 m", surveys, |s| weighed(s, s.kg_per_100m, NO_LENGTH)),
        grams_per_m: unit("g/m", surveys, |s| weighed(s, s.grams_per_m, NO_LENGTH)),
    }
}
