//! Ocean Conservancy ICC / TIDES adapter: item names of the classic ICC data card, the newer
//! ICC / Clean Swell list and TIDES export columns; effort in people, pounds, miles and bags.
//! A TIDES record has no measured stretch: it is a cleanup, and its miles give items/100 m
//! only with the `length_from_miles` flag.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};
use super::wide::{AdaptedRow, SiteRef, WideRow};
use super::Protocol;
use crate::survey::{Effort, GeoPoint, SurveyInput, SurveyKind};
use crate::units::{LengthUnit, MassUnit};
use crate::validation::FieldError;

const TIDES_CSV: &str = include_str!("../../../fixtures/protocols/tides.csv");

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

/// The ICC/TIDES mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(TIDES_CSV, |field| {
            MappingRow::count(field("source_name"), field("source_name"), field("category"))
        }))
    })
}

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
