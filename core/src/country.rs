//! Country codes: ISO 3166-1 alpha-2, checked against the official list (so `EU`, `XX` or
//! `UK` are refused). The one rule for every country code Tideline takes, in any case.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const ISO_3166_CSV: &str = include_str!("../../fixtures/reference/iso-3166-1-alpha-2.csv");

fn countries() -> &'static BTreeMap<String, String> {
    static COUNTRIES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        crate::protocol::table::read_csv(ISO_3166_CSV, |field| (field("alpha_2"), field("name"))).into_iter().collect()
    })
}

/// The code in upper case when it is an ISO 3166-1 alpha-2 country code, else why not.
pub fn country_code(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if countries().contains_key(&code) {
        Ok(code)
    } else {
        Err(format!("`{text}` is not an ISO 3166-1 alpha-2 country code (such as VN, PH, ID, TH, JP, KR, CN)"))
    }
}

const ALIASES_CSV: &str = include_str!("../../fixtures/reference/country-aliases.csv");

/// The code of a country as an export file writes it: ISO 3166-1 alpha-2, or one of the EU's
/// own abbreviations that EEA exports use (`EL` for Greece, `UK` for the United Kingdom; see
/// `fixtures/reference/country-aliases.csv`), given as its ISO code.
pub fn export_country_code(text: &str) -> Result<String, String> {
    static ALIASES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let aliases = ALIASES.get_or_init(|| {
        crate::protocol::table::read_csv(ALIASES_CSV, |field| (field("alias"), field("alpha_2"))).into_iter().collect()
    });
    match aliases.get(&text.trim().to_ascii_uppercase()) {
        Some(code) => Ok(code.clone()),
        None => country_code(text),
    }
}

/// The English name of a country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries().get(code).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_list_and_nothing_else() {
        assert_eq!(countries().len(), 249);
        assert_eq!(country_code("vn"), Ok("VN".to_string()));
        assert_eq!(country_name("KR"), Some("Korea, Republic of"));
        for bad in ["EU", "XX", "UK", "VNM", "", "V1"] {
            assert!(country_code(bad).is_err(), "{bad}");
        }
        assert_eq!(export_country_code("el"), Ok("GR".to_string()));
        assert_eq!(export_country_code("UK"), Ok("GB".to_string()));
        assert_eq!(export_country_code("HR"), Ok("HR".to_string()));
        assert!(export_country_code("EU").is_err());
    }
}
