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
    }
}
