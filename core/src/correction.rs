//! Corrections of stored records: what changed between two versions of a record's body, field
//! by field, so a coordinator sees at a glance what a team corrected.

use serde::Serialize;
use serde_json::Value;

use crate::validation::pointer_token;

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The field, as a JSON pointer into the record's body (`/items/2/count`).
    #[cfg_attr(feature = "openapi", schema(example = "/items/2/count"))]
    pub pointer: String,
    /// Its value before (absent when the field was added).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<serde_json::Value>))]
    pub before: Option<Value>,
    /// Its value after (absent when the field was removed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<serde_json::Value>))]
    pub after: Option<Value>,
}

/// Every leaf field that differs between `before` and `after`, in pointer order of a walk of
/// both bodies (objects by key, arrays by position).
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut found = Vec::new();
    walk(String::new(), Some(before), Some(after), &mut found);
    found
}

fn walk(pointer: String, before: Option<&Value>, after: Option<&Value>, found: &mut Vec<Change>) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                walk(format!("{pointer}/{}", pointer_token(key)), a.get(key), b.get(key), found);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for index in 0..a.len().max(b.len()) {
                walk(format!("{pointer}/{index}"), a.get(index), b.get(index), found);
            }
        }
        (a, b) if a == b => {}
        (a, b) => found.push(Change { pointer, before: a.cloned(), after: b.cloned() }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_corrected_count_an_added_field_and_a_removed_item() {
        let before =
            json!({"date": "2026-03-15", "items": [{"code": "G21", "count": 5}, {"code": "G27", "count": 40}]});
        let after = json!({"date": "2026-03-15", "length_m": 100, "items": [{"code": "G21", "count": 7}]});
        let found = changes(&before, &after);
        let summary: Vec<(&str, Option<&Value>, Option<&Value>)> =
            found.iter().map(|c| (c.pointer.as_str(), c.before.as_ref(), c.after.as_ref())).collect();
        assert_eq!(
            summary,
            vec![
                ("/items/0/count", Some(&json!(5)), Some(&json!(7))),
                ("/items/1", Some(&json!({"code": "G27", "count": 40})), None),
                ("/length_m", None, Some(&json!(100))),
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }
}
