//! Reading a row of a weighed sheet (GESAMP, NOWPAP, China, KLHK, Viet Nam: one layout for
//! all): one survey per row, a count column per code (`plastic:macro`, `PL07:meso`) and,
//! beside it, its weight in grams (`plastic:macro (g)`), with the shore's length and width or
//! the surveyed area. A column `code@origin` (`plastic@foreign`) holds the line of one origin.

use super::{pointer, AdaptedRow, SiteRef, WideRow};
use crate::protocol::Protocol;
use crate::survey::{Origin, SurveyInput, SurveyKind};
use crate::validation::FieldError;

/// Metadata columns of the sheet; every other column is a code or a code's weight.
pub const METADATA_COLUMNS: [&str; 9] =
    ["Site Code", "Site Name", "Country", "Date", "Latitude", "Longitude", "Length (m)", "Width (m)", "Area (m2)"];

/// The suffix of a code's weight column.
pub const WEIGHT_SUFFIX: &str = " (g)";

/// Reads one row of a `protocol` sheet.
pub fn read_row(protocol: Protocol, headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
    let mut row = WideRow::new(headers, values);
    let date = row.date("Date", "%Y-%m-%d");
    let location = row.point("Latitude", "Longitude");
    let length_m = row.number("Length (m)");
    let width_m = row.number("Width (m)");
    let area_m2 = row.number("Area (m2)");
    let site = SiteRef {
        code: row.string("Site Code"),
        name: row.string("Site Name"),
        country_code: row.string("Country"),
        location,
    };
    let weight_columns: Vec<String> =
        headers.iter().map(|h| h.trim()).filter(|h| h.ends_with(WEIGHT_SUFFIX)).map(str::to_string).collect();
    let mut skip: Vec<&str> = METADATA_COLUMNS.to_vec();
    skip.extend(weight_columns.iter().map(String::as_str));
    let mut items = row.item_counts(&skip);
    for item in &mut items {
        let column = format!("{}{WEIGHT_SUFFIX}", item.code);
        item.measure.weight_g = row.number(&column);
    }
    // a weight without its count column is a mistake a person can fix, never a silent loss
    for column in &weight_columns {
        let code = column.trim_end_matches(WEIGHT_SUFFIX);
        if !items.iter().any(|i| i.code == code) && row.text(column).is_some() {
            row.errors.push(FieldError::new(pointer(column), format!("a weight for `{code}`, which has no count")));
        }
    }
    for item in &mut items {
        // `plastic@foreign`: a line of one origin (NOWPAP counts domestic and foreign apart)
        if let Some((code, origin)) = item.code.rsplit_once('@') {
            if let Ok(origin) = origin.trim().parse::<Origin>() {
                item.code = code.trim().to_string();
                item.measure.origin = Some(origin);
            }
        }
    }
    let survey = date.map(|date| SurveyInput {
        location,
        length_m,
        width_m,
        area_m2,
        items,
        ..SurveyInput::new(protocol, SurveyKind::Monitoring, date)
    });
    row.finish(site, survey)
}
