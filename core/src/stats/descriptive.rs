//! Mean, median and percentiles. Percentiles interpolate linearly between the closest ranks,
//! exactly like PostgreSQL's `percentile_cont` (and R's type 7): position p·(n−1) in the
//! sorted values.

/// The sum of the values, +0 when there are none (Rust's float `sum` of nothing is −0, which
/// a JSON answer would print as `-0.0`).
pub fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.sum::<f64>() + 0.0
}

/// Arithmetic mean, or `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

/// The `p`-quantile (0 ≤ p ≤ 1) of already sorted values, as `percentile_cont(p)`.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let position = p * (sorted.len() - 1) as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    Some(sorted[lower] + (position - lower as f64) * (sorted[upper] - sorted[lower]))
}

/// The `p`-quantile of values in any order (NaN values are ignored): the same number as
/// [`percentile_sorted`] of the sorted values, found by selection in linear time (the
/// Theil–Sen median runs over n(n−1)/2 pairwise slopes).
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut values: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if values.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let position = p * (values.len() - 1) as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    // the lower-ranked value, then (when the position falls between ranks) the next one: the
    // smallest of those ranked above it
    let (_, at_lower, above) = values.select_nth_unstable_by(lower, f64::total_cmp);
    let at_lower = *at_lower;
    let at_upper = if upper == lower { at_lower } else { above.iter().copied().min_by(f64::total_cmp)? };
    Some(at_lower + (position - lower as f64) * (at_upper - at_lower))
}

/// The median: `percentile(values, 0.5)`.
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 0.5)
}

/// Count, mean, median, 10th and 90th percentile of a sample.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median (`percentile_cont(0.5)`).
    pub median: f64,
    /// 10th percentile (`percentile_cont(0.1)`).
    pub p10: f64,
    /// 90th percentile (`percentile_cont(0.9)`).
    pub p90: f64,
}

/// The summary of a sample, or `None` when it is empty.
pub fn summarise(values: &[f64]) -> Option<Summary> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    Some(Summary {
        n: sorted.len(),
        mean: mean(&sorted)?,
        median: percentile_sorted(&sorted, 0.5)?,
        p10: percentile_sorted(&sorted, 0.1)?,
        p90: percentile_sorted(&sorted, 0.9)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_total_of_nothing_is_positive_zero_and_other_totals_are_the_sum() {
        assert!(super::total(std::iter::empty()).is_sign_positive());
        assert_eq!(super::total([-0.0].into_iter()).to_bits(), 0.0f64.to_bits());
        assert_eq!(super::total([1.5, 2.25, -0.5].into_iter()), 3.25);
    }
}
