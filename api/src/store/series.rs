//! Time series for charts, from the monthly site rollups: surveys, items and surveyed length
//! per group (site, city or country) and period (month, quarter or year). The rollup rows of
//! the scope are read as they are and pooled into groups and periods here (sums, so exact).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::stats::series::{Period, PeriodTotals, SeriesGroup};

use super::scope::{in_filter, in_scope, Scope, StatsFilter};
use crate::schema::{cities, site_month_rollups as r, sites};

/// One group and period.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    /// Site or city id (none for countries).
    pub group_id: Option<i64>,
    /// Site name, city name or country code.
    pub group_name: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// The period's sums.
    pub totals: PeriodTotals,
}

/// The series for a grouping and period within a scope (a city, a country or the network),
/// ordered by group name, group id and period.
pub fn series(
    conn: &mut PgConnection,
    group_by: SeriesGroup,
    period: Period,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<SeriesRow>> {
    let query =
        r::table.select((r::city_id, r::site_id, r::month, r::surveys, r::total_items, r::length_m)).into_boxed();
    let query = in_scope!(query, r, scope);
    // the rollups are by month: a period from mid-month starts with that month
    let whole_months = StatsFilter { from: filter.from.map(|d| Period::Month.start(d)), ..filter.clone() };
    let query = in_filter!(query, r, r::month, &whole_months);
    let months: Vec<(i64, i64, NaiveDate, i32, i64, f64)> = query.load(conn)?;

    let city_ids: Vec<i64> = months.iter().map(|m| m.0).collect();
    let site_ids: Vec<i64> = months.iter().map(|m| m.1).collect();
    let city_names: HashMap<i64, (String, String)> = cities::table
        .filter(cities::id.eq_any(city_ids))
        .select((cities::id, cities::name, cities::country_code))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, country)| (id, (name, country)))
        .collect();
    let site_names: HashMap<i64, String> = match group_by {
        SeriesGroup::Site => sites::table
            .filter(sites::id.eq_any(site_ids))
            .select((sites::id, sites::name))
            .load(conn)?
            .into_iter()
            .collect(),
        _ => HashMap::new(),
    };

    let mut points: BTreeMap<(String, Option<i64>, NaiveDate), PeriodTotals> = BTreeMap::new();
    for (city_id, site_id, month, surveys, total_items, length_m) in months {
        let Some((city, country)) = city_names.get(&city_id) else { continue };
        let (name, id) = match group_by {
            SeriesGroup::Site => (site_names.get(&site_id).cloned().unwrap_or_default(), Some(site_id)),
            SeriesGroup::City => (city.clone(), Some(city_id)),
            SeriesGroup::Country => (country.clone(), None),
        };
        let month_totals = PeriodTotals { surveys: i64::from(surveys), total_items, length_m };
        points.entry((name, id, period.start(month))).or_default().add(month_totals);
    }
    Ok(points
        .into_iter()
        .filter(|(_, totals)| totals.surveys > 0)
        .map(|((group_name, group_id, period_start), totals)| SeriesRow { group_id, group_name, period_start, totals })
        .collect())
}
