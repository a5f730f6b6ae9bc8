//! OSPAR beach-litter adapter: types 1–121 plus litteR's split and survey-only types, found
//! by ID (`15`) or export name (`Plastic: Caps [15]`), and the litteR wide CSV layout.
//!
//! The table also carries OSPAR's own assessment groups (litteR 1.0.0 `types-ospar.csv`), so
//! OSPAR-native figures (e.g. litteR's PLASTIC, which files cigarette stubs under paper) can be
//! reproduced next to the canonical ones.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable, RowKind};

const OSPAR_CSV: &str = include_str!("../../../fixtures/protocols/ospar.csv");

/// Length of an OSPAR survey stretch, m.
pub const OSPAR_LENGTH_M: f64 = 100.0;

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

/// Sum of the counts in an OSPAR group (`SUP`, `FISH`, `PLASTIC` …, or `TC` for the types
/// `included` in OSPAR's total), by OSPAR's own classification, from `(source code, count)`.
pub fn group_total<'a>(items: impl IntoIterator<Item = (&'a str, u32)>, group: &str) -> u64 {
    let table = table();
    items
        .into_iter()
        .filter_map(|(code, count)| Some((table.find(code)?, count)))
        .filter(|(row, _)| match group {
            "TC" => row.source_included == Some(true),
            _ => row.source_groups.iter().any(|g| g == group),
        })
        .map(|(_, count)| u64::from(count))
        .sum()
}
