//! Maintained per-site summaries (`site_month_surveys`): the accepted surveys of each site,
//! month, survey kind and protocol, one array per per-survey value. Written in the same
//! transaction as the rollups (a survey is appended when it becomes accepted and filtered out
//! when it leaves), read by the statistics instead of one row per survey.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::SurveyPoint;
use tideline_core::survey::SurveyKind;

use super::scope::{in_filter, in_scope, Scope, StatsFilter};
use crate::schema::site_month_surveys as s;

/// Each summary array with the `survey_totals` column it holds, in one order.
const COLUMNS: [(&str, &str); 20] = [
    ("survey_ids", "survey_id"),
    ("survey_dates", "survey_date"),
    ("length_m", "length_m"),
    ("total_items", "total_items"),
    ("plastic_items", "plastic_items"),
    ("sup_items", "sup_items"),
    ("fishing_items", "fishing_items"),
    ("items_per_100m", "items_per_100m"),
    ("threshold_items_per_100m", "threshold_items_per_100m"),
    ("eu_eligible", "eu_eligible"),
    ("items_per_m2", "items_per_m2"),
    ("cci", "cci"),
    ("participants", "participants"),
    ("mass_kg", "mass_kg"),
    ("bags", "bags"),
    ("items_per_100m2", "items_per_100m2"),
    ("total_weight_g", "total_weight_g"),
    ("grams_per_100m2", "grams_per_100m2"),
    ("kg_per_100m", "kg_per_100m"),
    ("grams_per_m", "grams_per_m"),
];

fn columns() -> impl Iterator<Item = (&'static str, &'static str)> {
    COLUMNS.into_iter()
}

/// The groups (site, month, kind, protocol) of the surveys `(city_id, id)` as they are stored
/// now, placed surveys only.
const GROUPS: &str = "SELECT DISTINCT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date AS month, \
    t.survey_kind, t.protocol FROM survey_totals t JOIN unnest($1::bigint[], $2::bigint[]) AS k(city_id, survey_id) \
    ON k.city_id = t.city_id AND k.survey_id = t.survey_id WHERE t.site_id IS NOT NULL";

const SAME_GROUP: &str = "s.city_id = g.city_id AND s.site_id = g.site_id AND s.month = g.month \
    AND s.survey_kind = g.survey_kind AND s.protocol = g.protocol";

/// Appends the surveys `(city_id, id)` (accepted, as stored now) to their groups' summaries.
pub fn append(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<()> {
    let names: Vec<&str> = columns().map(|(name, _)| name).collect();
    let aggregates: Vec<String> =
        columns().map(|(_, source)| format!("array_agg(t.{source} ORDER BY t.survey_id)")).collect();
    let merged: Vec<String> = names.iter().map(|n| format!("{n} = site_month_surveys.{n} || EXCLUDED.{n}")).collect();
    // raw SQL: an upsert of array aggregates grouped from the batch's keys (unnest)
    diesel::sql_query(format!(
        "INSERT INTO site_month_surveys (city_id, site_id, month, survey_kind, protocol, {}) \
         SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date, t.survey_kind, t.protocol, {} \
         FROM survey_totals t JOIN unnest($1::bigint[], $2::bigint[]) AS k(city_id, survey_id) \
         ON k.city_id = t.city_id AND k.survey_id = t.survey_id WHERE t.site_id IS NOT NULL \
         GROUP BY 1, 2, 3, 4, 5 \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol) DO UPDATE SET {}",
        names.join(", "),
        aggregates.join(", "),
        merged.join(", "),
    ))
    .bind::<Array<BigInt>, _>(surveys.iter().map(|k| k.0).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(surveys.iter().map(|k| k.1).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// Takes the surveys `(city_id, id)` out of their groups' summaries (their groups as stored
/// now, so call it before a correction moves them); a group left empty is deleted.
pub fn remove(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<()> {
    let kept: Vec<String> =
        columns().map(|(n, _)| format!("{n} = tideline_keep(s.{n}, s.survey_ids, $2::bigint[])")).collect();
    // raw SQL: array filtering by a migration-defined function, groups found by a join on unnest
    diesel::sql_query(format!(
        "WITH g AS ({GROUPS}), \
         emptied AS (DELETE FROM site_month_surveys s USING g WHERE {SAME_GROUP} AND s.survey_ids <@ $2::bigint[]) \
         UPDATE site_month_surveys s SET {} FROM g WHERE {SAME_GROUP} AND s.survey_ids && $2::bigint[] \
         AND NOT s.survey_ids <@ $2::bigint[]",
        kept.join(", "),
    ))
    .bind::<Array<BigInt>, _>(surveys.iter().map(|k| k.0).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(surveys.iter().map(|k| k.1).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// A survey's statistics point with its key `(city_id, survey_id)`.
pub type KeyedPoint = ((i64, i64), SurveyPoint);

/// One summary row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = crate::schema::site_month_surveys, check_for_backend(diesel::pg::Pg))]
struct SummaryRow {
    city_id: i64,
    site_id: i64,
    survey_kind: SurveyKind,
    protocol: Protocol,
    survey_ids: Vec<Option<i64>>,
    survey_dates: Vec<Option<NaiveDate>>,
    length_m: Vec<Option<f64>>,
    total_items: Vec<Option<i64>>,
    plastic_items: Vec<Option<i64>>,
    sup_items: Vec<Option<i64>>,
    fishing_items: Vec<Option<i64>>,
    items_per_100m: Vec<Option<f64>>,
    threshold_items_per_100m: Vec<Option<f64>>,
    eu_eligible: Vec<Option<bool>>,
    items_per_m2: Vec<Option<f64>>,
    cci: Vec<Option<f64>>,
    participants: Vec<Option<i32>>,
    mass_kg: Vec<Option<f64>>,
    bags: Vec<Option<i32>>,
    items_per_100m2: Vec<Option<f64>>,
    total_weight_g: Vec<Option<f64>>,
    grams_per_100m2: Vec<Option<f64>>,
    kg_per_100m: Vec<Option<f64>>,
    grams_per_m: Vec<Option<f64>>,
}

/// A summary row whose arrays disagree in length or hold a NULL where a value is required.
#[derive(Debug, thiserror::Error)]
#[error("summary of site {site_id} is malformed: {what}")]
struct Malformed {
    site_id: i64,
    what: &'static str,
}

impl SummaryRow {
    /// The row's surveys as `((city_id, survey_id), point)`.
    fn points(self) -> Result<Vec<KeyedPoint>, Malformed> {
        let n = self.survey_ids.len();
        let malformed = |what| Malformed { site_id: self.site_id, what };
        let lengths = [
            self.survey_dates.len(),
            self.length_m.len(),
            self.total_items.len(),
            self.plastic_items.len(),
            self.sup_items.len(),
            self.fishing_items.len(),
            self.items_per_100m.len(),
            self.threshold_items_per_100m.len(),
            self.eu_eligible.len(),
            self.items_per_m2.len(),
            self.cci.len(),
            self.participants.len(),
            self.mass_kg.len(),
            self.bags.len(),
            self.items_per_100m2.len(),
            self.total_weight_g.len(),
            self.grams_per_100m2.len(),
            self.kg_per_100m.len(),
            self.grams_per_m.len(),
        ];
        if lengths.iter().any(|&l| l != n) {
            return Err(malformed("arrays of different lengths"));
        }
        let count = |v: Option<i64>| v.map(|c| c.max(0) as u64).ok_or_else(|| malformed("a NULL count"));
        (0..n)
            .map(|i| {
                let id = self.survey_ids[i].ok_or_else(|| malformed("a NULL survey id"))?;
                let point = SurveyPoint {
                    site_id: Some(self.site_id),
                    date: self.survey_dates[i].ok_or_else(|| malformed("a NULL date"))?,
                    protocol: Some(self.protocol),
                    kind: self.survey_kind,
                    total_items: count(self.total_items[i])?,
                    length_m: self.length_m[i],
                    plastic_items: count(self.plastic_items[i])?,
                    sup_items: count(self.sup_items[i])?,
                    fishing_items: count(self.fishing_items[i])?,
                    items_per_100m: self.items_per_100m[i],
                    threshold_items_per_100m: self.threshold_items_per_100m[i],
                    eu_eligible: self.eu_eligible[i].ok_or_else(|| malformed("a NULL eligibility"))?,
                    items_per_m2: self.items_per_m2[i],
                    cci: self.cci[i],
                    participants: self.participants[i].map(|v| v.max(0) as u32),
                    mass_kg: self.mass_kg[i],
                    bags: self.bags[i].map(|v| v.max(0) as u32),
                    items_per_100m2: self.items_per_100m2[i],
                    total_weight_g: self.total_weight_g[i],
                    grams_per_100m2: self.grams_per_100m2[i],
                    kg_per_100m: self.kg_per_100m[i],
                    grams_per_m: self.grams_per_m[i],
                };
                Ok(((self.city_id, id), point))
            })
            .collect()
    }
}

/// The first day of `date`'s month.
fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Accepted surveys with a site in a scope and filter, read from the summaries, keyed by
/// `(city_id, survey_id)` (unordered).
pub fn placed_points(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<KeyedPoint>> {
    // whole months are selected by the table, the days of the first month by the dates
    let months = StatsFilter { from: filter.from.map(month_of), ..filter.clone() };
    let query = s::table.select(SummaryRow::as_select()).into_boxed();
    let query = in_scope!(query, s, scope);
    let query = in_filter!(query, s, s::month, &months);
    let rows: Vec<SummaryRow> = query.load(conn)?;
    let mut points = Vec::new();
    for row in rows {
        let of_row = row.points().map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        points.extend(of_row);
    }
    points.retain(|(_, p)| filter.from.is_none_or(|d| p.date >= d) && filter.to.is_none_or(|d| p.date <= d));
    Ok(points)
}
