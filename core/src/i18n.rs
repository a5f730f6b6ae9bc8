//! Names in the languages of the network: a translation table (`fixtures/i18n/names.csv`:
//! key, language, text, source) with English as the fallback, and the choice of a language
//! from a request's `Accept-Language`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::protocol::table::read_csv;
pub use crate::vocabulary::Language;

const NAMES_CSV: &str = include_str!("../../fixtures/i18n/names.csv");

/// The translations, by (key, language).
fn names() -> &'static HashMap<(String, Language), String> {
    static NAMES: OnceLock<HashMap<(String, Language), String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        read_csv(NAMES_CSV, |field| (field("key"), field("lang").parse::<Language>(), field("text")))
            .into_iter()
            .filter_map(|(key, lang, text)| Some(((key, lang.ok()?), text)))
            .collect()
    })
}

/// The translation of `key` (e.g. `material:rubber`, `category:G1`) into `language`, if the
/// table has one.
pub fn translation(key: &str, language: Language) -> Option<&'static str> {
    names().get(&(key.to_string(), language)).map(String::as_str)
}

/// The name of `key` in `language`, else in English, else `english` (a name kept with the
/// thing itself, such as a category's name in `categories.csv`).
pub fn name<'a>(key: &str, language: Language, english: &'a str) -> &'a str {
    translation(key, language).or_else(|| translation(key, Language::En)).unwrap_or(english)
}

/// How many of `keys` have a translation into `language` (English counts every key).
pub fn coverage<'k>(keys: impl IntoIterator<Item = &'k str>, language: Language) -> (usize, usize) {
    let keys: Vec<&str> = keys.into_iter().collect();
    let translated = match language {
        Language::En => keys.len(),
        _ => keys.iter().filter(|key| translation(key, language).is_some()).count(),
    };
    (translated, keys.len())
}

impl Language {
    /// The language an `Accept-Language` header asks for: the supported one with the highest
    /// weight (RFC 9110 §12.5.4; `zh-CN` matches `zh`), English when none is supported.
    pub fn negotiate(accept_language: &str) -> Language {
        let mut best: Option<(f32, usize, Language)> = None;
        for (position, range) in accept_language.split(',').enumerate() {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Ok(language) = primary.parse::<Language>() else { continue };
            if weight <= 0.0 {
                continue;
            }
            // higher weight wins; at equal weight the earlier range does
            let better = best.is_none_or(|(w, p, _)| weight > w || (weight == w && position < p));
            if better {
                best = Some((weight, position, language));
            }
        }
        best.map_or(Language::En, |(_, _, language)| language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_weighted_supported_language_is_chosen() {
        assert_eq!(Language::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Language::Zh);
        assert_eq!(Language::negotiate("fr-FR, vi;q=0.5, en;q=0.4"), Language::Vi);
        assert_eq!(Language::negotiate("en;q=0.2, ja;q=0.7, ko;q=0.7"), Language::Ja);
        assert_eq!(Language::negotiate("ko;q=0, th"), Language::Th);
        assert_eq!(Language::negotiate("de, fr"), Language::En);
        assert_eq!(Language::negotiate(""), Language::En);
        assert_eq!(Language::negotiate("*"), Language::En);
    }

    #[test]
    fn a_missing_translation_falls_back_to_english() {
        assert_eq!(name("material:rubber", Language::Vi, "x"), "Cao su");
        assert_eq!(name("material:rubber", Language::En, "x"), "Rubber");
        // a category without a translation keeps its own English name
        assert_eq!(name("category:G1", Language::Ko, "Drink yokes"), "Drink yokes");
    }

    #[test]
    fn item_names_from_regional_sheets_name_real_categories() {
        assert_eq!(name("category:G35", Language::Id, "Straws"), "Sedotan");
        assert_eq!(name("category:TL-MAT-foam", Language::Zh, "Foam"), "聚苯乙烯泡沫类");
        let tree = crate::category::CategoryTree::global();
        let sheet = include_str!("../../fixtures/external/reference/survey-sheets/indonesian-waste-platform.csv");
        for ((key, language), text) in names().iter() {
            if let Some(code) = key.strip_prefix("category:") {
                assert!(tree.get(code).is_some(), "{key} names no category");
                if *language == Language::Id {
                    assert!(sheet.contains(&format!("\"{text}")), "{text} is an item of the Indonesian sheet");
                }
            }
        }
    }

    #[test]
    fn every_material_is_named_in_every_language() {
        let keys: Vec<String> =
            crate::category::Material::ALL.iter().map(|m| format!("material:{}", m.as_str())).collect();
        for language in Language::ALL {
            let (translated, total) = coverage(keys.iter().map(String::as_str), *language);
            assert_eq!((translated, total), (keys.len(), keys.len()), "{language}");
            for key in &keys {
                assert!(translation(key, Language::En).is_some(), "{key} has an English name");
            }
        }
    }
}
