//! Source counts → canonical items, effective length, summary values and flags.

use chrono::NaiveDate;
use serde::Serialize;

use super::plausibility::{check_input, stretch_length_m};
use super::{ItemMeasure, SurveyInput, SurveySummary};
use crate::validation::{FieldError, Flag};
pub use crate::vocabulary::LengthSource;

/// One item count in canonical form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CanonicalItem {
    /// The code the team used.
    pub source_code: String,
    /// The canonical category code.
    pub category: String,
    /// Number of items.
    pub count: u32,
    /// Whether it adds to totals (false for uncounted categories and finer breakdowns).
    pub counted: bool,
    /// Weight, size class and origin, where recorded.
    #[serde(flatten)]
    pub measure: ItemMeasure,
}

/// A survey in the shared protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalisedSurvey {
    /// The input, as adapted from the source protocol.
    pub input: SurveyInput,
    /// `protocol@version+categories@version`.
    pub mapping_version: String,
    /// The surveyed length used for densities, m.
    pub length_m: Option<f64>,
    /// Where that length came from.
    pub length_source: LengthSource,
    /// Canonical items, in input order.
    pub items: Vec<CanonicalItem>,
    /// Per-survey totals and normalised values.
    pub summary: SurveySummary,
    /// Things a reviewer should look at.
    pub flags: Vec<Flag>,
}

/// Normalises a survey, or returns every field error at once. `today` is the latest local
/// date a survey may have (the caller's clock, plus a day for time zones ahead of UTC).
pub fn normalise(input: SurveyInput, today: NaiveDate) -> Result<NormalisedSurvey, Vec<FieldError>> {
    let (mut errors, mut flags) = check_input(&input, today);
    let mut items = Vec::with_capacity(input.items.len());
    let mut resolved = Vec::with_capacity(input.items.len());
    for source in &input.items {
        match input.protocol.resolve(&source.code) {
            Ok(mapping) => resolved.push((source, mapping)),
            Err(err) => errors.push(FieldError::new(format!("{}/code", source.pointer), err.to_string())),
        }
    }
    let line_codes =
        super::lines::stored_codes(resolved.iter().map(|(source, mapping)| (mapping, source.measure.origin)));
    for ((source, mapping), code) in resolved.iter().zip(line_codes) {
        let Some(source_code) = code else {
            errors.push(FieldError::new(format!("{}/code", source.pointer), super::lines::repeated_line(&source.code)));
            continue;
        };
        items.push(CanonicalItem {
            source_code,
            category: mapping.category.code.clone(),
            count: source.count,
            counted: mapping.counted(),
            // a code that names its size class (GESAMP sheet, KLHK's `PL07:meso`) gives the
            // line its class
            measure: ItemMeasure {
                size_class: source.measure.size_class.or(input.protocol.size_class_of(&source.code)),
                ..source.measure
            },
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pointers: Vec<String> = input.items.iter().map(|i| format!("{}/code", i.pointer)).collect();
    let errors = super::nesting::count_wholes_once(&mut items, &pointers, &mut flags);
    if !errors.is_empty() {
        return Err(errors);
    }
    let stretch_m = input.stretch.map(|(a, b)| stretch_length_m(a, b));
    let (length_m, length_source) = match (input.length_m, stretch_m) {
        (Some(declared), _) if input.length_from_miles => (Some(declared), LengthSource::Miles),
        (Some(declared), _) => (Some(declared), LengthSource::Declared),
        (None, Some(stretch)) if stretch > 0.0 => (Some(stretch), LengthSource::Stretch),
        _ => match input.site_length_m {
            Some(reference) => (Some(reference), LengthSource::SiteReference),
            None => (None, LengthSource::Unknown),
        },
    };
    if length_source == LengthSource::Miles {
        flags.push(Flag::new(
            "length_from_miles",
            "/length_m",
            "length is a cleanup's walked distance in miles, not a measured survey stretch",
        ));
    }
    let summary = SurveySummary::compute(&items, length_m, input.width_m, input.area_m2, input.kind);
    if let Some(density) = summary.items_per_100m {
        let implied = format!("{} items on {:.0} m imply", summary.total_items, length_m.unwrap_or_default());
        flags.extend(crate::bounds::ITEMS_PER_100M.doubt(density, "/items", &implied));
    }
    Ok(NormalisedSurvey {
        mapping_version: input.protocol.mapping_version(),
        input,
        length_m,
        length_source,
        items,
        summary,
        flags,
    })
}
