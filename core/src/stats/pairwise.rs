//! The pairwise statistics of a trend without visiting every pair twice or keeping them all:
//! Kendall's S by counting inversions in a merge sort (Knight 1966), O(n log n), and the
//! Theil–Sen median of pairwise slopes by bracketing the median with a sample of pairs and
//! keeping only the slopes inside the bracket. Both give the same number, bit for bit, as the
//! definitions they replace (`naive_*` in the tests), whatever the ties.

use std::cmp::Ordering;

use super::descriptive::percentile;

/// Kendall's S over dated observations: Σ over pairs of sign(t_j − t_i)·sign(y_j − y_i),
/// pairs tied in t or in y adding nothing.
///
/// Sorted by (t, y), every pair not tied in t has t_i < t_j, so it is discordant exactly when
/// y_i > y_j: a strict inversion of the y sequence. With n0 pairs, n1 tied in t, n2 tied in y
/// and n3 tied in both, S = (n0 − n1 − n2 + n3) − 2·inversions.
pub fn kendall_s(t: &[f64], y: &[f64]) -> i64 {
    let n = t.len().min(y.len());
    // −0 and +0 are one value, as in the pairwise comparison; NaN compares with nothing
    let mut points: Vec<(f64, f64)> = (0..n).map(|i| (t[i] + 0.0, y[i] + 0.0)).collect();
    if points.iter().any(|(a, b)| a.is_nan() || b.is_nan()) {
        return naive_kendall_s(t, y);
    }
    points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let pairs = |g: usize| (g * g.saturating_sub(1) / 2) as i64;
    let tied = |same: &dyn Fn(usize, usize) -> bool| -> i64 {
        let mut total = 0;
        let mut start = 0;
        for i in 1..=n {
            if i == n || !same(start, i) {
                total += pairs(i - start);
                start = i;
            }
        }
        total
    };
    let n1 = tied(&|a, b| points[a].0 == points[b].0);
    let n3 = tied(&|a, b| points[a] == points[b]);
    let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let inversions = sort_counting_inversions(&mut ys);
    let n2 = {
        let mut total = 0;
        let mut start = 0;
        for i in 1..=n {
            if i == n || ys[i] != ys[start] {
                total += pairs(i - start);
                start = i;
            }
        }
        total
    };
    pairs(n) - n1 - n2 + n3 - 2 * inversions
}

/// Sorts `values` and returns how many pairs i < j had values[i] > values[j] (strictly).
fn sort_counting_inversions(values: &mut [f64]) -> i64 {
    let mut buffer = values.to_vec();
    let mut inversions = 0;
    let mut width = 1;
    let n = values.len();
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if values[j] < values[i] {
                    // every value left in the first half is greater than values[j]
                    inversions += (mid - i) as i64;
                    buffer[k] = values[j];
                    j += 1;
                } else {
                    buffer[k] = values[i];
                    i += 1;
                }
                k += 1;
            }
            buffer[k..k + (mid - i)].copy_from_slice(&values[i..mid]);
            k += mid - i;
            buffer[k..k + (end - j)].copy_from_slice(&values[j..end]);
            start = end;
        }
        values.copy_from_slice(&buffer);
        width *= 2;
    }
    inversions
}

/// The definition: every pair once.
fn naive_kendall_s(t: &[f64], y: &[f64]) -> i64 {
    let sign = |a: f64, b: f64| match a.partial_cmp(&b) {
        Some(Ordering::Greater) => 1,
        Some(Ordering::Less) => -1,
        _ => 0,
    };
    let n = t.len().min(y.len());
    let mut s = 0;
    for i in 0..n {
        for j in i + 1..n {
            s += sign(t[j], t[i]) * sign(y[j], y[i]);
        }
    }
    s
}

/// Below this many pairs the slopes are simply all kept.
const KEEP_ALL_PAIRS: usize = 20_000;
/// Pairs sampled to bracket the median slope.
const SAMPLE_PAIRS: usize = 4_096;

/// The median of the pairwise slopes (y_j − y_i)/(x_j − x_i) over pairs with x_i ≠ x_j, as
/// `percentile(slopes, 0.5)`: `None` when every x is the same.
pub fn median_slope(x: &[f64], y: &[f64]) -> Option<f64> {
    median_slope_keeping(x, y, KEEP_ALL_PAIRS)
}

fn median_slope_keeping(x: &[f64], y: &[f64], keep_all: usize) -> Option<f64> {
    let n = x.len().min(y.len());
    let valid = valid_pairs(&x[..n]);
    if valid == 0 {
        return None;
    }
    if valid <= keep_all {
        return percentile(&all_slopes(x, y, n), 0.5);
    }
    let position = 0.5 * (valid - 1) as f64;
    let (lower, upper) = (position.floor() as usize, position.ceil() as usize);
    let (low, high) = bracket(x, y, n, lower as f64 / valid as f64);
    // one pass: count the slopes below the bracket, keep those inside it. A row of slopes is
    // computed first (a loop the compiler vectorises), then sorted into below / inside; pairs
    // of equal x (slope NaN or ±inf, never kept) are told by their x.
    let (mut below, mut inside) = (0usize, Vec::new());
    let (low_key, high_key) = (total_key(low), total_key(high));
    let mut row = vec![0.0; n];
    for i in 0..n {
        let (xi, yi) = (x[i], y[i]);
        let (xs, ys, slopes) = (&x[i + 1..n], &y[i + 1..n], &mut row[..n - i - 1]);
        for ((slope, xj), yj) in slopes.iter_mut().zip(xs).zip(ys) {
            *slope = (yj - yi) / (xj - xi);
        }
        for (slope, xj) in slopes.iter().zip(xs) {
            let (key, valid) = (total_key(*slope), *xj != xi);
            // below the bracket for half the pairs, at random: counted without a branch
            below += usize::from(valid & (key < low_key));
            if valid & (key >= low_key) & (key <= high_key) {
                inside.push(*slope);
            }
        }
    }
    if below > lower || upper >= below + inside.len() {
        // the sample missed the median (rare): the definition, every slope kept
        return percentile(&all_slopes(x, y, n), 0.5);
    }
    let (_, at_lower, above) = inside.select_nth_unstable_by(lower - below, f64::total_cmp);
    let at_lower = *at_lower;
    let at_upper = if upper == lower { at_lower } else { above.iter().copied().min_by(f64::total_cmp)? };
    Some(at_lower + (position - lower as f64) * (at_upper - at_lower))
}

/// An integer ordered as `f64::total_cmp` orders the floats.
fn total_key(value: f64) -> i64 {
    let bits = value.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// Pairs with different x: all pairs less those within groups of equal x.
fn valid_pairs(x: &[f64]) -> usize {
    let mut sorted: Vec<f64> = x.iter().map(|v| v + 0.0).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    let pairs = |g: usize| g * g.saturating_sub(1) / 2;
    let mut total = pairs(sorted.len());
    let mut start = 0;
    for i in 1..=sorted.len() {
        if i == sorted.len() || sorted[i] != sorted[start] {
            total -= pairs(i - start);
            start = i;
        }
    }
    total
}

fn all_slopes(x: &[f64], y: &[f64], n: usize) -> Vec<f64> {
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            if x[j] != x[i] {
                slopes.push((y[j] - y[i]) / (x[j] - x[i]));
            }
        }
    }
    slopes
}

/// Slopes a little below and above the `quantile` of a fixed-seed sample of pairs: the median
/// lies between them but for bad luck, which the caller checks.
fn bracket(x: &[f64], y: &[f64], n: usize, quantile: f64) -> (f64, f64) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15 ^ n as u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut sample = Vec::with_capacity(SAMPLE_PAIRS);
    let mut tries = 0;
    while sample.len() < SAMPLE_PAIRS && tries < 20 * SAMPLE_PAIRS {
        tries += 1;
        let (i, j) = ((next() % n as u64) as usize, (next() % n as u64) as usize);
        if x[i] != x[j] {
            let (i, j) = (i.min(j), i.max(j));
            sample.push((y[j] - y[i]) / (x[j] - x[i]));
        }
    }
    sample.sort_unstable_by(f64::total_cmp);
    let last = sample.len().saturating_sub(1);
    let at = (quantile * last as f64).round() as usize;
    // about four standard errors of a sample quantile either side
    let margin = 2 * (sample.len() as f64).sqrt() as usize + 8;
    let low = sample.get(at.saturating_sub(margin)).copied().unwrap_or(f64::NEG_INFINITY);
    let high = sample.get((at + margin).min(last)).copied().unwrap_or(f64::INFINITY);
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// Dates with repeats and values with ties (and a −0), as real site series have.
    fn series(seed: u64, n: usize, distinct_values: u64) -> (Vec<f64>, Vec<f64>) {
        let mut next = rng(seed);
        let t = (0..n).map(|_| (next() % (n as u64 / 2 + 1)) as f64 / 365.25).collect();
        let y = (0..n).map(|i| if i == 3 { -0.0 } else { (next() % distinct_values) as f64 * 0.5 }).collect();
        (t, y)
    }

    #[test]
    fn kendall_s_by_merging_equals_the_definition() {
        for seed in 1..60u64 {
            for (n, distinct) in [(0, 5), (1, 5), (2, 5), (9, 3), (40, 4), (300, 1000), (301, 7)] {
                let (t, y) = series(seed, n, distinct);
                assert_eq!(kendall_s(&t, &y), naive_kendall_s(&t, &y), "seed {seed}, n {n}");
            }
        }
        let with_nan = [1.0, f64::NAN, 3.0];
        assert_eq!(kendall_s(&[1.0, 2.0, 3.0], &with_nan), naive_kendall_s(&[1.0, 2.0, 3.0], &with_nan));
    }

    #[test]
    fn the_integer_key_orders_as_the_total_order() {
        let values = [f64::NEG_INFINITY, -1e300, -1.5, -0.0, 0.0, 1e-310, 2.0, f64::INFINITY, f64::NAN];
        for a in values {
            for b in values {
                assert_eq!(total_key(a).cmp(&total_key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn the_bracketed_median_slope_is_the_median_of_every_slope_bit_for_bit() {
        let naive = |x: &[f64], y: &[f64]| percentile(&all_slopes(x, y, x.len()), 0.5);
        for seed in 1..40u64 {
            for (n, distinct) in [(2, 3), (30, 2), (200, 5), (400, 100_000), (401, 40)] {
                let (x, y) = series(seed, n, distinct);
                // keep nothing whole: every series above two points goes through the bracket
                let bracketed = median_slope_keeping(&x, &y, 0);
                assert_eq!(bracketed.map(f64::to_bits), naive(&x, &y).map(f64::to_bits), "seed {seed}, n {n}");
            }
        }
        // every slope the same (the bracket holds them all), and no two x apart
        let x: Vec<f64> = (0..300).map(f64::from).collect();
        let line: Vec<f64> = x.iter().map(|v| 3.0 * v - 2.0).collect();
        assert_eq!(median_slope_keeping(&x, &line, 0), Some(3.0));
        assert_eq!(median_slope_keeping(&[5.0; 50], &line[..50], 0), None);
    }
}
