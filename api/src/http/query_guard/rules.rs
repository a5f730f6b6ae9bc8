//! What each documented query parameter may hold, read from the OpenAPI document: its type
//! (integer, number, boolean, date, one of a vocabulary's words, or any text), so a value no
//! handler could read is named before any handler runs.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

/// What one query parameter may hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A whole number (`format: int64`).
    Integer,
    /// A finite number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A date `YYYY-MM-DD` (`format: date`).
    Date,
    /// One of these words (an enum of the document).
    Words(Vec<String>),
    /// Any text (its handler reads it).
    Text,
}

impl Rule {
    /// The parameter's schema as a rule; `$ref`s are looked up in `schemas`.
    fn of(schema: &Value, schemas: &Value) -> Rule {
        if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()) {
            return Rule::of(schemas.get(name).unwrap_or(&Value::Null), schemas);
        }
        if let Some(words) = schema.get("enum").and_then(Value::as_array) {
            return Rule::Words(words.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        }
        match (schema.get("type").and_then(Value::as_str), schema.get("format").and_then(Value::as_str)) {
            (Some("integer"), _) => Rule::Integer,
            (Some("number"), _) => Rule::Number,
            (Some("boolean"), _) => Rule::Boolean,
            (Some("string"), Some("date")) => Rule::Date,
            _ => Rule::Text,
        }
    }

    /// Why `value` cannot be parameter `name`, if it cannot.
    pub fn refuse(&self, name: &str, value: &str) -> Option<String> {
        let fits = match self {
            Rule::Integer => value.parse::<i64>().is_ok(),
            Rule::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
            Rule::Boolean => matches!(value, "true" | "false"),
            Rule::Date => return crate::http::params::query_date(name, value).err(),
            Rule::Words(words) if !words.iter().any(|w| w == value) => {
                return Some(format!("`{value}` is not one of {}", words.join(", ")));
            }
            Rule::Words(_) | Rule::Text => true,
        };
        let kind = match self {
            Rule::Integer => "a whole number",
            Rule::Number => "a number",
            _ => "true or false",
        };
        (!fits).then(|| format!("`{name}` must be {kind} (got {value:?})"))
    }
}

/// The query parameters of one operation, in the document's order, each with its rule.
pub type Parameters = Vec<(String, Rule)>;

/// The query parameters of every (method, path pattern) of the OpenAPI document.
pub fn operations() -> &'static HashMap<(String, String), Parameters> {
    static OPERATIONS: OnceLock<HashMap<(String, String), Parameters>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let document = serde_json::to_value(super::super::openapi::document()).unwrap_or_default();
        read(&document)
    })
}

fn read(document: &Value) -> HashMap<(String, String), Parameters> {
    let schemas = document.pointer("/components/schemas").cloned().unwrap_or_default();
    let mut operations = HashMap::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let parameters = operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
                .filter_map(|p| {
                    let name = p.get("name").and_then(Value::as_str)?;
                    Some((name.to_owned(), Rule::of(p.get("schema").unwrap_or(&Value::Null), &schemas)))
                })
                .collect();
            operations.insert((method.to_ascii_uppercase(), path.clone()), parameters);
        }
    }
    operations
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_come_from_the_schemas_and_references_of_the_document() {
        let document = json!({
            "paths": {"/v1/things": {"get": {"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}},
                {"name": "bom", "in": "query", "schema": {"type": "boolean"}},
                {"name": "radius_m", "in": "query", "schema": {"type": "number", "format": "double"}},
                {"name": "bbox", "in": "query", "schema": {"type": "string"}}
            ]}}},
            "components": {"schemas": {"Kind": {"type": "string", "enum": ["monitoring", "cleanup"]}}}
        });
        let operations = read(&document);
        let names: Vec<(&str, &Rule)> =
            operations[&("GET".into(), "/v1/things".into())].iter().map(|(n, r)| (n.as_str(), r)).collect();
        let words = Rule::Words(vec!["monitoring".into(), "cleanup".into()]);
        assert_eq!(
            names,
            [
                ("limit", &Rule::Integer),
                ("from", &Rule::Date),
                ("kind", &words),
                ("bom", &Rule::Boolean),
                ("radius_m", &Rule::Number),
                ("bbox", &Rule::Text)
            ]
        );
    }

    #[test]
    fn a_value_is_refused_with_what_the_parameter_must_be() {
        assert_eq!(Rule::Integer.refuse("city", "12"), None);
        assert_eq!(Rule::Integer.refuse("city", "-3"), None);
        assert_eq!(Rule::Integer.refuse("city", "abc").unwrap(), "`city` must be a whole number (got \"abc\")");
        assert_eq!(Rule::Integer.refuse("city", "1.5").unwrap(), "`city` must be a whole number (got \"1.5\")");
        assert_eq!(Rule::Number.refuse("radius_m", "2.5e3"), None);
        assert!(Rule::Number.refuse("radius_m", "NaN").is_some());
        assert_eq!(Rule::Boolean.refuse("bom", "true"), None);
        assert_eq!(Rule::Boolean.refuse("bom", "yes").unwrap(), "`bom` must be true or false (got \"yes\")");
        assert_eq!(Rule::Date.refuse("from", "2024-02-29"), None);
        assert!(Rule::Date.refuse("from", "2023-02-29").unwrap().starts_with("`from` must be a date YYYY-MM-DD"));
        let words = Rule::Words(vec!["comma".into(), "semicolon".into()]);
        assert_eq!(words.refuse("separator", "tab").unwrap(), "`tab` is not one of comma, semicolon");
        assert_eq!(words.refuse("separator", "comma"), None);
        assert_eq!(Rule::Text.refuse("bbox", "anything"), None);
    }
}
