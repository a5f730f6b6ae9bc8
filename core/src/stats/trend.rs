//! Trends as OSPAR and litteR assess them: the Mann–Kendall test over dated observations (S
//! over pairs of different dates, Var(S) corrected for tied values and shared dates, Z with
//! continuity correction, two-sided p), the regional Kendall test for several sites, and the
//! Theil–Sen slope (median of pairwise slopes) with intercept median(y − slope·x).

use chrono::NaiveDate;
use serde::Serialize;

use super::descriptive::median;
use super::normal::two_sided_p;
use super::trend_series::series;

/// Fewest observations for which a trend is reported.
pub const MIN_TREND_SURVEYS: usize = 8;
/// Days per year used to express slopes per year.
pub const DAYS_PER_YEAR: f64 = 365.25;
/// Above this many observations the pairwise tests (O(n²)) run on monthly medians instead.
pub const MAX_PAIRWISE_POINTS: usize = 2_000;

/// The Mann–Kendall test of a series in time order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Sums over the groups of tied values: (Σ t(t−1)(2t+5), Σ t(t−1)(t−2), Σ t(t−1)).
fn tie_sums(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start;
        while end + 1 < sorted.len() && sorted[end + 1] == sorted[start] {
            end += 1;
        }
        let t = (end - start + 1) as f64;
        a += t * (t - 1.0) * (2.0 * t + 5.0);
        b += t * (t - 1.0) * (t - 2.0);
        c += t * (t - 1.0);
        start = end + 1;
    }
    (a, b, c)
}

/// Kendall's S over dated observations: Σ over pairs of sign(t_j − t_i)·sign(y_j − y_i).
/// Pairs on the same date add nothing; the result does not depend on the input order
/// (counted in O(n log n), see [`super::pairwise`]).
pub fn kendall_s(t: &[f64], y: &[f64]) -> i64 {
    super::pairwise::kendall_s(t, y)
}

/// Var(S) corrected for ties in the values and for several observations on one date
/// (Kendall 1975; Gilbert 1987 eq. 16.4–16.5; litteR `kendall_var_s`), with u the sizes of
/// groups of tied values and v those of observations sharing a date:
///
/// ```text
/// [n(n−1)(2n+5) − Σu(u−1)(2u+5) − Σv(v−1)(2v+5)] / 18
///   + Σu(u−1)(u−2)·Σv(v−1)(v−2) / [9n(n−1)(n−2)] + Σu(u−1)·Σv(v−1) / [2n(n−1)]
/// ```
pub fn kendall_var_s(t: &[f64], y: &[f64]) -> f64 {
    let n = t.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (ay, by, cy) = tie_sums(y);
    let (at, bt, ct) = tie_sums(t);
    let mut var = (n * (n - 1.0) * (2.0 * n + 5.0) - ay - at) / 18.0 + cy * ct / (2.0 * n * (n - 1.0));
    if n > 2.0 {
        var += by * bt / (9.0 * n * (n - 1.0) * (n - 2.0));
    }
    var
}

/// The test from S and Var(S): continuity-corrected Z = (S − sign S) / √Var(S), two-sided p.
pub fn kendall_test(s: i64, var_s: f64) -> MannKendall {
    let z = match s {
        _ if var_s <= 0.0 => 0.0,
        s if s > 0 => (s - 1) as f64 / var_s.sqrt(),
        s if s < 0 => (s + 1) as f64 / var_s.sqrt(),
        _ => 0.0,
    };
    MannKendall { s, var_s, z, p: two_sided_p(z) }
}

/// Mann–Kendall test of observations `y` taken at times `t` (any order).
pub fn mann_kendall_dated(t: &[f64], y: &[f64]) -> MannKendall {
    kendall_test(kendall_s(t, y), kendall_var_s(t, y))
}

/// Mann–Kendall test of a series in time order, one observation per time step.
pub fn mann_kendall(y: &[f64]) -> MannKendall {
    let t: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
    mann_kendall_dated(&t, y)
}

/// Theil–Sen slope and intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TheilSen {
    /// Median of the pairwise slopes.
    pub slope: f64,
    /// median(y − slope·x).
    pub intercept: f64,
}

/// Theil–Sen estimate over points (x, y); pairs with equal x are skipped.
pub fn theil_sen(x: &[f64], y: &[f64]) -> Option<TheilSen> {
    let n = x.len().min(y.len());
    let slope = super::sen::median_slope(x, y)?;
    let residuals: Vec<f64> = (0..n).map(|i| y[i] - slope * x[i]).collect();
    Some(TheilSen { slope, intercept: median(&residuals)? })
}

/// What a trend was computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrendBasis {
    /// Every observation.
    Observations,
    /// The median of each calendar month (dated at the month's first day), for long series.
    MonthlyMedians,
}

/// How a trend was tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrendMethod {
    /// One series: the Mann–Kendall test and the Theil–Sen slope of its observations.
    MannKendall,
    /// Several sites: S and Var(S) summed over the sites' own series (the regional Kendall
    /// test, litteR `regional_kendall`), the slope the median of the per-site Theil–Sen slopes.
    RegionalKendall,
}

/// One site's part of a regional trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteTrend {
    /// Site id.
    pub site_id: i64,
    /// Observations of the site.
    pub n: usize,
    /// The site's Theil–Sen slope per year (absent with fewer than two dates).
    pub slope_per_year: Option<f64>,
    /// The site's Mann–Kendall test.
    pub mann_kendall: MannKendall,
}

/// A trend in a value per year over dated observations.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    /// Observations given.
    pub n: usize,
    /// What the slope and test were computed over.
    pub basis: TrendBasis,
    /// How the trend was tested.
    pub method: TrendMethod,
    /// Theil–Sen slope, in the value's unit per year (regional: median of the site slopes).
    pub slope_per_year: f64,
    /// Mann–Kendall test (regional: S and Var(S) summed over the sites).
    pub mann_kendall: MannKendall,
    /// The sites' own trends (regional test only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteTrend>,
}

/// One series' own trend, before it is reported alone or as a site of a regional test: the
/// observations, what the tests ran over, the Theil–Sen slope (absent when every observation
/// shares one date) and the Mann–Kendall test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesTrend {
    /// Observations given.
    pub n: usize,
    /// Every observation, or monthly medians of a long series.
    pub basis: TrendBasis,
    /// Theil–Sen slope per year.
    pub slope_per_year: Option<f64>,
    /// The Mann–Kendall test.
    pub mann_kendall: MannKendall,
}

/// The trend of one series of dated values, whatever its length; `None` when it is empty.
/// Independent of the input order.
pub fn series_trend(points: &[(NaiveDate, f64)]) -> Option<SeriesTrend> {
    let series = series(points)?;
    Some(SeriesTrend {
        n: points.len(),
        basis: series.basis,
        slope_per_year: theil_sen(&series.t, &series.y).map(|sen| sen.slope),
        mann_kendall: mann_kendall_dated(&series.t, &series.y),
    })
}

/// The trend of dated values (e.g. items/100 m per survey) of one series, or `None` with
/// fewer than [`MIN_TREND_SURVEYS`] observations. Independent of the input order.
pub fn dated_trend(points: &[(NaiveDate, f64)]) -> Option<Trend> {
    if points.len() < MIN_TREND_SURVEYS {
        return None;
    }
    single_trend(&series_trend(points)?)
}

/// A series' trend reported alone: `None` with fewer than [`MIN_TREND_SURVEYS`] observations
/// or without a slope.
pub fn single_trend(series: &SeriesTrend) -> Option<Trend> {
    if series.n < MIN_TREND_SURVEYS {
        return None;
    }
    Some(Trend {
        n: series.n,
        basis: series.basis,
        method: TrendMethod::MannKendall,
        slope_per_year: series.slope_per_year?,
        mann_kendall: series.mann_kendall,
        sites: Vec::new(),
    })
}

/// The regional Kendall trend of several sites' dated values: each site is its own series;
/// S and Var(S) are summed over sites, the slope is the median of the sites' Theil–Sen
/// slopes. `None` with fewer than [`MIN_TREND_SURVEYS`] observations in all or no site slope.
pub fn regional_trend(sites: &[(i64, Vec<(NaiveDate, f64)>)]) -> Option<Trend> {
    let series: Vec<(i64, SeriesTrend)> =
        sites.iter().filter_map(|(site_id, points)| Some((*site_id, series_trend(points)?))).collect();
    regional_of(&series)
}

/// [`regional_trend`] from the sites' own series trends, in any order.
pub fn regional_of(sites: &[(i64, SeriesTrend)]) -> Option<Trend> {
    let n: usize = sites.iter().map(|(_, series)| series.n).sum();
    if n < MIN_TREND_SURVEYS {
        return None;
    }
    let basis = if sites.iter().any(|(_, series)| series.basis == TrendBasis::MonthlyMedians) {
        TrendBasis::MonthlyMedians
    } else {
        TrendBasis::Observations
    };
    let mut per_site: Vec<SiteTrend> = sites
        .iter()
        .map(|(site_id, series)| SiteTrend {
            site_id: *site_id,
            n: series.n,
            slope_per_year: series.slope_per_year,
            mann_kendall: series.mann_kendall,
        })
        .collect();
    per_site.sort_by_key(|s| s.site_id);
    let slopes: Vec<f64> = per_site.iter().filter_map(|s| s.slope_per_year).collect();
    let s = per_site.iter().map(|s| s.mann_kendall.s).sum();
    let var_s = per_site.iter().map(|s| s.mann_kendall.var_s).sum();
    Some(Trend {
        n,
        basis,
        method: TrendMethod::RegionalKendall,
        slope_per_year: median(&slopes)?,
        mann_kendall: kendall_test(s, var_s),
        sites: per_site,
    })
}
