//! What the statistics read: accepted per-survey totals, accepted samples and their particles,
//! for a site, city, country or the whole network (category counts: `composition`).

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::microplastics::Matrix;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::scope::{SamplePoint, SurveyPoint};
use tideline_core::survey::SurveyKind;

use super::scope::{in_dates, in_filter, in_scope};
use super::summaries;
use super::surveys::derived::SummaryColumns;
use crate::schema::{sample_particles, samples, survey_totals};

pub use super::composition::{category_counts, category_counts_recomputed, unassigned_category_counts};
pub use super::scope::{Scope, StatsFilter};

/// The columns of `survey_totals` the statistics read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = crate::schema::survey_totals, check_for_backend(diesel::pg::Pg))]
struct SurveyRow {
    city_id: i64,
    survey_id: i64,
    site_id: Option<i64>,
    survey_date: NaiveDate,
    survey_kind: SurveyKind,
    protocol: Protocol,
    length_m: Option<f64>,
    participants: Option<i32>,
    mass_kg: Option<f64>,
    bags: Option<i32>,
    #[diesel(embed)]
    figures: SummaryColumns,
}

/// Accepted surveys of a scope, in a fixed order (by city and survey id; the statistics do not
/// depend on it, but what is read never varies): those with a site from the maintained
/// per-site summaries, those without from their totals.
pub fn survey_points(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<SurveyPoint>> {
    let mut points = summaries::placed_points(conn, scope, filter)?;
    if !matches!(scope, Scope::Site(_)) {
        points.extend(points_from_totals(conn, scope, filter, true)?);
    }
    Ok(in_key_order(points))
}

/// Accepted surveys without a site in a scope (none in a site), in a fixed order.
pub fn unassigned_points(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<SurveyPoint>> {
    if matches!(scope, Scope::Site(_)) {
        return Ok(Vec::new());
    }
    Ok(in_key_order(points_from_totals(conn, scope, filter, true)?))
}

/// The points ordered by their keys (the keys are sorted, not the points, which are large).
fn in_key_order(points: Vec<summaries::KeyedPoint>) -> Vec<SurveyPoint> {
    let mut order: Vec<((i64, i64), usize)> = points.iter().enumerate().map(|(i, (key, _))| (*key, i)).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<SurveyPoint>> = points.into_iter().map(|(_, point)| Some(point)).collect();
    order.into_iter().filter_map(|(_, i)| slots[i].take()).collect()
}

/// [`survey_points`] recomputed from scratch, one row per survey: what the maintained
/// summaries are tested against.
pub fn survey_points_recomputed(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<SurveyPoint>> {
    Ok(in_key_order(points_from_totals(conn, scope, filter, false)?))
}

/// Accepted surveys of a scope from `survey_totals` (only those without a site when
/// `unassigned_only`), keyed by `(city_id, survey_id)`, unordered (sorting is cheaper here
/// than in the database, where it spills to disk).
fn points_from_totals(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
    unassigned_only: bool,
) -> QueryResult<Vec<summaries::KeyedPoint>> {
    use survey_totals as t;
    let query = t::table.filter(t::status.eq(ReviewStatus::Accepted)).select(SurveyRow::as_select()).into_boxed();
    let query = in_scope!(query, t, scope);
    let mut query = in_filter!(query, t, t::survey_date, filter);
    if unassigned_only {
        query = query.filter(t::site_id.is_null());
    }
    let rows: Vec<SurveyRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let summary = r.figures.summary();
            let point = SurveyPoint {
                site_id: r.site_id,
                date: r.survey_date,
                protocol: Some(r.protocol),
                kind: r.survey_kind,
                total_items: summary.total_items,
                length_m: r.length_m,
                plastic_items: summary.plastic_items,
                sup_items: summary.sup_items,
                fishing_items: summary.fishing_items,
                items_per_100m: summary.items_per_100m,
                threshold_items_per_100m: summary.threshold_items_per_100m,
                eu_eligible: summary.eu_threshold_eligible,
                items_per_m2: summary.items_per_m2,
                cci: summary.cci,
                participants: r.participants.map(|v| v as u32),
                mass_kg: r.mass_kg,
                bags: r.bags.map(|v| v as u32),
                items_per_100m2: summary.items_per_100m2,
                total_weight_g: summary.total_weight_g,
                grams_per_100m2: summary.grams_per_100m2,
                kg_per_100m: summary.kg_per_100m,
                grams_per_m: summary.grams_per_m,
            };
            ((r.city_id, r.survey_id), point)
        })
        .collect())
}

/// Accepted samples of a scope.
pub fn sample_points(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<SamplePoint>> {
    use samples as t;
    let query = t::table.filter(t::status.eq(ReviewStatus::Accepted)).into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_dates!(query, t::sample_date, filter);
    type Row = (Option<i64>, Matrix, Option<f64>, Option<f64>, Option<f64>, Option<f64>);
    let rows: Vec<Row> = query
        .order((t::city_id, t::id))
        .select((
            t::site_id,
            t::matrix,
            t::particles_per_m3,
            t::particles_per_km2,
            t::particles_per_kg,
            t::particles_per_m2,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(site_id, matrix, per_m3, per_km2, per_kg, per_m2)| SamplePoint {
            site_id,
            matrix: matrix.as_str().to_string(),
            per_m3,
            per_km2,
            per_kg,
            per_m2,
        })
        .collect())
}

/// Particle counts of accepted samples by shape, polymer and size class.
pub fn particle_counts(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<(String, String, String, u64)>> {
    use sample_particles as p;
    use samples as t;
    let query = t::table
        .inner_join(p::table.on(p::city_id.eq(t::city_id).and(p::sample_id.eq(t::id))))
        .filter(t::status.eq(ReviewStatus::Accepted))
        .group_by((p::shape, p::polymer, p::size_class))
        .select((p::shape, p::polymer, p::size_class, diesel::dsl::sum(p::count)))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_dates!(query, t::sample_date, filter);
    let rows: Vec<(String, String, String, Option<i64>)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(shape, polymer, size, n)| (shape, polymer, size, n.unwrap_or(0) as u64)).collect())
}
