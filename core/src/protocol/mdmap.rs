//! NOAA MDMAP shoreline-survey adapter: items > 2.5 cm by material and item type (codes as
//! `Plastic: bags`), a 100 m site whose width is measured at each survey, and the
//! standing-stock or accumulation survey type.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};
use super::wide::{AdaptedRow, SiteRef, WideRow};
use super::Protocol;
use crate::survey::{SurveyInput, SurveyKind, SurveyType};
use crate::validation::FieldError;

const MDMAP_CSV: &str = include_str!("../../../fixtures/protocols/mdmap.csv");
/// Material headings of other datasheet versions, each an alias of a 2012 heading.
const MATERIAL_ALIASES_CSV: &str = include_str!("../../../fixtures/protocols/mdmap-materials.csv");

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

/// The MDMAP mapping table; codes are `material: item`.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let aliases: Vec<(String, String)> =
            read_csv(MATERIAL_ALIASES_CSV, |field| (field("alias").to_string(), field("material").to_string()));
        let rows: Vec<(String, String, String)> = read_csv(MDMAP_CSV, |field| {
            (field("material").to_string(), field("item").to_string(), field("category").to_string())
        });
        let mut table = Vec::new();
        for (material, item, category) in &rows {
            let code = format!("{material}: {item}");
            table.push(MappingRow::count(code.clone(), code, category.clone()));
            // the same item under every later heading of its material
            for (alias, _) in aliases.iter().filter(|(_, m)| m == material) {
                let code = format!("{alias}: {item}");
                table.push(MappingRow::count(code.clone(), code, category.clone()));
            }
        }
        MappingTable::new(table)
    })
}

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
