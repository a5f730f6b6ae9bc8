//! OSPAR beach-litter adapter: types 1–121 plus litteR's split and survey-only types, found
//! by ID (`15`) or export name (`Plastic: Caps [15]`), and the litteR wide CSV layout.
//!
//! The table also carries OSPAR's own assessment groups (litteR 1.0.0 `types-ospar.csv`), so
//! OSPAR-native figures (e.g. litteR's PLASTIC, which files cigarette stubs under paper) can be
//! reproduced next to the canonical ones.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable, RowKind};
use super::wide::{AdaptedRow, SiteRef, WideRow};
use super::Protocol;
use crate::survey::{CanonicalItem, SurveyInput, SurveyKind};
use crate::validation::FieldError;

const OSPAR_CSV: &str = include_str!("../../../fixtures/protocols/ospar.csv");

/// Length of an OSPAR survey stretch, m.
pub const OSPAR_LENGTH_M: f64 = 100.0;

/// Metadata columns of the litteR layout; every other column is an OSPAR type.
pub const METADATA_COLUMNS: [&str; 7] =
    ["region_code", "region_name", "country_code", "country_name", "location_code", "location_name", "date"];

/// The OSPAR mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(OSPAR_CSV, |field| MappingRow {
            source_code: field("source_code"),
            source_name: field("source_name"),
            category: field("category"),
            breakdown_of: Some(field("breakdown_of")).filter(|b| !b.is_empty()),
            kind: if field("kind") == "presence" { RowKind::Presence } else { RowKind::Count },
            source_groups: field("ospar_groups").split_whitespace().map(str::to_string).collect(),
            source_included: Some(field("ospar_included") == "x"),
        }))
    })
}

/// Sum of the items in an OSPAR group (`SUP`, `FISH`, `PLASTIC` …, or `TC` for the types
/// `included` in OSPAR's total), by OSPAR's own classification.
pub fn group_total(items: &[CanonicalItem], group: &str) -> u64 {
    let table = table();
    items
        .iter()
        .filter_map(|item| Some((table.find(&item.source_code)?, item.count)))
        .filter(|(row, _)| match group {
            "TC" => row.source_included == Some(true),
            _ => row.source_groups.iter().any(|g| g == group),
        })
        .map(|(_, count)| u64::from(count))
        .sum()
}

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
