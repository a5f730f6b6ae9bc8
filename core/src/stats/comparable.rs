//! Category counts at a level every contributing protocol can express: where a protocol
//! records only a group (OSPAR 4 "drink bottles" = G7 + G8), the finer counts of the others
//! are rolled up to that group, so one item type is listed once (top-X, composition by item).
//! Where a protocol records materials only (a GESAMP sheet), every count goes to its
//! material's leaf; counts posted at a mixed-material group stay there (never split).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::category::{is_material_level, material_leaf, CategoryTree, Material};
use crate::protocol::{Protocol, RowKind};

/// The group nodes a protocol records without any finer code below them.
fn coarse_nodes(protocol: Protocol) -> &'static BTreeSet<String> {
    static NODES: OnceLock<BTreeMap<Protocol, BTreeSet<String>>> = OnceLock::new();
    static EMPTY: BTreeSet<String> = BTreeSet::new();
    let all = NODES.get_or_init(|| {
        let tree = CategoryTree::global();
        Protocol::ALL
            .into_iter()
            .map(|protocol| {
                let targets: BTreeSet<&str> = protocol
                    .table()
                    .rows()
                    .iter()
                    .filter(|r| r.kind == RowKind::Count && r.breakdown_of.is_none())
                    .map(|r| r.category.as_str())
                    .collect();
                let below =
                    |node: &str| targets.iter().any(|t| *t != node && tree.lineage(t).iter().any(|a| a.code == node));
                let coarse = targets
                    .iter()
                    .filter(|t| tree.children(t).next().is_some() && !below(t))
                    .map(|t| t.to_string())
                    .collect();
                (protocol, coarse)
            })
            .collect()
    });
    all.get(&protocol).unwrap_or(&EMPTY)
}

/// Whether a protocol records materials only (GESAMP, NOWPAP, China): every count row maps
/// to a material-level category.
fn material_only(protocol: Protocol) -> bool {
    static ONLY: OnceLock<BTreeSet<Protocol>> = OnceLock::new();
    ONLY.get_or_init(|| {
        let counts = |p: &Protocol| p.table().rows().iter().filter(|r| r.kind == RowKind::Count).collect::<Vec<_>>();
        Protocol::ALL
            .into_iter()
            .filter(|p| {
                let rows = counts(p);
                !rows.is_empty() && rows.iter().all(|r| is_material_level(&r.category))
            })
            .collect()
    })
    .contains(&protocol)
}

/// `counts` with every category rolled up to the highest group that one of `protocols`
/// records only as a whole (or to its material, when one records materials only); also the
/// groups used.
pub fn comparable_counts(
    counts: &BTreeMap<String, u64>,
    protocols: &BTreeSet<Protocol>,
) -> (BTreeMap<String, u64>, Vec<String>) {
    let tree = CategoryTree::global();
    if protocols.iter().any(|p| material_only(*p)) {
        let mut rolled: BTreeMap<String, u64> = BTreeMap::new();
        let mut used = BTreeSet::new();
        for (code, count) in counts {
            let target = match tree.get(code).map(|c| c.material) {
                Some(Material::Mixed) | None => code.clone(),
                Some(material) => {
                    let leaf = material_leaf(material);
                    used.insert(leaf.clone());
                    leaf
                }
            };
            *rolled.entry(target).or_default() += count;
        }
        return (rolled, used.into_iter().collect());
    }
    let coarse: BTreeSet<&String> = protocols.iter().flat_map(|p| coarse_nodes(*p)).collect();
    let mut rolled: BTreeMap<String, u64> = BTreeMap::new();
    let mut used = BTreeSet::new();
    for (code, count) in counts {
        let lineage = tree.lineage(code);
        // lineage runs from the category up: the last coarse node met is the highest
        let target = lineage.iter().rev().find(|node| coarse.contains(&node.code)).map(|n| n.code.clone());
        if let Some(group) = &target {
            used.insert(group.clone());
        }
        *rolled.entry(target.unwrap_or_else(|| code.clone())).or_default() += count;
    }
    (rolled, used.into_iter().collect())
}
