//! What an item line carries besides its count, where the protocol records it: a weight, a
//! size class and an origin; and a survey's surveyed area when its protocol measures one (10 m
//! × 10 m blocks, quadrats) rather than a length and a width.

pub use crate::vocabulary::{LitterSize, Origin};
use serde::{Deserialize, Serialize};

/// The measurements of an item line besides its count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemMeasure {
    /// Weight of the line's items together, g.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<f64>,
    /// Size class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_class: Option<LitterSize>,
    /// Origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// One block or quadrat of a surveyed area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    /// Along the shore, m.
    pub length_m: f64,
    /// Inland, m.
    pub width_m: f64,
}

/// The surveyed area of a set of blocks, m².
pub fn blocks_area_m2(blocks: &[Block]) -> f64 {
    blocks.iter().map(|b| b.length_m * b.width_m).sum()
}

/// The total weight of the counted lines, g: known only when every counted line with items
/// was weighed (a partly weighed survey has no total weight; it is never guessed).
pub fn total_weight_g<'a>(lines: impl IntoIterator<Item = (u32, &'a ItemMeasure)>) -> Option<f64> {
    let mut total = 0.0;
    let mut any = false;
    for (count, measure) in lines {
        match (count, measure.weight_g) {
            (0, weight) => total += weight.unwrap_or(0.0),
            (_, Some(weight)) => {
                total += weight;
                any = true;
            }
            (_, None) => return None,
        }
    }
    any.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighed(g: f64) -> ItemMeasure {
        ItemMeasure { weight_g: Some(g), ..ItemMeasure::default() }
    }

    #[test]
    fn a_total_weight_needs_every_line_with_items_weighed() {
        let (a, b, none) = (weighed(120.0), weighed(35.5), ItemMeasure::default());
        assert_eq!(total_weight_g([(3, &a), (1, &b)]), Some(155.5));
        assert_eq!(total_weight_g([(3, &a), (1, &none)]), None);
        assert_eq!(total_weight_g([(3, &a), (0, &none)]), Some(120.0), "an empty line needs no weight");
        assert_eq!(total_weight_g([(0, &none)]), None, "nothing weighed at all");
    }

    #[test]
    fn ten_metre_blocks_add_up_to_the_surveyed_area() {
        let block = Block { length_m: 10.0, width_m: 10.0 };
        assert_eq!(blocks_area_m2(&[block, block, Block { length_m: 10.0, width_m: 6.5 }]), 265.0);
    }
}
