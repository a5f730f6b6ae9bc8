//! The per-category rollup (`site_month_category_rollups`): counted items summed by site, month,
//! survey kind, protocol and category. One implementation: the counts are grouped here, in
//! memory, from a new batch's items as posted or from the item rows of stored surveys, and
//! upserted in key order (so concurrent writers take their row locks in the same order).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Text};
use tideline_core::protocol::Protocol;
use tideline_core::survey::{month_of, SurveyKind};

use crate::schema::{survey_items, survey_totals};

/// The rollup group of one survey: where, which month, which kind and protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RollupGroup {
    /// City (the partition key).
    pub city_id: i64,
    /// Site.
    pub site_id: i64,
    /// First day of the survey's month.
    pub month: NaiveDate,
    /// Monitoring or cleanup.
    pub survey_kind: SurveyKind,
    /// Protocol.
    pub protocol: Protocol,
}

impl RollupGroup {
    /// The group of a survey on `date`.
    pub fn of(city_id: i64, site_id: i64, date: NaiveDate, survey_kind: SurveyKind, protocol: Protocol) -> Self {
        RollupGroup { city_id, site_id, month: month_of(date), survey_kind, protocol }
    }
}

/// Counted items summed by group and category.
pub type CategoryCounts<'a> = BTreeMap<(RollupGroup, &'a str), i64>;

/// Adds one survey's counted items (category, count) to `counts`.
pub fn add<'a>(counts: &mut CategoryCounts<'a>, group: RollupGroup, items: impl IntoIterator<Item = (&'a str, i64)>) {
    for (category, count) in items {
        *counts.entry((group, category)).or_default() += count;
    }
}

/// Adds (`sign` = 1) or removes (`sign` = −1) `counts` from the kept rollup.
pub fn apply(conn: &mut PgConnection, counts: &CategoryCounts<'_>, sign: i64) -> QueryResult<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let groups = || counts.keys().map(|(g, _)| g);
    // raw SQL: an `unnest` upsert, one prepared statement for any number of rows (a VALUES list
    // of a batch's 2 000 groups is parsed and planned anew each time)
    diesel::sql_query(
        "INSERT INTO site_month_category_rollups (city_id, site_id, month, survey_kind, protocol, category_code, count) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::text[], $7::bigint[]) \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol, category_code) DO UPDATE SET \
         count = site_month_category_rollups.count + EXCLUDED.count",
    )
    .bind::<Array<BigInt>, _>(groups().map(|g| g.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(groups().map(|g| g.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(groups().map(|g| g.month).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(groups().map(|g| g.survey_kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(groups().map(|g| g.protocol).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(counts.keys().map(|(_, category)| *category).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(counts.values().map(|count| sign * count).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// One stored counted item of a placed survey, with its survey's group.
type StoredItem = (i64, Option<i64>, NaiveDate, SurveyKind, Protocol, String, i32);

/// The counted items of the stored surveys `(city_id, id)` that have a site.
pub fn stored_items(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<Vec<StoredItem>> {
    use survey_items as i;
    use survey_totals as t;
    let cities: Vec<i64> = surveys.iter().map(|s| s.0).collect();
    let ids: Vec<i64> = surveys.iter().map(|s| s.1).collect();
    t::table
        .inner_join(i::table.on(i::city_id.eq(t::city_id).and(i::survey_id.eq(t::survey_id))))
        .filter(t::city_id.eq_any(cities))
        .filter(t::survey_id.eq_any(ids))
        .filter(t::site_id.is_not_null())
        .filter(i::counted)
        .select((t::city_id, t::site_id, t::survey_date, t::survey_kind, t::protocol, i::category_code, i::count))
        .load(conn)
}

/// `stored_items` grouped.
pub fn of_stored(items: &[StoredItem]) -> CategoryCounts<'_> {
    let mut counts = CategoryCounts::new();
    for (city_id, site_id, date, kind, protocol, category, count) in items {
        let Some(site_id) = site_id else { continue };
        let group = RollupGroup::of(*city_id, *site_id, *date, *kind, *protocol);
        add(&mut counts, group, [(category.as_str(), i64::from(*count))]);
    }
    counts
}
