//! What the statistics read: accepted per-survey totals, accepted samples and their particles,
//! for a site, city, country or the whole network (category counts: `composition`).

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::microplastics::Matrix;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::scope::{PointKeys, SamplePoint, SurveyPoint};
use tideline_core::survey::{Effort, SurveyKind};

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
    Ok(rows.into_iter().map(SurveyRow::point).collect())
}

/// The placed surveys `(city_id, id)` as stored now, whatever their review status: what the
/// rollups add or take away when a survey is reviewed or corrected.
pub fn placed_points_of(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<Vec<summaries::KeyedPoint>> {
    use survey_totals as t;
    let cities: Vec<i64> = surveys.iter().map(|s| s.0).collect();
    let ids: Vec<i64> = surveys.iter().map(|s| s.1).collect();
    let rows: Vec<SurveyRow> = t::table
        .filter(t::city_id.eq_any(cities))
        .filter(t::survey_id.eq_any(ids))
        .filter(t::site_id.is_not_null())
        .select(SurveyRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(SurveyRow::point).collect())
}

impl SurveyRow {
    /// The survey's statistics point, keyed by `(city_id, survey_id)`.
    fn point(self) -> summaries::KeyedPoint {
        let keys = PointKeys {
            site_id: self.site_id,
            date: self.survey_date,
            protocol: self.protocol,
            kind: self.survey_kind,
        };
        let effort = Effort {
            participants: self.participants.map(|v| v.max(0) as u32),
            mass_kg: self.mass_kg,
            bags: self.bags.map(|v| v.max(0) as u32),
            duration_min: None,
        };
        ((self.city_id, self.survey_id), SurveyPoint::of(keys, self.length_m, &effort, &self.figures.summary()))
    }
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
