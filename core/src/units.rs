//! Units of effort: lengths, areas, masses and their conversion to SI (m, m², kg).

use serde::{Deserialize, Serialize};

/// Metres in one international mile.
pub const METRES_PER_MILE: f64 = 1609.344;
/// Metres in one international foot.
pub const METRES_PER_FOOT: f64 = 0.3048;
/// Metres in one international yard.
pub const METRES_PER_YARD: f64 = 0.9144;
/// Kilograms in one avoirdupois pound.
pub const KG_PER_POUND: f64 = 0.453_592_37;

/// A length unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LengthUnit {
    /// metre
    M,
    /// kilometre
    Km,
    /// foot
    Ft,
    /// yard
    Yd,
    /// mile
    Mi,
}

impl LengthUnit {
    /// Metres per unit.
    pub fn metres(self) -> f64 {
        match self {
            Self::M => 1.0,
            Self::Km => 1000.0,
            Self::Ft => METRES_PER_FOOT,
            Self::Yd => METRES_PER_YARD,
            Self::Mi => METRES_PER_MILE,
        }
    }

    /// `value` in this unit, in metres.
    pub fn to_metres(self, value: f64) -> f64 {
        value * self.metres()
    }

    /// `metres`, in this unit.
    pub fn from_metres(self, metres: f64) -> f64 {
        metres / self.metres()
    }

    /// Parses `m`, `km`, `ft`, `yd`, `mi` (and their long names).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "m" | "metre" | "meter" | "metres" | "meters" => Some(Self::M),
            "km" | "kilometre" | "kilometer" | "kilometres" | "kilometers" => Some(Self::Km),
            "ft" | "foot" | "feet" => Some(Self::Ft),
            "yd" | "yard" | "yards" => Some(Self::Yd),
            "mi" | "mile" | "miles" => Some(Self::Mi),
            _ => None,
        }
    }
}

/// An area unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AreaUnit {
    /// square metre
    M2,
    /// hectare
    Ha,
    /// square kilometre
    Km2,
    /// square foot
    Ft2,
}

impl AreaUnit {
    /// Square metres per unit.
    pub fn square_metres(self) -> f64 {
        match self {
            Self::M2 => 1.0,
            Self::Ha => 10_000.0,
            Self::Km2 => 1_000_000.0,
            Self::Ft2 => METRES_PER_FOOT * METRES_PER_FOOT,
        }
    }

    /// `value` in this unit, in m².
    pub fn to_square_metres(self, value: f64) -> f64 {
        value * self.square_metres()
    }
}

/// A mass unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MassUnit {
    /// kilogram
    Kg,
    /// gram
    G,
    /// pound
    Lb,
}

impl MassUnit {
    /// Reads a unit name: kg, g, lb (lbs, pound, pounds), any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "kg" => Some(Self::Kg),
            "g" => Some(Self::G),
            "lb" | "lbs" | "pound" | "pounds" => Some(Self::Lb),
            _ => None,
        }
    }

    /// Kilograms per unit.
    pub fn kilograms(self) -> f64 {
        match self {
            Self::Kg => 1.0,
            Self::G => 0.001,
            Self::Lb => KG_PER_POUND,
        }
    }

    /// `value` in this unit, in kg.
    pub fn to_kg(self, value: f64) -> f64 {
        value * self.kilograms()
    }

    /// `kg`, in this unit.
    pub fn from_kg(self, kg: f64) -> f64 {
        kg / self.kilograms()
    }
}
