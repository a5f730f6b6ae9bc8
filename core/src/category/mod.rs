//! The canonical vocabulary: Master List G-codes plus Tideline group nodes (`GRP-…`, where a
//! source protocol is coarser than the G-list) and leaves (`TL-…`, where no G-code fits),
//! arranged as a tree, each with its material and assessment flags.
//!
//! Compiled in from `fixtures/protocols/categories.csv`.

mod material;
mod tree;

pub use material::{Material, SizeClass};

/// The material leaf of the tree (`TL-MAT-…`): where a protocol that records materials only
/// (a GESAMP sheet) counts its items. Every material but `mixed` has one.
pub fn material_leaf(material: Material) -> String {
    format!("TL-MAT-{}", material.as_str())
}

/// Whether a category is material-level (`TL-MAT-…`, including the foamed-plastic leaf
/// `TL-MAT-foam` of NOWPAP's and China's styrene foam): an item whose type was not recorded.
pub fn is_material_level(code: &str) -> bool {
    code.starts_with("TL-MAT-")
}
pub use tree::{CategoryTree, TreeError};

use serde::Serialize;

/// One canonical litter category.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Canonical code: a G-code (`G21`), a group (`GRP-plastic-caps`) or a Tideline leaf (`TL-…`).
    pub code: String,
    /// The group node this category belongs to, if any.
    pub parent: Option<String>,
    /// Human-readable name.
    pub name: String,
    /// Material class.
    pub material: Material,
    /// Counted in the total count (false for paraffin/wax, other pollutants, survey-only items).
    pub counted: bool,
    /// Single-use plastic item (EU SUP Directive / OSPAR SUP group).
    pub single_use_plastic: bool,
    /// Fishing- or aquaculture-related item.
    pub fishing: bool,
    /// Sanitary item (cotton buds, towels, nappies, condoms, tampons …), whatever its material.
    pub sanitary: bool,
    /// Medical item (syringes, pharmaceutical containers, swabs …), whatever its material.
    pub medical: bool,
    /// Smoking-related item (cigarette butts, packets, lighters, tobacco pouches).
    pub smoking: bool,
    /// Size class of the items (macro ≥ 2.5 cm; meso for pieces < 2.5 cm).
    pub size_class: SizeClass,
    /// Where the code comes from (TG-ML 2013, Tideline …).
    pub origin: String,
}

impl Category {
    /// Counts toward the EU threshold value total: counted in the total and not a piece smaller
    /// than 2.5 cm (paraffin/wax and oil are already outside the total).
    pub fn in_threshold_total(&self) -> bool {
        self.counted && self.size_class == SizeClass::Macro
    }

    /// Made of an artificial polymer (plastic), as used by the Clean Coast Index and plastic share.
    pub fn is_plastic(&self) -> bool {
        self.material == Material::ArtificialPolymer
    }
}
