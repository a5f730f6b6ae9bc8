//! The query parameters of OGC API – Features items: `bbox` (CRS84 longitude/latitude),
//! `datetime` (an instant or an interval with `..` for an open end) and `limit`, read into a
//! store filter or a list of the offending fields.

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::problem::{ApiError, FieldError};
use crate::store::features::FeatureFilter;

/// Features returned when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;
/// The largest page.
pub const MAX_LIMIT: i64 = 10_000;

/// Filters and paging of a collection's items.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// `min_lon,min_lat,max_lon,max_lat` in WGS 84 longitude/latitude (CRS84); six numbers
    /// (with heights) are read as the four.
    #[param(example = "100,0,130,40")]
    pub bbox: Option<String>,
    /// A date or RFC 3339 date-time, or an interval `start/end` with `..` (or nothing) for an
    /// open end, e.g. `2023-01-01/..`; records match by their local date.
    #[param(example = "2023-01-01/2024-12-31")]
    pub datetime: Option<String>,
    /// Features per page (1–10 000, default 100).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<i64>,
    /// Paging cursor: features with ids after this one (written into the `next` link).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Output format: `json` (GeoJSON, the only one).
    #[param(pattern = "^(json|geojson)$")]
    pub f: Option<String>,
}

impl ItemsQuery {
    /// The store filter, or every offending parameter.
    pub fn filter(&self) -> Result<FeatureFilter, ApiError> {
        let mut errors = Vec::new();
        let bbox = self.bbox.as_deref().and_then(|text| keep(parse_bbox(text), "/bbox", &mut errors));
        let (from, to) = self
            .datetime
            .as_deref()
            .and_then(|t| keep(parse_datetime(t), "/datetime", &mut errors))
            .unwrap_or_default();
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(FieldError::new("/limit", format!("must be 1–{MAX_LIMIT}")));
        }
        let after = self.after.unwrap_or(0);
        if after < 0 {
            errors.push(FieldError::new("/after", "must not be negative"));
        }
        errors.extend(format_error(self.f.as_deref()));
        if !errors.is_empty() {
            return Err(ApiError::bad_request("invalid query parameters", errors));
        }
        Ok(FeatureFilter { bbox, from, to, after, limit, id: None })
    }
}

/// The output format of the OGC documents: clients may name it with `f`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// Output format: `json` (the only one; `geojson` is taken as the same).
    #[param(pattern = "^(json|geojson)$")]
    pub f: Option<String>,
}

impl FormatQuery {
    /// Ok for JSON, else the offending parameter.
    pub fn check(&self) -> Result<(), ApiError> {
        match format_error(self.f.as_deref()) {
            Some(error) => Err(ApiError::bad_request("invalid query parameters", vec![error])),
            None => Ok(()),
        }
    }
}

/// Why `f` is refused, if it is.
fn format_error(f: Option<&str>) -> Option<FieldError> {
    let f = f.filter(|f| !matches!(*f, "json" | "geojson"))?;
    Some(FieldError::new("/f", format!("`{f}`: only json (GeoJSON) is served")))
}

fn keep<T>(result: Result<T, String>, pointer: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|message| errors.push(FieldError::new(pointer, message))).ok()
}

/// A CRS84 bounding box as (min_lon, min_lat, max_lon, max_lat).
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()
        .ok_or("four (or six) comma-separated numbers: min_lon,min_lat,max_lon,max_lat")?;
    let [min_lon, min_lat, max_lon, max_lat] = match numbers[..] {
        [a, b, c, d] => [a, b, c, d],
        [a, b, _, d, e, _] => [a, b, d, e],
        _ => return Err("four (or six) comma-separated numbers: min_lon,min_lat,max_lon,max_lat".into()),
    };
    if !(-180.0..=180.0).contains(&min_lon) || !(-180.0..=180.0).contains(&max_lon) {
        return Err("longitudes must be within −180…180".into());
    }
    if !(-90.0..=90.0).contains(&min_lat) || !(-90.0..=90.0).contains(&max_lat) {
        return Err("latitudes must be within −90…90".into());
    }
    if min_lat > max_lat {
        return Err("the southern latitude must not be north of the northern".into());
    }
    if min_lon > max_lon {
        return Err("a box across the antimeridian is not supported: ask for its two halves".into());
    }
    Ok([min_lon, min_lat, max_lon, max_lat])
}

/// The dates an OGC `datetime` covers, inclusive (None for an open end).
pub fn parse_datetime(text: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
    let (from, to) = match text.split_once('/') {
        Some((from, to)) => (bound(from)?, bound(to)?),
        None => {
            let day = instant(text)?;
            (Some(day), Some(day))
        }
    };
    if from.is_none() && to.is_none() && text.contains('/') {
        return Err("an interval needs at least one end".into());
    }
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err("the interval ends before it starts".into()),
        _ => Ok((from, to)),
    }
}

fn bound(text: &str) -> Result<Option<NaiveDate>, String> {
    match text {
        "" | ".." => Ok(None),
        _ => instant(text).map(Some),
    }
}

fn instant(text: &str) -> Result<NaiveDate, String> {
    text.parse::<NaiveDate>()
        .or_else(|_| DateTime::parse_from_rfc3339(text).map(|t| t.date_naive()))
        .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 date-time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<NaiveDate> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn datetime_instants_and_intervals() {
        assert_eq!(parse_datetime("2023-05-01"), Ok((day("2023-05-01"), day("2023-05-01"))));
        assert_eq!(parse_datetime("2023-05-01T10:00:00Z"), Ok((day("2023-05-01"), day("2023-05-01"))));
        assert_eq!(parse_datetime("2023-01-01/2023-12-31"), Ok((day("2023-01-01"), day("2023-12-31"))));
        assert_eq!(parse_datetime("../2023-12-31"), Ok((None, day("2023-12-31"))));
        assert_eq!(parse_datetime("2023-01-01T00:00:00+07:00/.."), Ok((day("2023-01-01"), None)));
        assert_eq!(parse_datetime("2023-01-01/"), Ok((day("2023-01-01"), None)));
        assert!(parse_datetime("../..").is_err());
        assert!(parse_datetime("2024-01-01/2023-01-01").is_err());
        assert!(parse_datetime("yesterday").is_err());
    }

    #[test]
    fn bbox_four_or_six_numbers_inside_the_globe() {
        assert_eq!(parse_bbox("100,0,130,40"), Ok([100.0, 0.0, 130.0, 40.0]));
        assert_eq!(parse_bbox("100, 0, -5, 130, 40, 5"), Ok([100.0, 0.0, 130.0, 40.0]));
        assert!(parse_bbox("100,0,130").is_err());
        assert!(parse_bbox("100,0,130,x").is_err());
        assert!(parse_bbox("100,0,190,40").is_err());
        assert!(parse_bbox("100,40,130,0").is_err());
        assert!(parse_bbox("170,0,-170,10").is_err(), "antimeridian");
        assert!(parse_bbox("NaN,0,1,1").is_err());
    }
}
