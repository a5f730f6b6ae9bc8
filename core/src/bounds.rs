//! Hard plausible ranges of the physical quantities a record carries: a value outside is
//! impossible (a typing or unit error), so the record is refused with a 422 naming the field,
//! the value and the range. One table, used by every protocol's path.

use crate::validation::{FieldError, Flag};

/// The range a quantity must lie in — greater than `min` (or equal, when `min_inclusive`) and
/// at most `max`, in `unit` — and the narrower band its values usually fall in. A value outside
/// the hard range is refused; a value in the doubtful band between them is stored, flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// What the quantity is, in words.
    pub quantity: &'static str,
    /// The record field, as a JSON pointer.
    pub field: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Lower end.
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    /// Upper end (inclusive).
    pub max: f64,
    /// Usual lowest value: below it (and inside the hard range) the value is doubtful.
    pub usual_min: f64,
    /// Usual highest value: above it (and inside the hard range) the value is doubtful.
    pub usual_max: f64,
}

/// A range whose lower end is excluded (`> min`); [`Bound::with_min`] allows it.
const fn range(
    quantity: &'static str,
    field: &'static str,
    unit: &'static str,
    (min, max): (f64, f64),
    (usual_min, usual_max): (f64, f64),
) -> Bound {
    Bound { quantity, field, unit, min, min_inclusive: false, max, usual_min, usual_max }
}

/// Surveyed length of a beach stretch (OSPAR: 100 m; a cleanup may walk many km). Its doubtful
/// band is reported by the `short_length` and `long_length` flags.
pub const SURVEY_LENGTH_M: Bound = range("surveyed length", "/length_m", "m", (0.0, 100_000.0), (10.0, 1_000.0));
/// A site's reference length: the surveyed length its surveys cover when they give none.
/// (A survey that takes it as its length is flagged as its own length would be.)
pub const SITE_REFERENCE_LENGTH_M: Bound =
    Bound { quantity: "site reference length", field: "/reference_length_m", ..SURVEY_LENGTH_M };
/// Surveyed width of a beach, water's edge to the back of the beach.
pub const SURVEY_WIDTH_M: Bound = range("surveyed width", "/width_m", "m", (0.0, 5_000.0), (1.0, 300.0));
/// Collected litter mass of one survey or cleanup.
pub const SURVEY_MASS_KG: Bound =
    range("collected mass", "/effort/mass_kg", "kg", (0.0, 1_000_000.0), (0.0, 5_000.0)).with_min();
/// Duration of one survey or cleanup (a week at most).
pub const SURVEY_DURATION_MIN: Bound =
    range("survey duration", "/effort/duration_min", "min", (0.0, 10_080.0), (5.0, 720.0)).with_min();
/// Litter density of one survey (all items per 100 m of shore).
pub const ITEMS_PER_100M: Bound =
    range("litter density", "/items", "items/100 m", (0.0, f64::MAX), (0.0, 50_000.0)).with_min();
/// Width of a manta or neuston net's mouth (manta nets: 0.6–1 m).
pub const NET_WIDTH_M: Bound = range("net width", "/net_width_m", "m", (0.0, 10.0), (0.2, 3.0));
/// Area of a net's mouth.
pub const MOUTH_AREA_M2: Bound = range("net mouth area", "/mouth_area_m2", "m²", (0.0, 20.0), (0.01, 3.0));
/// Mesh size of a net or sieve (manta nets: 330–335 µm).
pub const MESH_UM: Bound = range("mesh size", "/mesh_um", "µm", (0.0, 10_000.0), (10.0, 5_000.0));
/// Water volume filtered by a pump or net.
pub const FILTERED_VOLUME_M3: Bound =
    range("filtered volume", "/filtered_volume_m3", "m³", (0.0, 100_000.0), (0.000_5, 10_000.0));
/// Dry mass of a sediment sample.
pub const DRY_MASS_KG: Bound = range("sediment dry mass", "/dry_mass_kg", "kg", (0.0, 1_000.0), (0.01, 10.0));
/// Area of a sediment quadrat or sampled surface.
pub const SAMPLED_AREA_M2: Bound = range("sampled area", "/area_m2", "m²", (0.0, 100_000.0), (0.01, 10_000.0));
/// Flowmeter rotor constant (General Oceanics standard rotor: 26 873 / 999 999 ≈ 0.0269 m;
/// low-speed rotor ≈ 0.0517 m).
pub const ROTOR_M_PER_COUNT: Bound =
    range("rotor constant", "/flowmeter/rotor_m_per_count", "m per count", (0.0, 1.0), (0.01, 0.1));
/// Distance of one net tow (NOAA manta tows: 15–30 min at about 2 knots, 1–3 km).
pub const TOW_DISTANCE_M: Bound = range("tow distance", "/tow_distance_m", "m", (0.0, 50_000.0), (100.0, 5_000.0));
/// Duration of one net tow.
pub const TOW_DURATION_MIN: Bound = range("tow duration", "/tow_duration_min", "min", (0.0, 1_440.0), (5.0, 120.0));
/// Speed of a net tow implied by its distance and duration (nets are towed at 1–5 knots; faster,
/// a manta net leaves the surface).
pub const TOW_SPEED_M_S: Bound = range("tow speed", "/tow_duration_min", "m/s", (0.0, f64::MAX), (0.25, 2.6));
/// Particles counted in one sample.
pub const PARTICLE_COUNT: Bound =
    range("particle count", "/particles", "particles", (0.0, f64::MAX), (0.0, 100_000.0)).with_min();

impl Bound {
    /// The same range with its lower end allowed (`≥ min`).
    const fn with_min(self) -> Self {
        Bound { min_inclusive: true, ..self }
    }

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

    /// The `doubtful_value` flag when `value` lies outside the usual band; `implied` says how
    /// the value was found when it was not typed in (e.g. "readings 12 → 302 imply").
    pub fn doubt(&self, value: f64, pointer: &str, implied: &str) -> Option<Flag> {
        if !value.is_finite() || (self.usual_min..=self.usual_max).contains(&value) {
            return None;
        }
        let shown =
            if value.abs() >= 100.0 { format!("{value:.0}") } else { format!("{}", (value * 1000.0).round() / 1000.0) };
        let subject = if implied.is_empty() {
            format!("{} {shown} {}", self.quantity, self.unit)
        } else {
            format!("{implied} a {} of {shown} {}", self.quantity, self.unit)
        };
        Some(Flag::new(
            "doubtful_value",
            pointer,
            format!(
                "{subject}, outside the usual {} to {} {}: check the value and its unit",
                self.usual_min, self.usual_max, self.unit
            ),
        ))
    }

    /// [`Self::read`], also flagging a value in the doubtful band.
    pub fn read_flagged(
        &self,
        value: Option<f64>,
        pointer: &str,
        errors: &mut Vec<FieldError>,
        flags: &mut Vec<Flag>,
    ) -> Option<f64> {
        let value = self.read(value, pointer, errors)?;
        flags.extend(self.doubt(value, pointer, ""));
        Some(value)
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

/// Surveyed area of a survey's blocks or quadrats (NOWPAP 10 m × 10 m blocks, China's
/// monitoring areas).
pub const SURVEYED_AREA_M2: Bound = range("surveyed area", "/area_m2", "m²", (0.0, 10_000_000.0), (10.0, 100_000.0));

/// Weight of one item line (its items together).
pub const ITEM_WEIGHT_G: Bound = range("item weight", "/items/weight_g", "g", (0.0, 10_000_000.0), (0.01, 200_000.0));

/// Every bound, for documentation (`docs/BOUNDS.md`) and tests.
pub const ALL: [Bound; 19] = [
    SURVEY_LENGTH_M,
    SITE_REFERENCE_LENGTH_M,
    SURVEY_WIDTH_M,
    SURVEYED_AREA_M2,
    ITEM_WEIGHT_G,
    SURVEY_MASS_KG,
    SURVEY_DURATION_MIN,
    ITEMS_PER_100M,
    NET_WIDTH_M,
    MOUTH_AREA_M2,
    MESH_UM,
    FILTERED_VOLUME_M3,
    DRY_MASS_KG,
    SAMPLED_AREA_M2,
    ROTOR_M_PER_COUNT,
    TOW_DISTANCE_M,
    TOW_DURATION_MIN,
    TOW_SPEED_M_S,
    PARTICLE_COUNT,
];

/// A number as the table shows it (no unbounded ends).
fn shown(value: f64) -> String {
    if value == f64::MAX {
        "no limit".to_string()
    } else {
        format!("{value}")
    }
}

/// The table of every bound as Markdown: the hard range and the usual band, per field.
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| quantity | field | unit | refused unless | usual (outside: flagged `doubtful_value`) |\n|---|---|---|---|---|\n",
    );
    for b in ALL {
        let low = if b.min_inclusive { "≥" } else { ">" };
        let range = match b.max {
            f64::MAX => format!("{low} {} (a derived figure: never refused)", shown(b.min)),
            max => format!("{low} {} and ≤ {}", shown(b.min), shown(max)),
        };
        table.push_str(&format!(
            "| {} | `{}` | {} | {range} | {} to {} |\n",
            b.quantity,
            b.field,
            b.unit,
            shown(b.usual_min),
            shown(b.usual_max)
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usual_band_lies_inside_its_hard_range() {
        for b in ALL {
            assert!(b.usual_min < b.usual_max, "{}", b.quantity);
            assert!(b.contains(b.usual_max), "{}", b.quantity);
            assert!(b.usual_min >= b.min, "{}", b.quantity);
        }
    }

    #[test]
    fn inside_doubtful_and_outside_for_every_bound() {
        for b in ALL {
            let inside = (b.usual_min + b.usual_max) / 2.0;
            assert_eq!(b.check(inside, b.field), None, "{}", b.quantity);
            assert_eq!(b.doubt(inside, b.field, ""), None, "{}", b.quantity);
            if b.max < f64::MAX {
                let doubtful = (b.usual_max + b.max) / 2.0;
                assert_eq!(b.check(doubtful, b.field), None, "{}", b.quantity);
                let flag = b.doubt(doubtful, b.field, "").unwrap_or_else(|| panic!("{} doubtful", b.quantity));
                assert_eq!((flag.code.as_str(), flag.pointer.as_str()), ("doubtful_value", b.field));
                assert!(b.check(b.max * 2.0, b.field).is_some(), "{} outside", b.quantity);
            }
            assert!(b.check(b.min - 1.0, b.field).is_some(), "{} below", b.quantity);
        }
        let flag = TOW_DISTANCE_M.doubt(7.8, "/tow_distance_m", "").unwrap();
        assert_eq!(flag.message, "tow distance 7.8 m, outside the usual 100 to 5000 m: check the value and its unit");
        let implied = TOW_SPEED_M_S.doubt(26_491.0 / 1200.0, "/flowmeter", "readings imply a 26491 m tow in 20 min:");
        assert!(implied
            .unwrap()
            .message
            .starts_with("readings imply a 26491 m tow in 20 min: a tow speed of 22.076 m/s"));
    }

    #[test]
    fn the_documented_table_is_the_one_in_force() {
        let doc = include_str!("../../docs/BOUNDS.md");
        assert!(
            doc.contains(&markdown_table()),
            "docs/BOUNDS.md: paste in bounds::markdown_table()\n{}",
            markdown_table()
        );
    }
}
