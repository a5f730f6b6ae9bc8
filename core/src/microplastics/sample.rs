//! A microplastic sample: what was sampled and how, the particles counted, and its
//! normalisation to particles/km², particles/m³, particles/kg dry weight and particles/m².

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::flowmeter::{counts_between, distance_m, STANDARD_ROTOR_M_PER_COUNT};
use super::vocabulary::{polymers, shapes, size_classes, Vocabulary};
use crate::stats::indices::DensityClass;
use crate::survey::GeoPoint;
use crate::validation::{FieldError, Flag};
pub use crate::vocabulary::{Matrix, Method};

impl Matrix {
    /// Water (volume- or area-based results) rather than sediment (mass- or area-based).
    pub fn is_water(self) -> bool {
        matches!(self, Self::SurfaceWater | Self::RiverWater)
    }
}

/// Particles of one shape, polymer and size class.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticleCount {
    /// Shape as recorded (alias accepted).
    pub shape: String,
    /// Polymer as recorded (alias accepted; `unknown` when not analysed).
    pub polymer: String,
    /// Size class as recorded (alias accepted).
    pub size_class: String,
    /// Particles.
    pub count: u32,
    /// JSON pointer of this entry, e.g. `/particles/2`.
    pub pointer: String,
}

/// A sample as posted, in SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleInput {
    /// Sampled matrix.
    pub matrix: Matrix,
    /// Sampling method.
    pub method: Method,
    /// Net or sieve mesh, µm.
    pub mesh_um: Option<f64>,
    /// Local date.
    pub date: NaiveDate,
    /// Start instant with UTC offset.
    pub started_at: Option<DateTime<FixedOffset>>,
    /// Where.
    pub location: Option<GeoPoint>,
    /// Flowmeter readings at start and end of the tow.
    pub flowmeter: Option<(u32, u32)>,
    /// Rotor constant, m per count (standard rotor when absent).
    pub rotor_m_per_count: Option<f64>,
    /// Tow distance, m (when no flowmeter).
    pub tow_distance_m: Option<f64>,
    /// Tow duration, min (checks the tow speed the distance implies).
    pub tow_duration_min: Option<f64>,
    /// Net mouth width, m.
    pub net_width_m: Option<f64>,
    /// Net mouth area (submerged), m².
    pub mouth_area_m2: Option<f64>,
    /// Filtered volume, m³ (pumps).
    pub filtered_volume_m3: Option<f64>,
    /// Dry mass of sediment, kg.
    pub dry_mass_kg: Option<f64>,
    /// Sampled surface, m² (quadrats, cores).
    pub area_m2: Option<f64>,
    /// Particle counts.
    pub particles: Vec<ParticleCount>,
}

/// Particles of one canonical shape, polymer and size class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticleTotal {
    /// Canonical shape.
    pub shape: String,
    /// Canonical polymer code.
    pub polymer: String,
    /// Canonical size class.
    pub size_class: String,
    /// Particles.
    pub count: u64,
}

/// Longest tow a counter rollover may imply before the readings are taken for swapped or
/// mistyped: manta and neuston tows run minutes to an hour at 1–3 knots, a few km at most.
pub const MAX_ROLLOVER_TOW_M: f64 = 5_000.0;

/// A sample in the shared protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NormalisedSample {
    /// Rotor constant the tow distance was computed with (the standard rotor when none was given).
    pub rotor_m_per_count: Option<f64>,
    /// Distance towed, m.
    pub distance_m: Option<f64>,
    /// Volume filtered, m³ (from a pump, or tow distance × mouth area).
    pub volume_m3: Option<f64>,
    /// Total particles.
    pub particle_count: u64,
    /// particles / (distance × net width), per km².
    pub particles_per_km2: Option<f64>,
    /// particles / volume, per m³.
    pub particles_per_m3: Option<f64>,
    /// particles / dry mass, per kg.
    pub particles_per_kg: Option<f64>,
    /// particles / sampled area, per m².
    pub particles_per_m2: Option<f64>,
    /// NOAA NCEI class of the volume concentration (water only).
    pub density_class: Option<DensityClass>,
    /// Counts by canonical shape, polymer and size class.
    pub particles: Vec<ParticleTotal>,
    /// Things a reviewer should look at.
    pub flags: Vec<Flag>,
}

fn term(vocabulary: &Vocabulary, text: &str, pointer: String, errors: &mut Vec<FieldError>) -> String {
    match vocabulary.resolve(text) {
        Some(term) => term.to_string(),
        None => {
            let known = vocabulary.terms().join(", ");
            errors.push(FieldError::new(pointer, format!("unknown {} `{text}` (one of {known})", vocabulary.name)));
            String::new()
        }
    }
}

/// The tow distance two flowmeter readings imply: refused when they cannot be a tow (no counts,
/// swapped readings read as an implausible rollover, a distance outside the tow range), flagged
/// when it is a rollover or in the doubtful band, always stating the distance implied.
fn flowmeter_distance(
    (start, end): (u32, u32),
    rotor: Option<f64>,
    errors: &mut Vec<FieldError>,
    flags: &mut Vec<Flag>,
) -> Option<f64> {
    use crate::bounds::TOW_DISTANCE_M;
    let (counts, rolled_over) = counts_between(start, end);
    let metres = distance_m(counts, rotor.unwrap_or(STANDARD_ROTOR_M_PER_COUNT));
    if counts == 0 {
        errors.push(FieldError::new("/flowmeter/end", "no counts between the readings: zero tow distance"));
        return None;
    }
    if rolled_over && metres > MAX_ROLLOVER_TOW_M {
        errors.push(FieldError::new(
            "/flowmeter/end",
            format!(
                "end reading {end} is below start {start}; read as a counter rollover the readings imply a \
                 {metres:.0} m tow, more than the {MAX_ROLLOVER_TOW_M:.0} m a net tow plausibly runs: the \
                 readings are swapped or mistyped"
            ),
        ));
        return None;
    }
    if let Some(mut error) = TOW_DISTANCE_M.check(metres, "/flowmeter") {
        error.message = format!("readings {start} → {end} imply a tow of {metres:.0} m: {}", error.message);
        errors.push(error);
        return None;
    }
    if rolled_over {
        flags.push(Flag::new(
            "flowmeter_rollover",
            "/flowmeter",
            format!(
                "end reading {end} is below start {start}: read as one counter rollover ({counts} counts, a \
                 {metres:.0} m tow)"
            ),
        ));
    }
    flags.extend(TOW_DISTANCE_M.doubt(metres, "/flowmeter", &format!("readings {start} → {end} imply")));
    Some(metres)
}

/// Normalises a sample, or returns every field error at once.
pub fn normalise_sample(input: &SampleInput, today: NaiveDate) -> Result<NormalisedSample, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut flags = Vec::new();
    if let Some(flag) = input.location.and_then(|p| crate::survey::null_island(p, "/location")) {
        flags.push(flag);
    }
    if let Some(problem) = crate::validation::record_date_problem(input.date, today) {
        errors.push(FieldError::new("/date", problem));
    }
    use crate::bounds::*;
    let net_width = NET_WIDTH_M.read_flagged(input.net_width_m, "/net_width_m", &mut errors, &mut flags);
    let mouth_area = MOUTH_AREA_M2.read_flagged(input.mouth_area_m2, "/mouth_area_m2", &mut errors, &mut flags);
    let pumped =
        FILTERED_VOLUME_M3.read_flagged(input.filtered_volume_m3, "/filtered_volume_m3", &mut errors, &mut flags);
    let dry_mass = DRY_MASS_KG.read_flagged(input.dry_mass_kg, "/dry_mass_kg", &mut errors, &mut flags);
    let area = SAMPLED_AREA_M2.read_flagged(input.area_m2, "/area_m2", &mut errors, &mut flags);
    MESH_UM.read_flagged(input.mesh_um, "/mesh_um", &mut errors, &mut flags);
    let rotor_pointer = "/flowmeter/rotor_m_per_count";
    let rotor = ROTOR_M_PER_COUNT.read_flagged(input.rotor_m_per_count, rotor_pointer, &mut errors, &mut flags);
    let duration = TOW_DURATION_MIN.read_flagged(input.tow_duration_min, "/tow_duration_min", &mut errors, &mut flags);
    let distance = match input.flowmeter {
        Some(readings) => flowmeter_distance(readings, rotor, &mut errors, &mut flags),
        None => TOW_DISTANCE_M.read_flagged(input.tow_distance_m, "/tow_distance_m", &mut errors, &mut flags),
    };
    if let Some((metres, minutes)) = distance.zip(duration) {
        let implied = format!("a {metres:.0} m tow in {minutes} min implies");
        flags.extend(TOW_SPEED_M_S.doubt(metres / (minutes * 60.0), "/tow_duration_min", &implied));
    }
    match input.method {
        Method::MantaNet | Method::NeustonNet => {
            if distance.is_none() && input.flowmeter.is_none() && input.tow_distance_m.is_none() {
                errors.push(FieldError::new("/flowmeter", "a net tow needs flowmeter readings or tow_distance_m"));
            }
            if net_width.is_none()
                && mouth_area.is_none()
                && input.net_width_m.is_none()
                && input.mouth_area_m2.is_none()
            {
                errors.push(FieldError::new("/net_width_m", "a net tow needs net_width_m and/or mouth_area_m2"));
            }
        }
        Method::Pump if input.filtered_volume_m3.is_none() => {
            errors.push(FieldError::new("/filtered_volume_m3", "a pumped sample needs its filtered volume"));
        }
        Method::Grab | Method::Core if input.dry_mass_kg.is_none() && input.area_m2.is_none() => {
            errors.push(FieldError::new("/dry_mass_kg", "a sediment sample needs dry_mass_kg or area_m2"));
        }
        Method::Quadrat if input.area_m2.is_none() => {
            errors.push(FieldError::new("/area_m2", "a quadrat sample needs its area"));
        }
        _ => {}
    }
    let mut particles = BTreeMap::new();
    for p in &input.particles {
        let key = (
            term(shapes(), &p.shape, format!("{}/shape", p.pointer), &mut errors),
            term(polymers(), &p.polymer, format!("{}/polymer", p.pointer), &mut errors),
            term(size_classes(), &p.size_class, format!("{}/size_class", p.pointer), &mut errors),
        );
        *particles.entry(key).or_insert(0) += u64::from(p.count);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let n: u64 = particles.values().sum();
    let nf = n as f64;
    flags.extend(PARTICLE_COUNT.doubt(nf, "/particles", ""));
    let volume = pumped.or_else(|| Some(distance? * mouth_area?));
    let per_m3 = volume.map(|v| nf / v);
    Ok(NormalisedSample {
        rotor_m_per_count: input.flowmeter.map(|_| rotor.unwrap_or(STANDARD_ROTOR_M_PER_COUNT)),
        distance_m: distance,
        volume_m3: volume,
        particle_count: n,
        particles_per_km2: distance.zip(net_width).map(|(d, w)| nf / (d * w) * 1e6),
        particles_per_m3: per_m3,
        particles_per_kg: dry_mass.map(|m| nf / m),
        particles_per_m2: area.map(|a| nf / a),
        density_class: per_m3.filter(|_| input.matrix.is_water()).map(DensityClass::of),
        particles: particles
            .into_iter()
            .map(|((shape, polymer, size_class), count)| ParticleTotal { shape, polymer, size_class, count })
            .collect(),
        flags,
    })
}
