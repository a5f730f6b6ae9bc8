//! Composition of litter: top-X categories (those making up 80 % of the count) and material
//! shares.

use std::collections::BTreeMap;

use serde::Serialize;

/// Share of the total count the top-X categories reach.
pub const TOP_X_SHARE: f64 = 0.8;

/// One category's share of a count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    /// Category or material code.
    pub code: String,
    /// Items.
    pub count: u64,
    /// Share of the total, 0–1.
    pub share: f64,
}

fn shares(counts: impl IntoIterator<Item = (String, u64)>) -> Vec<Share> {
    let counts: Vec<(String, u64)> = counts.into_iter().filter(|(_, c)| *c > 0).collect();
    let total: u64 = counts.iter().map(|(_, c)| c).sum();
    let mut shares: Vec<Share> =
        counts.into_iter().map(|(code, count)| Share { share: count as f64 / total as f64, code, count }).collect();
    shares.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    shares
}

/// The categories that together make up 80 % of the total count, largest first (ties by
/// code); the category that crosses 80 % is included.
pub fn top_x(counts: impl IntoIterator<Item = (String, u64)>) -> Vec<Share> {
    let mut cumulative = 0.0;
    let mut top = Vec::new();
    for share in shares(counts) {
        if cumulative >= TOP_X_SHARE - 1e-12 {
            break;
        }
        cumulative += share.share;
        top.push(share);
    }
    top
}

/// Every entry's share of the total, largest first.
pub fn composition<K: ToString>(counts: &BTreeMap<K, u64>) -> Vec<Share> {
    shares(counts.iter().map(|(k, c)| (k.to_string(), *c)))
}
