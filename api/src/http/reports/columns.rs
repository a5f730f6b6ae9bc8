//! Column groups the CSV exports and reports share, each a header and its cells in one place.

use tideline_core::precision::Precision;

use crate::http::csv_out::{safe, CsvStyle};
use crate::store::figures::{RecordPlace, SurveyFigures};

/// Where a record was taken.
pub const PLACE: [&str; 4] = ["site_id", "site_code", "city", "country_code"];

/// The cells of [`PLACE`].
pub fn place(p: &RecordPlace) -> [String; 4] {
    [
        p.site_id.map(|v| v.to_string()).unwrap_or_default(),
        p.site_code.as_deref().map(safe).unwrap_or_default(),
        safe(&p.city),
        p.country_code.clone(),
    ]
}

/// A survey's normalised figures.
pub const SURVEY_FIGURES: [&str; 10] = [
    "protocol",
    "kind",
    "length_m",
    "total_items",
    "items_per_100m",
    "items_per_m2",
    "plastic_items",
    "sup_items",
    "fishing_items",
    "cci",
];

/// The cells of [`SURVEY_FIGURES`]: every digit for researchers' exports, or (`rounded`) each
/// figure to its meaningful precision for officials' reports.
pub fn survey_figures(f: &SurveyFigures, style: &CsvStyle, rounded: bool) -> [String; 10] {
    let figure = |value: Option<f64>, precision: Precision| {
        if rounded {
            style.figure(value, precision)
        } else {
            style.exact(value)
        }
    };
    [
        f.protocol.to_string(),
        f.survey_kind.to_string(),
        style.exact(f.length_m),
        f.total_items.to_string(),
        figure(f.items_per_100m, Precision::DENSITY),
        figure(f.items_per_m2, Precision::Significant(3)),
        f.plastic_items.to_string(),
        f.sup_items.to_string(),
        f.fishing_items.to_string(),
        figure(f.cci, Precision::Decimals(2)),
    ]
}
