//! Ocean Conservancy ICC / TIDES adapter: item names of the classic ICC data card, the newer
//! ICC / Clean Swell list and TIDES export columns; effort in people, pounds, miles and bags.
//! A TIDES record has no measured stretch: it is a cleanup, and its miles give items/100 m
//! only with the `length_from_miles` flag.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};

const TIDES_CSV: &str = include_str!("../../../fixtures/protocols/tides.csv");

/// The ICC/TIDES mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(TIDES_CSV, |field| {
            MappingRow::count(field("source_name"), field("source_name"), field("category"))
        }))
    })
}
