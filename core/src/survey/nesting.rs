//! A whole and its parts posted together are counted once. In protocols whose codes are the
//! canonical codes themselves (Marine LitterWatch G-codes, Tideline), a survey may post a code
//! and codes below it in the tree (G52 nets with G53/G54, G76 with G79/G82): the parts are then
//! the breakdown of the whole (kept, not added to totals) when they fit in it, and the survey is
//! refused naming both codes when they do not. (OSPAR's split types, e.g. 610 of 6, are
//! breakdown rows of its mapping table; TIDES and MDMAP items are distinct source items.)

use std::collections::HashMap;

use super::normalise::CanonicalItem;
use crate::category::CategoryTree;
use crate::validation::{FieldError, Flag};

/// Marks parts posted with their whole as its breakdown; errors where the parts exceed it.
/// `pointers[i]` is the JSON pointer of `items[i]`.
pub fn count_wholes_once(items: &mut [CanonicalItem], pointers: &[String], flags: &mut Vec<Flag>) -> Vec<FieldError> {
    let tree = CategoryTree::global();
    let canonical = |item: &CanonicalItem| item.counted && item.source_code == item.category;
    let mut errors = Vec::new();
    // the canonical items below each code, from each item's ancestors walked once (a survey
    // rarely posts a whole with its parts; a pairwise search was quadratic in its items)
    let mut below: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate().filter(|(_, item)| canonical(item)) {
        for ancestor in tree.lineage(&item.category).iter().skip(1) {
            below.entry(ancestor.code.as_str()).or_default().push(i);
        }
    }
    for whole in 0..items.len() {
        if !canonical(&items[whole]) {
            continue;
        }
        let code = items[whole].category.clone();
        // a part already counted as the breakdown of another whole is no longer canonical
        let parts: Vec<usize> = below
            .get(code.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| i != whole && canonical(&items[i]))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let names: Vec<&str> = parts.iter().map(|&i| items[i].category.as_str()).collect();
        let sum: u64 = parts.iter().map(|&i| u64::from(items[i].count)).sum();
        let whole_count = u64::from(items[whole].count);
        if sum > whole_count {
            errors.push(FieldError::new(
                pointers[whole].clone(),
                format!(
                    "`{code}` ({whole_count} items) and its parts {} ({sum} items) are both posted and the parts exceed \
                     the whole: post either the whole or its parts",
                    names.join(", ")
                ),
            ));
            continue;
        }
        flags.push(Flag::new(
            "breakdown_counted_once",
            pointers[whole].clone(),
            format!(
                "{} ({sum} items) counted as the breakdown of `{code}` ({whole_count} items), once",
                names.join(", ")
            ),
        ));
        for i in parts {
            items[i].counted = false;
        }
    }
    errors
}
