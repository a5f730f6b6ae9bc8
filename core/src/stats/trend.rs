//! Trends as OSPAR assesses them: the Mann–Kendall test (S, Var(S) corrected for ties, Z,
//! two-sided p) and the Theil–Sen slope (median of pairwise slopes) with intercept
//! median(y − slope·x).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::descriptive::median;
use super::normal::two_sided_p;

/// Fewest observations for which a trend is reported.
pub const MIN_TREND_SURVEYS: usize = 8;
/// Days per year used to express slopes per year.
pub const DAYS_PER_YEAR: f64 = 365.25;
/// Above this many observations the pairwise tests (O(n²)) run on monthly medians instead.
pub const MAX_PAIRWISE_POINTS: usize = 2_000;

/// The Mann–Kendall test of a series in time order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct MannKendall {
    /// S = Σ_{i<j} sign(y_j − y_i).
    pub s: i64,
    /// Var(S) with the tie correction.
    pub var_s: f64,
    /// Continuity-corrected normal score.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Mann–Kendall test over `y` in time order (Gilbert 1987, eq. 16.3–16.5).
pub fn mann_kendall(y: &[f64]) -> MannKendall {
    let n = y.len();
    let mut s: i64 = 0;
    for i in 0..n {
        for j in i + 1..n {
            s += match y[j].partial_cmp(&y[i]) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    let mut sorted = y.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end + 1 < n && sorted[end + 1] == sorted[start] {
            end += 1;
        }
        let t = (end - start + 1) as f64;
        ties += t * (t - 1.0) * (2.0 * t + 5.0);
        start = end + 1;
    }
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = match s {
        _ if var_s <= 0.0 => 0.0,
        s if s > 0 => (s - 1) as f64 / var_s.sqrt(),
        s if s < 0 => (s + 1) as f64 / var_s.sqrt(),
        _ => 0.0,
    };
    MannKendall { s, var_s, z, p: two_sided_p(z) }
}

/// Theil–Sen slope and intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct TheilSen {
    /// Median of the pairwise slopes.
    pub slope: f64,
    /// median(y − slope·x).
    pub intercept: f64,
}

/// Theil–Sen estimate over points (x, y); pairs with equal x are skipped.
pub fn theil_sen(x: &[f64], y: &[f64]) -> Option<TheilSen> {
    let n = x.len().min(y.len());
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            if x[j] != x[i] {
                slopes.push((y[j] - y[i]) / (x[j] - x[i]));
            }
        }
    }
    let slope = median(&slopes)?;
    let residuals: Vec<f64> = (0..n).map(|i| y[i] - slope * x[i]).collect();
    Some(TheilSen { slope, intercept: median(&residuals)? })
}

/// What a trend was computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrendBasis {
    /// Every observation.
    Observations,
    /// The median of each calendar month (dated at the month's first day), for long series.
    MonthlyMedians,
}

/// A trend in a value per year over dated observations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Trend {
    /// Observations given.
    pub n: usize,
    /// What the slope and test were computed over.
    pub basis: TrendBasis,
    /// Theil–Sen slope, in the value's unit per year.
    pub slope_per_year: f64,
    /// Mann–Kendall test.
    pub mann_kendall: MannKendall,
}

/// The trend of dated values (e.g. items/100 m per survey), or `None` with fewer than
/// [`MIN_TREND_SURVEYS`] observations.
pub fn dated_trend(points: &[(NaiveDate, f64)]) -> Option<Trend> {
    if points.len() < MIN_TREND_SURVEYS {
        return None;
    }
    let n = points.len();
    let mut series = points.to_vec();
    series.sort_by_key(|(date, _)| *date);
    let basis = if n > MAX_PAIRWISE_POINTS {
        series = monthly_medians(&series);
        TrendBasis::MonthlyMedians
    } else {
        TrendBasis::Observations
    };
    let origin = series[0].0;
    let x: Vec<f64> = series.iter().map(|(d, _)| (*d - origin).num_days() as f64 / DAYS_PER_YEAR).collect();
    let y: Vec<f64> = series.iter().map(|(_, v)| *v).collect();
    let sen = theil_sen(&x, &y)?;
    Some(Trend { n, basis, slope_per_year: sen.slope, mann_kendall: mann_kendall(&y) })
}

/// One point per calendar month: the month's first day and the median of its values.
fn monthly_medians(sorted: &[(NaiveDate, f64)]) -> Vec<(NaiveDate, f64)> {
    use chrono::Datelike;
    let mut months: Vec<(NaiveDate, f64)> = Vec::new();
    let mut values = Vec::new();
    let mut current: Option<NaiveDate> = None;
    for (date, value) in sorted {
        let month = date.with_day(1).unwrap_or(*date);
        if current != Some(month) {
            if let (Some(m), Some(med)) = (current, median(&values)) {
                months.push((m, med));
            }
            values.clear();
            current = Some(month);
        }
        values.push(*value);
    }
    if let (Some(m), Some(med)) = (current, median(&values)) {
        months.push((m, med));
    }
    months
}
