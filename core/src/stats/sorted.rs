//! Values kept sorted (by `f64::total_cmp`, NaN left out), so the figures of several parts of
//! a scope (its sites) compose by merging instead of sorting every survey's value again; the
//! mean and totals are summed in sorted order, so a figure never depends on the order the
//! parts or their surveys came in.

use std::borrow::Cow;

use super::descriptive::{mean, percentile_sorted, Summary};

/// A sample's values in ascending `total_cmp` order, NaN left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortedValues(Vec<f64>);

impl SortedValues {
    /// The values, sorted.
    pub fn of(values: impl Iterator<Item = f64>) -> Self {
        let mut sorted: Vec<f64> = values.filter(|v| !v.is_nan()).collect();
        sorted.sort_unstable_by(f64::total_cmp);
        Self(sorted)
    }

    /// The union of several samples' values, sorted: borrowed when there is only one.
    pub fn merged<'a>(parts: &[&'a SortedValues]) -> Cow<'a, [f64]> {
        match parts {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(&one.0),
            _ => Cow::Owned(merge(&parts.iter().map(|p| p.0.as_slice()).collect::<Vec<_>>())),
        }
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No values.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bytes held (for a cache's budget).
    pub fn bytes(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<f64>()
    }
}

/// Sorted runs merged into one, halves first (O(n log k) for k runs).
fn merge(runs: &[&[f64]]) -> Vec<f64> {
    match runs {
        [] => Vec::new(),
        [one] => one.to_vec(),
        [a, b] => merge_two(a, b),
        _ => {
            let (left, right) = runs.split_at(runs.len() / 2);
            merge_two(&merge(left), &merge(right))
        }
    }
}

/// Two sorted runs merged in one pass.
fn merge_two(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j].total_cmp(&a[i]).is_lt() {
            merged.push(b[j]);
            j += 1;
        } else {
            merged.push(a[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// The summary of sorted values, as `descriptive::summarise` of the same values in any order.
pub fn summary_of(sorted: &[f64]) -> Option<Summary> {
    Some(Summary {
        n: sorted.len(),
        mean: mean(sorted)?,
        median: percentile_sorted(sorted, 0.5)?,
        p10: percentile_sorted(sorted, 0.1)?,
        p90: percentile_sorted(sorted, 0.9)?,
    })
}

/// The sum of sorted values (+0 for none): the same whatever order they were given in.
pub fn total_of(sorted: &[f64]) -> f64 {
    sorted.iter().sum::<f64>() + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::descriptive::{median, summarise};

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn merged_parts_summarise_like_the_whole_sample_in_any_split() {
        let mut state = 0x5eed_0f50_4700_u64;
        for round in 0..200 {
            let n = (xorshift(&mut state) % 60) as usize;
            let values: Vec<f64> = (0..n)
                .map(|i| match xorshift(&mut state) % 7 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::NAN,
                    3 => (i % 3) as f64,
                    _ => (xorshift(&mut state) % 10_000) as f64 / 7.0,
                })
                .collect();
            let k = 1 + (round % 5);
            let mut parts = vec![Vec::new(); k];
            for v in &values {
                parts[(xorshift(&mut state) % k as u64) as usize].push(*v);
            }
            let sorted: Vec<SortedValues> = parts.iter().map(|p| SortedValues::of(p.iter().copied())).collect();
            let refs: Vec<&SortedValues> = sorted.iter().collect();
            let merged = SortedValues::merged(&refs);
            let expected = summarise(&values);
            assert_eq!(summary_of(&merged).map(|s| s.mean.to_bits()), expected.map(|s| s.mean.to_bits()));
            assert_eq!(summary_of(&merged), expected);
            assert_eq!(
                percentile_sorted(&merged, 0.5).map(f64::to_bits),
                median(&values).map(f64::to_bits),
                "round {round}"
            );
            let mut shuffled = values.clone();
            shuffled.reverse();
            assert_eq!(total_of(&merged).to_bits(), total_of(&SortedValues::of(shuffled.into_iter()).0).to_bits());
        }
    }

    #[test]
    fn nothing_sums_to_positive_zero_and_one_part_is_borrowed() {
        assert_eq!(total_of(&[]).to_bits(), 0.0f64.to_bits());
        let one = SortedValues::of([3.0, 1.0, 2.0].into_iter());
        assert!(matches!(SortedValues::merged(&[&one]), Cow::Borrowed(&[1.0, 2.0, 3.0])));
        assert_eq!(summary_of(&[]), None);
    }
}
