//! Reading the measurement model's extra fields: an item line's weight (`weight_g`, or
//! `weight` with a unit), size class and origin; a survey's surveyed area as `blocks` (each
//! `{length_m, width_m}`, e.g. NOWPAP's 10 m × 10 m blocks) or `area_m2`.

use super::Fields;
use crate::survey::{blocks_area_m2, Block, ItemMeasure};
use crate::units::MassUnit;

/// Most blocks or quadrats in one survey.
const MAX_BLOCKS: usize = 1_000;

/// The weight, size class and origin of an item line.
pub(super) fn item_measure(item: &mut Fields<'_>) -> ItemMeasure {
    ItemMeasure { weight_g: weight_g(item), size_class: item.parsed("size_class"), origin: item.parsed("origin") }
}

/// `weight_g`, or `weight` as `{"value": 1.2, "unit": "kg"}` (g, kg, lb), in grams.
fn weight_g(item: &mut Fields<'_>) -> Option<f64> {
    super::quantity(item, "weight_g", "weight", "mass unit `{}` (g, kg, lb)", |unit, value| {
        Some(MassUnit::parse(unit)?.to_kg(value) * 1000.0)
    })
}

/// The surveyed area from `blocks` or `area_m2` (not both), m².
pub(super) fn surveyed_area(fields: &mut Fields<'_>) -> Option<f64> {
    let declared = fields.positive("area_m2");
    let Some(entries) = fields.array("blocks") else {
        return declared;
    };
    if declared.is_some() {
        fields.error("blocks", "give either `blocks` or `area_m2`, not both");
        return None;
    }
    if entries.is_empty() || entries.len() > MAX_BLOCKS {
        fields.error("blocks", format!("between 1 and {MAX_BLOCKS} blocks"));
        return None;
    }
    let mut blocks = Vec::with_capacity(entries.len());
    for (pointer, value) in entries {
        let mut block = Fields::new(value, &pointer, fields.errors());
        let length = block.positive("length_m");
        let width = block.positive("width_m");
        let length = block.require("length_m", length);
        let width = block.require("width_m", width);
        block.finish();
        if let (Some(length_m), Some(width_m)) = (length, width) {
            blocks.push(Block { length_m, width_m });
        }
    }
    Some(blocks_area_m2(&blocks))
}
