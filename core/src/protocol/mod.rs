//! Source protocols and their mapping to the canonical categories: one adapter module per
//! protocol, all behind [`Protocol::resolve`].

pub mod mdmap;
pub mod mlw;
pub mod native;
pub mod ospar;
pub mod sheet;
pub mod table;
pub mod tides;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::category::{Category, CategoryTree};
use crate::survey::LitterSize;
pub use table::{MappingRow, MappingTable, RowKind};

/// A survey protocol a team records with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// OSPAR beach-litter monitoring (type IDs 1–121).
    Ospar,
    /// MSFD Master List G-codes as exported by EEA Marine LitterWatch.
    Mlw,
    /// Ocean Conservancy ICC / TIDES cleanups.
    Tides,
    /// NOAA Marine Debris Monitoring and Assessment Project shoreline surveys.
    Mdmap,
    /// Tideline's canonical form.
    Tideline,
    /// A GESAMP (2019) material × size-class sheet: counts and weights by material.
    Gesamp,
    /// NOWPAP / NPEC beach-litter monitoring: counts and weights by material, in blocks.
    Nowpap,
    /// China's national beach-litter monitoring: counts and weights by material and size.
    China,
    /// Indonesia's KLHK guideline: UNEP/IOC (2009) codes, macro and meso, counted and weighed.
    Klhk,
    /// Viet Nam: the Fulbright Vietnam Project survey sheet's items.
    Vietnam,
}

const VERSIONS_CSV: &str = include_str!("../../../fixtures/protocols/versions.csv");

/// The version of a mapping table named in `versions.csv` (0 for a table it does not list,
/// which a test rules out).
pub fn table_version(table: &str) -> u32 {
    static VERSIONS: std::sync::OnceLock<Vec<(String, u32)>> = std::sync::OnceLock::new();
    VERSIONS
        .get_or_init(|| table::read_csv(VERSIONS_CSV, |field| (field("table"), field("version").parse().unwrap_or(0))))
        .iter()
        .find(|(name, _)| name == table)
        .map_or(0, |(_, version)| *version)
}

/// A source code resolved to its canonical category.
#[derive(Debug, Clone)]
pub struct Mapping<'a> {
    /// The mapping-table row that matched.
    pub row: &'a MappingRow,
    /// The canonical category.
    pub category: &'a Category,
    /// The size class the code carried as a suffix (KLHK's `PL07:meso`), if it did.
    pub size_suffix: Option<LitterSize>,
}

impl Mapping<'_> {
    /// Whether the items of this row count toward totals: the category is counted and the row
    /// is not a finer breakdown of another row.
    pub fn counted(&self) -> bool {
        self.category.counted && self.row.breakdown_of.is_none()
    }

    /// The code a line is stored under: the row's own code, with the size suffix it was
    /// posted with (`PL07:meso`).
    pub fn stored_code(&self) -> String {
        match self.size_suffix {
            Some(size) => format!("{}:{}", self.row.source_code, size.as_str()),
            None => self.row.source_code.clone(),
        }
    }
}

/// Why a source code cannot be mapped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MappingError {
    /// The protocol's table has no such code or name.
    #[error("`{code}` is not a known {protocol} code or item name")]
    UnknownCode { protocol: Protocol, code: String },
    /// The code is a yes/no observation, not a count.
    #[error("{protocol} `{code}` is a presence (yes/no) field, not an item count")]
    NotACount { protocol: Protocol, code: String },
}

impl Protocol {
    /// Every protocol.
    pub const ALL: [Protocol; 10] = [
        Self::Ospar,
        Self::Mlw,
        Self::Tides,
        Self::Mdmap,
        Self::Tideline,
        Self::Gesamp,
        Self::Nowpap,
        Self::China,
        Self::Klhk,
        Self::Vietnam,
    ];

    /// The protocol's name in the API (`ospar`, `mlw`, `tides`, `mdmap`, `tideline`, `gesamp`,
    /// `nowpap`, `china`, `klhk`, `vietnam`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ospar => "ospar",
            Self::Mlw => "mlw",
            Self::Tides => "tides",
            Self::Mdmap => "mdmap",
            Self::Tideline => "tideline",
            Self::Gesamp => "gesamp",
            Self::Nowpap => "nowpap",
            Self::China => "china",
            Self::Klhk => "klhk",
            Self::Vietnam => "vietnam",
        }
    }

    /// The mapping table of this protocol.
    pub fn table(self) -> &'static MappingTable {
        match self {
            Self::Ospar => ospar::table(),
            Self::Mlw => mlw::table(),
            Self::Tides => tides::table(),
            Self::Mdmap => mdmap::table(),
            Self::Tideline => native::table(),
            Self::Gesamp | Self::Nowpap | Self::China | Self::Klhk | Self::Vietnam => {
                sheet::of(self).map_or_else(MappingTable::empty, sheet::Sheet::table)
            }
        }
    }

    /// The version of the mapping used, stored with every record (e.g. `ospar@2+categories@4`),
    /// from `fixtures/protocols/versions.csv`, the one place versions are kept.
    pub fn mapping_version(self) -> String {
        format!("{}@{}+categories@{}", self.as_str(), table_version(self.as_str()), table_version("categories"))
    }

    /// Resolves a source code or item name to its canonical category.
    pub fn resolve(self, code: &str) -> Result<Mapping<'static>, MappingError> {
        let unknown = || MappingError::UnknownCode { protocol: self, code: code.to_string() };
        let table = self.table();
        let (row, size_suffix) = match table.find(code) {
            Some(row) => (row, None),
            None => self
                .split_size(code)
                .and_then(|(base, size)| Some((table.find(base)?, Some(size))))
                .ok_or_else(unknown)?,
        };
        if row.kind == RowKind::Presence {
            return Err(MappingError::NotACount { protocol: self, code: code.to_string() });
        }
        let category = CategoryTree::global().get(&row.category).ok_or_else(unknown)?;
        Ok(Mapping { row, category, size_suffix })
    }

    /// The size class a source code itself names (the GESAMP sheet's `plastic:meso`, KLHK's
    /// `PL07:meso`), if any.
    pub fn size_class_of(self, code: &str) -> Option<LitterSize> {
        sheet::of(self).and_then(|sheet| sheet.size_class(code)).or_else(|| Some(self.split_size(code)?.1))
    }

    /// Whether the protocol records on a weighed sheet (GESAMP, NOWPAP, China, KLHK, Viet
    /// Nam): counts with their weights, one CSV layout for all.
    pub fn is_weighed_sheet(self) -> bool {
        sheet::of(self).is_some()
    }

    /// The size classes a line's code may carry as a suffix (`PL07:meso`): KLHK records macro
    /// (> 2.5 cm) and meso (0.5–2.5 cm) litter of each code apart.
    pub fn size_suffixes(self) -> &'static [LitterSize] {
        match self {
            Self::Klhk => &[LitterSize::Macro, LitterSize::Meso],
            _ => &[],
        }
    }

    /// A code with a size suffix this protocol allows, split into the code and its size.
    fn split_size(self, code: &str) -> Option<(&str, LitterSize)> {
        let (base, suffix) = code.trim().rsplit_once(':')?;
        let size: LitterSize = suffix.trim().parse().ok()?;
        self.size_suffixes().contains(&size).then_some((base.trim(), size))
    }

    /// The coverage table: every source code with its canonical category, for review.
    pub fn coverage(self) -> Vec<(String, String, String)> {
        self.table()
            .rows()
            .iter()
            .map(|row| (row.source_code.clone(), row.source_name.clone(), row.category.clone()))
            .collect()
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::sql_text!(Protocol);

impl FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|p| p.as_str()).collect();
            format!("unknown protocol `{s}` (one of {})", names.join(", "))
        })
    }
}
