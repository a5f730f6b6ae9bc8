//! The weighed regional sheets: their tables (`source_code, source_name, category,
//! size_class` under `fixtures/protocols/`) and the size class a code names.
//!
//! - **GESAMP (2019)** material × size-class sheet: `plastic:macro`, `glass:meso` … to the
//!   material leaves of the canonical tree (`TL-MAT-…`), the size class to the line.
//! - **NOWPAP / NPEC** (Japan, Korea, China, Russia): items counted and weighed by material
//!   (plastic, styrene foam, rubber, paper, cloth, glass and ceramics, metal, other) in
//!   10 m × 10 m blocks, each line marked domestic or foreign where its printed text tells.
//! - **China's national monitoring**: items and grams per 100 m² by material (塑料类,
//!   聚苯乙烯泡沫类 …) and the programme's own size classes, coded `material:size`
//!   (`plastic:medium`) with their GESAMP class: 中块 and 大块 macro, 特大块 mega, and 小块
//!   (< 2.5 cm) meso, since a visual beach survey picks no pieces below 5 mm (and so the
//!   small pieces stay out of the EU threshold total, like every piece below 2.5 cm).
//! - **Indonesia, KLHK**: the UNEP/IOC (2009) classification codes (PL01 … OT05), macro and
//!   meso apart: a line's code may carry its size (`PL07:meso`, see `Protocol::size_suffixes`).
//! - **Viet Nam**: the Fulbright Vietnam Project sheet's items; its landmarks and points of
//!   interest (cafés, markets, bins) are yes/no observations, rows without a category.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table::{normalise_key, read_csv, MappingRow, MappingTable, RowKind};
use super::Protocol;
use crate::survey::LitterSize;

/// A sheet's mapping table with the size class each code names.
#[derive(Debug)]
pub struct Sheet {
    table: MappingTable,
    sizes: HashMap<String, LitterSize>,
}

/// The sheet of a protocol recorded on one (`None` for the item-list protocols).
pub fn of(protocol: Protocol) -> Option<&'static Sheet> {
    static SHEETS: OnceLock<HashMap<Protocol, Sheet>> = OnceLock::new();
    SHEETS
        .get_or_init(|| Protocol::ALL.into_iter().filter_map(|p| Some((p, Sheet::parse(source(p)?)))).collect())
        .get(&protocol)
}

fn source(protocol: Protocol) -> Option<&'static str> {
    Some(match protocol {
        Protocol::Gesamp => include_str!("../../../fixtures/protocols/gesamp.csv"),
        Protocol::Nowpap => include_str!("../../../fixtures/protocols/nowpap.csv"),
        Protocol::China => include_str!("../../../fixtures/protocols/china.csv"),
        Protocol::Klhk => include_str!("../../../fixtures/protocols/klhk.csv"),
        Protocol::Vietnam => include_str!("../../../fixtures/protocols/vietnam.csv"),
        Protocol::Ospar | Protocol::Mlw | Protocol::Tides | Protocol::Mdmap | Protocol::Tideline => return None,
    })
}

impl Sheet {
    /// Reads a sheet table (compiled in: a malformed row is a build defect).
    pub fn parse(csv: &str) -> Self {
        let rows = read_csv(csv, |field| {
            let mut row = MappingRow::count(field("source_code"), field("source_name"), field("category"));
            if row.category.is_empty() {
                row.kind = RowKind::Presence;
            }
            let size: Option<LitterSize> = field("size_class").parse().ok();
            (row, size)
        });
        let sizes = rows.iter().filter_map(|(row, size)| Some((normalise_key(&row.source_code), (*size)?))).collect();
        Self { table: MappingTable::new(rows.into_iter().map(|(row, _)| row).collect()), sizes }
    }

    /// The mapping table.
    pub fn table(&self) -> &MappingTable {
        &self.table
    }

    /// The size class a code (or its name) names, if it names one.
    pub fn size_class(&self, code: &str) -> Option<LitterSize> {
        let row = self.table.find(code)?;
        self.sizes.get(&normalise_key(&row.source_code)).copied()
    }
}
