//! Reading a row of an Ocean Conservancy TIDES export: item-name columns, effort in people,
//! pounds, miles and bags, `GPS` as "lat, lon".

use super::{AdaptedRow, SiteRef, WideRow};
use crate::protocol::Protocol;
use crate::survey::{Effort, GeoPoint, SurveyInput, SurveyKind};
use crate::units::{LengthUnit, MassUnit};
use crate::validation::FieldError;

/// Metadata and effort columns of a TIDES export; every other column is an item name.
pub const METADATA_COLUMNS: [&str; 16] = [
    "Cleanup ID",
    "Zone",
    "State",
    "Country",
    "GPS",
    "Cleanup Type",
    "Cleanup Date",
    "Group Name",
    "Cleanup Site",
    "Adults",
    "Children",
    "People",
    "Pounds",
    "Miles",
    "# of bags",
    "Total Items Collected",
];

/// Reads one row of a TIDES export (`Cleanup Date` as YYYY-MM-DD or MM/DD/YYYY, `GPS` as
/// "lat, lon").
pub fn read_row(headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
    let mut row = WideRow::new(headers, values);
    let date = row.required("Cleanup Date").and_then(|text| {
        let parsed = ["%Y-%m-%d", "%m/%d/%Y"].iter().find_map(|f| chrono::NaiveDate::parse_from_str(text, f).ok());
        if parsed.is_none() {
            row.errors
                .push(FieldError::new("/Cleanup Date", format!("`{text}` is not a date (YYYY-MM-DD or MM/DD/YYYY)")));
        }
        parsed
    });
    let location = row.text("GPS").and_then(|gps| {
        let mut parts = gps.split(',').map(|p| p.trim().parse::<f64>());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(Ok(lat)), Some(Ok(lon)), None) => Some(GeoPoint { lat, lon }),
            _ => {
                row.errors.push(FieldError::new("/GPS", format!("`{gps}` is not \"latitude, longitude\"")));
                None
            }
        }
    });
    let adults = row.whole("Adults");
    let children = row.whole("Children");
    let people = row.whole("People").or(match (adults, children) {
        (None, None) => None,
        (a, c) => Some(a.unwrap_or(0) + c.unwrap_or(0)),
    });
    let effort = Effort {
        participants: people,
        duration_min: None,
        mass_kg: row.number("Pounds").map(|lb| MassUnit::Lb.to_kg(lb)),
        bags: row.whole("# of bags"),
    };
    let length_m = row.number("Miles").filter(|m| *m > 0.0).map(|mi| LengthUnit::Mi.to_metres(mi));
    let site = SiteRef {
        code: row.string("Cleanup ID"),
        name: row.string("Cleanup Site").or_else(|| row.string("Zone")),
        country_code: row.string("Country"),
        location,
    };
    let items = row.item_counts(&METADATA_COLUMNS);
    let survey = date.map(|date| SurveyInput {
        location,
        length_m,
        length_from_miles: length_m.is_some(),
        effort,
        items,
        ..SurveyInput::new(Protocol::Tides, SurveyKind::Cleanup, date)
    });
    row.finish(site, survey)
}
