//! Tideline's own protocol: items are posted in canonical category codes.

use std::sync::OnceLock;

use super::table::{MappingRow, MappingTable, RowKind};
use crate::category::CategoryTree;

/// Every canonical category as its own source code.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(
            CategoryTree::global()
                .iter()
                .map(|c| MappingRow {
                    source_code: c.code.clone(),
                    source_name: c.code.clone(),
                    category: c.code.clone(),
                    breakdown_of: None,
                    kind: RowKind::Count,
                    source_groups: Vec::new(),
                    source_included: None,
                })
                .collect(),
        )
    })
}
