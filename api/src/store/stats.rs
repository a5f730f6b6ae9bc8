//! What the statistics read: accepted per-survey totals, category rollups, accepted samples
//! and their particles, for a site, city, country or the whole network.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::scope::{SamplePoint, SurveyPoint};
use tideline_core::survey::SurveyKind;

use super::records::accepted;

/// Which records a statistic covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// One site.
    Site(i64),
    /// One city.
    City(i64),
    /// One country (ISO code).
    Country(String),
    /// Everything.
    Network,
}

/// Filters every statistic takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsFilter {
    /// From this date.
    pub from: Option<NaiveDate>,
    /// Up to this date.
    pub to: Option<NaiveDate>,
    /// Monitoring surveys or cleanups.
    pub kind: Option<SurveyKind>,
    /// Source protocol.
    pub protocol: Option<Protocol>,
}

impl Scope {
    /// SQL condition on a table aliased `t` with `city_id` and `site_id`, value bound as `$1`.
    fn condition(&self) -> &'static str {
        match self {
            Self::Site(_) => "t.city_id = (SELECT city_id FROM sites WHERE id = $1) AND t.site_id = $1",
            Self::City(_) => "t.city_id = $1",
            Self::Country(_) => "t.city_id IN (SELECT id FROM cities WHERE country_code = $2)",
            Self::Network => "true",
        }
    }

    fn id(&self) -> Option<i64> {
        match self {
            Self::Site(id) | Self::City(id) => Some(*id),
            _ => None,
        }
    }

    fn country(&self) -> Option<&str> {
        match self {
            Self::Country(code) => Some(code),
            _ => None,
        }
    }
}

/// `sql` with a scope's value and a filter's dates bound as `$1`–`$4`, the parameters
/// [`Scope::condition`], [`FILTERS`] and [`SAMPLE_FILTERS`] read (surveys bind `$5`, `$6` next).
fn scoped<'a>(
    sql: String,
    scope: &'a Scope,
    filter: &StatsFilter,
) -> diesel::query_builder::BoxedSqlQuery<'a, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Nullable<BigInt>, _>(scope.id())
        .bind::<Nullable<Text>, _>(scope.country())
        .bind::<Nullable<Date>, _>(filter.from)
        .bind::<Nullable<Date>, _>(filter.to)
}

const FILTERS: &str = "($3::date IS NULL OR t.survey_date >= $3) AND ($4::date IS NULL OR t.survey_date <= $4) \
     AND ($5::text IS NULL OR t.survey_kind = $5) AND ($6::text IS NULL OR t.protocol = $6)";

/// The columns of `survey_totals` the statistics read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = crate::schema::survey_totals, check_for_backend(diesel::pg::Pg))]
struct SurveyRow {
    site_id: Option<i64>,
    survey_date: NaiveDate,
    survey_kind: SurveyKind,
    protocol: Protocol,
    length_m: Option<f64>,
    total_items: i64,
    plastic_items: i64,
    sup_items: i64,
    fishing_items: i64,
    items_per_100m: Option<f64>,
    threshold_items_per_100m: Option<f64>,
    eu_eligible: bool,
    items_per_m2: Option<f64>,
    cci: Option<f64>,
    participants: Option<i32>,
    mass_kg: Option<f64>,
    bags: Option<i32>,
}

/// Accepted surveys of a scope.
pub fn survey_points(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<SurveyPoint>> {
    use crate::schema::{cities, sites, survey_totals as t};
    let mut query = t::table
        .filter(t::status.eq(ReviewStatus::Accepted))
        .select(SurveyRow::as_select())
        // a fixed order (the statistics do not depend on it, but what is read never varies)
        .order((t::city_id, t::survey_id))
        .into_boxed();
    query = match scope {
        Scope::Site(id) => query
            .filter(t::city_id.eq_any(sites::table.filter(sites::id.eq(*id)).select(sites::city_id)))
            .filter(t::site_id.eq(*id)),
        Scope::City(id) => query.filter(t::city_id.eq(*id)),
        Scope::Country(code) => query
            .filter(t::city_id.eq_any(cities::table.filter(cities::country_code.eq(code.clone())).select(cities::id))),
        Scope::Network => query,
    };
    if let Some(from) = filter.from {
        query = query.filter(t::survey_date.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(t::survey_date.le(to));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(t::survey_kind.eq(kind));
    }
    if let Some(protocol) = filter.protocol {
        query = query.filter(t::protocol.eq(protocol));
    }
    let rows: Vec<SurveyRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| SurveyPoint {
            site_id: r.site_id,
            date: r.survey_date,
            protocol: Some(r.protocol),
            kind: r.survey_kind,
            total_items: r.total_items as u64,
            length_m: r.length_m,
            plastic_items: r.plastic_items as u64,
            sup_items: r.sup_items as u64,
            fishing_items: r.fishing_items as u64,
            items_per_100m: r.items_per_100m,
            threshold_items_per_100m: r.threshold_items_per_100m,
            eu_eligible: r.eu_eligible,
            items_per_m2: r.items_per_m2,
            cci: r.cci,
            participants: r.participants.map(|v| v as u32),
            mass_kg: r.mass_kg,
            bags: r.bags.map(|v| v as u32),
        })
        .collect())
}

#[derive(QueryableByName)]
struct CategoryRow {
    #[diesel(sql_type = Nullable<BigInt>)]
    site_id: Option<i64>,
    #[diesel(sql_type = Text)]
    category_code: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn whole_months(filter: &StatsFilter) -> bool {
    let starts_month = filter.from.is_none_or(|d| d.day() == 1);
    let ends_month = filter.to.is_none_or(|d| (d + chrono::Duration::days(1)).day() == 1);
    starts_month && ends_month
}

/// Counted items per canonical category of accepted surveys in a scope: from the monthly
/// rollups when the period is whole months (or open), else from the items themselves.
pub fn category_counts(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<BTreeMap<String, u64>> {
    let rows = category_rows(conn, scope, filter, false)?;
    Ok(rows.into_iter().map(|r| (r.category_code, r.count as u64)).collect())
}

/// [`category_counts`] of every site of a scope at once (one grouped query), by site id.
pub fn category_counts_by_site(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<BTreeMap<i64, BTreeMap<String, u64>>> {
    let mut by_site: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
    for row in category_rows(conn, scope, filter, true)? {
        if let Some(site) = row.site_id {
            by_site.entry(site).or_default().insert(row.category_code, row.count as u64);
        }
    }
    Ok(by_site)
}

fn category_rows(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
    by_site: bool,
) -> QueryResult<Vec<CategoryRow>> {
    let site = if by_site { "t.site_id" } else { "NULL::bigint" };
    let sql = if whole_months(filter) {
        // rollups hold surveys with a site; unassigned surveys are read from their item rows,
        // so composition covers the same surveys as the totals
        format!(
            "SELECT site_id, category_code, sum(count)::bigint AS count FROM (\
             SELECT {site} AS site_id, t.category_code, t.count FROM site_month_category_rollups t \
             WHERE {scope} AND ($3::date IS NULL OR t.month >= $3) AND ($4::date IS NULL OR t.month <= $4) \
             AND ($5::text IS NULL OR t.survey_kind = $5) AND ($6::text IS NULL OR t.protocol = $6) \
             UNION ALL \
             SELECT {site} AS site_id, i.category_code, i.count FROM survey_totals t \
             JOIN survey_items i ON i.city_id = t.city_id AND i.survey_id = t.survey_id \
             WHERE {accepted} AND i.counted AND t.site_id IS NULL AND {scope} AND {FILTERS}\
             ) c GROUP BY 1, 2 HAVING sum(count) > 0",
            scope = scope.condition(),
            accepted = accepted("t"),
        )
    } else {
        format!(
            "SELECT {site} AS site_id, i.category_code, sum(i.count)::bigint AS count FROM survey_totals t \
             JOIN survey_items i ON i.city_id = t.city_id AND i.survey_id = t.survey_id \
             WHERE {} AND i.counted AND {} AND {FILTERS} GROUP BY 1, 2",
            accepted("t"),
            scope.condition()
        )
    };
    scoped(sql, scope, filter)
        .bind::<Nullable<Text>, _>(filter.kind)
        .bind::<Nullable<Text>, _>(filter.protocol)
        .load(conn)
}

#[derive(QueryableByName)]
struct SampleRow {
    #[diesel(sql_type = Nullable<BigInt>)]
    site_id: Option<i64>,
    #[diesel(sql_type = Text)]
    matrix: String,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_m3: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_km2: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_kg: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_m2: Option<f64>,
}

const SAMPLE_FILTERS: &str = "($3::date IS NULL OR t.sample_date >= $3) AND ($4::date IS NULL OR t.sample_date <= $4)";

/// Accepted samples of a scope.
pub fn sample_points(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<SamplePoint>> {
    let rows: Vec<SampleRow> = scoped(
        format!(
            "SELECT t.site_id, t.matrix, t.particles_per_m3, t.particles_per_km2, t.particles_per_kg, t.particles_per_m2 \
         FROM samples t WHERE {} AND {} AND {SAMPLE_FILTERS}",
            accepted("t"),
            scope.condition()
        ),
        scope,
        filter,
    )
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| SamplePoint {
            site_id: r.site_id,
            matrix: r.matrix,
            per_m3: r.particles_per_m3,
            per_km2: r.particles_per_km2,
            per_kg: r.particles_per_kg,
            per_m2: r.particles_per_m2,
        })
        .collect())
}

#[derive(QueryableByName)]
struct ParticleRow {
    #[diesel(sql_type = Text)]
    shape: String,
    #[diesel(sql_type = Text)]
    polymer: String,
    #[diesel(sql_type = Text)]
    size_class: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Particle counts of accepted samples by shape, polymer and size class.
pub fn particle_counts(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> QueryResult<Vec<(String, String, String, u64)>> {
    let rows: Vec<ParticleRow> = scoped(
        format!(
            "SELECT p.shape, p.polymer, p.size_class, sum(p.count)::bigint AS count FROM samples t \
         JOIN sample_particles p ON p.city_id = t.city_id AND p.sample_id = t.id \
         WHERE {} AND {} AND {SAMPLE_FILTERS} GROUP BY 1, 2, 3",
            accepted("t"),
            scope.condition()
        ),
        scope,
        filter,
    )
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.shape, r.polymer, r.size_class, r.count as u64)).collect())
}
