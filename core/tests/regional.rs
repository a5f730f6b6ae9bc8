//! The region's own protocols (NOWPAP/NPEC, China's national monitoring, Indonesia's KLHK,
//! Viet Nam): each example in `fixtures/examples/`, posted as JSON and read from its CSV
//! layout, normalises to the hand-computed counts, weights and densities below.

use chrono::NaiveDate;
use tideline_core::input::read_survey;
use tideline_core::input::wide::sheet;
use tideline_core::protocol::Protocol;
use tideline_core::survey::{normalise, LitterSize, NormalisedSurvey, Origin};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn from_json(text: &str) -> NormalisedSurvey {
    let body: serde_json::Value = serde_json::from_str(text).unwrap();
    normalise(read_survey(&body, "", today()).unwrap().input, today()).unwrap()
}

fn from_csv(protocol: Protocol, text: &str) -> NormalisedSurvey {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let row: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(str::to_string).collect();
    normalise(sheet::read_row(protocol, &headers, &row).unwrap().survey, today()).unwrap()
}

/// What a survey should come to: counts, grams and the surveyed area and length.
struct Expected {
    total: u64,
    threshold: u64,
    plastic: u64,
    grams: f64,
    area_m2: f64,
    length_m: f64,
}

fn check(survey: &NormalisedSurvey, want: &Expected) {
    let s = &survey.summary;
    assert_eq!((s.total_items, s.threshold_items, s.plastic_items), (want.total, want.threshold, want.plastic));
    close(s.area_m2, want.area_m2);
    close(s.total_weight_g, want.grams);
    // the plain definitions, by hand: count or weight × 100 / area or length
    close(s.items_per_100m2, want.total as f64 * 100.0 / want.area_m2);
    close(s.grams_per_100m2, want.grams * 100.0 / want.area_m2);
    close(s.items_per_100m, want.total as f64 * 100.0 / want.length_m);
    close(s.kg_per_100m, want.grams / 1000.0 * 100.0 / want.length_m);
    close(s.grams_per_m, want.grams / want.length_m);
}

/// NOWPAP: three 10 m × 10 m blocks inland from 10 m of shore; plastic counted domestic and
/// foreign apart. 72 items, 1400 g on 300 m²: 24 items/100 m², 466.7 g/100 m², 720 items/100 m.
#[test]
fn a_nowpap_survey_counts_and_weighs_by_material_in_blocks() {
    let survey = from_json(include_str!("../../fixtures/examples/nowpap.json"));
    let want = Expected { total: 72, threshold: 72, plastic: 67, grams: 1400.0, area_m2: 300.0, length_m: 10.0 };
    check(&survey, &want);
    close(survey.summary.items_per_100m2, 24.0);
    close(survey.summary.grams_per_100m2, 1400.0 / 3.0);
    let codes: Vec<(&str, &str, Option<Origin>)> =
        survey.items.iter().map(|i| (i.source_code.as_str(), i.category.as_str(), i.measure.origin)).collect();
    assert_eq!(codes[0], ("plastic@domestic", "TL-MAT-artificial_polymer", Some(Origin::Domestic)));
    assert_eq!(codes[1], ("plastic@foreign", "TL-MAT-artificial_polymer", Some(Origin::Foreign)));
    assert_eq!(codes[2], ("styrene_foam", "TL-MAT-foam", None), "foam is its own material leaf, a plastic");
    // the CSV layout gives a line of one origin as a `plastic@foreign` column: the same survey
    let csv = from_csv(Protocol::Nowpap, include_str!("../../fixtures/examples/nowpap.csv"));
    check(&csv, &want);
    let lines = |s: &NormalisedSurvey| -> Vec<(String, Option<Origin>)> {
        s.items.iter().map(|i| (i.source_code.clone(), i.measure.origin)).collect()
    };
    assert_eq!(lines(&csv), lines(&survey));
}

/// China: 100 m × 10 m; 小块 (< 2.5 cm) pieces are meso and stay out of the EU threshold
/// total. 126 items, 1772 g on 1000 m²: 12.6 items/100 m², 177.2 g/100 m².
#[test]
fn a_chinese_survey_keeps_the_programme_s_size_classes() {
    let survey = from_json(include_str!("../../fixtures/examples/china.json"));
    let want = Expected { total: 126, threshold: 71, plastic: 117, grams: 1772.0, area_m2: 1000.0, length_m: 100.0 };
    check(&survey, &want);
    close(survey.summary.grams_per_100m2, 177.2);
    let size = |code: &str| survey.items.iter().find(|i| i.source_code == code).unwrap().measure.size_class;
    assert_eq!(size("plastic:small"), Some(LitterSize::Meso));
    assert_eq!(size("plastic:large"), Some(LitterSize::Macro));
    assert_eq!(Protocol::China.size_class_of("metal:extra_large"), Some(LitterSize::Mega));
    assert_eq!(
        Protocol::China.resolve("塑料类 中块 (plastic; medium, 2.5 cm to 10 cm)").unwrap().stored_code(),
        "plastic:medium"
    );
    check(&from_csv(Protocol::China, include_str!("../../fixtures/examples/china.csv")), &want);
}

/// KLHK: UNEP/IOC codes, macro and meso of one code apart. 131 items (40 of them meso bags),
/// 1090 g on 100 m × 10 m: 10.9 g per metre of shoreline.
#[test]
fn a_klhk_survey_records_macro_and_meso_of_a_code_apart() {
    let survey = from_json(include_str!("../../fixtures/examples/klhk.json"));
    let want = Expected { total: 131, threshold: 91, plastic: 128, grams: 1090.0, area_m2: 1000.0, length_m: 100.0 };
    check(&survey, &want);
    close(survey.summary.grams_per_m, 10.9);
    let bags: Vec<(&str, Option<LitterSize>)> = survey
        .items
        .iter()
        .filter(|i| i.category == "GRP-plastic-bags")
        .map(|i| (i.source_code.as_str(), i.measure.size_class))
        .collect();
    assert_eq!(bags, vec![("PL07:macro", Some(LitterSize::Macro)), ("PL07:meso", Some(LitterSize::Meso))]);
    let unsized_line = survey.items.iter().find(|i| i.source_code == "PL02").unwrap();
    assert_eq!((unsized_line.category.as_str(), unsized_line.measure.size_class), ("TL-bottles-plastic-any", None));
    check(&from_csv(Protocol::Klhk, include_str!("../../fixtures/examples/klhk.csv")), &want);
}

/// Viet Nam (Fulbright Vietnam Project sheet): 99 items, 869 g on 50 m × 10 m.
#[test]
fn a_vietnamese_sheet_maps_its_items_and_refuses_a_landmark_as_a_count() {
    let survey = from_json(include_str!("../../fixtures/examples/vietnam.json"));
    let want = Expected { total: 99, threshold: 99, plastic: 93, grams: 869.0, area_m2: 500.0, length_m: 50.0 };
    check(&survey, &want);
    close(survey.summary.grams_per_100m2, 173.8);
    check(&from_csv(Protocol::Vietnam, include_str!("../../fixtures/examples/vietnam.csv")), &want);
    let landmark = Protocol::Vietnam.resolve("Street Food Vendor").unwrap_err().to_string();
    assert!(landmark.contains("presence"), "{landmark}");
}

/// Every row of every regional table maps to a category of the tree (or is a landmark), and
/// the tables are the sizes their sources give.
#[test]
fn the_regional_tables_are_complete() {
    let rows = |p: Protocol| p.table().rows().len();
    assert_eq!(rows(Protocol::Nowpap), 8, "NOWPAP's eight materials");
    assert_eq!(rows(Protocol::China), 36, "nine materials × four size classes");
    assert_eq!(
        rows(Protocol::Klhk),
        77,
        "UNEP/IOC (2009): 24 plastic, 5 foam, 6 cloth, 8 glass, 10 metal, 5 paper, 8 rubber, 6 wood, 5 other"
    );
    assert_eq!(rows(Protocol::Vietnam), 65, "the Fulbright sheet's 65 lines");
    let sheet = include_str!("../../fixtures/external/reference/survey-sheets/fulbright-vietnam-project.csv");
    for line in sheet.lines().skip(1) {
        let item = line.split("\",\"").nth(1).unwrap().trim();
        assert!(Protocol::Vietnam.table().find(item).is_some(), "{item} of the Fulbright sheet");
    }
}

/// NOWPAP and China record materials only, so a scope holding them lists everything by
/// material: styrene foam and an OSPAR cap are both plastic. KLHK and Viet Nam record item
/// types, so beside OSPAR their items stay items.
#[test]
fn material_only_regional_protocols_list_a_mixed_scope_by_material() {
    use std::collections::{BTreeMap, BTreeSet};
    use tideline_core::stats::comparable::comparable_counts;
    let counts: BTreeMap<String, u64> =
        [("G21", 5), ("TL-MAT-foam", 25), ("G200", 1)].into_iter().map(|(code, n)| (code.to_string(), n)).collect();
    for protocol in [Protocol::Nowpap, Protocol::China] {
        let (rolled, _) = comparable_counts(&counts, &BTreeSet::from([Protocol::Ospar, protocol]));
        assert_eq!(rolled.get("TL-MAT-artificial_polymer"), Some(&30), "{protocol}");
        assert_eq!(rolled.get("TL-MAT-glass_ceramics"), Some(&1), "{protocol}");
    }
    for protocol in [Protocol::Klhk, Protocol::Vietnam] {
        let (rolled, _) = comparable_counts(&counts, &BTreeSet::from([Protocol::Ospar, protocol]));
        assert_eq!(rolled.get("TL-MAT-foam"), Some(&25), "{protocol}: item-level, nothing rolled to materials");
    }
}
