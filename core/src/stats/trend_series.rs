//! What the pairwise trend tests run over: a series of dated values sorted by date, as monthly
//! medians when it is longer than the pairwise tests allow, with times in years.

use chrono::NaiveDate;

use super::descriptive::median;
use super::trend::{TrendBasis, DAYS_PER_YEAR, MAX_PAIRWISE_POINTS};

/// A series ready for the pairwise tests: sorted, monthly medians when long, times in years.
pub(crate) struct Series {
    pub(crate) basis: TrendBasis,
    pub(crate) t: Vec<f64>,
    pub(crate) y: Vec<f64>,
}

/// The series of dated values: sorted by date (then value), times in years from the first.
pub(crate) fn series(points: &[(NaiveDate, f64)]) -> Option<Series> {
    let mut sorted = points.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let basis = if sorted.len() > MAX_PAIRWISE_POINTS {
        sorted = monthly_medians(&sorted);
        TrendBasis::MonthlyMedians
    } else {
        TrendBasis::Observations
    };
    let origin = sorted.first()?.0;
    let t = sorted.iter().map(|(d, _)| (*d - origin).num_days() as f64 / DAYS_PER_YEAR).collect();
    let y = sorted.iter().map(|(_, v)| *v).collect();
    Some(Series { basis, t, y })
}

/// One point per calendar month: the month's first day and the median of its values.
fn monthly_medians(sorted: &[(NaiveDate, f64)]) -> Vec<(NaiveDate, f64)> {
    let mut months: Vec<(NaiveDate, f64)> = Vec::new();
    let mut values = Vec::new();
    let mut current: Option<NaiveDate> = None;
    for (date, value) in sorted {
        let month = crate::survey::month_of(*date);
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
