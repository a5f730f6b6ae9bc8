//! Query-parameter readers shared by every endpoint: dates that PostgreSQL can hold, checked
//! before any SQL runs (a bad one is a 400 naming the parameter).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// Earliest and latest dates a query may name: four-digit ISO 8601 years.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

fn date<'de, D: Deserializer<'de>>(name: &str, deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else { return Ok(None) };
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(day) if YEARS.contains(&day.year()) => Ok(Some(day)),
        _ => Err(serde::de::Error::custom(format!(
            "`{name}` must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31 (got {text:?})"
        ))),
    }
}

/// Reads the `from` date parameter.
pub fn from_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    date("from", deserializer)
}

/// Reads the `to` date parameter.
pub fn to_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    date("to", deserializer)
}
