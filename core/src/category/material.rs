//! Material classes and size classes of litter categories.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Material class of a litter category: the `category` column of the MSFD TG-ML Master List.
/// Sanitary, medical, smoking, single-use and fishing are uses (flags of a category), never
/// materials: a cotton bud stick G95 is plastic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Material {
    /// Artificial polymer materials (plastic, polystyrene).
    ArtificialPolymer,
    /// Rubber.
    Rubber,
    /// Cloth and textile.
    ClothTextile,
    /// Paper and cardboard.
    PaperCardboard,
    /// Processed or worked wood.
    ProcessedWood,
    /// Metal.
    Metal,
    /// Glass and ceramics.
    GlassCeramics,
    /// Chemicals (paraffin, wax, oil).
    Chemicals,
    /// Unidentified material.
    Unidentified,
    /// A group node whose children are of several materials (its own counts cannot be split).
    Mixed,
}

impl Material {
    /// Every material, in reporting order.
    pub const ALL: [Material; 10] = [
        Self::ArtificialPolymer,
        Self::Rubber,
        Self::ClothTextile,
        Self::PaperCardboard,
        Self::ProcessedWood,
        Self::Metal,
        Self::GlassCeramics,
        Self::Chemicals,
        Self::Unidentified,
        Self::Mixed,
    ];

    /// The snake_case name used in data files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ArtificialPolymer => "artificial_polymer",
            Self::Rubber => "rubber",
            Self::ClothTextile => "cloth_textile",
            Self::PaperCardboard => "paper_cardboard",
            Self::ProcessedWood => "processed_wood",
            Self::Metal => "metal",
            Self::GlassCeramics => "glass_ceramics",
            Self::Chemicals => "chemicals",
            Self::Unidentified => "unidentified",
            Self::Mixed => "mixed",
        }
    }
}

impl fmt::Display for Material {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Material {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| format!("unknown material `{s}`"))
    }
}

/// Size class of litter items (GESAMP): macro 2.5 cm – 1 m, meso 5–25 mm, micro < 5 mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    /// 2.5 cm to 1 m.
    Macro,
    /// 5 to 25 mm.
    Meso,
    /// Below 5 mm.
    Micro,
}

impl FromStr for SizeClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "macro" => Ok(Self::Macro),
            "meso" => Ok(Self::Meso),
            "micro" => Ok(Self::Micro),
            other => Err(format!("unknown size class `{other}`")),
        }
    }
}
