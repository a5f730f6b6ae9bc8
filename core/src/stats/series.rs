//! Time series for charts: the groupings and calendar periods a series is cut by, and the
//! figures of one point (pooled from monthly sums, so any period is exact).

pub use crate::vocabulary::{Period, SeriesGroup};
use chrono::{Datelike, NaiveDate};

impl Period {
    /// The first day of the period holding `date`.
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        let month = match self {
            Self::Month => date.month(),
            Self::Quarter => (date.month() - 1) / 3 * 3 + 1,
            Self::Year => 1,
        };
        NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
    }
}

/// The sums of one point of a series.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeriodTotals {
    /// Accepted surveys.
    pub surveys: i64,
    /// Items counted.
    pub total_items: i64,
    /// Surveyed length of the surveys with one, m.
    pub length_m: f64,
}

impl PeriodTotals {
    /// Adds another month's (or site's) sums.
    pub fn add(&mut self, other: PeriodTotals) {
        self.surveys += other.surveys;
        self.total_items += other.total_items;
        self.length_m += other.length_m;
    }

    /// Mean items per survey.
    pub fn mean_items_per_survey(&self) -> f64 {
        self.total_items as f64 / self.surveys as f64
    }

    /// Pooled items/100 m: Σ items × 100 / Σ surveyed length (none without a length).
    pub fn pooled_items_per_100m(&self) -> Option<f64> {
        (self.length_m > 0.0).then(|| crate::survey::per_100m(self.total_items.max(0) as u64, self.length_m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_period_starts_on_its_first_calendar_day() {
        assert_eq!(Period::Month.start(day(2026, 5, 17)), day(2026, 5, 1));
        assert_eq!(Period::Quarter.start(day(2026, 3, 31)), day(2026, 1, 1));
        assert_eq!(Period::Quarter.start(day(2026, 4, 1)), day(2026, 4, 1));
        assert_eq!(Period::Quarter.start(day(2026, 12, 9)), day(2026, 10, 1));
        assert_eq!(Period::Year.start(day(2026, 12, 9)), day(2026, 1, 1));
    }

    #[test]
    fn pooled_density_is_the_sum_of_items_over_the_sum_of_length() {
        let mut point = PeriodTotals { surveys: 2, total_items: 300, length_m: 100.0 };
        point.add(PeriodTotals { surveys: 1, total_items: 100, length_m: 300.0 });
        assert_eq!(point.surveys, 3);
        assert!((point.mean_items_per_survey() - 400.0 / 3.0).abs() < 1e-12);
        assert_eq!(point.pooled_items_per_100m(), Some(100.0));
        assert_eq!(PeriodTotals { surveys: 1, total_items: 5, length_m: 0.0 }.pooled_items_per_100m(), None);
    }
}
