//! Walking a JSON object field by field, collecting every error with its JSON pointer:
//! wrong types, out-of-range numbers, bad dates, and (at the end) unknown fields.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{Map, Value};

use crate::survey::GeoPoint;
use crate::validation::{pointer_token, FieldError};

/// A JSON object being read; collects errors into the shared list.
pub struct Fields<'a> {
    object: Option<&'a Map<String, Value>>,
    base: String,
    read: Vec<&'static str>,
    errors: &'a mut Vec<FieldError>,
}

impl<'a> Fields<'a> {
    /// Reads `value` at `base` (a JSON pointer); a non-object is an error.
    pub fn new(value: &'a Value, base: &str, errors: &'a mut Vec<FieldError>) -> Self {
        let object = value.as_object();
        if object.is_none() {
            errors.push(FieldError::new(base, "must be a JSON object"));
        }
        Self { object, base: base.to_string(), read: Vec::new(), errors }
    }

    /// The pointer of a field of this object.
    pub fn pointer(&self, key: &str) -> String {
        format!("{}/{}", self.base, pointer_token(key))
    }

    /// Records an error on a field.
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        let pointer = self.pointer(key);
        self.errors.push(FieldError::new(pointer, message));
    }

    /// The raw value of a field (null counts as absent).
    pub fn value(&mut self, key: &'static str) -> Option<&'a Value> {
        self.read.push(key);
        self.object?.get(key).filter(|v| !v.is_null())
    }

    /// Errors when a required field is absent.
    pub fn require<T>(&mut self, key: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && !self.errors.iter().any(|e| e.pointer == self.pointer(key)) {
            self.error(key, "is required");
        }
        value
    }

    /// A string field.
    pub fn string(&mut self, key: &'static str) -> Option<&'a str> {
        let value = self.value(key)?;
        let text = value.as_str();
        if text.is_none() {
            self.error(key, "must be a string");
        }
        text
    }

    /// A finite number field.
    pub fn number(&mut self, key: &'static str) -> Option<f64> {
        let value = self.value(key)?;
        match value.as_f64() {
            Some(v) if v.is_finite() => Some(v),
            _ => {
                self.error(key, "must be a number");
                None
            }
        }
    }

    /// A number field that must be greater than 0.
    pub fn positive(&mut self, key: &'static str) -> Option<f64> {
        let v = self.number(key)?;
        if v <= 0.0 {
            self.error(key, "must be greater than 0");
            return None;
        }
        Some(v)
    }

    /// A whole number field in `0 ..= max`.
    pub fn whole(&mut self, key: &'static str, max: u64) -> Option<u64> {
        let value = self.value(key)?;
        match value.as_u64() {
            Some(v) if v <= max => Some(v),
            Some(_) => {
                self.error(key, format!("must be at most {max}"));
                None
            }
            None => {
                self.error(key, "must be a whole number ≥ 0");
                None
            }
        }
    }

    /// An integer id field (≥ 1).
    pub fn id(&mut self, key: &'static str) -> Option<i64> {
        self.whole(key, i64::MAX as u64).and_then(|v| {
            if v == 0 {
                self.error(key, "must be a positive id");
                return None;
            }
            Some(v as i64)
        })
    }

    /// A date field, `YYYY-MM-DD`.
    pub fn date(&mut self, key: &'static str) -> Option<NaiveDate> {
        let text = self.string(key)?;
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        if date.is_none() {
            self.error(key, format!("`{text}` is not a date (YYYY-MM-DD)"));
        }
        date
    }

    /// An RFC 3339 timestamp with its UTC offset.
    pub fn timestamp(&mut self, key: &'static str) -> Option<DateTime<FixedOffset>> {
        let text = self.string(key)?;
        let instant = DateTime::parse_from_rfc3339(text).ok();
        if instant.is_none() {
            self.error(key, format!("`{text}` is not an RFC 3339 timestamp with offset (2026-03-15T08:30:00+07:00)"));
        }
        instant
    }

    /// A string field parsed with `FromStr` (its error message is kept).
    pub fn parsed<T: std::str::FromStr<Err = String>>(&mut self, key: &'static str) -> Option<T> {
        let text = self.string(key)?;
        match text.parse() {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(key, message);
                None
            }
        }
    }

    /// A `{ "lat": …, "lon": … }` object.
    pub fn point(&mut self, key: &'static str) -> Option<GeoPoint> {
        let value = self.value(key)?;
        let pointer = self.pointer(key);
        let mut point = Fields::new(value, &pointer, self.errors);
        let lat = point.number("lat");
        let lon = point.number("lon");
        let lat = point.require("lat", lat);
        let lon = point.require("lon", lon);
        point.finish();
        let (lat, lon) = (lat?, lon?);
        let mut ok = true;
        if !(-90.0..=90.0).contains(&lat) {
            self.errors.push(FieldError::new(format!("{pointer}/lat"), "latitude must be between -90 and 90"));
            ok = false;
        }
        if !(-180.0..=180.0).contains(&lon) {
            self.errors.push(FieldError::new(format!("{pointer}/lon"), "longitude must be between -180 and 180"));
            ok = false;
        }
        ok.then_some(GeoPoint { lat, lon })
    }

    /// An array field; each element with its pointer.
    pub fn array(&mut self, key: &'static str) -> Option<Vec<(String, &'a Value)>> {
        let value = self.value(key)?;
        let pointer = self.pointer(key);
        match value.as_array() {
            Some(items) => Some(items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{i}"), v)).collect()),
            None => {
                self.error(key, "must be an array");
                None
            }
        }
    }

    /// A nested object field, to read with its own `Fields`.
    pub fn object(&mut self, key: &'static str) -> Option<(String, &'a Value)> {
        let value = self.value(key)?;
        Some((self.pointer(key), value))
    }

    /// The shared error list, for reading nested objects.
    pub fn errors(&mut self) -> &mut Vec<FieldError> {
        self.errors
    }

    /// Reports every field that was not read as unknown.
    pub fn finish(self) {
        let Some(object) = self.object else { return };
        for key in object.keys() {
            if !self.read.contains(&key.as_str()) {
                self.errors.push(FieldError::new(
                    format!("{}/{}", self.base, pointer_token(key)),
                    format!("unknown field `{key}`"),
                ));
            }
        }
    }
}
