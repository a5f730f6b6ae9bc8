//! The pages' own words in English, Chinese, Vietnamese and Indonesian
//! (`fixtures/i18n/ui.csv`: one row per key, one column per language), with `{name}`
//! placeholders filled in; other languages fall back to English.

use std::collections::HashMap;
use std::sync::OnceLock;

use tideline_core::i18n::Language;

const UI_CSV: &str = include_str!("../../../../fixtures/i18n/ui.csv");

/// The languages the pages are written in (the columns of `ui.csv` after `key`).
pub const PAGE_LANGUAGES: [Language; 4] = [Language::En, Language::Zh, Language::Vi, Language::Id];

/// Every text by (language, key).
fn table() -> &'static HashMap<(Language, String), String> {
    static TABLE: OnceLock<HashMap<(Language, String), String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(UI_CSV.as_bytes());
        let headers = reader.headers().cloned().unwrap_or_default();
        let mut table = HashMap::new();
        for record in reader.records().flatten() {
            let key = record.get(0).unwrap_or_default().to_string();
            for (column, text) in headers.iter().zip(record.iter()).skip(1) {
                if let (Ok(language), false) = (column.parse::<Language>(), text.is_empty()) {
                    table.insert((language, key.clone()), text.to_string());
                }
            }
        }
        table
    })
}

/// The pages' words in one language.
#[derive(Debug, Clone, Copy)]
pub struct Words(pub Language);

impl Words {
    /// The text of `key`, in English when this language lacks it, else the key itself.
    pub fn get(&self, key: &str) -> String {
        let lookup = |language| table().get(&(language, key.to_string()));
        lookup(self.0).or_else(|| lookup(Language::En)).cloned().unwrap_or_else(|| key.to_string())
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn say(&self, key: &str, values: &[(&str, String)]) -> String {
        values.iter().fold(self.get(key), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }

    /// Every key with its text, for the templates.
    pub fn all(&self) -> HashMap<String, String> {
        let keys = table().keys().filter(|(l, _)| *l == Language::En).map(|(_, k)| k.clone());
        keys.map(|key| (key.clone(), self.get(&key))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_written_in_every_page_language_with_the_same_placeholders() {
        let english: Vec<(&String, &String)> =
            table().iter().filter(|((l, _), _)| *l == Language::En).map(|((_, k), t)| (k, t)).collect();
        assert!(english.len() >= 60, "{}", english.len());
        let placeholders = |text: &str| {
            let mut names: Vec<String> =
                text.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|p| p.0.into()).collect();
            names.sort();
            names
        };
        for (key, text) in english {
            for language in PAGE_LANGUAGES {
                let translated = table().get(&(language, key.clone())).unwrap_or_else(|| panic!("{key} in {language}"));
                assert_eq!(placeholders(translated), placeholders(text), "{key} in {language}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_missing_languages_fall_back_to_english() {
        let n = [("n", "12".to_string())];
        assert!(Words(Language::Vi).say("explain_insufficient", &n).contains("12 lần"));
        assert_eq!(Words(Language::Th).get("trend"), "Trend");
        assert_eq!(Words(Language::Zh).get("trend"), "趋势");
        assert_eq!(Words(Language::En).get("no_such_key"), "no_such_key");
    }
}
