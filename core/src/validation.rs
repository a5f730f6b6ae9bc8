//! Field errors (what makes a record invalid) and plausibility flags (what a reviewer should
//! look at in a valid record). Validation collects every problem at once.

use serde::Serialize;

/// One invalid field: where (a JSON pointer, RFC 6901) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer to the field, e.g. `/items/3/count`.
    #[cfg_attr(feature = "openapi", schema(example = "/items/0/count"))]
    pub pointer: String,
    /// What is wrong, in plain words.
    #[cfg_attr(feature = "openapi", schema(example = "must be a whole number ≥ 0"))]
    pub message: String,
}

impl FieldError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), message: message.into() }
    }
}

/// Longest name of a site, team or city, in characters (the schema's limit).
pub const NAME_MAX: usize = 200;

/// The error of a name or code: empty once trimmed, longer than `max` characters (counted as
/// PostgreSQL counts them, not in bytes), or holding a NUL character.
pub fn name_error(pointer: &str, text: &str, max: usize) -> Option<FieldError> {
    if text.contains('\0') {
        return Some(FieldError::new(pointer, "text must not contain NUL (\\u0000) characters"));
    }
    let length = text.trim().chars().count();
    (length == 0 || length > max).then(|| FieldError::new(pointer, format!("1 to {max} characters")))
}

/// A plausibility flag: the record is stored, but a reviewer should look at it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    /// Stable machine-readable code, e.g. `short_length`.
    #[cfg_attr(feature = "openapi", schema(example = "short_length"))]
    pub code: String,
    /// The field concerned, as a JSON pointer (empty for the whole record).
    #[cfg_attr(feature = "openapi", schema(example = "/length_m"))]
    pub pointer: String,
    /// Explanation for the reviewer.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "surveyed length 8 m is 10 m or less: excluded from threshold assessments")
    )]
    pub message: String,
}

/// Flags that describe how a record was read rather than doubt it, so they do not hold a
/// trusted team's record for review: a TIDES length is a walked distance by definition, and
/// parts posted with their whole were counted once as its breakdown.
pub const INFORMATIONAL_FLAGS: [&str; 2] = ["length_from_miles", "breakdown_counted_once"];

impl Flag {
    /// A flag with this code on `pointer`.
    pub fn new(code: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.to_string(), pointer: pointer.into(), message: message.into() }
    }

    /// Whether a reviewer must look at the record before it counts.
    pub fn needs_review(&self) -> bool {
        !INFORMATIONAL_FLAGS.contains(&self.code.as_str())
    }
}

/// Escapes one JSON-pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The earliest date a survey or sample may carry. Systematic beach-litter counts begin in the
/// 1970s (the Ocean Conservancy's cleanups in 1986, OSPAR's monitoring in 2001), so anything
/// before 1 January 1970 is a typing error, never a record — and a date PostgreSQL could not
/// hold never reaches the database.
pub const EARLIEST_RECORD_DATE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => panic!("1970-01-01 is a date"),
};

/// Why a record's date is impossible (before [`EARLIEST_RECORD_DATE`] or after `latest`),
/// or `None` when it is within range. The one rule for every record date, JSON or CSV.
pub fn record_date_problem(date: chrono::NaiveDate, latest: chrono::NaiveDate) -> Option<String> {
    if date > latest {
        Some(format!("{date} is in the future"))
    } else if date < EARLIEST_RECORD_DATE {
        Some(format!("{date} is before {EARLIEST_RECORD_DATE}, the earliest date a record may have"))
    } else {
        None
    }
}

/// Whether any string or key of `value` holds a NUL character: the scan every record pays,
/// with no allocation (the pointer is built only for a record that has one).
fn holds_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(holds_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// The first string or key of `value` holding a NUL character (`\u0000`), which PostgreSQL
/// text cannot store, as a field error; `None` when there is none.
pub fn nul_character(value: &serde_json::Value, base: &str) -> Option<FieldError> {
    fn find(value: &serde_json::Value, pointer: &mut String) -> bool {
        let descend = |pointer: &mut String, token: &str, child: &serde_json::Value| {
            let len = pointer.len();
            pointer.push('/');
            // the pointer names the key with its NUL shown as U+FFFD: the answer (and a stored
            // replay of it) must not carry the NUL it refuses
            pointer.push_str(&pointer_token(&token.replace('\0', "\u{FFFD}")));
            let found = token.contains('\0') || find(child, pointer);
            if !found {
                pointer.truncate(len);
            }
            found
        };
        match value {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().any(|(i, v)| descend(pointer, &i.to_string(), v))
            }
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| descend(pointer, k, v)),
            _ => false,
        }
    }
    if !holds_nul(value) {
        return None;
    }
    let mut pointer = base.to_string();
    find(value, &mut pointer).then(|| FieldError::new(pointer, "text must not contain NUL (\\u0000) characters"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_character_names_the_first_string_or_key_that_holds_one() {
        let clean = json!({"items": [{"code": "G1", "count": 3}], "note": "ok", "empty": ""});
        assert_eq!(nul_character(&clean, "/records/0"), None);
        let pointer = |value: serde_json::Value| nul_character(&value, "/records/2").map(|e| e.pointer);
        assert_eq!(pointer(json!({"note": "a\u{0}b"})), Some("/records/2/note".into()));
        assert_eq!(
            pointer(json!({"items": [{"code": "G1"}, {"code": "\u{0}"}]})),
            Some("/records/2/items/1/code".into())
        );
        // a key holding a NUL is named with U+FFFD in its place, so the answer carries no NUL
        assert_eq!(pointer(json!({"ok": 1, "n\u{0}te/x": 2})), Some("/records/2/n\u{FFFD}te~1x".into()));
        assert_eq!(pointer(json!(["a", ["b", "\u{0}"]])), Some("/records/2/1/1".into()));
        assert_eq!(pointer(json!({"a": {"b": 1.5, "c": null, "d": true}})), None);
    }
}
