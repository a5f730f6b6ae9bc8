//! Rollups kept current on write: accepted surveys summed per site and month (totals) and per
//! site, month and category (composition). A survey enters them when it is accepted and
//! leaves them when an accepted survey is rejected.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};

/// Adds (`sign` = 1) or removes (`sign` = −1) one survey's contribution.
pub fn apply_survey(conn: &mut PgConnection, city_id: i64, survey_id: i64, sign: i32) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO site_month_rollups (city_id, site_id, month, survey_kind, protocol, surveys, total_items, \
         plastic_items, sup_items, fishing_items, length_m) \
         SELECT city_id, site_id, date_trunc('month', survey_date)::date, survey_kind, protocol, $3, $3 * total_items, \
         $3 * plastic_items, $3 * sup_items, $3 * fishing_items, $3 * coalesce(length_m, 0) \
         FROM survey_totals WHERE city_id = $1 AND survey_id = $2 AND site_id IS NOT NULL \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol) DO UPDATE SET \
         surveys = site_month_rollups.surveys + EXCLUDED.surveys, \
         total_items = site_month_rollups.total_items + EXCLUDED.total_items, \
         plastic_items = site_month_rollups.plastic_items + EXCLUDED.plastic_items, \
         sup_items = site_month_rollups.sup_items + EXCLUDED.sup_items, \
         fishing_items = site_month_rollups.fishing_items + EXCLUDED.fishing_items, \
         length_m = site_month_rollups.length_m + EXCLUDED.length_m",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(survey_id)
    .bind::<Integer, _>(sign)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO site_month_category_rollups (city_id, site_id, month, survey_kind, protocol, category_code, count) \
         SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date, t.survey_kind, t.protocol, \
         i.category_code, $3 * sum(i.count) \
         FROM survey_totals t JOIN survey_items i ON i.city_id = t.city_id AND i.survey_id = t.survey_id \
         WHERE t.city_id = $1 AND t.survey_id = $2 AND t.site_id IS NOT NULL AND i.counted \
         GROUP BY t.city_id, t.site_id, t.survey_date, t.survey_kind, t.protocol, i.category_code \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol, category_code) DO UPDATE SET \
         count = site_month_category_rollups.count + EXCLUDED.count",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(survey_id)
    .bind::<Integer, _>(sign)
    .execute(conn)?;
    Ok(())
}
