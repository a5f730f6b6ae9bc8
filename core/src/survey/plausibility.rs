//! Checks of a survey's input: hard errors (impossible values) and plausibility flags
//! (possible but worth a reviewer's look).

use chrono::NaiveDate;
use geo::{Distance, Geodesic, Point};

use super::{GeoPoint, SurveyInput};
use crate::validation::{FieldError, Flag};

/// A single count above this is flagged.
pub const MAX_PLAUSIBLE_COUNT: u32 = 10_000;
/// Declared and stretch lengths disagreeing by more than this share (and 10 m) are flagged.
pub const LENGTH_MISMATCH_RATIO: f64 = 0.25;

/// Geodesic distance between two points on the WGS 84 ellipsoid, m.
pub fn stretch_length_m(start: GeoPoint, end: GeoPoint) -> f64 {
    Geodesic.distance(Point::new(start.lon, start.lat), Point::new(end.lon, end.lat))
}

fn check_point(point: GeoPoint, pointer: &str, errors: &mut Vec<FieldError>, flags: &mut Vec<Flag>) {
    if !point.lat.is_finite() || !(-90.0..=90.0).contains(&point.lat) {
        errors.push(FieldError::new(format!("{pointer}/lat"), "latitude must be between -90 and 90"));
    }
    if !point.lon.is_finite() || !(-180.0..=180.0).contains(&point.lon) {
        errors.push(FieldError::new(format!("{pointer}/lon"), "longitude must be between -180 and 180"));
    }
    if let Some(flag) = null_island(point, pointer) {
        flags.push(flag);
    }
}

/// Within this many degrees of (0, 0) a position is taken for a missing GPS fix.
pub const NULL_ISLAND_DEGREES: f64 = 0.01;

/// The `null_island` flag for a position within [`NULL_ISLAND_DEGREES`] of (0, 0) (about 1 km
/// of open Atlantic: no beach, no river); shared by surveys and samples.
pub fn null_island(point: GeoPoint, pointer: &str) -> Option<Flag> {
    (point.lat.abs() < NULL_ISLAND_DEGREES && point.lon.abs() < NULL_ISLAND_DEGREES).then(|| {
        Flag::new(
            "null_island",
            pointer,
            format!(
                "coordinates ({}, {}) are within 0.01° of (0, 0): probably a missing GPS fix",
                point.lat, point.lon
            ),
        )
    })
}

/// A stretch whose end points lie closer than this is a point, not a stretch: it says nothing
/// about the length.
pub const MIN_STRETCH_M: f64 = 5.0;

/// Every error and flag of the input itself (item codes are checked when mapping).
pub fn check_input(input: &SurveyInput, today: NaiveDate) -> (Vec<FieldError>, Vec<Flag>) {
    let mut errors = Vec::new();
    let mut flags = Vec::new();
    if let Some(problem) = crate::validation::record_date_problem(input.date, today) {
        errors.push(FieldError::new("/date", problem));
    }
    if let Some(location) = input.location {
        check_point(location, "/location", &mut errors, &mut flags);
    }
    if let Some((start, end)) = input.stretch {
        check_point(start, "/stretch/start", &mut errors, &mut flags);
        check_point(end, "/stretch/end", &mut errors, &mut flags);
    }
    use crate::bounds::{
        ITEM_WEIGHT_G, SURVEYED_AREA_M2, SURVEY_DURATION_MIN, SURVEY_LENGTH_M, SURVEY_MASS_KG, SURVEY_WIDTH_M,
    };
    SURVEY_LENGTH_M.read(input.length_m, "/length_m", &mut errors);
    SURVEY_WIDTH_M.read_flagged(input.width_m, "/width_m", &mut errors, &mut flags);
    SURVEYED_AREA_M2.read_flagged(input.area_m2, "/area_m2", &mut errors, &mut flags);
    for item in &input.items {
        let pointer = format!("{}/weight_g", item.pointer);
        ITEM_WEIGHT_G.read_flagged(item.measure.weight_g, &pointer, &mut errors, &mut flags);
    }
    SURVEY_DURATION_MIN.read_flagged(input.effort.duration_min, "/effort/duration_min", &mut errors, &mut flags);
    SURVEY_MASS_KG.read_flagged(input.effort.mass_kg, "/effort/mass_kg", &mut errors, &mut flags);
    if !errors.is_empty() {
        return (errors, flags);
    }
    if let Some(length) = input.length_m.filter(|_| !input.length_from_miles) {
        if length <= SURVEY_LENGTH_M.usual_min {
            flags.push(Flag::new(
                "short_length",
                "/length_m",
                format!("surveyed length {length} m is 10 m or less: excluded from threshold assessments"),
            ));
        } else if length > SURVEY_LENGTH_M.usual_max {
            flags.push(Flag::new("long_length", "/length_m", format!("surveyed length {length} m is over 1 km")));
        }
        if let Some(measured) =
            input.stretch.map(|(start, end)| stretch_length_m(start, end)).filter(|m| *m >= MIN_STRETCH_M)
        {
            let gap = (measured - length).abs();
            if gap > 10.0 && gap > LENGTH_MISMATCH_RATIO * length {
                flags.push(Flag::new(
                    "length_mismatch",
                    "/length_m",
                    format!("declared length {length} m but the stretch's end points are {measured:.0} m apart"),
                ));
            }
        }
    }
    for item in &input.items {
        if item.count > MAX_PLAUSIBLE_COUNT {
            flags.push(Flag::new(
                "large_count",
                format!("{}/count", item.pointer),
                format!("{} items of `{}` in one survey", item.count, item.code),
            ));
        }
    }
    (errors, flags)
}
