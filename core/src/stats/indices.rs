//! Assessment indices: Clean Coast Index and its grade, EU threshold status, NOAA NCEI
//! microplastic density classes.

pub use crate::vocabulary::{CciGrade, DensityClass};
use serde::Serialize;

/// EU threshold value for coastline macro-litter, items per 100 m (MSFD TG-ML, 2020).
pub const EU_THRESHOLD_PER_100M: f64 = 20.0;
/// Fewest surveys for an EU threshold assessment.
pub const EU_MIN_SURVEYS: usize = 40;

/// Clean Coast Index: plastic items / surveyed area (m²) × 20 (Alkalay et al. 2007).
pub fn clean_coast_index(plastic_items: u64, area_m2: f64) -> f64 {
    plastic_items as f64 / area_m2 * 20.0
}

impl CciGrade {
    /// The grade of a CCI value (upper bounds inclusive).
    pub fn of(cci: f64) -> Self {
        match cci {
            c if c <= 2.0 => Self::VeryClean,
            c if c <= 5.0 => Self::Clean,
            c if c <= 10.0 => Self::Moderate,
            c if c <= 20.0 => Self::Dirty,
            _ => Self::ExtremelyDirty,
        }
    }
}

/// Outcome of an EU threshold assessment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ThresholdStatus {
    /// Fewer than 40 eligible surveys.
    InsufficientData {
        /// Eligible surveys available.
        surveys: usize,
    },
    /// Median at or below 20 items/100 m.
    Meets {
        /// Median of per-survey threshold totals, items/100 m.
        median_per_100m: f64,
        /// Eligible surveys.
        surveys: usize,
    },
    /// Median above 20 items/100 m.
    Exceeds {
        /// Median of per-survey threshold totals, items/100 m.
        median_per_100m: f64,
        /// Eligible surveys.
        surveys: usize,
    },
}

impl ThresholdStatus {
    /// The status word, as the API's `status` tag spells it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::InsufficientData { .. } => "insufficient_data",
            Self::Meets { .. } => "meets",
            Self::Exceeds { .. } => "exceeds",
        }
    }

    /// The median assessed, items/100 m (none with insufficient data).
    pub fn median_per_100m(&self) -> Option<f64> {
        match self {
            Self::InsufficientData { .. } => None,
            Self::Meets { median_per_100m, .. } | Self::Exceeds { median_per_100m, .. } => Some(*median_per_100m),
        }
    }
}

/// Assesses eligible surveys' items/100 m (threshold totals) against the EU threshold value.
pub fn eu_threshold_status(per_100m: &[f64]) -> ThresholdStatus {
    let surveys = per_100m.len();
    match super::descriptive::median(per_100m) {
        Some(median) if surveys >= EU_MIN_SURVEYS => {
            if median <= EU_THRESHOLD_PER_100M {
                ThresholdStatus::Meets { median_per_100m: median, surveys }
            } else {
                ThresholdStatus::Exceeds { median_per_100m: median, surveys }
            }
        }
        _ => ThresholdStatus::InsufficientData { surveys },
    }
}

impl DensityClass {
    /// The class of a concentration in pieces/m³.
    pub fn of(pieces_per_m3: f64) -> Self {
        match pieces_per_m3 {
            c if c < 0.0005 => Self::VeryLow,
            c if c < 0.005 => Self::Low,
            c if c < 1.0 => Self::Medium,
            c if c < 10.0 => Self::High,
            _ => Self::VeryHigh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_status_words_and_median_are_what_the_api_writes() {
        let assessed =
            [eu_threshold_status(&[1.0; 39]), eu_threshold_status(&[20.0; 40]), eu_threshold_status(&[20.5; 40])];
        let words: Vec<&str> = assessed.iter().map(ThresholdStatus::as_str).collect();
        assert_eq!(words, ["insufficient_data", "meets", "exceeds"]);
        for status in assessed {
            let json = serde_json::to_value(status).unwrap();
            assert_eq!(json["status"], status.as_str());
            assert_eq!(json["median_per_100m"].as_f64(), status.median_per_100m());
        }
    }
}
