//! EU Master List / EEA Marine LitterWatch adapter: G-codes, and the MLW wide CSV export
//! (`BeachName … EventDate (yyyymmdd), EventType, lon_x1, lat_y1, lon_x2, lat_y2, G1 … G213`).

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};
use super::wide::{AdaptedRow, SiteRef, WideRow};
use super::Protocol;
use crate::survey::{SurveyInput, SurveyKind};
use crate::validation::FieldError;

const MLW_CSV: &str = include_str!("../../../fixtures/protocols/mlw.csv");

/// Metadata columns of the MLW export; every other column is a G-code.
pub const METADATA_COLUMNS: [&str; 14] = [
    "CommunityName",
    "BeachName",
    "BeachCountrycode",
    "BeachRegionalSea",
    "BeachLength_m",
    "BeachLocation",
    "BeachType",
    "EventDate",
    "EventType",
    "NatRef",
    "lon_x1",
    "lat_y1",
    "lon_x2",
    "lat_y2",
];

/// The Master List mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(MLW_CSV, |field| {
            MappingRow::count(field("source_code"), field("source_name"), field("category"))
        }))
    })
}

/// Reads one row of the MLW export. Blank G-columns were not recorded; 0 means none found.
pub fn read_row(headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
    let mut row = WideRow::new(headers, values);
    let date = row.date("EventDate", "%Y%m%d");
    let kind = match row.required("EventType").map(str::to_lowercase).as_deref() {
        Some("monitoring") => Some(SurveyKind::Monitoring),
        Some("cleanup") => Some(SurveyKind::Cleanup),
        Some(other) => {
            let message = format!("`{other}` is neither Monitoring nor Cleanup");
            row.errors.push(FieldError::new("/EventType", message));
            None
        }
        None => None,
    };
    let start = row.point("lat_y1", "lon_x1");
    let end = row.point("lat_y2", "lon_x2");
    let length_m = row.number("BeachLength_m");
    let site = SiteRef {
        code: row.string("NatRef"),
        name: row.string("BeachName"),
        country_code: row.string("BeachCountrycode"),
        location: start,
    };
    let items = row.item_counts(&METADATA_COLUMNS);
    let survey = date.zip(kind).map(|(date, kind)| SurveyInput {
        location: start,
        stretch: start.zip(end),
        length_m,
        items,
        ..SurveyInput::new(Protocol::Mlw, kind, date)
    });
    row.finish(site, survey)
}
