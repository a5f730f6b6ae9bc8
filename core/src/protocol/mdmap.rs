//! NOAA MDMAP shoreline-survey adapter: items > 2.5 cm by material and item type (codes as
//! `Plastic: bags`), a 100 m site whose width is measured at each survey, and the
//! standing-stock or accumulation survey type.

use std::sync::OnceLock;

use super::table::{read_csv, MappingRow, MappingTable};

const MDMAP_CSV: &str = include_str!("../../../fixtures/protocols/mdmap.csv");
/// Material headings of other datasheet versions, each an alias of a 2012 heading.
const MATERIAL_ALIASES_CSV: &str = include_str!("../../../fixtures/protocols/mdmap-materials.csv");

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
