//! Microplastic statistics of a scope from its accepted samples' concentrations and particle
//! counts: per matrix, with the NCEI class of water concentrations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::microplastics::Matrix;
use crate::stats::composition::{composition, Share};
use crate::stats::descriptive::median;
use crate::stats::indices::DensityClass;

/// One accepted sample as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplePoint {
    /// Its site (absent while unassigned).
    pub site_id: Option<i64>,
    /// Sampled matrix (`surface_water` …).
    pub matrix: String,
    /// particles/m³.
    pub per_m3: Option<f64>,
    /// particles/km².
    pub per_km2: Option<f64>,
    /// particles/kg dry weight.
    pub per_kg: Option<f64>,
    /// particles/m².
    pub per_m2: Option<f64>,
}

/// Samples of one matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatrixStats {
    /// Matrix.
    pub matrix: String,
    /// Accepted samples.
    pub samples: usize,
    /// Median particles/m³.
    pub median_particles_per_m3: Option<f64>,
    /// Median particles/km².
    pub median_particles_per_km2: Option<f64>,
    /// Median particles/kg dry weight.
    pub median_particles_per_kg: Option<f64>,
    /// Median particles/m².
    pub median_particles_per_m2: Option<f64>,
    /// NOAA NCEI class of the median particles/m³ (water).
    pub density_class: Option<DensityClass>,
}

/// Microplastic statistics of a scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroplasticStats {
    /// Accepted samples.
    pub samples: usize,
    /// Per matrix.
    pub by_matrix: Vec<MatrixStats>,
    /// Median particles/m³ over every water sample (surface and river water together).
    pub median_water_particles_per_m3: Option<f64>,
    /// Particles by shape.
    pub shapes: Vec<Share>,
    /// Particles by polymer.
    pub polymers: Vec<Share>,
    /// Particles by size class.
    pub size_classes: Vec<Share>,
}

/// Whether a stored matrix word is water (`Matrix::is_water`).
fn is_water(matrix: &str) -> bool {
    matrix.parse::<Matrix>().is_ok_and(Matrix::is_water)
}

/// Computes microplastic statistics from samples and particle counts by (shape, polymer, size class).
pub fn microplastics(samples: &[SamplePoint], particles: &[(String, String, String, u64)]) -> MicroplasticStats {
    let mut matrices: BTreeMap<&str, Vec<&SamplePoint>> = BTreeMap::new();
    for sample in samples {
        matrices.entry(sample.matrix.as_str()).or_default().push(sample);
    }
    let med = |points: &[&SamplePoint], value: fn(&SamplePoint) -> Option<f64>| {
        median(&points.iter().filter_map(|p| value(p)).collect::<Vec<_>>())
    };
    let by_matrix = matrices
        .into_iter()
        .map(|(matrix, points)| {
            let per_m3 = med(&points, |p| p.per_m3);
            let water = is_water(matrix);
            MatrixStats {
                matrix: matrix.to_string(),
                samples: points.len(),
                median_particles_per_m3: per_m3,
                median_particles_per_km2: med(&points, |p| p.per_km2),
                median_particles_per_kg: med(&points, |p| p.per_kg),
                median_particles_per_m2: med(&points, |p| p.per_m2),
                density_class: per_m3.filter(|_| water).map(DensityClass::of),
            }
        })
        .collect();
    let sum_by = |key: fn(&(String, String, String, u64)) -> &String| {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for p in particles {
            *counts.entry(key(p).clone()).or_default() += p.3;
        }
        composition(&counts)
    };
    let water: Vec<&SamplePoint> = samples.iter().filter(|s| is_water(&s.matrix)).collect();
    MicroplasticStats {
        samples: samples.len(),
        by_matrix,
        median_water_particles_per_m3: med(&water, |p| p.per_m3),
        shapes: sum_by(|p| &p.0),
        polymers: sum_by(|p| &p.1),
        size_classes: sum_by(|p| &p.2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn water(matrix: &str, per_m3: f64) -> SamplePoint {
        SamplePoint {
            site_id: None,
            matrix: matrix.into(),
            per_m3: Some(per_m3),
            per_km2: None,
            per_kg: None,
            per_m2: None,
        }
    }

    #[test]
    fn the_water_median_pools_every_water_sample_never_a_median_of_medians() {
        // surface water 1, 2, 3 (median 2); river water 10 (median 10); sediment is not water
        let samples = [
            water("surface_water", 1.0),
            water("surface_water", 2.0),
            water("surface_water", 3.0),
            water("river_water", 10.0),
            water("beach_sediment", 500.0),
        ];
        let stats = microplastics(&samples, &[]);
        // pooled 1, 2, 3, 10: (2 + 3) / 2 = 2.5; a median of the medians 2 and 10 would be 6
        assert_eq!(stats.median_water_particles_per_m3, Some(2.5));
        let classes: Vec<bool> = stats.by_matrix.iter().map(|m| m.density_class.is_some()).collect();
        assert_eq!(classes, [false, true, true], "beach_sediment, river_water, surface_water");
    }
}
