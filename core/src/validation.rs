//! Field errors (what makes a record invalid) and plausibility flags (what a reviewer should
//! look at in a valid record). Validation collects every problem at once.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field: where (a JSON pointer, RFC 6901) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer to the field, e.g. `/items/3/count`.
    #[schema(example = "/items/0/count")]
    pub pointer: String,
    /// What is wrong, in plain words.
    #[schema(example = "must be a whole number ≥ 0")]
    pub message: String,
}

impl FieldError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), message: message.into() }
    }
}

/// A plausibility flag: the record is stored, but a reviewer should look at it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Flag {
    /// Stable machine-readable code, e.g. `short_length`.
    #[schema(example = "short_length")]
    pub code: String,
    /// The field concerned, as a JSON pointer (empty for the whole record).
    #[schema(example = "/length_m")]
    pub pointer: String,
    /// Explanation for the reviewer.
    #[schema(example = "surveyed length 8 m is 10 m or less: excluded from threshold assessments")]
    pub message: String,
}

impl Flag {
    /// A flag with this code on `pointer`.
    pub fn new(code: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.to_string(), pointer: pointer.into(), message: message.into() }
    }
}

/// Escapes one JSON-pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
