//! The category tree: loading, consistency rules, look-ups and walking up and down.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::{Category, Material};

const CATEGORIES_CSV: &str = include_str!("../../../fixtures/protocols/categories.csv");

/// A broken category table (caught by the tests, never by users).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TreeError {
    /// A row cannot be read.
    #[error("categories.csv line {line}: {message}")]
    Row { line: usize, message: String },
    /// Two rows share a code.
    #[error("category {0} is defined twice")]
    Duplicate(String),
    /// A parent code names no category, or the parents form a cycle.
    #[error("category {code}: bad parent {parent}")]
    BadParent { code: String, parent: String },
    /// A group's flag or material does not hold for one of its children, so aggregating up
    /// would not be exact.
    #[error("group {group} is {rule} but its child {child} is not")]
    Inconsistent { group: String, child: String, rule: &'static str },
}

/// All canonical categories, by code.
#[derive(Debug)]
pub struct CategoryTree {
    by_code: BTreeMap<String, Category>,
}

impl CategoryTree {
    /// The tree compiled into this build. The embedded table is checked by the test suite.
    pub fn global() -> &'static CategoryTree {
        static TREE: OnceLock<CategoryTree> = OnceLock::new();
        TREE.get_or_init(|| match Self::parse(CATEGORIES_CSV) {
            Ok(tree) => tree,
            Err(err) => panic!("embedded categories.csv is invalid: {err}"),
        })
    }

    /// Reads and checks a category table in the `categories.csv` format.
    pub fn parse(text: &str) -> Result<Self, TreeError> {
        let mut by_code = BTreeMap::new();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let row = |message: String| TreeError::Row { line, message };
            let record = record.map_err(|e| row(e.to_string()))?;
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let category = Category {
                code: field(0).to_string(),
                parent: Some(field(1).to_string()).filter(|p| !p.is_empty()),
                name: field(2).to_string(),
                material: field(3).parse().map_err(row)?,
                counted: field(4) == "x",
                single_use_plastic: field(5) == "x",
                fishing: field(6) == "x",
                sanitary: field(7) == "x",
                medical: field(8) == "x",
                smoking: field(9) == "x",
                size_class: field(10).parse().map_err(row)?,
                origin: field(11).to_string(),
            };
            if category.code.is_empty() || category.name.is_empty() {
                return Err(row("code and name are required".into()));
            }
            if let Some(previous) = by_code.insert(category.code.clone(), category) {
                return Err(TreeError::Duplicate(previous.code));
            }
        }
        let tree = Self { by_code };
        tree.check()?;
        Ok(tree)
    }

    fn check(&self) -> Result<(), TreeError> {
        for category in self.by_code.values() {
            // every parent exists and the chain ends (no cycles)
            let mut steps = 0;
            let mut current = category;
            while let Some(parent) = &current.parent {
                let bad = || TreeError::BadParent { code: category.code.clone(), parent: parent.clone() };
                current = self.by_code.get(parent).ok_or_else(bad)?;
                steps += 1;
                if steps > self.by_code.len() {
                    return Err(bad());
                }
            }
            if let Some(parent) = category.parent.as_ref().and_then(|p| self.by_code.get(p)) {
                let inconsistent =
                    |rule| TreeError::Inconsistent { group: parent.code.clone(), child: category.code.clone(), rule };
                if parent.counted && !category.counted {
                    return Err(inconsistent("counted"));
                }
                if parent.single_use_plastic && !category.single_use_plastic {
                    return Err(inconsistent("single-use plastic"));
                }
                if parent.fishing && !category.fishing {
                    return Err(inconsistent("fishing-related"));
                }
                for (flag_of_group, flag_of_child, rule) in [
                    (parent.sanitary, category.sanitary, "sanitary"),
                    (parent.medical, category.medical, "medical"),
                    (parent.smoking, category.smoking, "smoking-related"),
                ] {
                    if flag_of_group && !flag_of_child {
                        return Err(inconsistent(rule));
                    }
                }
                let any_material = matches!(parent.material, Material::Unidentified | Material::Mixed);
                if !any_material && parent.material != category.material {
                    return Err(inconsistent("of one material"));
                }
                if parent.size_class != category.size_class {
                    return Err(inconsistent("of one size class"));
                }
            }
        }
        Ok(())
    }

    /// The category with this code.
    pub fn get(&self, code: &str) -> Option<&Category> {
        self.by_code.get(code)
    }

    /// Every category, ordered by code.
    pub fn iter(&self) -> impl Iterator<Item = &Category> {
        self.by_code.values()
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The direct children of a group.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Category> + 'a {
        self.by_code.values().filter(move |c| c.parent.as_deref() == Some(code))
    }

    /// The chain from `code` up to its top-level ancestor, starting with `code` itself.
    pub fn lineage(&self, code: &str) -> Vec<&Category> {
        let mut chain = Vec::new();
        let mut next = self.get(code);
        while let Some(category) = next {
            chain.push(category);
            next = category.parent.as_deref().and_then(|p| self.get(p));
        }
        chain
    }

    /// The top-level node `code` rolls up to (itself when it has no parent).
    pub fn top_level(&self, code: &str) -> Option<&Category> {
        self.lineage(code).pop()
    }
}
