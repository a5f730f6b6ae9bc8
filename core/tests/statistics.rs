//! Statistics against published reference values and hand-computed cases.

use chrono::NaiveDate;
use tideline_core::stats::composition::{composition, top_x};
use tideline_core::stats::descriptive::{mean, median, percentile, summarise};
use tideline_core::stats::indices::{clean_coast_index, eu_threshold_status, CciGrade, DensityClass, ThresholdStatus};
use tideline_core::stats::normal::two_sided_p;
use tideline_core::stats::trend::{dated_trend, mann_kendall, theil_sen};

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn theil_sen_reproduces_the_litter_reference() {
    let x: Vec<f64> = (1..=8).map(f64::from).collect();
    let y = [12.0, 8.0, 9.0, 4.0, 7.0, 5.0, 3.0, 1.0];
    let sen = theil_sen(&x, &y).unwrap();
    assert_eq!(sen.slope, -1.5);
    assert_eq!(sen.intercept, 13.5);
}

#[test]
fn mann_kendall_reproduces_gilbert_and_van_belle_hughes() {
    assert_eq!(mann_kendall(&[10.0, 15.0, 14.0, 20.0]).s, 4);
    let ties = mann_kendall(&[10.0, 14.0, 14.0, 14.0, 17.0, 22.0, 22.0, 23.0, 27.0, 27.0]);
    assert!(close(ties.var_s, 119.333_333, 1e-5), "{}", ties.var_s);
    assert_eq!((ties.var_s * 10.0).round() / 10.0, 119.3);
    // Hand-computed: all 45 pairs, 5 tied → S = 40; Z = (40 − 1)/√119.33 = 3.570
    assert_eq!(ties.s, 40);
    assert!(close(ties.z, 39.0 / (2148.0_f64 / 18.0).sqrt(), 1e-12));
    assert!(ties.p < 0.001);
}

#[test]
fn mann_kendall_without_trend_has_z_zero_and_p_one() {
    let flat = mann_kendall(&[5.0, 5.0, 5.0, 5.0]);
    assert_eq!((flat.s, flat.z, flat.p), (0, 0.0, 1.0));
}

#[test]
fn normal_tail_matches_tables() {
    assert!(close(two_sided_p(1.959_964), 0.05, 1e-6));
    assert!(close(two_sided_p(2.575_829), 0.01, 1e-6));
    assert!(close(two_sided_p(0.0), 1.0, 1e-6));
}

#[test]
fn percentiles_interpolate_like_postgres_percentile_cont() {
    let v = [1.0, 2.0, 3.0, 4.0];
    // percentile_cont(0.5) = 2.5, (0.1) = 1 + 0.3·1 = 1.3, (0.9) = 3 + 0.7 = 3.7
    assert_eq!(median(&v), Some(2.5));
    assert!(close(percentile(&v, 0.1).unwrap(), 1.3, 1e-12));
    assert!(close(percentile(&v, 0.9).unwrap(), 3.7, 1e-12));
    assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
    assert_eq!(median(&[]), None);
    assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
    let s = summarise(&[4.0, 1.0, 3.0, 2.0]).unwrap();
    assert_eq!((s.n, s.mean, s.median), (4, 2.5, 2.5));
}

#[test]
fn trend_in_items_per_year_over_dates() {
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    // exactly −10 items/100 m per 365.25 days
    let points: Vec<(NaiveDate, f64)> = (0..10)
        .map(|i| (start + chrono::Duration::days((i as f64 * 365.25).round() as i64), 200.0 - 10.0 * i as f64))
        .collect();
    let trend = dated_trend(&points).unwrap();
    assert!(close(trend.slope_per_year, -10.0, 0.01), "{}", trend.slope_per_year);
    assert_eq!(trend.mann_kendall.s, -45);
    assert!(dated_trend(&points[..7]).is_none(), "too few surveys");
}

#[test]
fn top_x_takes_categories_up_to_80_percent_largest_first() {
    let counts = [("G27", 50), ("G30", 20), ("G21", 15), ("G3", 10), ("G95", 5)].map(|(c, n)| (c.to_string(), n));
    let top: Vec<(String, u64)> = top_x(counts).into_iter().map(|s| (s.code, s.count)).collect();
    // 50 % + 20 % = 70 % < 80 %, + 15 % crosses it
    assert_eq!(top, vec![("G27".into(), 50), ("G30".into(), 20), ("G21".into(), 15)]);
    let exactly = [("A", 80), ("B", 20)].map(|(c, n)| (c.to_string(), n));
    assert_eq!(top_x(exactly).len(), 1, "a category reaching exactly 80 % suffices");
    let shares = composition(&std::collections::BTreeMap::from([("metal", 1u64), ("artificial_polymer", 3)]));
    assert_eq!((shares[0].code.as_str(), shares[0].share), ("artificial_polymer", 0.75));
}

#[test]
fn clean_coast_index_and_grades() {
    // 100 plastic items on 100 m × 20 m = 2000 m²: 100/2000 × 20 = 1.0
    assert_eq!(clean_coast_index(100, 2000.0), 1.0);
    let grades: Vec<CciGrade> = [0.0, 2.0, 2.01, 5.0, 7.0, 10.0, 15.0, 20.0, 20.5].map(CciGrade::of).to_vec();
    use CciGrade::*;
    assert_eq!(grades, vec![VeryClean, VeryClean, Clean, Clean, Moderate, Moderate, Dirty, Dirty, ExtremelyDirty]);
}

#[test]
fn eu_threshold_needs_40_surveys_and_compares_the_median() {
    let thirty_nine = vec![5.0; 39];
    assert_eq!(eu_threshold_status(&thirty_nine), ThresholdStatus::InsufficientData { surveys: 39 });
    let mut forty: Vec<f64> = (0..20).map(|_| 10.0).collect();
    forty.extend((0..20).map(|_| 40.0));
    // median of 20 × 10 and 20 × 40 = 25 > 20
    assert_eq!(eu_threshold_status(&forty), ThresholdStatus::Exceeds { median_per_100m: 25.0, surveys: 40 });
    assert_eq!(eu_threshold_status(&[20.0; 40]), ThresholdStatus::Meets { median_per_100m: 20.0, surveys: 40 });
}

#[test]
fn ncei_density_classes() {
    use DensityClass::*;
    let classes: Vec<DensityClass> =
        [0.0001, 0.0005, 0.004_99, 0.005, 0.99, 1.0, 9.99, 10.0].map(DensityClass::of).to_vec();
    assert_eq!(classes, vec![VeryLow, Low, Low, Medium, Medium, High, High, VeryHigh]);
}

#[test]
fn long_series_trend_runs_on_monthly_medians() {
    use tideline_core::stats::trend::{TrendBasis, MAX_PAIRWISE_POINTS};
    let start = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
    // 3 surveys a day for ~3 years, rising 12 items/100 m per year, with a daily wobble
    let points: Vec<(NaiveDate, f64)> = (0..3 * 1100)
        .map(|i| {
            let day = i / 3;
            (start + chrono::Duration::days(day), 100.0 + 12.0 * day as f64 / 365.25 + (i % 3) as f64)
        })
        .collect();
    assert!(points.len() > MAX_PAIRWISE_POINTS);
    let trend = dated_trend(&points).unwrap();
    assert_eq!(trend.basis, TrendBasis::MonthlyMedians);
    assert_eq!(trend.n, 3300);
    assert!(close(trend.slope_per_year, 12.0, 0.3), "{}", trend.slope_per_year);
    assert!(trend.mann_kendall.p < 1e-6);
}
