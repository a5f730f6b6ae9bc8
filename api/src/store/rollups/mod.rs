//! Rollups kept current on write: accepted surveys summed per site and month (totals), per
//! site, month and category (composition, `categories.rs`), and listed per site and month
//! (`summaries`). A survey enters them when it is accepted and leaves them when an accepted
//! survey is rejected or corrected. One implementation each, for single records and whole
//! batches alike: the totals in SQL from the stored totals; the categories grouped in memory,
//! from a new batch's items as posted or from the stored item rows.

pub mod categories;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer};

use super::summaries;
use categories::CategoryCounts;

/// Adds (`sign` = 1) or removes (`sign` = −1) one survey's contribution.
pub fn apply_survey(conn: &mut PgConnection, city_id: i64, survey_id: i64, sign: i32) -> QueryResult<()> {
    apply_surveys(conn, &[(city_id, survey_id)], sign)
}

/// Adds (`sign` = 1) or removes (`sign` = −1) the contributions of the surveys `(city_id, id)`
/// (placed ones only: a survey without a site is in no rollup).
pub fn apply_surveys(conn: &mut PgConnection, surveys: &[(i64, i64)], sign: i32) -> QueryResult<()> {
    if surveys.is_empty() {
        return Ok(());
    }
    let items = categories::stored_items(conn, surveys)?;
    apply_with_categories(conn, surveys, &categories::of_stored(&items), sign)
}

/// [`apply_surveys`] with the surveys' category counts already grouped (a new batch's, from
/// its items as posted).
pub fn apply_with_categories(
    conn: &mut PgConnection,
    surveys: &[(i64, i64)],
    counts: &CategoryCounts<'_>,
    sign: i32,
) -> QueryResult<()> {
    if surveys.is_empty() {
        return Ok(());
    }
    let cities: Vec<i64> = surveys.iter().map(|s| s.0).collect();
    let ids: Vec<i64> = surveys.iter().map(|s| s.1).collect();
    // raw SQL: an upsert from a grouped join over the batch's keys (unnest)
    diesel::sql_query(
        "INSERT INTO site_month_rollups (city_id, site_id, month, survey_kind, protocol, surveys, total_items, \
         plastic_items, sup_items, fishing_items, length_m) \
         SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date, t.survey_kind, t.protocol, \
         ($3 * count(*))::int, $3 * sum(t.total_items)::bigint, $3 * sum(t.plastic_items)::bigint, \
         $3 * sum(t.sup_items)::bigint, $3 * sum(t.fishing_items)::bigint, $3 * sum(coalesce(t.length_m, 0)) \
         FROM survey_totals t JOIN unnest($1::bigint[], $2::bigint[]) AS k(city_id, survey_id) \
         ON k.city_id = t.city_id AND k.survey_id = t.survey_id WHERE t.site_id IS NOT NULL \
         GROUP BY 1, 2, 3, 4, 5 \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol) DO UPDATE SET \
         surveys = site_month_rollups.surveys + EXCLUDED.surveys, \
         total_items = site_month_rollups.total_items + EXCLUDED.total_items, \
         plastic_items = site_month_rollups.plastic_items + EXCLUDED.plastic_items, \
         sup_items = site_month_rollups.sup_items + EXCLUDED.sup_items, \
         fishing_items = site_month_rollups.fishing_items + EXCLUDED.fishing_items, \
         length_m = site_month_rollups.length_m + EXCLUDED.length_m",
    )
    .bind::<Array<BigInt>, _>(&cities)
    .bind::<Array<BigInt>, _>(&ids)
    .bind::<Integer, _>(sign)
    .execute(conn)?;
    categories::apply(conn, counts, i64::from(sign))?;
    if sign > 0 {
        summaries::append(conn, surveys)
    } else {
        summaries::remove(conn, surveys)
    }
}
