//! A mapping table: source-protocol codes and names → canonical category codes, read from a
//! CSV under `fixtures/protocols/` and looked up case- and whitespace-insensitively.

use std::collections::HashMap;

/// What a source column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A count of items.
    Count,
    /// A yes/no presence observation (e.g. OSPAR `Survey: Pellets [998]`), not a count.
    Presence,
}

/// One row of a mapping table.
#[derive(Debug, Clone)]
pub struct MappingRow {
    /// The source's own code (OSPAR `15`, G-code `G21`, TIDES item name …).
    pub source_code: String,
    /// The source's name for it.
    pub source_name: String,
    /// Canonical category code (empty for presence rows).
    pub category: String,
    /// For a finer split of another source code (e.g. OSPAR 610 of 6): that code. Such a row
    /// is kept but not added to totals, since its parent row already counts the items.
    pub breakdown_of: Option<String>,
    /// Count or presence.
    pub kind: RowKind,
    /// The source protocol's own assessment groups (e.g. litteR's SUP, FISH, PLASTIC for OSPAR).
    pub source_groups: Vec<String>,
    /// Counted in the source protocol's own total, where it says (OSPAR `included`).
    pub source_included: Option<bool>,
}

impl MappingRow {
    /// A plain count row: a source code (and name) that maps to one category.
    pub fn count(source_code: String, source_name: String, category: String) -> Self {
        Self {
            source_code,
            source_name,
            category,
            breakdown_of: None,
            kind: RowKind::Count,
            source_groups: Vec::new(),
            source_included: None,
        }
    }
}

/// A compiled mapping table.
#[derive(Debug)]
pub struct MappingTable {
    rows: Vec<MappingRow>,
    index: HashMap<String, usize>,
}

/// Lower case with runs of white space folded: the form every look-up key takes.
pub fn normalise_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl MappingTable {
    /// Builds the table; each row is found by its code and by its name.
    pub fn new(rows: Vec<MappingRow>) -> Self {
        let mut index = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            index.entry(normalise_key(&row.source_code)).or_insert(i);
            index.entry(normalise_key(&row.source_name)).or_insert(i);
        }
        Self { rows, index }
    }

    /// The row for a code or name as a team wrote it.
    pub fn find(&self, code_or_name: &str) -> Option<&MappingRow> {
        self.index.get(&normalise_key(code_or_name)).map(|&i| &self.rows[i])
    }

    /// A table without rows (for a protocol that has none).
    pub fn empty() -> &'static MappingTable {
        static EMPTY: std::sync::OnceLock<MappingTable> = std::sync::OnceLock::new();
        EMPTY.get_or_init(|| MappingTable::new(Vec::new()))
    }

    /// Every row, in file order.
    pub fn rows(&self) -> &[MappingRow] {
        &self.rows
    }
}

/// Reads a mapping CSV into rows with `read_row` (given a header-indexed field getter).
pub fn read_csv<T>(text: &str, read_row: impl Fn(&dyn Fn(&str) -> String) -> T) -> Vec<T> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    reader
        .records()
        // the tables are compiled in: a malformed row is a build defect, never a silent gap
        .map(|record| record.unwrap_or_else(|e| panic!("an embedded mapping table is malformed: {e}")))
        .map(|record| {
            let field = |name: &str| {
                headers.iter().position(|h| h == name).and_then(|i| record.get(i)).unwrap_or("").trim().to_string()
            };
            read_row(&field)
        })
        .collect()
}
