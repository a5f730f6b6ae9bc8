//! The Theil–Sen median of pairwise slopes without visiting every pair: a fixed-seed sample of
//! pairs brackets the median, the pairs below the bracket are counted as inversions of a
//! sort (a slope below s is a pair whose order by y − s·x is the reverse of its order by x),
//! and only the pairs inside the bracket are listed and their slopes computed. O(n log n + K)
//! for K slopes in the bracket; the number is the median of every slope, bit for bit.
//!
//! Floating point can misorder y − s·x for a pair whose slope is within rounding of s, so the
//! counting uses bounds a safe margin outside the bracket, and every pair between those bounds
//! has its slope computed exactly as the definition does. Where the data leave no safe margin
//! (infinities, NaN, huge spreads) a quadratic pass or the definition itself answers.

use std::cmp::Ordering;

use super::descriptive::percentile;
use super::pairwise::{sort_counting_inversions, tied_pairs};

/// Below this many pairs the slopes are simply all kept.
const KEEP_ALL_PAIRS: usize = 20_000;
/// Pairs sampled to bracket the median slope.
const SAMPLE_PAIRS: usize = 8_192;

/// The median of the pairwise slopes (y_j − y_i)/(x_j − x_i) over pairs i < j with x_i ≠ x_j,
/// as `percentile(slopes, 0.5)`: `None` when every x is the same.
pub fn median_slope(x: &[f64], y: &[f64]) -> Option<f64> {
    median_slope_keeping(x, y, KEEP_ALL_PAIRS)
}

fn median_slope_keeping(x: &[f64], y: &[f64], keep_all: usize) -> Option<f64> {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let valid = valid_pairs(x);
    if valid == 0 {
        return None;
    }
    if valid <= keep_all {
        return percentile(&all_slopes(x, y), 0.5);
    }
    let position = 0.5 * (valid - 1) as f64;
    let (lower, upper) = (position.floor() as usize, position.ceil() as usize);
    let (low, high) = bracket(x, y, lower as f64 / valid as f64);
    let fits = |(below, inside): &(usize, Vec<f64>)| *below <= lower && upper < below + inside.len();
    let (below, mut inside) = match swept(x, y, low, high).filter(fits) {
        Some(band) => band,
        None => Some(quadratic(x, y, low, high))
            .filter(fits)
            // the sample missed the median (rare): the definition, every slope kept
            .unwrap_or_else(|| (0, all_slopes(x, y))),
    };
    let (_, at_lower, above) = inside.select_nth_unstable_by(lower - below, f64::total_cmp);
    let at_lower = *at_lower;
    let at_upper = if upper == lower { at_lower } else { above.iter().copied().min_by(f64::total_cmp)? };
    Some(at_lower + (position - lower as f64) * (at_upper - at_lower))
}

/// The slope of pair (i, j) as the definition computes it (i < j in input order).
fn slope(x: &[f64], y: &[f64], a: usize, b: usize) -> f64 {
    let (i, j) = (a.min(b), a.max(b));
    (y[j] - y[i]) / (x[j] - x[i])
}

/// Slopes below `low` (counted) and within [`low`, `high`] (kept), in total order, by the
/// sweep: `None` when no safe margin exists or the orders disagree beyond rounding.
fn swept(x: &[f64], y: &[f64], low: f64, high: f64) -> Option<(usize, Vec<f64>)> {
    let n = x.len();
    if !(low.is_finite() && high.is_finite()) || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    // positions in x order (x, then y, ascending): a pair's order is its x order
    let mut by_x: Vec<usize> = (0..n).collect();
    by_x.sort_unstable_by(|&a, &b| (x[a] + 0.0).total_cmp(&(x[b] + 0.0)).then((y[a] + 0.0).total_cmp(&(y[b] + 0.0))));
    let xs: Vec<f64> = by_x.iter().map(|&i| x[i]).collect();
    let gap = xs.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0.0).fold(f64::INFINITY, f64::min);
    let (y_max, x_max) = (y.iter().fold(0.0f64, |m, v| m.max(v.abs())), xs.iter().fold(0.0f64, |m, v| m.max(v.abs())));
    let s_max = low.abs().max(high.abs()) + 1.0;
    // |fl(y − s·x) − (y − s·x)| ≤ 3u(|y| + |s||x|) per point, so two points are ordered right
    // when their slope is further than 6u(Y + S·X)/gap from s; the computed slope itself is
    // within 4u of the exact one. The margin is four times what both need.
    let u = f64::EPSILON / 2.0;
    let margin = 4.0 * (6.0 * u * (y_max + s_max * x_max) / gap + 4.0 * u * s_max);
    if !margin.is_finite() || margin >= 1.0 {
        return None;
    }
    let ranks = |s: f64| -> Vec<usize> {
        let z: Vec<f64> = by_x.iter().map(|&i| y[i] - s * x[i]).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| z[a].total_cmp(&z[b]).then(a.cmp(&b)));
        let mut rank = vec![0; n];
        for (r, &p) in order.iter().enumerate() {
            rank[p] = r;
        }
        rank
    };
    let (below_ranks, above_ranks) = (ranks(low - margin), ranks(high + margin));
    // pairs below low − margin: inversions of their ranks in x order
    let mut sequence: Vec<f64> = below_ranks.iter().map(|&r| r as f64).collect();
    let certainly_below = sort_counting_inversions(&mut sequence) as usize;
    // pairs ordered one way at low − margin and the other at high + margin: the band
    let mut at_low: Vec<(usize, usize)> = (0..n).map(|p| (below_ranks[p], p)).collect();
    at_low.sort_unstable();
    let mut band: Vec<(usize, usize)> = at_low.iter().map(|&(_, p)| (above_ranks[p], p)).collect();
    let mut pairs = Vec::new();
    reversed_pairs(&mut band, &mut pairs);
    let (mut below, mut inside) = (certainly_below, Vec::new());
    for (first, second) in pairs {
        if first > second {
            // below at low − margin but not at high + margin: beyond rounding, give up
            return None;
        }
        let (a, b) = (by_x[first], by_x[second]);
        if x[a] == x[b] {
            continue;
        }
        let s = slope(x, y, a, b);
        match (s.total_cmp(&low), s.total_cmp(&high)) {
            (Ordering::Less, _) => below += 1,
            (_, Ordering::Greater) => {}
            _ => inside.push(s),
        }
    }
    Some((below, inside))
}

/// Merge-sorts `(rank, position)` by rank, listing every pair of positions whose ranks are in
/// the reverse of their order in the input (`(earlier, later)` by input order).
fn reversed_pairs(items: &mut [(usize, usize)], pairs: &mut Vec<(usize, usize)>) {
    if items.len() < 2 {
        return;
    }
    let mid = items.len() / 2;
    let (left, right) = items.split_at_mut(mid);
    reversed_pairs(left, pairs);
    reversed_pairs(right, pairs);
    let mut merged = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < items.len() {
        if items[j].0 < items[i].0 {
            pairs.extend(items[i..mid].iter().map(|earlier| (earlier.1, items[j].1)));
            merged.push(items[j]);
            j += 1;
        } else {
            merged.push(items[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&items[i..mid]);
    merged.extend_from_slice(&items[j..]);
    items.copy_from_slice(&merged);
}

/// Slopes below `low` (counted) and within [`low`, `high`] (kept) by visiting every pair.
fn quadratic(x: &[f64], y: &[f64], low: f64, high: f64) -> (usize, Vec<f64>) {
    let n = x.len();
    let (mut below, mut inside) = (0usize, Vec::new());
    let (low_key, high_key) = (total_key(low), total_key(high));
    let mut row = vec![0.0; n];
    for i in 0..n {
        let (xi, yi) = (x[i], y[i]);
        let (xs, ys, slopes) = (&x[i + 1..], &y[i + 1..], &mut row[..n - i - 1]);
        // a row of slopes first (a loop the compiler vectorises), then sorted out
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
    (below, inside)
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
    tied_pairs(&sorted, |_, _| true) - tied_pairs(&sorted, |a, b| a == b)
}

/// Every slope, as the definition lists them.
fn all_slopes(x: &[f64], y: &[f64]) -> Vec<f64> {
    let n = x.len();
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
fn bracket(x: &[f64], y: &[f64], quantile: f64) -> (f64, f64) {
    let n = x.len();
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
            sample.push(slope(x, y, i, j));
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
    use super::super::pairwise::tests::series;
    use super::*;

    fn naive(x: &[f64], y: &[f64]) -> Option<u64> {
        percentile(&all_slopes(x, y), 0.5).map(f64::to_bits)
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
    fn the_swept_median_slope_is_the_median_of_every_slope_bit_for_bit() {
        for seed in 1..40u64 {
            for (n, distinct) in [(2, 3), (30, 2), (200, 5), (400, 100_000), (401, 40), (1200, 3000)] {
                let (x, y) = series(seed, n, distinct);
                // keep nothing whole: every series above two points goes through the sweep
                assert_eq!(median_slope_keeping(&x, &y, 0).map(f64::to_bits), naive(&x, &y), "seed {seed}, n {n}");
                // and the sweep alone agrees with the quadratic pass on any bracket
                let (low, high) = bracket(&x, &y, 0.5);
                if let Some((below, mut inside)) = swept(&x, &y, low, high) {
                    let (q_below, mut q_inside) = quadratic(&x, &y, low, high);
                    inside.sort_unstable_by(f64::total_cmp);
                    q_inside.sort_unstable_by(f64::total_cmp);
                    assert_eq!(below, q_below, "seed {seed}, n {n}");
                    assert_eq!(
                        inside.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        q_inside.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                    );
                }
            }
        }
        // every slope the same (the bracket holds them all), and no two x apart
        let x: Vec<f64> = (0..300).map(f64::from).collect();
        let line: Vec<f64> = x.iter().map(|v| 3.0 * v - 2.0).collect();
        assert_eq!(median_slope_keeping(&x, &line, 0), Some(3.0));
        assert_eq!(median_slope_keeping(&[5.0; 50], &line[..50], 0), None);
        // input not in date order: slopes keep the definition's orientation (signs of zero)
        let (mut x, mut y) = series(7, 500, 6);
        x.reverse();
        y.rotate_left(17);
        assert_eq!(median_slope_keeping(&x, &y, 0).map(f64::to_bits), naive(&x, &y));
    }
}
