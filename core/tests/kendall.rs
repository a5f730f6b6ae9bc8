//! Mann–Kendall over dated observations and the regional Kendall test, against litteR's own
//! test cases (tests/testthat/test-stats.R of litteR 1.0: Gilbert 1987 examples 16.3 and 17.1
//! and p. 211; Van Belle & Hughes 1984 p. 136), and order independence.

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use tideline_core::stats::trend::{
    dated_trend, kendall_s, kendall_test, kendall_var_s, mann_kendall_dated, regional_trend, TrendMethod,
};

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn gilbert_example_16_3_pairs_on_one_date_add_nothing() {
    let y = [10.0, 22.0, 21.0, 30.0, 22.0, 30.0, 40.0, 40.0];
    let t = [1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0];
    assert_eq!(kendall_s(&t, &y), 19);
}

#[test]
fn gilbert_example_17_1_two_stations_and_their_regional_sum() {
    // station 1: counts 8, 10 on date 1, 12 on date 2, 15 on date 3
    let (t1, y1) = ([1.0, 1.0, 2.0, 3.0], [8.0, 10.0, 12.0, 15.0]);
    // station 2: 15 on date 1, 20 and 18 on date 2, 20 on date 3
    let (t2, y2) = ([1.0, 2.0, 2.0, 3.0], [15.0, 20.0, 18.0, 20.0]);
    assert_eq!(kendall_s(&t1, &y1), 5);
    assert!(close(kendall_var_s(&t1, &y1), 7.667, 1e-3), "{}", kendall_var_s(&t1, &y1));
    assert_eq!(kendall_s(&t2, &y2), 4);
    assert!(close(kendall_var_s(&t2, &y2), 6.834, 1e-3), "{}", kendall_var_s(&t2, &y2));
    // regional Kendall: S and Var(S) summed; Z = (9 − 1) / √14.5
    let regional = kendall_test(9, kendall_var_s(&t1, &y1) + kendall_var_s(&t2, &y2));
    assert!(close(regional.var_s, 14.5, 1e-9));
    assert!(close(regional.z, 8.0 / 14.5_f64.sqrt(), 1e-12));
}

#[test]
fn gilbert_page_211_variance_with_tied_values() {
    let y = [23.0, 24.0, 0.0, 6.0, 0.0, 24.0, 24.0, 0.0, 23.0];
    let t: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
    assert!(close(kendall_var_s(&t, &y), 83.666_67, 1e-3));
}

#[test]
fn van_belle_hughes_page_136_ties_in_values_and_dates() {
    let y = [1.0, 1.0, 1.5, 1.7, 1.6, 1.7, 1.8, 1.7, 2.2, 2.3];
    let t = [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0];
    let test = mann_kendall_dated(&t, &y);
    assert_eq!(test.s, 26);
    // litteR: 105 within 1 %; exactly (2250 − 84 − 288)/18 + 6·36/6480 + 8·24/180 = 105.4333
    assert!(close(test.var_s, 105.433_333, 1e-5), "{}", test.var_s);
    assert!((test.var_s - 105.0).abs() / 105.0 < 0.01);
}

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
}

#[test]
fn a_regional_trend_sums_the_sites_and_takes_the_median_slope() {
    // three sites, each a clean line on shared dates: slopes 1, 2 and 4 per day
    let sites: Vec<(i64, Vec<(NaiveDate, f64)>)> = [1.0, 2.0, 4.0]
        .iter()
        .enumerate()
        .map(|(i, slope)| (i as i64 + 1, (0..5).map(|d| (day(d * 73), f64::from(d * 73) * slope)).collect()))
        .collect();
    let trend = regional_trend(&sites).unwrap();
    assert_eq!(trend.method, TrendMethod::RegionalKendall);
    assert_eq!(trend.sites.len(), 3);
    // each site: 5 dates, all 10 pairs increasing → S = 10, Var = 5·4·15/18
    assert_eq!(trend.mann_kendall.s, 30);
    assert!(close(trend.mann_kendall.var_s, 3.0 * 300.0 / 18.0, 1e-9));
    assert!(close(trend.slope_per_year, 2.0 * 365.25, 1e-6), "median of the site slopes per year");
    assert_eq!(trend.sites.iter().map(|s| s.mann_kendall.s).sum::<i64>(), trend.mann_kendall.s);
}

proptest! {
    // a pinned seed: the same cases on every run
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: RngSeed::Fixed(20_261_123), ..ProptestConfig::default() })]

    /// Shuffling dated observations (several per date) changes nothing.
    #[test]
    fn the_trend_does_not_depend_on_the_input_order(
        points in prop::collection::vec((0u32..12, 0u32..50), 8..60),
        seed in any::<u64>(),
    ) {
        let points: Vec<(NaiveDate, f64)> = points.iter().map(|(d, v)| (day(d * 30), f64::from(*v))).collect();
        let mut shuffled = points.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(dated_trend(&points), dated_trend(&shuffled));
        let (t, y): (Vec<f64>, Vec<f64>) = points.iter().map(|(d, v)| (chrono::Datelike::num_days_from_ce(d) as f64, *v)).unzip();
        let (ts, ys): (Vec<f64>, Vec<f64>) = shuffled.iter().map(|(d, v)| (chrono::Datelike::num_days_from_ce(d) as f64, *v)).unzip();
        prop_assert_eq!(kendall_s(&t, &y), kendall_s(&ts, &ys));
        prop_assert_eq!(kendall_var_s(&t, &y), kendall_var_s(&ts, &ys));
    }
}
