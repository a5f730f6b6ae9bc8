//! Particle vocabularies with aliases: shape, polymer (NERC H05-style codes) and size class
//! (GESAMP and common lab fractions). Compiled in from `fixtures/protocols/`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::protocol::table::normalise_key;

const SHAPES_CSV: &str = include_str!("../../../fixtures/protocols/particle-shapes.csv");
const POLYMERS_CSV: &str = include_str!("../../../fixtures/protocols/polymers.csv");
const SIZE_CLASSES_CSV: &str = include_str!("../../../fixtures/protocols/size-classes.csv");

/// A vocabulary: canonical terms and every alias that resolves to one.
#[derive(Debug)]
pub struct Vocabulary {
    /// What the terms name (`shape`, `polymer`, `size class`).
    pub name: &'static str,
    terms: Vec<String>,
    lookup: HashMap<String, usize>,
}

impl Vocabulary {
    fn parse(name: &'static str, text: &str) -> Self {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let alias_column = reader.headers().ok().and_then(|h| h.iter().position(|c| c == "aliases")).unwrap_or(2);
        let mut terms = Vec::new();
        let mut lookup = HashMap::new();
        for record in reader.records().flatten() {
            let term = record.get(0).unwrap_or("").trim().to_string();
            let index = terms.len();
            lookup.insert(normalise_key(&term), index);
            if let Some(label) = record.get(1) {
                lookup.entry(normalise_key(label)).or_insert(index);
            }
            for alias in record.get(alias_column).unwrap_or("").split('|').filter(|a| !a.trim().is_empty()) {
                lookup.entry(normalise_key(alias)).or_insert(index);
            }
            terms.push(term);
        }
        Self { name, terms, lookup }
    }

    /// The canonical term for a term or alias, in any case.
    pub fn resolve(&self, text: &str) -> Option<&str> {
        self.lookup.get(&normalise_key(text)).map(|&i| self.terms[i].as_str())
    }

    /// The canonical terms.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }
}

/// Particle shapes: fragment, fibre, film, foam, pellet, sphere, line.
pub fn shapes() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| Vocabulary::parse("shape", SHAPES_CSV))
}

/// Polymers: PE, PP, PS, PA, PET, PVC, PU, ABS, PMMA … UNKNOWN.
pub fn polymers() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| Vocabulary::parse("polymer", POLYMERS_CSV))
}

/// Size classes: micro (and lab fractions 1–5 mm, 0.3–1 mm, < 0.3 mm), meso, macro.
pub fn size_classes() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| Vocabulary::parse("size class", SIZE_CLASSES_CSV))
}
