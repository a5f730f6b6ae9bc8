//! Tideline's own protocol: items are posted in canonical category codes.

use std::sync::OnceLock;

use super::table::{MappingRow, MappingTable};
use crate::category::CategoryTree;

/// Every canonical category as its own source code.
pub fn table() -> &'static MappingTable {
    static TABLE: OnceLock<MappingTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        MappingTable::new(
            CategoryTree::global()
                .iter()
                .map(|c| MappingRow::count(c.code.clone(), c.code.clone(), c.code.clone()))
                .collect(),
        )
    })
}
