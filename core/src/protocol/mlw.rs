//! EU Master List / EEA Marine LitterWatch adapter: G-codes, and the MLW wide CSV export
//! (`BeachName … EventDate (yyyymmdd), EventType, lon_x1, lat_y1, lon_x2, lat_y2, G1 … G213`).

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};

const MLW_CSV: &str = include_str!("../../../fixtures/protocols/mlw.csv");

/// The Master List mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(MLW_CSV, |field| {
            MappingRow::count(field("source_code"), field("source_name"), field("category"))
        }))
    })
}
