//! A scope's figures in the units the measurement model adds — items/100 m² over surveys with
//! a surveyed area, and (asked for with `basis=weight`) g/100 m², kg/100 m and g/m over weighed
//! surveys — each over only the surveys that can be expressed in it, saying how many were left
//! out and why. Records are never pooled across units.

use serde::Serialize;

use super::SurveyPoint;
use crate::stats::descriptive::Summary;
use crate::stats::sorted::{summary_of, total_of, SortedValues};
pub use crate::vocabulary::Basis;

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
/// The reasons a survey has no value in a unit, in the order they are listed.
const REASONS: [&str; 3] = [NOT_WEIGHED, NO_AREA, NO_LENGTH];

/// One unit's values of a part of a scope, sorted, and the surveys left out by reason (counts
/// in the order of [`REASONS`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitParts {
    values: SortedValues,
    left_out: [usize; REASONS.len()],
}

impl UnitParts {
    /// A unit's parts: `value` gives a survey's value in it, or why it has none.
    fn of(surveys: &[&SurveyPoint], value: impl Fn(&SurveyPoint) -> Result<f64, &'static str>) -> Self {
        let mut left_out = [0; REASONS.len()];
        let mut values = Vec::new();
        for survey in surveys {
            match value(survey) {
                Ok(v) => values.push(v),
                Err(reason) => left_out[REASONS.iter().position(|r| *r == reason).unwrap_or(0)] += 1,
            }
        }
        Self { values: SortedValues::of(values.into_iter()), left_out }
    }

    /// The figures of the parts together, in `unit`.
    fn figures(unit: &str, parts: &[&UnitParts]) -> UnitFigures {
        let values: Vec<&SortedValues> = parts.iter().map(|p| &p.values).collect();
        let values = SortedValues::merged(&values);
        let left_out = REASONS
            .iter()
            .enumerate()
            .map(|(i, reason)| LeftOut {
                reason: reason.to_string(),
                surveys: parts.iter().map(|p| p.left_out[i]).sum(),
            })
            .filter(|l| l.surveys > 0)
            .collect();
        UnitFigures { unit: unit.to_string(), surveys: values.len(), summary: summary_of(&values), left_out }
    }

    /// Bytes held (for a cache's budget).
    pub fn bytes(&self) -> usize {
        self.values.bytes()
    }
}

/// The weight-based figures' parts of a part of a scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeightParts {
    weights_g: SortedValues,
    grams_per_100m2: UnitParts,
    kg_per_100m: UnitParts,
    grams_per_m: UnitParts,
}

impl WeightParts {
    /// Bytes held (for a cache's budget).
    pub fn bytes(&self) -> usize {
        self.weights_g.bytes() + self.grams_per_100m2.bytes() + self.kg_per_100m.bytes() + self.grams_per_m.bytes()
    }
}

/// items/100 m² over the surveys with a surveyed area.
pub fn area_parts(surveys: &[&SurveyPoint]) -> UnitParts {
    UnitParts::of(surveys, |s| s.items_per_100m2.ok_or(NO_AREA))
}

/// The figures in items/100 m² of the parts together.
pub fn by_area(parts: &[&UnitParts]) -> UnitFigures {
    UnitParts::figures("items/100 m²", parts)
}

/// The weight-based parts of the surveys.
pub fn weight_parts(surveys: &[&SurveyPoint]) -> WeightParts {
    let weighed = |s: &SurveyPoint, value: Option<f64>, missing: &'static str| match (s.total_weight_g, value) {
        (None, _) => Err(NOT_WEIGHED),
        (Some(_), None) => Err(missing),
        (Some(_), Some(v)) => Ok(v),
    };
    WeightParts {
        weights_g: SortedValues::of(surveys.iter().filter_map(|s| s.total_weight_g)),
        grams_per_100m2: UnitParts::of(surveys, |s| weighed(s, s.grams_per_100m2, NO_AREA)),
        kg_per_100m: UnitParts::of(surveys, |s| weighed(s, s.kg_per_100m, NO_LENGTH)),
        grams_per_m: UnitParts::of(surveys, |s| weighed(s, s.grams_per_m, NO_LENGTH)),
    }
}

/// The weight-based figures of the parts together.
pub fn by_weight(parts: &[&WeightParts]) -> WeightFigures {
    let weights: Vec<&SortedValues> = parts.iter().map(|p| &p.weights_g).collect();
    let unit = |name: &str, of: fn(&WeightParts) -> &UnitParts| {
        UnitParts::figures(name, &parts.iter().map(|p| of(p)).collect::<Vec<_>>())
    };
    WeightFigures {
        total_weight_kg: total_of(&SortedValues::merged(&weights)) / 1000.0,
        grams_per_100m2: unit("g/100 m²", |p| &p.grams_per_100m2),
        kg_per_100m: unit("kg/100 m", |p| &p.kg_per_100m),
        grams_per_m: unit("g/m", |p| &p.grams_per_m),
    }
}
