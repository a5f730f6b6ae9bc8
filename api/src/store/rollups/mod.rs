//! Rollups kept current on write: accepted surveys summed per site and month (totals), per
//! site, month and category (composition, `categories.rs`), and listed per site and month
//! (`summaries`). A survey enters them when it is accepted and leaves them when an accepted
//! survey is rejected or corrected. One implementation each, for single records and whole
//! batches alike: the surveys' statistics points (a new batch's as written, a stored survey's
//! from its totals) and their category counts are grouped in memory, then each rollup is
//! upserted from the groups in key order.

pub mod categories;

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Text};
use tideline_core::stats::scope::SurveyPoint;

use super::{stats, summaries};
use categories::{CategoryCounts, RollupGroup};

/// Surveys' statistics points by rollup group, each with its survey id, in id order.
pub type PointGroups = BTreeMap<RollupGroup, Vec<(i64, SurveyPoint)>>;

/// Adds one survey's point to its group.
pub fn add_point(groups: &mut PointGroups, group: RollupGroup, survey_id: i64, point: SurveyPoint) {
    groups.entry(group).or_default().push((survey_id, point));
}

/// Adds (`sign` = 1) or removes (`sign` = −1) one survey's contribution.
pub fn apply_survey(conn: &mut PgConnection, city_id: i64, survey_id: i64, sign: i32) -> QueryResult<()> {
    apply_surveys(conn, &[(city_id, survey_id)], sign)
}

/// Adds (`sign` = 1) or removes (`sign` = −1) the contributions of the stored surveys
/// `(city_id, id)` as they are stored now (placed ones only: a survey without a site is in no
/// rollup).
pub fn apply_surveys(conn: &mut PgConnection, surveys: &[(i64, i64)], sign: i32) -> QueryResult<()> {
    if surveys.is_empty() {
        return Ok(());
    }
    let mut points = stats::placed_points_of(conn, surveys)?;
    points.sort_unstable_by_key(|(key, _)| *key);
    let mut groups = PointGroups::new();
    for ((city_id, survey_id), point) in points {
        let (Some(site_id), Some(protocol)) = (point.site_id, point.protocol) else { continue };
        add_point(&mut groups, RollupGroup::of(city_id, site_id, point.date, point.kind, protocol), survey_id, point);
    }
    let items = categories::stored_items(conn, surveys)?;
    apply_groups(conn, &groups, &categories::of_stored(&items), sign)
}

/// Adds (`sign` = 1) or removes (`sign` = −1) surveys already grouped, with their category
/// counts: the one implementation behind a new batch and a stored survey alike.
pub fn apply_groups(
    conn: &mut PgConnection,
    groups: &PointGroups,
    counts: &CategoryCounts<'_>,
    sign: i32,
) -> QueryResult<()> {
    if groups.is_empty() {
        return Ok(());
    }
    apply_totals(conn, groups, sign)?;
    categories::apply(conn, counts, i64::from(sign))?;
    if sign > 0 {
        summaries::append(conn, groups)
    } else {
        let surveys: Vec<(i64, i64)> =
            groups.iter().flat_map(|(g, points)| points.iter().map(|(id, _)| (g.city_id, *id))).collect();
        summaries::remove(conn, &surveys)
    }
}

/// Adds the groups' sums to `site_month_rollups`, in key order.
fn apply_totals(conn: &mut PgConnection, groups: &PointGroups, sign: i32) -> QueryResult<()> {
    let keys = || groups.keys();
    let sum = |count: fn(&SurveyPoint) -> u64| -> Vec<i64> {
        groups
            .values()
            .map(|points| i64::from(sign) * points.iter().map(|(_, p)| count(p) as i64).sum::<i64>())
            .collect()
    };
    let lengths: Vec<f64> = groups
        .values()
        .map(|points| f64::from(sign) * points.iter().map(|(_, p)| p.length_m.unwrap_or(0.0)).sum::<f64>())
        .collect();
    // raw SQL: an `unnest` upsert, one prepared statement for any number of groups
    diesel::sql_query(
        "INSERT INTO site_month_rollups (city_id, site_id, month, survey_kind, protocol, surveys, total_items, \
         plastic_items, sup_items, fishing_items, length_m) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::int4[], $7::bigint[], \
         $8::bigint[], $9::bigint[], $10::bigint[], $11::float8[]) \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol) DO UPDATE SET \
         surveys = site_month_rollups.surveys + EXCLUDED.surveys, \
         total_items = site_month_rollups.total_items + EXCLUDED.total_items, \
         plastic_items = site_month_rollups.plastic_items + EXCLUDED.plastic_items, \
         sup_items = site_month_rollups.sup_items + EXCLUDED.sup_items, \
         fishing_items = site_month_rollups.fishing_items + EXCLUDED.fishing_items, \
         length_m = site_month_rollups.length_m + EXCLUDED.length_m",
    )
    .bind::<Array<BigInt>, _>(keys().map(|g| g.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(keys().map(|g| g.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(keys().map(|g| g.month).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(keys().map(|g| g.survey_kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(keys().map(|g| g.protocol).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(groups.values().map(|points| sign * points.len() as i32).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(sum(|p| p.total_items))
    .bind::<Array<BigInt>, _>(sum(|p| p.plastic_items))
    .bind::<Array<BigInt>, _>(sum(|p| p.sup_items))
    .bind::<Array<BigInt>, _>(sum(|p| p.fishing_items))
    .bind::<Array<Double>, _>(lengths)
    .execute(conn)?;
    Ok(())
}
