//! Reading a row of OSPAR's litteR wide CSV layout (`region_code … location_code, location_name,
//! date`, then one column per OSPAR type).

use super::{AdaptedRow, SiteRef, WideRow};
use crate::protocol::ospar::{table, OSPAR_LENGTH_M};
use crate::protocol::Protocol;
use crate::protocol::RowKind;
use crate::survey::{SurveyInput, SurveyKind};
use crate::validation::FieldError;

/// Metadata columns of the litteR layout; every other column is an OSPAR type.
pub const METADATA_COLUMNS: [&str; 7] =
    ["region_code", "region_name", "country_code", "country_name", "location_code", "location_name", "date"];

/// Reads one row of the litteR layout (`region_code … location_code, location_name, date`,
/// then one column per OSPAR type). Presence columns (pellets [998]) are skipped.
pub fn read_row(headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
    let presence: Vec<&str> =
        table().rows().iter().filter(|r| r.kind == RowKind::Presence).map(|r| r.source_name.as_str()).collect();
    let mut metadata: Vec<&str> = METADATA_COLUMNS.to_vec();
    metadata.extend(presence);
    let mut row = WideRow::new(headers, values);
    let date = row.date("date", "%Y-%m-%d");
    let site = SiteRef {
        code: row.string("location_code"),
        name: row.string("location_name"),
        country_code: row.string("country_code"),
        location: None,
    };
    let items = row.item_counts(&metadata);
    let survey = date.map(|date| SurveyInput {
        length_m: Some(OSPAR_LENGTH_M),
        items,
        ..SurveyInput::new(Protocol::Ospar, SurveyKind::Monitoring, date)
    });
    row.finish(site, survey)
}
