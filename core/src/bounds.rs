//! Hard plausible ranges of the physical quantities a record carries: a value outside is
//! impossible (a typing or unit error), so the record is refused with a 422 naming the field,
//! the value and the range. One table, used by every protocol's path.

use crate::validation::FieldError;

/// The range a quantity must lie in: greater than `min` (or equal, when `min_inclusive`) and
/// at most `max`, in `unit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// What the quantity is, in words.
    pub quantity: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Lower end.
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    /// Upper end (inclusive).
    pub max: f64,
}

const fn above(quantity: &'static str, unit: &'static str, min: f64, max: f64) -> Bound {
    Bound { quantity, unit, min, min_inclusive: false, max }
}

const fn from(quantity: &'static str, unit: &'static str, min: f64, max: f64) -> Bound {
    Bound { quantity, unit, min, min_inclusive: true, max }
}

/// Surveyed length of a beach stretch (OSPAR: 100 m; a cleanup may walk many km).
pub const SURVEY_LENGTH_M: Bound = above("surveyed length", "m", 0.0, 100_000.0);
/// Surveyed width of a beach, water's edge to the back of the beach.
pub const SURVEY_WIDTH_M: Bound = above("surveyed width", "m", 0.0, 5_000.0);
/// Collected litter mass of one survey or cleanup.
pub const SURVEY_MASS_KG: Bound = from("collected mass", "kg", 0.0, 1_000_000.0);
/// Duration of one survey or cleanup (a week at most).
pub const SURVEY_DURATION_MIN: Bound = from("survey duration", "min", 0.0, 10_080.0);
/// Width of a manta or neuston net's mouth.
pub const NET_WIDTH_M: Bound = above("net width", "m", 0.0, 10.0);
/// Area of a net's mouth.
pub const MOUTH_AREA_M2: Bound = above("net mouth area", "m²", 0.0, 20.0);
/// Mesh size of a net or sieve.
pub const MESH_UM: Bound = above("mesh size", "µm", 0.0, 10_000.0);
/// Water volume filtered by a pump or net.
pub const FILTERED_VOLUME_M3: Bound = above("filtered volume", "m³", 0.0, 100_000.0);
/// Dry mass of a sediment sample.
pub const DRY_MASS_KG: Bound = above("sediment dry mass", "kg", 0.0, 1_000.0);
/// Area of a sediment quadrat or sampled surface.
pub const SAMPLED_AREA_M2: Bound = above("sampled area", "m²", 0.0, 100_000.0);
/// Flowmeter rotor constant (General Oceanics standard rotor: 26 873 / 999 999 ≈ 0.0269 m).
pub const ROTOR_M_PER_COUNT: Bound = above("rotor constant", "m per count", 0.0, 1.0);
/// Distance of one net tow.
pub const TOW_DISTANCE_M: Bound = above("tow distance", "m", 0.0, 50_000.0);

impl Bound {
    /// Whether `value` lies in the range (never for NaN or infinities).
    pub fn contains(&self, value: f64) -> bool {
        let low = if self.min_inclusive { value >= self.min } else { value > self.min };
        value.is_finite() && low && value <= self.max
    }

    /// The error naming the field, the value and the range, when `value` lies outside.
    pub fn check(&self, value: f64, pointer: &str) -> Option<FieldError> {
        if self.contains(value) {
            return None;
        }
        let low = if self.min_inclusive { "at least" } else { "greater than" };
        Some(FieldError::new(
            pointer,
            format!(
                "{value} {unit} is not a plausible {quantity}: it must be {low} {min} and at most {max} {unit}",
                unit = self.unit,
                quantity = self.quantity,
                min = self.min,
                max = self.max,
            ),
        ))
    }

    /// `value` when it lies in range; otherwise records the error and gives `None`.
    pub fn read(&self, value: Option<f64>, pointer: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
        let value = value?;
        match self.check(value, pointer) {
            None => Some(value),
            Some(error) => {
                errors.push(error);
                None
            }
        }
    }
}

/// Every bound, for documentation (`tideline bounds`) and tests.
pub const ALL: [Bound; 12] = [
    SURVEY_LENGTH_M,
    SURVEY_WIDTH_M,
    SURVEY_MASS_KG,
    SURVEY_DURATION_MIN,
    NET_WIDTH_M,
    MOUTH_AREA_M2,
    MESH_UM,
    FILTERED_VOLUME_M3,
    DRY_MASS_KG,
    SAMPLED_AREA_M2,
    ROTOR_M_PER_COUNT,
    TOW_DISTANCE_M,
];
