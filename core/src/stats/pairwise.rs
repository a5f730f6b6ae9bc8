//! Kendall's S of a trend in O(n log n): inversions counted in a merge sort (Knight 1966),
//! the same number as the pairwise definition (`naive_kendall_s`), whatever the ties.

use std::cmp::Ordering;

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
    let n1 = tied_pairs(&points, |a, b| a.0 == b.0) as i64;
    let n3 = tied_pairs(&points, |a, b| a == b) as i64;
    let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let inversions = sort_counting_inversions(&mut ys);
    let n2 = tied_pairs(&ys, |a, b| a == b) as i64;
    tied_pairs(&points, |_, _| true) as i64 - n1 - n2 + n3 - 2 * inversions
}

/// Pairs within the runs of `sorted` whose members are the `same` (a run of g gives
/// g(g−1)/2); with a `same` that always holds, every pair.
pub(super) fn tied_pairs<T>(sorted: &[T], same: impl Fn(&T, &T) -> bool) -> usize {
    let pairs = |g: usize| g * g.saturating_sub(1) / 2;
    let (mut total, mut start) = (0, 0);
    for i in 1..=sorted.len() {
        if i == sorted.len() || !same(&sorted[start], &sorted[i]) {
            total += pairs(i - start);
            start = i;
        }
    }
    total
}

/// Sorts `values` and returns how many pairs i < j had values[i] > values[j] (strictly).
pub(super) fn sort_counting_inversions(values: &mut [f64]) -> i64 {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A xorshift stream.
    pub(in crate::stats) fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// Dates with repeats and values with ties (and a −0), as real site series have.
    pub(in crate::stats) fn series(seed: u64, n: usize, distinct_values: u64) -> (Vec<f64>, Vec<f64>) {
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
}
