//! How a person reads the statistics on a dashboard: the trend's verdict at the 5 % level, the
//! Theil–Sen line to draw through a site's surveys, and how complete the record is (surveys per
//! site per quarter). Words live in the UI; these are the facts the words are chosen by.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::indices::ThresholdStatus;
use super::trend::{theil_sen, Trend, DAYS_PER_YEAR};
use super::trend_series::series;
pub use crate::vocabulary::{Standing, TrendVerdict};

/// The significance level of a trend verdict (two-sided Mann–Kendall).
pub const ALPHA: f64 = 0.05;

impl TrendVerdict {
    /// The verdict of a trend.
    pub fn of(trend: &Trend) -> Self {
        let test = &trend.mann_kendall;
        match (test.p < ALPHA, test.s) {
            (true, s) if s > 0 => Self::Increasing,
            (true, s) if s < 0 => Self::Decreasing,
            _ => Self::NoTrend,
        }
    }
}

impl Standing {
    /// The standing of a scope with this threshold assessment and `surveys` accepted surveys,
    /// with the median and n it is judged on.
    pub fn of(threshold: &ThresholdStatus, surveys: usize) -> (Self, Option<f64>, usize) {
        match *threshold {
            ThresholdStatus::Meets { median_per_100m, surveys } => (Self::Meets, Some(median_per_100m), surveys),
            ThresholdStatus::Exceeds { median_per_100m, surveys } => (Self::Exceeds, Some(median_per_100m), surveys),
            ThresholdStatus::InsufficientData { surveys: 0 } if surveys == 0 => (Self::None, None, 0),
            ThresholdStatus::InsufficientData { surveys: 0 } => (Self::NotAssessed, None, 0),
            ThresholdStatus::InsufficientData { surveys } => (Self::Insufficient, None, surveys),
        }
    }
}

/// The Theil–Sen line through dated values, over the same series the trend is computed on
/// (monthly medians for long series), as its two ends: (first date, value), (last date, value).
pub fn trend_line(points: &[(NaiveDate, f64)]) -> Option<[(NaiveDate, f64); 2]> {
    let series = series(points)?;
    let sen = theil_sen(&series.t, &series.y)?;
    let first = points.iter().map(|p| p.0).min()?;
    let span = *series.t.last()?;
    let last = first + chrono::Duration::days((span * DAYS_PER_YEAR).round() as i64);
    Some([(first, sen.intercept), (last, sen.intercept + sen.slope * span)])
}

/// A calendar quarter, e.g. `2024-Q3`.
pub fn quarter(date: NaiveDate) -> String {
    format!("{}-Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

/// Surveys per site per quarter, every quarter from the first to the last survey present
/// (quarters without a survey are 0): the completeness of a monitoring record.
pub fn completeness(surveys: &[(i64, NaiveDate)]) -> (Vec<String>, BTreeMap<i64, Vec<usize>>) {
    let (Some(first), Some(last)) = (surveys.iter().map(|s| s.1).min(), surveys.iter().map(|s| s.1).max()) else {
        return (Vec::new(), BTreeMap::new());
    };
    let index = |d: NaiveDate| (d.year() * 4 + (d.month0() / 3) as i32) as usize;
    let start = index(first);
    let quarters: Vec<String> = (start..=index(last)).map(|i| format!("{}-Q{}", i / 4, i % 4 + 1)).collect();
    let mut per_site: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (site, date) in surveys {
        per_site.entry(*site).or_insert_with(|| vec![0; quarters.len()])[index(*date) - start] += 1;
    }
    (quarters, per_site)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::trend::dated_trend;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_steady_fall_is_decreasing_and_its_line_runs_through_the_points() {
        // 10 yearly surveys falling 10 items/100 m a year from 200: the exact line
        let points: Vec<(NaiveDate, f64)> = (0..10).map(|i| (day(2015 + i, 1, 1), 200.0 - 10.0 * i as f64)).collect();
        let trend = dated_trend(&points).unwrap();
        assert_eq!(TrendVerdict::of(&trend), TrendVerdict::Decreasing);
        let [(from, start), (to, end)] = trend_line(&points).unwrap();
        assert_eq!((from, to), (day(2015, 1, 1), day(2024, 1, 1)));
        assert!((start - 200.0).abs() < 1e-9, "{start}");
        // years of 365.25 days: 2015-01-01 → 2024-01-01 is 3287 days, 8.999… years
        assert!((end - (200.0 - 10.0 * 3287.0 / 365.25)).abs() < 1e-6, "{end}");
    }

    #[test]
    fn noise_without_direction_is_no_trend() {
        let values = [50.0, 80.0, 40.0, 90.0, 45.0, 85.0, 50.0, 80.0, 40.0, 90.0];
        let points: Vec<(NaiveDate, f64)> =
            values.iter().enumerate().map(|(i, v)| (day(2015 + i as i32, 6, 1), *v)).collect();
        assert_eq!(TrendVerdict::of(&dated_trend(&points).unwrap()), TrendVerdict::NoTrend);
        let rising: Vec<(NaiveDate, f64)> = points.iter().enumerate().map(|(i, p)| (p.0, i as f64 * 3.0)).collect();
        assert_eq!(TrendVerdict::of(&dated_trend(&rising).unwrap()), TrendVerdict::Increasing);
    }

    #[test]
    fn standing_tells_no_surveys_from_surveys_by_another_method() {
        let none = ThresholdStatus::InsufficientData { surveys: 0 };
        assert_eq!(Standing::of(&none, 0), (Standing::None, None, 0));
        assert_eq!(Standing::of(&none, 123), (Standing::NotAssessed, None, 0));
        let few = ThresholdStatus::InsufficientData { surveys: 12 };
        assert_eq!(Standing::of(&few, 30), (Standing::Insufficient, None, 12));
        let over = ThresholdStatus::Exceeds { median_per_100m: 57.0, surveys: 121 };
        assert_eq!(Standing::of(&over, 121), (Standing::Exceeds, Some(57.0), 121));
    }

    #[test]
    fn completeness_counts_every_quarter_between_the_first_and_last_survey() {
        let surveys = [(1, day(2023, 11, 5)), (1, day(2023, 12, 20)), (2, day(2024, 7, 1)), (1, day(2024, 3, 31))];
        let (quarters, per_site) = completeness(&surveys);
        assert_eq!(quarters, ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]);
        assert_eq!(per_site[&1], [2, 1, 0, 0]);
        assert_eq!(per_site[&2], [0, 0, 0, 1]);
        assert_eq!(quarter(day(2024, 7, 1)), "2024-Q3");
        assert_eq!(completeness(&[]).0.len(), 0);
    }
}
