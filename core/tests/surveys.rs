//! Survey normalisation through each adapter, with hand-computed values, every error at once,
//! and plausibility flags.

use chrono::NaiveDate;
use tideline_core::category::Material;
use tideline_core::input::wide::AdaptedRow;
use tideline_core::input::wide::{mdmap, mlw, tides};
use tideline_core::protocol::Protocol;
use tideline_core::stats::indices::CciGrade;
use tideline_core::survey::{normalise, GeoPoint, LengthSource, SourceCount, SurveyInput, SurveyKind, SurveyType};
use tideline_core::validation::FieldError;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

type RowReader = fn(&[String], &[String]) -> Result<AdaptedRow, Vec<FieldError>>;

fn read(csv_text: &str, reader: RowReader) -> Vec<AdaptedRow> {
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    csv.records()
        .map(|r| {
            let values: Vec<String> = r.unwrap().iter().map(str::to_string).collect();
            reader(&headers, &values).unwrap_or_else(|e| panic!("{e:?}"))
        })
        .collect()
}

fn item(code: &str, count: u32, i: usize) -> SourceCount {
    SourceCount { code: code.into(), count, pointer: format!("/items/{i}"), measure: Default::default() }
}

#[test]
fn mlw_export_rows_with_stretch_and_cleanup() {
    let rows = read(include_str!("../../fixtures/examples/mlw.csv"), mlw::read_row);
    let first = normalise(rows[0].survey.clone(), today()).unwrap();
    assert_eq!(rows[0].site.code.as_deref(), Some("VN-DN-001"));
    assert_eq!(first.input.kind, SurveyKind::Monitoring);
    // G3 12 + G21 30 + G27 55 + G76 80 = 177 counted; G213 wax (3) is not
    assert_eq!(first.summary.total_items, 177);
    assert_eq!(first.summary.plastic_items, 177);
    assert_eq!(first.summary.sup_items, 12 + 30 + 55);
    assert_eq!(first.summary.items_per_100m, Some(177.0));
    assert_eq!(first.summary.materials.get(&Material::ArtificialPolymer), Some(&177));
    assert_eq!(first.items.iter().find(|i| i.category == "G213").map(|i| i.counted), Some(false));
    assert!(first.flags.is_empty(), "0.0009° of latitude ≈ 99.6 m agrees with 100 m: {:?}", first.flags);

    let cleanup = normalise(rows[1].survey.clone(), today()).unwrap();
    assert_eq!(cleanup.input.kind, SurveyKind::Cleanup);
    assert_eq!(cleanup.input.items.len(), 3, "blank cells are not recorded, not zeros");
    assert_eq!(cleanup.length_source, LengthSource::Unknown);
    assert_eq!(cleanup.summary.items_per_100m, None);
    assert!(!cleanup.summary.eu_threshold_eligible);
}

#[test]
fn tides_cleanup_uses_miles_pounds_and_people_and_is_flagged() {
    let rows = read(include_str!("../../fixtures/examples/tides.csv"), tides::read_row);
    let s = normalise(rows[0].survey.clone(), today()).unwrap();
    assert_eq!(s.input.kind, SurveyKind::Cleanup);
    assert_eq!(s.input.effort.participants, Some(20));
    assert!((s.input.effort.mass_kg.unwrap() - 33.5 * 0.453_592_37).abs() < 1e-12);
    assert_eq!(s.input.effort.bags, Some(6));
    assert_eq!(s.input.location, Some(GeoPoint { lat: 10.3157, lon: 123.8854 }));
    // 0.5 mi = 804.672 m; 209 items → 209 × 100 / 804.672 = 25.973 items/100 m
    assert_eq!(s.length_m, Some(804.672));
    assert_eq!(s.length_source, LengthSource::Miles);
    assert_eq!(s.summary.total_items, 209);
    assert!((s.summary.items_per_100m.unwrap() - 209.0 * 100.0 / 804.672).abs() < 1e-9);
    assert!(!s.summary.eu_threshold_eligible);
    assert_eq!(s.flags.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), vec!["length_from_miles"]);
    assert_eq!(s.summary.fishing_items, 4);
    assert_eq!(s.summary.materials.get(&Material::Metal), Some(&10));
}

#[test]
fn mdmap_survey_gives_density_per_m2_and_clean_coast_index() {
    let rows = read(include_str!("../../fixtures/examples/mdmap.csv"), mdmap::read_row);
    let s = normalise(rows[0].survey.clone(), today()).unwrap();
    assert_eq!(s.input.survey_type, Some(SurveyType::Accumulation));
    assert_eq!(s.summary.total_items, 84);
    assert_eq!(s.summary.plastic_items, 74);
    // 84 / (100 m × 25 m) = 0.0336 items/m²; CCI = 74 / 2500 × 20 = 0.592
    assert_eq!(s.summary.items_per_m2, Some(0.0336));
    assert!((s.summary.cci.unwrap() - 0.592).abs() < 1e-12);
    assert_eq!(s.summary.cci_grade, Some(CciGrade::VeryClean));
}

#[test]
fn stretch_stands_in_for_a_missing_length_and_flags_a_large_disagreement() {
    let start = GeoPoint { lat: 16.0600, lon: 108.2480 };
    let end = GeoPoint { lat: 16.0618, lon: 108.2480 }; // 0.0018° ≈ 199 m
    let mut input = SurveyInput::new(Protocol::Mlw, SurveyKind::Monitoring, today());
    input.stretch = Some((start, end));
    input.items = vec![item("G27", 50, 0)];
    let derived = normalise(input.clone(), today()).unwrap();
    assert_eq!(derived.length_source, LengthSource::Stretch);
    let length = derived.length_m.unwrap();
    assert!((length - 199.2).abs() < 0.5, "{length}");
    assert!((derived.summary.items_per_100m.unwrap() - 5000.0 / length).abs() < 1e-9);

    input.length_m = Some(100.0);
    let declared = normalise(input, today()).unwrap();
    assert_eq!(declared.length_source, LengthSource::Declared);
    assert_eq!(declared.flags[0].code, "length_mismatch");
}

#[test]
fn every_field_error_is_reported_at_once() {
    let mut input =
        SurveyInput::new(Protocol::Ospar, SurveyKind::Monitoring, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    input.length_m = Some(-3.0);
    input.width_m = Some(f64::NAN);
    input.location = Some(GeoPoint { lat: 91.0, lon: 200.0 });
    input.items = vec![item("15", 3, 0), item("Plastic: Spaceship [999]", 1, 1), item("Plastic: Caps [15]", 2, 2)];
    let errors = normalise(input, today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        vec!["/date", "/location/lat", "/location/lon", "/length_m", "/width_m", "/items/1/code", "/items/2/code"]
    );
    assert!(errors[5].message.contains("Spaceship") && errors[5].message.contains("ospar"));
    assert!(errors[6].message.contains("more than once"), "15 and its export name are one type");
}

#[test]
fn plausibility_flags_short_long_null_island_and_huge_counts() {
    let mut input = SurveyInput::new(Protocol::Tideline, SurveyKind::Monitoring, today());
    input.length_m = Some(8.0);
    input.location = Some(GeoPoint { lat: 0.0, lon: 0.0 });
    input.items = vec![item("G27", 12_000, 0)];
    let s = normalise(input.clone(), today()).unwrap();
    let codes: Vec<&str> = s.flags.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, vec!["null_island", "short_length", "large_count", "doubtful_value"]);
    assert_eq!(s.flags[2].pointer, "/items/0/count");
    // 12 000 items on 8 m: 150 000 items/100 m
    assert_eq!(s.flags[3].pointer, "/items");
    assert!(s.flags[3].message.starts_with("12000 items on 8 m imply a litter density of 150000 items/100 m"));
    assert!(!s.summary.eu_threshold_eligible, "8 m is 10 m or less");

    input.length_m = Some(1500.0);
    input.location = None;
    input.items = vec![item("G27", 10, 0)];
    let s = normalise(input, today()).unwrap();
    assert_eq!(s.flags.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), vec!["long_length"]);
}

#[test]
fn threshold_total_leaves_out_pieces_under_2_5_cm_and_wax() {
    let mut input = SurveyInput::new(Protocol::Ospar, SurveyKind::Monitoring, today());
    input.length_m = Some(100.0);
    input.items = vec![item("117", 40, 0), item("46", 10, 1), item("64", 5, 2), item("108", 7, 3)];
    let s = normalise(input, today()).unwrap();
    assert_eq!(s.summary.total_items, 55, "OSPAR TC keeps 117, drops wax");
    assert_eq!(s.summary.threshold_items, 15, "threshold total drops 117 (< 2.5 cm), keeps butts");
    assert_eq!(s.summary.threshold_items_per_100m, Some(15.0));
}

#[test]
fn native_protocol_takes_canonical_codes() {
    let mut input = SurveyInput::new(Protocol::Tideline, SurveyKind::Monitoring, today());
    input.length_m = Some(50.0);
    input.width_m = Some(10.0);
    input.items = vec![item("GRP-drink-bottles", 6, 0), item("G182", 2, 1)];
    let s = normalise(input, today()).unwrap();
    assert_eq!(s.summary.items_per_100m, Some(16.0));
    assert_eq!(s.summary.items_per_m2, Some(8.0 / 500.0));
    assert_eq!(s.summary.fishing_items, 2);
    assert_eq!(s.mapping_version, Protocol::Tideline.mapping_version());
}

#[test]
fn a_whole_and_its_parts_posted_together_count_once() {
    // G52 nets (15) with its parts G53 (8) and G54 (4): the parts are the breakdown → 15, not 27
    let mut input = SurveyInput::new(Protocol::Mlw, SurveyKind::Monitoring, today());
    input.length_m = Some(100.0);
    input.items = vec![item("G52", 15, 0), item("G53", 8, 1), item("G54", 4, 2), item("G1", 2, 3)];
    let s = normalise(input, today()).unwrap();
    assert_eq!(s.summary.total_items, 17);
    assert_eq!(s.summary.fishing_items, 15);
    assert_eq!(s.items.iter().filter(|i| !i.counted).map(|i| i.category.as_str()).collect::<Vec<_>>(), ["G53", "G54"]);
    assert!(s.flags.iter().any(|f| f.code == "breakdown_counted_once" && f.pointer == "/items/0/code"));
    // the same three codes whose parts exceed the whole: refused, naming both
    let mut input = SurveyInput::new(Protocol::Tideline, SurveyKind::Monitoring, today());
    input.items = vec![item("G76", 10, 0), item("G79", 9, 1), item("G82", 3, 2)];
    let errors = normalise(input, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].pointer, "/items/0/code");
    assert!(errors[0].message.contains("G76") && errors[0].message.contains("G79, G82"), "{}", errors[0].message);
    // OSPAR's own split rows are breakdown rows already: 6 with 610 counts 6 once
    let mut input = SurveyInput::new(Protocol::Ospar, SurveyKind::Monitoring, today());
    input.length_m = Some(100.0);
    input.items = vec![item("6", 10, 0), item("610", 4, 1)];
    let s = normalise(input, today()).unwrap();
    assert_eq!(s.summary.total_items, 10);
}

#[test]
fn null_island_and_length_mismatch_flag_only_what_they_say() {
    let flags = |location: GeoPoint, stretch: Option<(GeoPoint, GeoPoint)>| {
        let mut input = SurveyInput::new(Protocol::Mlw, SurveyKind::Monitoring, today());
        input.length_m = Some(100.0);
        input.location = Some(location);
        input.stretch = stretch;
        input.items = vec![item("G1", 1, 0)];
        normalise(input, today()).unwrap().flags.into_iter().map(|f| f.code).collect::<Vec<_>>()
    };
    let near_zero = GeoPoint { lat: 0.000135, lon: 0.00036 };
    assert_eq!(flags(near_zero, None), ["null_island"]);
    let beach = GeoPoint { lat: 16.06, lon: 108.248 };
    assert!(flags(beach, None).is_empty());
    // a "stretch" whose end is its start is no stretch: no mismatch with the declared 100 m
    assert!(flags(beach, Some((beach, beach))).is_empty());
    // a real 1 km stretch against a declared 100 m is
    let far = GeoPoint { lat: 16.069, lon: 108.248 };
    assert_eq!(flags(beach, Some((beach, far))), ["length_mismatch"]);
}

#[test]
fn a_tides_record_posted_as_json_follows_its_csv_rules() {
    use serde_json::json;
    let body = json!({"client_id": "88888888-0000-4000-8000-000000000001", "protocol": "tides", "date": "2026-03-15",
                      "length": {"value": 0.5, "unit": "mi"}, "items": [{"code": "Cigarette Butts", "count": 40}]});
    let envelope = tideline_core::input::read_survey(&body, "", today()).unwrap();
    assert_eq!(envelope.input.kind, SurveyKind::Cleanup);
    let survey = normalise(envelope.input, today()).unwrap();
    assert_eq!(survey.length_source, LengthSource::Miles);
    assert!(survey.flags.iter().any(|f| f.code == "length_from_miles"));
    let mut monitoring = body.clone();
    monitoring["kind"] = json!("monitoring");
    let errors = tideline_core::input::read_survey(&monitoring, "", today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/kind");
}

#[test]
fn survey_quantities_inside_doubtful_and_outside() {
    let mut input = SurveyInput::new(Protocol::Tideline, SurveyKind::Monitoring, today());
    input.length_m = Some(100.0);
    input.items = vec![item("G27", 12, 0)];
    input.width_m = Some(40.0);
    input.effort.duration_min = Some(90.0);
    input.effort.mass_kg = Some(3.5);
    assert!(normalise(input.clone(), today()).unwrap().flags.is_empty());
    input.width_m = Some(400.0);
    input.effort.duration_min = Some(2.0);
    input.effort.mass_kg = Some(8_000.0);
    let flags = normalise(input.clone(), today()).unwrap().flags;
    let doubtful: Vec<&str> = flags.iter().filter(|f| f.code == "doubtful_value").map(|f| f.pointer.as_str()).collect();
    assert_eq!(doubtful, ["/width_m", "/effort/duration_min", "/effort/mass_kg"]);
    assert_eq!(flags[0].message, "surveyed width 400 m, outside the usual 1 to 300 m: check the value and its unit");
    input.width_m = Some(6_000.0);
    input.effort.duration_min = Some(20_000.0);
    input.effort.mass_kg = Some(-1.0);
    let errors = normalise(input, today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/width_m", "/effort/duration_min", "/effort/mass_kg"]);
}
