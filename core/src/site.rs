//! A monitoring site as it is registered: the one set of rules every way of registering a site
//! applies (`POST /v1/sites`, `tideline site create`, a site file, an import registering a
//! row's site), each offending field named.

use crate::bounds::SITE_REFERENCE_LENGTH_M;
use crate::validation::{name_error, FieldError};
use crate::vocabulary::SiteKind;

/// Longest site code, in characters (the schema's limit).
pub const CODE_MAX: usize = 64;
pub use crate::validation::NAME_MAX;

/// A site to register, as given.
#[derive(Debug, Clone, Copy)]
pub struct SiteInput<'a> {
    /// Code, unique in its city.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// `beach`, `river` or `coastal_water`.
    pub kind: &'a str,
    /// Latitude, WGS 84.
    pub lat: f64,
    /// Longitude, WGS 84.
    pub lon: f64,
    /// The length a survey of it covers when it gives none, m.
    pub reference_length_m: Option<f64>,
}

/// A site that keeps the rules: code and name trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSite {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// What it is.
    pub kind: SiteKind,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Reference length, m.
    pub reference_length_m: Option<f64>,
}

impl SiteInput<'_> {
    /// The site, or every rule it breaks (pointers `/code`, `/name`, `/kind`, `/lat`, `/lon`,
    /// `/reference_length_m`).
    pub fn check(&self) -> Result<CheckedSite, Vec<FieldError>> {
        let mut errors: Vec<FieldError> =
            [name_error("/code", self.code, CODE_MAX), name_error("/name", self.name, NAME_MAX)]
                .into_iter()
                .flatten()
                .collect();
        let kind = self.kind.parse::<SiteKind>().map_err(|message| errors.push(FieldError::new("/kind", message))).ok();
        if !(-90.0..=90.0).contains(&self.lat) {
            errors.push(FieldError::new("/lat", "latitude must be between -90 and 90"));
        }
        if !(-180.0..=180.0).contains(&self.lon) {
            errors.push(FieldError::new("/lon", "longitude must be between -180 and 180"));
        }
        let length = self.reference_length_m.and_then(|l| SITE_REFERENCE_LENGTH_M.check(l, "/reference_length_m"));
        errors.extend(length);
        match kind {
            Some(kind) if errors.is_empty() => Ok(CheckedSite {
                code: self.code.trim().to_string(),
                name: self.name.trim().to_string(),
                kind,
                lat: self.lat,
                lon: self.lon,
                reference_length_m: self.reference_length_m,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site<'a>() -> SiteInput<'a> {
        SiteInput {
            code: " DN-MK ",
            name: "Mỹ Khê",
            kind: "beach",
            lat: 16.06,
            lon: 108.25,
            reference_length_m: Some(100.0),
        }
    }

    #[test]
    fn a_site_that_keeps_the_rules_is_trimmed() {
        let checked = site().check().unwrap();
        assert_eq!((checked.code.as_str(), checked.kind), ("DN-MK", SiteKind::Beach));
    }

    #[test]
    fn every_broken_rule_is_named() {
        let bad = SiteInput {
            code: "  ",
            name: "a\0b",
            kind: "lake",
            lat: 95.0,
            lon: f64::NAN,
            reference_length_m: Some(-5.0),
        };
        let pointers: Vec<String> = bad.check().unwrap_err().into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, ["/code", "/name", "/kind", "/lat", "/lon", "/reference_length_m"]);
        let far = SiteInput { reference_length_m: Some(250_000.0), ..site() };
        assert!(far.check().unwrap_err()[0].message.contains("at most 100000 m"));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        // 70 Chinese characters are 210 bytes: a name the schema holds
        let name = "厦".repeat(70);
        assert!(SiteInput { name: &name, ..site() }.check().is_ok());
        let long = "厦".repeat(NAME_MAX + 1);
        assert_eq!(SiteInput { name: &long, ..site() }.check().unwrap_err()[0].message, "1 to 200 characters");
    }
}
