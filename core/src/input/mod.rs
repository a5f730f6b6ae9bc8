//! Reading posted JSON records (survey and sample envelopes) into domain inputs, reporting
//! every offending field at once with its JSON pointer.

mod fields;
mod measure;
mod sample;
mod survey;
pub mod wide;

pub use fields::Fields;
pub use sample::{read_sample, SampleEnvelope};
pub use survey::{read_survey, Placement, SurveyEnvelope};

use crate::units::{LengthUnit, MassUnit};

/// Largest count accepted for one item or particle entry.
pub const MAX_COUNT: u64 = 1_000_000;
/// Most items or particle entries in one record.
pub const MAX_ENTRIES: usize = 1_000;

/// Reads the required `client_id` (a UUID).
fn client_id(fields: &mut Fields<'_>) -> Option<uuid::Uuid> {
    let id = fields.string("client_id").and_then(|text| {
        let id = uuid::Uuid::parse_str(text).ok();
        if id.is_none() {
            fields.error("client_id", format!("`{text}` is not a UUID"));
        }
        id
    });
    fields.require("client_id", id)
}

/// Reads `key_m` (a number in metres) or `key` (`{"value": 0.5, "unit": "mi"}`), not both.
fn length(fields: &mut Fields<'_>, key_m: &'static str, key: &'static str) -> Option<f64> {
    quantity(fields, key_m, key, "length unit `{}` (m, km, ft, yd, mi)", |unit, value| {
        Some(LengthUnit::parse(unit)?.to_metres(value))
    })
}

/// Reads `plain` (a positive number in the base unit) or `with_unit` (`{"value", "unit"}`,
/// converted by `convert`, which refuses an unknown unit), not both. `unknown` names the
/// accepted units, with `{}` for the one given.
fn quantity(
    fields: &mut Fields<'_>,
    plain: &'static str,
    with_unit: &'static str,
    unknown: &str,
    convert: impl Fn(&str, f64) -> Option<f64>,
) -> Option<f64> {
    let value = fields.positive(plain);
    let Some((pointer, object)) = fields.object(with_unit) else { return value };
    if value.is_some() {
        fields.error(with_unit, format!("give either `{plain}` or `{with_unit}`, not both"));
        return None;
    }
    let mut unit_fields = Fields::new(object, &pointer, fields.errors());
    let amount = unit_fields.positive("value");
    let unit_text = unit_fields.string("unit");
    let amount = unit_fields.require("value", amount);
    let unit_text = unit_fields.require("unit", unit_text);
    let converted = unit_text.zip(amount).and_then(|(unit, amount)| {
        let converted = convert(unit, amount);
        if converted.is_none() {
            unit_fields.error("unit", format!("unknown {}", unknown.replace("{}", unit)));
        }
        converted
    });
    unit_fields.finish();
    converted
}

/// Reads `mass_kg` or `mass` (`{"value": 12, "unit": "lb"}`).
fn mass(fields: &mut Fields<'_>) -> Option<f64> {
    let plain = fields.number("mass_kg");
    let Some((pointer, value)) = fields.object("mass") else { return plain };
    let mut unit_fields = Fields::new(value, &pointer, fields.errors());
    let amount = unit_fields.number("value");
    let unit_text = unit_fields.string("unit");
    let amount = unit_fields.require("value", amount);
    let unit_text = unit_fields.require("unit", unit_text);
    let unit = unit_text.and_then(|u| {
        let parsed = MassUnit::parse(u);
        if parsed.is_none() {
            unit_fields.error("unit", format!("unknown mass unit `{}` (kg, g, lb)", u.to_lowercase()));
        }
        parsed
    });
    unit_fields.finish();
    Some(unit?.to_kg(amount?))
}
