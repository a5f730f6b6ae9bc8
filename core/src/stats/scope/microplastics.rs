//! Microplastic statistics of a scope from its accepted samples' concentrations and particle
//! counts: per matrix, with the NCEI class of water concentrations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::stats::composition::{composition, Share};
use crate::stats::descriptive::median;
use crate::stats::indices::DensityClass;

/// One accepted sample as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplePoint {
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
    /// Particles by shape.
    pub shapes: Vec<Share>,
    /// Particles by polymer.
    pub polymers: Vec<Share>,
    /// Particles by size class.
    pub size_classes: Vec<Share>,
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
            let water = matrix.ends_with("_water");
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
    MicroplasticStats {
        samples: samples.len(),
        by_matrix,
        shapes: sum_by(|p| &p.0),
        polymers: sum_by(|p| &p.1),
        size_classes: sum_by(|p| &p.2),
    }
}
