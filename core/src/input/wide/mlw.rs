//! Reading a row of the EEA Marine LitterWatch export (`BeachName … EventDate (yyyymmdd),
//! EventType, lon_x1, lat_y1, lon_x2, lat_y2, G1 … G213`).

use super::{AdaptedRow, SiteRef, WideRow};
use crate::protocol::Protocol;
use crate::survey::{SurveyInput, SurveyKind};
use crate::validation::FieldError;

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
