//! The measurement model: item weights, size classes and origins, surveyed areas from blocks,
//! and the units they make possible, against hand-computed values.

use chrono::NaiveDate;
use serde_json::json;
use tideline_core::input::read_survey;
use tideline_core::survey::{normalise, LitterSize, Origin};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// Three 10 m × 10 m blocks inland from 10 m of shore (NOWPAP's layout), items weighed.
fn blocks_survey() -> serde_json::Value {
    json!({
        "client_id": "3e0c8a5d-1b2c-4d3e-8f40-5a6b7c8d9e01", "protocol": "tideline", "site_id": 1,
        "date": "2026-05-10", "length_m": 10,
        "blocks": [{"length_m": 10, "width_m": 10}, {"length_m": 10, "width_m": 10}, {"length_m": 10, "width_m": 10}],
        "items": [
            {"code": "G21", "count": 12, "weight_g": 240, "size_class": "macro", "origin": "domestic"},
            {"code": "G27", "count": 30, "weight": {"value": 0.015, "unit": "kg"}, "size_class": "macro", "origin": "unknown"},
            {"code": "G200", "count": 2, "weight_g": 900, "origin": "foreign"}
        ]
    })
}

#[test]
fn weighed_items_on_blocks_give_every_unit_by_hand() {
    let envelope = read_survey(&blocks_survey(), "", today()).unwrap();
    let survey = normalise(envelope.input, today()).unwrap();
    let s = &survey.summary;
    // 12 + 30 + 2 = 44 items on 10 m of shore and 3 × 100 m² = 300 m²; 240 + 15 + 900 = 1155 g
    assert_eq!(s.total_items, 44);
    close(s.area_m2, 300.0);
    close(s.total_weight_g, 1155.0);
    close(s.items_per_100m, 440.0); // 44 × 100 / 10
    close(s.items_per_100m2, 44.0 * 100.0 / 300.0); // 14.667
    close(s.items_per_m2, 44.0 / 300.0);
    close(s.grams_per_100m2, 385.0); // 1155 × 100 / 300
    close(s.kg_per_100m, 11.55); // 1.155 kg × 100 / 10
    close(s.grams_per_m, 115.5); // 1155 / 10
    close(s.cci, 42.0 / 300.0 * 20.0); // G21 and G27 are plastic, G200 glass: 2.8
    let butts = survey.items.iter().find(|i| i.category == "G27").unwrap();
    assert_eq!(butts.measure.weight_g, Some(15.0));
    assert_eq!(butts.measure.size_class, Some(LitterSize::Macro));
    let bottles = survey.items.iter().find(|i| i.category == "G200").unwrap();
    assert_eq!((bottles.measure.origin, bottles.measure.size_class), (Some(Origin::Foreign), None));
}

#[test]
fn a_survey_not_fully_weighed_has_no_weight_units_and_keeps_its_counts() {
    let mut body = blocks_survey();
    body["items"][2].as_object_mut().unwrap().remove("weight_g");
    let survey = normalise(read_survey(&body, "", today()).unwrap().input, today()).unwrap();
    let s = &survey.summary;
    assert_eq!((s.total_weight_g, s.grams_per_100m2, s.kg_per_100m, s.grams_per_m), (None, None, None, None));
    close(s.items_per_100m2, 44.0 * 100.0 / 300.0);
}

#[test]
fn without_blocks_the_area_is_length_times_width_and_counts_are_unchanged() {
    let mut body = blocks_survey();
    body.as_object_mut().unwrap().remove("blocks");
    body["length_m"] = json!(100);
    body["width_m"] = json!(25);
    let s = normalise(read_survey(&body, "", today()).unwrap().input, today()).unwrap().summary;
    close(s.area_m2, 2500.0);
    close(s.items_per_100m, 44.0);
    close(s.items_per_m2, 44.0 / 2500.0);
    close(s.items_per_100m2, 44.0 * 100.0 / 2500.0);
    close(s.kg_per_100m, 1.155);
}

/// An area given as `area_m2` alone (no blocks) is the surveyed area: an app or an import's
/// `Area (m2)` column. (It was dropped when no `blocks` came with it.)
#[test]
fn an_area_alone_is_the_surveyed_area() {
    let mut body = blocks_survey();
    body.as_object_mut().unwrap().remove("blocks");
    body["area_m2"] = json!(250);
    let survey = normalise(read_survey(&body, "", today()).unwrap().input, today()).unwrap();
    close(survey.summary.area_m2, 250.0);
    close(survey.summary.items_per_100m2, 44.0 * 100.0 / 250.0);
    body["area_m2"] = json!(-1);
    let errors = read_survey(&body, "", today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/area_m2");
}

#[test]
fn bad_measurements_are_named_field_by_field() {
    let mut body = blocks_survey();
    body["items"][0]["weight_g"] = json!(-3);
    body["items"][1]["size_class"] = json!("huge");
    body["items"][2]["origin"] = json!("mars");
    body["blocks"][1] = json!({"length_m": 10});
    body["area_m2"] = json!(300);
    let errors = read_survey(&body, "", today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    for expected in ["/items/0/weight_g", "/items/1/size_class", "/items/2/origin", "/blocks"] {
        assert!(pointers.contains(&expected), "{expected} in {pointers:?}");
    }
    let mut heavy = blocks_survey();
    heavy["items"][0]["weight_g"] = json!(20_000_000);
    let survey = read_survey(&heavy, "", today()).unwrap();
    let errors = normalise(survey.input, today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/items/0/weight_g");
    assert!(errors[0].message.contains("item weight"), "{}", errors[0].message);
}

/// A GESAMP material × size-class sheet: 50 m × 20 m of shore, plastic and glass by size
/// class with weights, and paraffin (not counted in totals).
#[test]
fn a_gesamp_sheet_normalises_by_material_and_keeps_each_line_s_size_class() {
    let body = json!({
        "client_id": "3e0c8a5d-1b2c-4d3e-8f40-5a6b7c8d9e02", "protocol": "gesamp", "site_id": 1,
        "date": "2026-05-10", "length_m": 50, "width_m": 20,
        "items": [
            {"code": "plastic:macro", "count": 20, "weight_g": 400},
            {"code": "plastic:meso", "count": 50, "weight_g": 25},
            {"code": "glass:macro", "count": 3, "weight_g": 600},
            {"code": "chemicals:macro", "count": 2, "weight_g": 50}
        ]
    });
    let survey = normalise(read_survey(&body, "", today()).unwrap().input, today()).unwrap();
    let s = &survey.summary;
    assert_eq!(s.total_items, 73, "70 plastic + 3 glass; paraffin is not counted");
    assert_eq!(s.plastic_items, 70);
    assert_eq!(s.threshold_items, 23, "the 50 meso pieces stay out of the EU threshold total");
    close(s.items_per_100m, 146.0); // 73 × 100 / 50
    close(s.threshold_items_per_100m, 46.0);
    close(s.area_m2, 1000.0);
    close(s.items_per_100m2, 7.3);
    close(s.total_weight_g, 1025.0); // the uncounted paraffin line is not in the weight
    close(s.grams_per_100m2, 102.5);
    close(s.kg_per_100m, 2.05);
    close(s.grams_per_m, 20.5);
    close(s.cci, 70.0 / 1000.0 * 20.0);
    let meso = survey.items.iter().find(|i| i.source_code == "plastic:meso").unwrap();
    assert_eq!(
        (meso.category.as_str(), meso.measure.size_class),
        ("TL-MAT-artificial_polymer", Some(LitterSize::Meso))
    );
}

#[test]
fn a_material_only_protocol_in_a_scope_lists_everything_by_material() {
    use std::collections::{BTreeMap, BTreeSet};
    use tideline_core::protocol::Protocol;
    use tideline_core::stats::comparable::comparable_counts;
    let counts: BTreeMap<String, u64> =
        [("G21", 5), ("TL-MAT-artificial_polymer", 70), ("G200", 1), ("GRP-cotton-buds", 2)]
            .into_iter()
            .map(|(code, n)| (code.to_string(), n))
            .collect();
    let (rolled, used) = comparable_counts(&counts, &BTreeSet::from([Protocol::Ospar, Protocol::Gesamp]));
    let expected: BTreeMap<String, u64> =
        [("TL-MAT-artificial_polymer", 75), ("TL-MAT-glass_ceramics", 1), ("GRP-cotton-buds", 2)]
            .into_iter()
            .map(|(code, n)| (code.to_string(), n))
            .collect();
    assert_eq!(rolled, expected, "a mixed-material group is never split");
    assert_eq!(used, vec!["TL-MAT-artificial_polymer", "TL-MAT-glass_ceramics"]);
    let (alone, _) = comparable_counts(&counts, &BTreeSet::from([Protocol::Mlw]));
    assert_eq!(alone.get("G21"), Some(&5), "without a material-only protocol item types stay");
}

/// The sheet's CSV layout (`fixtures/examples/gesamp.csv`): the first row is the JSON example's
/// survey; the second gives an area (three 10 m × 10 m blocks) instead of a width, and leaves
/// the meso columns blank (not recorded).
#[test]
fn the_gesamp_csv_layout_reads_counts_and_their_weights() {
    let text = include_str!("../../fixtures/examples/gesamp.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let read = |i: usize| {
        let row =
            tideline_core::input::wide::sheet::read_row(tideline_core::protocol::Protocol::Gesamp, &headers, &rows[i])
                .unwrap();
        normalise(row.survey, today()).unwrap()
    };
    let first = read(0).summary;
    assert_eq!((first.total_items, first.threshold_items), (73, 23));
    close(first.total_weight_g, 1025.0);
    close(first.grams_per_100m2, 102.5);
    let second = read(1);
    let s = &second.summary;
    assert_eq!(s.total_items, 14);
    close(s.area_m2, 300.0);
    close(s.total_weight_g, 1140.0);
    close(s.grams_per_100m2, 380.0); // 1140 × 100 / 300
    close(s.kg_per_100m, 11.4); // 1.14 kg × 100 / 10 m
    assert!(second.items.iter().all(|i| i.source_code != "plastic:meso"), "a blank column is not recorded");
}
