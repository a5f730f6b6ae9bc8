//! The OSPAR adapter reproduces litteR's published results on the real Dutch OSPAR data
//! (fixtures/external/ospar-nl-2012-2017, Rijkswaterstaat via litteR 1.0.0).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tideline_core::protocol::ospar;
use tideline_core::stats::descriptive::{mean, median};
use tideline_core::survey::CanonicalItem;
use tideline_core::survey::{normalise, NormalisedSurvey};

const DATA: &str = include_str!("../../fixtures/external/ospar-nl-2012-2017/beach-litter-nl-2012-2017.csv");

fn surveys() -> Vec<(String, NormalisedSurvey)> {
    let mut reader = csv::Reader::from_reader(DATA.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    reader
        .records()
        .map(|record| {
            let values: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
            let row =
                tideline_core::input::wide::ospar::read_row(&headers, &values).unwrap_or_else(|e| panic!("{e:?}"));
            let survey = normalise(row.survey, today).unwrap_or_else(|e| panic!("{e:?}"));
            (row.site.code.unwrap(), survey)
        })
        .collect()
}

/// Per-location and pooled means of a per-survey value.
fn means(surveys: &[(String, NormalisedSurvey)], value: impl Fn(&NormalisedSurvey) -> u64) -> BTreeMap<String, f64> {
    let mut by_location: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (location, survey) in surveys {
        let v = value(survey) as f64;
        by_location.entry(location.clone()).or_default().push(v);
        by_location.entry("all".into()).or_default().push(v);
    }
    by_location.into_iter().map(|(k, v)| (k, mean(&v).unwrap())).collect()
}

fn rounded(means: &BTreeMap<String, f64>) -> Vec<i64> {
    ["NL001", "NL002", "NL003", "NL004", "all"].iter().map(|k| means[*k].round() as i64).collect()
}

fn source_count(survey: &NormalisedSurvey, code: &str) -> u64 {
    survey.items.iter().filter(|i| i.source_code == code).map(|i| u64::from(i.count)).sum()
}

#[test]
fn reads_all_95_surveys_of_four_beaches() {
    let surveys = surveys();
    assert_eq!(surveys.len(), 95);
    let mut per_beach = BTreeMap::new();
    for (location, _) in &surveys {
        *per_beach.entry(location.as_str()).or_insert(0) += 1;
    }
    assert_eq!(per_beach, BTreeMap::from([("NL001", 24), ("NL002", 24), ("NL003", 24), ("NL004", 23)]));
}

#[test]
fn total_count_means_match_litter_through_canonical_totals() {
    let surveys = surveys();
    // canonical total = OSPAR `included` total, survey by survey
    for (_, s) in &surveys {
        assert_eq!(s.summary.total_items, group_total(&s.items, "TC"));
    }
    let tc = means(&surveys, |s| s.summary.total_items);
    assert_eq!(rounded(&tc), vec![377, 347, 231, 299, 314]);
    let one_decimal: Vec<f64> =
        ["NL001", "NL002", "NL003", "NL004"].iter().map(|k| (tc[*k] * 10.0).round() / 10.0).collect();
    assert_eq!(one_decimal, vec![376.6, 346.9, 231.3, 299.3]);
}

#[test]
fn median_totals_per_beach() {
    let surveys = surveys();
    let medians: Vec<f64> = ["NL001", "NL002", "NL003", "NL004"]
        .iter()
        .map(|beach| {
            let totals: Vec<f64> =
                surveys.iter().filter(|(l, _)| l == beach).map(|(_, s)| s.summary.items_per_100m.unwrap()).collect();
            median(&totals).unwrap()
        })
        .collect();
    assert_eq!(medians, vec![302.5, 254.5, 164.5, 252.0]);
}

#[test]
fn sup_means_match_litter_through_canonical_flags() {
    let surveys = surveys();
    for (_, s) in &surveys {
        assert_eq!(s.summary.sup_items, group_total(&s.items, "SUP"));
    }
    assert_eq!(rounded(&means(&surveys, |s| s.summary.sup_items)), vec![91, 82, 44, 61, 70]);
}

#[test]
fn fish_and_plastic_means_match_litter_through_ospar_groups() {
    let surveys = surveys();
    assert_eq!(rounded(&means(&surveys, |s| group_total(&s.items, "FISH"))), vec![162, 143, 106, 139, 138]);
    assert_eq!(rounded(&means(&surveys, |s| group_total(&s.items, "PLASTIC"))), vec![341, 312, 210, 265, 282]);
}

/// The canonical flags differ from litteR's groups only by the documented types
/// (fixtures/protocols/README.md): metal fishing gear is fishing-related; cigarette filters,
/// dog-faeces bags and the sanitary and medical items the Master List files as plastic
/// (towels G96, toilet fresheners G97, medical containers G100, syringes G99) are plastic.
#[test]
fn canonical_fish_and_plastic_differ_from_litter_only_by_the_documented_types() {
    for (_, s) in &surveys() {
        let fish = group_total(&s.items, "FISH") + source_count(s, "80") + source_count(s, "87");
        assert_eq!(s.summary.fishing_items, fish);
        let plastic = group_total(&s.items, "PLASTIC")
            + ["64", "121", "99", "101", "103", "104"].iter().map(|code| source_count(s, code)).sum::<u64>();
        assert_eq!(s.summary.plastic_items, plastic);
    }
}

#[test]
fn every_ospar_survey_is_an_eligible_100_m_monitoring_survey() {
    for (_, s) in &surveys() {
        assert_eq!(s.length_m, Some(100.0));
        assert!(s.summary.eu_threshold_eligible);
        assert_eq!(s.summary.items_per_100m, Some(s.summary.total_items as f64));
        assert!(s.flags.is_empty(), "{:?}", s.flags);
        assert_eq!(s.mapping_version, "ospar@2+categories@4");
    }
}

/// An OSPAR group's total of a survey's items, by OSPAR's own classification.
fn group_total(items: &[CanonicalItem], group: &str) -> u64 {
    ospar::group_total(items.iter().map(|i| (i.source_code.as_str(), i.count)), group)
}
