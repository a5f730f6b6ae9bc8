//! Time series for charts, from the monthly site rollups: surveys, items and surveyed length
//! per group (site, city or country) and period (month, quarter or year).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text};

use super::stats::StatsFilter;

/// One group and period.
#[derive(Debug, Clone, QueryableByName)]
pub struct SeriesRow {
    /// Site or city id (none for countries).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub group_id: Option<i64>,
    /// Site name, city name or country code.
    #[diesel(sql_type = Text)]
    pub group_name: String,
    /// First day of the period.
    #[diesel(sql_type = Date)]
    pub period_start: NaiveDate,
    /// Accepted surveys.
    #[diesel(sql_type = BigInt)]
    pub surveys: i64,
    /// Items counted.
    #[diesel(sql_type = BigInt)]
    pub total_items: i64,
    /// Surveyed length, m.
    #[diesel(sql_type = Double)]
    pub length_m: f64,
}

/// Grouping of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Per site.
    Site,
    /// Per city.
    City,
    /// Per country.
    Country,
}

/// The series for a grouping and period (`month`, `quarter` or `year`), optionally within a
/// city or country.
pub fn series(
    conn: &mut PgConnection,
    group_by: GroupBy,
    period: &str,
    city_id: Option<i64>,
    country: Option<&str>,
    filter: &StatsFilter,
) -> QueryResult<Vec<SeriesRow>> {
    let (id, name) = match group_by {
        GroupBy::Site => ("r.site_id", "s.name"),
        GroupBy::City => ("r.city_id", "c.name"),
        GroupBy::Country => ("NULL::bigint", "c.country_code"),
    };
    diesel::sql_query(format!(
        "SELECT {id} AS group_id, {name} AS group_name, date_trunc($1, r.month)::date AS period_start, \
         sum(r.surveys)::bigint AS surveys, sum(r.total_items)::bigint AS total_items, sum(r.length_m) AS length_m \
         FROM site_month_rollups r JOIN sites s ON s.id = r.site_id JOIN cities c ON c.id = r.city_id \
         WHERE ($2::bigint IS NULL OR r.city_id = $2) AND ($3::text IS NULL OR c.country_code = $3) \
         AND ($4::date IS NULL OR r.month >= date_trunc('month', $4)::date) AND ($5::date IS NULL OR r.month <= $5) \
         AND ($6::text IS NULL OR r.survey_kind = $6) AND ($7::text IS NULL OR r.protocol = $7) \
         GROUP BY 1, 2, 3 HAVING sum(r.surveys) > 0 ORDER BY 2, 1, 3"
    ))
    .bind::<Text, _>(period)
    .bind::<Nullable<BigInt>, _>(city_id)
    .bind::<Nullable<Text>, _>(country)
    .bind::<Nullable<Date>, _>(filter.from)
    .bind::<Nullable<Date>, _>(filter.to)
    .bind::<Nullable<Text>, _>(filter.kind)
    .bind::<Nullable<Text>, _>(filter.protocol)
    .load(conn)
}
