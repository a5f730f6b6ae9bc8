//! Query-parameter readers shared by every endpoint: dates that PostgreSQL can hold, checked
//! before any SQL runs, and vocabulary words (a bad one is a 400 naming the parameter).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// Earliest and latest dates a query may name: four-digit ISO 8601 years.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A query date named `name`: `YYYY-MM-DD` of a year PostgreSQL and ISO 8601 both hold, or
/// the message saying so.
pub fn query_date(name: &str, text: &str) -> Result<NaiveDate, String> {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) if YEARS.contains(&day.year()) => Ok(day),
        _ => Err(format!("`{name}` must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31 (got {text:?})")),
    }
}

fn date<'de, D: Deserializer<'de>>(name: &str, deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else { return Ok(None) };
    query_date(name, &text).map(Some).map_err(serde::de::Error::custom)
}

/// Reads the `from` date parameter.
pub fn from_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    date("from", deserializer)
}

/// Reads the `to` date parameter.
pub fn to_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    date("to", deserializer)
}

/// Reads an optional vocabulary word (kept as text by the query struct, so that every bad
/// parameter of a request is named in one answer); a word outside the vocabulary adds an error
/// at `pointer`.
pub fn word<T: std::str::FromStr<Err = String>>(
    text: Option<&str>,
    pointer: &str,
    errors: &mut Vec<super::problem::FieldError>,
) -> Option<T> {
    match text.map(str::parse::<T>)? {
        Ok(word) => Some(word),
        Err(message) => {
            errors.push(super::problem::FieldError::new(pointer, message));
            None
        }
    }
}
