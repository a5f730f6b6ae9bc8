//! What composition reads: counted items per canonical category of a scope's accepted
//! surveys. Whole months come from the monthly rollups; the partial months at either end of a
//! period (`to=2026-03-17`) and surveys without a site come from the item rows, so a period
//! that cuts a month reads that month's items only, never the whole scope's.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::month_of;

use super::scope::{in_filter, in_scope, Scope, StatsFilter};
use crate::schema::{site_month_category_rollups as rollups, survey_items, survey_totals};

/// Counted items per canonical category of accepted surveys in a scope.
pub fn category_counts(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<BTreeMap<String, u64>> {
    Ok(by_category(category_rows(conn, scope, filter)?))
}

/// [`category_counts`] of the surveys without a site in a scope (none in a site), from their
/// item rows (rollups hold placed surveys only).
pub fn unassigned_category_counts(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<BTreeMap<String, u64>> {
    if matches!(scope, Scope::Site(_)) {
        return Ok(BTreeMap::new());
    }
    Ok(by_category(item_rows(conn, scope, filter, true)?))
}

/// [`category_counts`] from the item rows alone (no rollups): the oracle the tests compare with.
pub fn category_counts_recomputed(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<BTreeMap<String, u64>> {
    Ok(by_category(item_rows(conn, scope, filter, false)?))
}

/// A period split into its whole months and the partial months at either end: together
/// exactly the period's days, each day in one part.
#[derive(Debug, PartialEq)]
struct MonthSplit {
    /// The whole months (open bounds stay open), if the period holds any.
    whole: Option<StatsFilter>,
    /// The partial months, each within one month.
    partial: Vec<StatsFilter>,
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    let first = month_of(day);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map_or(day, |n| n - Duration::days(1))
}

/// Splits `filter`'s period into whole and partial months.
fn split_months(filter: &StatsFilter) -> MonthSplit {
    let part = |from, to| StatsFilter { from: Some(from), to: Some(to), ..filter.clone() };
    let (mut from, mut to) = (filter.from, filter.to);
    let mut partial = Vec::new();
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return MonthSplit { whole: None, partial };
        }
    }
    if let Some(f) = from.filter(|f| f.day() != 1) {
        let end = to.map_or(last_of_month(f), |t| t.min(last_of_month(f)));
        partial.push(part(f, end));
        from = Some(end + Duration::days(1));
    }
    if let Some(t) = to.filter(|t| *t != last_of_month(*t)) {
        let start = month_of(t);
        let start = from.map_or(start, |f| f.max(start));
        if start <= t {
            partial.push(part(start, t));
        }
        to = Some(start - Duration::days(1));
    }
    let empty = matches!((from, to), (Some(f), Some(t)) if f > t);
    let whole = (!empty).then(|| StatsFilter { from, to, ..filter.clone() });
    MonthSplit { whole, partial }
}

/// Counted items by site and category: rollups for the whole months (with the item rows of
/// surveys without a site, which rollups do not hold), item rows for the partial months.
fn category_rows(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<(Option<i64>, String, i64)>> {
    let split = split_months(filter);
    let mut rows = Vec::new();
    if let Some(whole) = &split.whole {
        let query = rollups::table.into_boxed();
        let query = in_scope!(query, rollups, scope);
        let query = in_filter!(query, rollups, rollups::month, whole);
        let rolled: Vec<(i64, String, i64)> =
            query.select((rollups::site_id, rollups::category_code, rollups::count)).load(conn)?;
        rows.extend(rolled.into_iter().map(|(site, code, n)| (Some(site), code, n)));
        if !matches!(scope, Scope::Site(_)) {
            rows.extend(item_rows(conn, scope, whole, true)?);
        }
    }
    for part in &split.partial {
        rows.extend(item_rows(conn, scope, part, false)?);
    }
    Ok(rows)
}

/// Sums rows by category, leaving out categories that sum to nothing.
fn by_category(rows: Vec<(Option<i64>, String, i64)>) -> BTreeMap<String, u64> {
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for (_, code, count) in rows {
        *sums.entry(code).or_default() += count;
    }
    sums.into_iter().filter(|(_, n)| *n > 0).map(|(code, n)| (code, n as u64)).collect()
}

// composition groups a survey's site with its items' categories
diesel::allow_columns_to_appear_in_same_group_by_clause!(survey_totals::site_id, survey_items::category_code);

/// Counted items of accepted surveys per site and category, from the item rows (only of
/// unassigned surveys when `unassigned_only`).
fn item_rows(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
    unassigned_only: bool,
) -> QueryResult<Vec<(Option<i64>, String, i64)>> {
    use survey_items as i;
    use survey_totals as t;
    let query = t::table
        .inner_join(i::table.on(i::city_id.eq(t::city_id).and(i::survey_id.eq(t::survey_id))))
        .filter(t::status.eq(ReviewStatus::Accepted))
        .filter(i::counted)
        .group_by((t::site_id, i::category_code))
        .select((t::site_id, i::category_code, diesel::dsl::sum(i::count)))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let mut query = in_filter!(query, t, t::survey_date, filter);
    if unassigned_only {
        query = query.filter(t::site_id.is_null());
    }
    let rows: Vec<(Option<i64>, String, Option<i64>)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(site, code, n)| (site, code, n.unwrap_or(0))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn period(from: Option<&str>, to: Option<&str>) -> StatsFilter {
        StatsFilter { from: from.map(day), to: to.map(day), ..StatsFilter::default() }
    }

    /// Every day from 2025-11-20 to 2026-04-10 in exactly one part, whole parts on month
    /// bounds, partial parts within one month, for every pair of bounds in that span.
    #[test]
    fn the_parts_cover_every_day_of_the_period_once() {
        let days: Vec<NaiveDate> = day("2025-11-20").iter_days().take_while(|d| *d <= day("2026-04-10")).collect();
        let bounds: Vec<Option<NaiveDate>> =
            std::iter::once(None).chain(days.iter().step_by(3).copied().map(Some)).collect();
        let inside = |f: &StatsFilter, d: NaiveDate| f.from.is_none_or(|a| a <= d) && f.to.is_none_or(|b| d <= b);
        for from in &bounds {
            for to in &bounds {
                let filter = StatsFilter { from: *from, to: *to, ..StatsFilter::default() };
                let split = split_months(&filter);
                if let Some(whole) = &split.whole {
                    assert!(whole.from.is_none_or(|d| d.day() == 1), "{filter:?}");
                    assert!(whole.to.is_none_or(|d| d == last_of_month(d)), "{filter:?}");
                }
                for part in &split.partial {
                    let (a, b) = (part.from.unwrap(), part.to.unwrap());
                    assert!(a <= b && (a.year(), a.month()) == (b.year(), b.month()), "{filter:?}: {part:?}");
                }
                for d in &days {
                    let parts = split.whole.iter().chain(&split.partial).filter(|p| inside(p, *d)).count();
                    assert_eq!(parts, usize::from(inside(&filter, *d)), "{d} in {filter:?}: {split:?}");
                }
            }
        }
    }

    #[test]
    fn whole_months_need_no_item_rows() {
        let split = split_months(&period(Some("2026-01-01"), Some("2026-03-31")));
        assert_eq!((split.whole, split.partial), (Some(period(Some("2026-01-01"), Some("2026-03-31"))), vec![]));
        let open = split_months(&period(None, Some("2026-03-17")));
        assert_eq!(open.whole, Some(period(None, Some("2026-02-28"))));
        assert_eq!(open.partial, vec![period(Some("2026-03-01"), Some("2026-03-17"))]);
        let within = split_months(&period(Some("2026-03-05"), Some("2026-03-17")));
        assert_eq!((within.whole, within.partial), (None, vec![period(Some("2026-03-05"), Some("2026-03-17"))]));
    }
}
