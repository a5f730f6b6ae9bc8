//! Column groups the CSV exports and reports share, each a header and its cells in one place.

use crate::http::csv_out::{number, safe};
use crate::store::exports::{ExportPlace, SurveyFigures};

/// Where a record was taken.
pub const PLACE: [&str; 4] = ["site_id", "site_code", "city", "country_code"];

/// The cells of [`PLACE`].
pub fn place(p: &ExportPlace) -> [String; 4] {
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

/// The cells of [`SURVEY_FIGURES`].
pub fn survey_figures(f: &SurveyFigures) -> [String; 10] {
    [
        f.protocol.to_string(),
        f.survey_kind.to_string(),
        number(f.length_m),
        f.total_items.to_string(),
        number(f.items_per_100m),
        number(f.items_per_m2),
        f.plastic_items.to_string(),
        f.sup_items.to_string(),
        f.fishing_items.to_string(),
        number(f.cci),
    ]
}
