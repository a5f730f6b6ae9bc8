//! Reading a row of the NOAA MDMAP shoreline-survey layout: `material: item` columns, a measured
//! stretch and width, and the survey type.

use super::{AdaptedRow, SiteRef, WideRow};
use crate::protocol::Protocol;
use crate::survey::{SurveyInput, SurveyKind, SurveyType};
use crate::validation::FieldError;

/// Metadata columns of the MDMAP layout; every other column is `Material: item`.
pub const METADATA_COLUMNS: [&str; 12] = [
    "Organization",
    "Site ID",
    "Shoreline Name",
    "Country",
    "Survey Date",
    "Survey Type",
    "Shoreline Length (m)",
    "Width (m)",
    "Latitude Start",
    "Longitude Start",
    "Latitude End",
    "Longitude End",
];

/// Reads one MDMAP survey row.
pub fn read_row(headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
    let mut row = WideRow::new(headers, values);
    let date = row.date("Survey Date", "%Y-%m-%d");
    let survey_type = match row.text("Survey Type").map(|t| t.to_lowercase().replace(['-', '_'], " ")) {
        None => None,
        Some(t) if t == "standing stock" => Some(SurveyType::StandingStock),
        Some(t) if t == "accumulation" => Some(SurveyType::Accumulation),
        Some(other) => {
            row.errors
                .push(FieldError::new("/Survey Type", format!("`{other}` is neither Standing Stock nor Accumulation")));
            None
        }
    };
    let start = row.point("Latitude Start", "Longitude Start");
    let end = row.point("Latitude End", "Longitude End");
    let length_m = row.number("Shoreline Length (m)");
    let width_m = row.number("Width (m)");
    let site = SiteRef {
        code: row.string("Site ID"),
        name: row.string("Shoreline Name"),
        country_code: row.string("Country"),
        location: start,
    };
    let items = row.item_counts(&METADATA_COLUMNS);
    let survey = date.map(|date| SurveyInput {
        survey_type,
        location: start,
        stretch: start.zip(end),
        length_m,
        width_m,
        items,
        ..SurveyInput::new(Protocol::Mdmap, SurveyKind::Monitoring, date)
    });
    row.finish(site, survey)
}
