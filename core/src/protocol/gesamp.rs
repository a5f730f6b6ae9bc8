//! A generic GESAMP (2019) material × size-class sheet: each line is a material and a size
//! class (`plastic:macro`, `glass:meso` …) with a count and, usually, a weight. Materials map
//! to the material leaves of the canonical tree (`TL-MAT-…`: aggregation up by material stays
//! exact; nothing is split into item types), and the size class of the code goes to the line.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table::{normalise_key, read_csv, MappingRow, MappingTable};
use crate::survey::LitterSize;

const GESAMP_CSV: &str = include_str!("../../../fixtures/protocols/gesamp.csv");

/// The sheet's mapping table.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(read_csv(GESAMP_CSV, |field| {
            MappingRow::count(field("source_code"), field("source_name"), field("category"))
        }))
    })
}

/// The size class a sheet code names (`plastic:meso` → meso).
pub fn size_class(code: &str) -> Option<LitterSize> {
    static SIZES: OnceLock<HashMap<String, LitterSize>> = OnceLock::new();
    SIZES
        .get_or_init(|| {
            read_csv(GESAMP_CSV, |field| (normalise_key(&field("source_code")), field("size_class").parse().ok()))
                .into_iter()
                .filter_map(|(code, size)| Some((code, size?)))
                .collect()
        })
        .get(&normalise_key(code))
        .copied()
}
