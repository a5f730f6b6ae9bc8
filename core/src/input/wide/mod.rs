//! Wide CSV exports (one column per item type): the helpers every layout's row reader shares,
//! and one reader per layout, each turning a row into a [`SurveyInput`] in its protocol's codes.

pub mod columns;
pub mod mdmap;
pub mod mlw;
pub mod ospar;
pub mod sheet;
pub mod tides;

use chrono::NaiveDate;
use serde::Serialize;

use crate::survey::{GeoPoint, SourceCount, SurveyInput};
use crate::validation::{pointer_token, FieldError};

/// The site a row names, to be matched with (or registered as) a Tideline site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteRef {
    /// The source's site code (OSPAR location code, MLW NatRef …), if any.
    pub code: Option<String>,
    /// The site or beach name.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// Position, when the row gives one.
    pub location: Option<GeoPoint>,
}

/// A row read through an adapter: its site and its survey.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptedRow {
    /// Where.
    pub site: SiteRef,
    /// What was found.
    pub survey: SurveyInput,
}

/// One CSV row with its header, and the errors found while reading it.
pub struct WideRow<'a> {
    headers: &'a [String],
    values: &'a [String],
    /// Every problem found so far.
    pub errors: Vec<FieldError>,
}

impl<'a> WideRow<'a> {
    /// A row of `values` under `headers`. A cell holding a NUL character (which PostgreSQL
    /// text cannot store) is an error naming its column, whatever the protocol.
    pub fn new(headers: &'a [String], values: &'a [String]) -> Self {
        let errors = headers
            .iter()
            .zip(values)
            .filter(|(_, value)| value.contains('\0'))
            .map(|(header, _)| FieldError::new(pointer(header), "text must not contain NUL characters"))
            .collect();
        Self { headers, values, errors }
    }

    /// The trimmed value of a column, `None` when absent, blank or `NA`.
    pub fn text(&self, column: &str) -> Option<&'a str> {
        let index = self.headers.iter().position(|h| h.trim().eq_ignore_ascii_case(column))?;
        let value = self.values.get(index)?.trim();
        (!value.is_empty() && !value.eq_ignore_ascii_case("NA")).then_some(value)
    }

    /// A column's value as an owned string.
    pub fn string(&self, column: &str) -> Option<String> {
        self.text(column).map(str::to_string)
    }

    /// A required column; records an error when missing.
    pub fn required(&mut self, column: &str) -> Option<&'a str> {
        let value = self.text(column);
        if value.is_none() {
            self.errors.push(FieldError::new(pointer(column), "required column is empty or missing"));
        }
        value
    }

    /// A number column (finite), `None` when blank.
    pub fn number(&mut self, column: &str) -> Option<f64> {
        let text = self.text(column)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.errors.push(FieldError::new(pointer(column), format!("`{text}` is not a number")));
                None
            }
        }
    }

    /// A whole, non-negative number column (`12` or `12.0`), `None` when blank.
    pub fn whole(&mut self, column: &str) -> Option<u32> {
        let text = self.text(column)?;
        let parsed = text.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0 && v.fract() == 0.0);
        match parsed {
            Some(v) if v <= f64::from(u32::MAX) => Some(v as u32),
            _ => {
                self.errors.push(FieldError::new(pointer(column), format!("`{text}` is not a whole number ≥ 0")));
                None
            }
        }
    }

    /// A date column in `format` (chrono syntax).
    pub fn date(&mut self, column: &str, format: &str) -> Option<NaiveDate> {
        let text = self.required(column)?;
        let date = NaiveDate::parse_from_str(text, format).ok();
        if date.is_none() {
            self.errors.push(FieldError::new(pointer(column), format!("`{text}` is not a date in the form {format}")));
        }
        date
    }

    /// A position from two columns, `None` unless both are given.
    pub fn point(&mut self, lat_column: &str, lon_column: &str) -> Option<GeoPoint> {
        let lat = self.number(lat_column);
        let lon = self.number(lon_column);
        Some(GeoPoint { lat: lat?, lon: lon? })
    }

    /// Every non-blank column that is not in `metadata` as an item count (blank = not recorded).
    pub fn item_counts(&mut self, metadata: &[&str]) -> Vec<SourceCount> {
        let mut items = Vec::new();
        for header in self.headers {
            let column = header.trim();
            if column.is_empty() || metadata.iter().any(|m| m.eq_ignore_ascii_case(column)) {
                continue;
            }
            if let Some(count) = self.whole(column) {
                items.push(SourceCount {
                    code: column.to_string(),
                    count,
                    pointer: pointer(column),
                    measure: crate::survey::ItemMeasure::default(),
                });
            }
        }
        items
    }

    /// The survey, or every error found in the row.
    pub fn finish(self, site: SiteRef, survey: Option<SurveyInput>) -> Result<AdaptedRow, Vec<FieldError>> {
        match survey {
            Some(survey) if self.errors.is_empty() => Ok(AdaptedRow { site, survey }),
            _ => Err(self.errors),
        }
    }
}

/// The JSON pointer naming a CSV column.
pub fn pointer(column: &str) -> String {
    format!("/{}", pointer_token(column))
}
