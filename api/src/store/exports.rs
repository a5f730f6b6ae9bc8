//! Row sources of the CSV reports and exports: accepted survey and sample rows of a scope,
//! selected in the diesel DSL (one scope filter, bound parameters) and read through a
//! server-side cursor in fixed-size chunks, so memory stays flat however many rows.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Date, Double, Integer, Jsonb, Nullable, Text};
use tideline_core::microplastics::{Matrix, Method};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::SurveyKind;

use super::scope::{in_dates, in_filter, in_scope, Scope, StatsFilter};
use crate::schema::{cities, samples, sites, survey_items, survey_totals};

/// Rows per fetch.
pub const CHUNK: usize = 2_000;

/// Where an exported record was taken.
#[derive(Debug, Clone, QueryableByName)]
pub struct ExportPlace {
    /// Site id.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub site_id: Option<i64>,
    /// Site code.
    #[diesel(sql_type = Nullable<Text>, column_name = code)]
    pub site_code: Option<String>,
    /// City name.
    #[diesel(sql_type = Text, column_name = name)]
    pub city: String,
    /// Country code.
    #[diesel(sql_type = Text)]
    pub country_code: String,
}

/// The normalised figures of an exported survey.
#[derive(Debug, Clone, QueryableByName)]
pub struct SurveyFigures {
    /// Protocol.
    #[diesel(sql_type = Text)]
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    #[diesel(sql_type = Text)]
    pub survey_kind: SurveyKind,
    /// Length used, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub length_m: Option<f64>,
    /// Total items.
    #[diesel(sql_type = BigInt)]
    pub total_items: i64,
    /// items/100 m.
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_100m: Option<f64>,
    /// items/m².
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_m2: Option<f64>,
    /// Plastic items.
    #[diesel(sql_type = BigInt)]
    pub plastic_items: i64,
    /// SUP items.
    #[diesel(sql_type = BigInt)]
    pub sup_items: i64,
    /// Fishing items.
    #[diesel(sql_type = BigInt)]
    pub fishing_items: i64,
    /// CCI.
    #[diesel(sql_type = Nullable<Double>)]
    pub cci: Option<f64>,
}

/// One accepted survey, as exported.
#[derive(Debug, Clone, QueryableByName)]
pub struct SurveyExportRow {
    /// Survey id.
    #[diesel(sql_type = BigInt, column_name = survey_id)]
    pub id: i64,
    /// Its city (the partition key; read to find its items).
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub survey_date: NaiveDate,
    /// Where.
    #[diesel(embed)]
    pub place: ExportPlace,
    /// What was found.
    #[diesel(embed)]
    pub figures: SurveyFigures,
}

/// Counted items of exported surveys: by survey id, category code → count.
pub type ItemCounts = HashMap<i64, BTreeMap<String, i64>>;

/// One accepted sample, as exported.
#[derive(Debug, Clone, QueryableByName)]
pub struct SampleExportRow {
    /// Sample id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub sample_date: NaiveDate,
    /// Where.
    #[diesel(embed)]
    pub place: ExportPlace,
    /// Matrix.
    #[diesel(sql_type = Text)]
    pub matrix: Matrix,
    /// Method.
    #[diesel(sql_type = Text)]
    pub method: Method,
    /// Mesh, µm.
    #[diesel(sql_type = Nullable<Double>)]
    pub mesh_um: Option<f64>,
    /// Flowmeter start reading.
    #[diesel(sql_type = Nullable<Integer>)]
    pub flowmeter_start: Option<i32>,
    /// Flowmeter end reading.
    #[diesel(sql_type = Nullable<Integer>)]
    pub flowmeter_end: Option<i32>,
    /// Rotor constant the distance was computed with, m per count.
    #[diesel(sql_type = Nullable<Double>)]
    pub rotor_m_per_count: Option<f64>,
    /// Tow distance, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub distance_m: Option<f64>,
    /// Tow duration, min.
    #[diesel(sql_type = Nullable<Double>)]
    pub tow_duration_min: Option<f64>,
    /// Net width, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub net_width_m: Option<f64>,
    /// Net mouth area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub mouth_area_m2: Option<f64>,
    /// Filtered volume, m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub volume_m3: Option<f64>,
    /// Sediment dry mass, kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub dry_mass_kg: Option<f64>,
    /// Sampled area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub area_m2: Option<f64>,
    /// Plausibility flags.
    #[diesel(sql_type = Jsonb)]
    pub flags: serde_json::Value,
    /// Particles.
    #[diesel(sql_type = BigInt)]
    pub particle_count: i64,
    /// per m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m3: Option<f64>,
    /// per km².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_km2: Option<f64>,
    /// per kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_kg: Option<f64>,
    /// per m².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m2: Option<f64>,
    /// NCEI class.
    #[diesel(sql_type = Nullable<Text>)]
    pub density_class: Option<String>,
}

impl SampleExportRow {
    /// The plausibility flag codes, space-separated.
    pub fn flag_codes(&self) -> String {
        let codes = self.flags.as_array().into_iter().flatten().filter_map(|f| f["code"].as_str());
        codes.collect::<Vec<_>>().join(" ")
    }
}

/// `DECLARE export_cursor NO SCROLL CURSOR FOR` a DSL query, its parameters bound.
struct DeclareCursor<Q>(Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for DeclareCursor<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("DECLARE export_cursor NO SCROLL CURSOR FOR ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> QueryId for DeclareCursor<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> RunQueryDsl<PgConnection> for DeclareCursor<Q> {}

/// Runs `query` through a cursor in one transaction, handing `chunk` up to [`CHUNK`] rows at
/// a time until it returns false or the rows run out.
fn for_each_chunk<Q, R>(
    conn: &mut PgConnection,
    query: Q,
    mut chunk: impl FnMut(&mut PgConnection, Vec<R>) -> QueryResult<bool>,
) -> QueryResult<()>
where
    Q: QueryFragment<Pg>,
    R: QueryableByName<Pg> + 'static,
{
    conn.transaction(|conn| {
        DeclareCursor(query).execute(conn)?;
        loop {
            // raw SQL: a cursor fetch has no DSL form; the rows are typed by name
            let rows: Vec<R> = diesel::sql_query(format!("FETCH {CHUNK} FROM export_cursor")).load(conn)?;
            let done = rows.len() < CHUNK;
            if !chunk(conn, rows)? || done {
                break;
            }
        }
        conn.batch_execute("CLOSE export_cursor")
    })
}

/// Accepted surveys of a scope by date and id, in chunks; with `with_items`, each chunk comes
/// with its surveys' counted items by category (else an empty map).
pub fn for_each_survey_chunk(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
    with_items: bool,
    mut chunk: impl FnMut(Vec<SurveyExportRow>, &ItemCounts) -> bool,
) -> QueryResult<()> {
    use survey_totals as t;
    let query = t::table
        .inner_join(cities::table.on(cities::id.eq(t::city_id)))
        .left_join(sites::table)
        .filter(t::status.eq(ReviewStatus::Accepted))
        .select((
            t::survey_id,
            t::city_id,
            t::survey_date,
            t::site_id,
            sites::code.nullable(),
            cities::name,
            cities::country_code,
            t::protocol,
            t::survey_kind,
            t::length_m,
            t::total_items,
            t::items_per_100m,
            t::items_per_m2,
            t::plastic_items,
            t::sup_items,
            t::fishing_items,
            t::cci,
        ))
        .order((t::survey_date, t::survey_id))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_filter!(query, t, t::survey_date, filter);
    for_each_chunk(conn, query, |conn, rows: Vec<SurveyExportRow>| {
        let items = if with_items { item_counts(conn, &rows)? } else { ItemCounts::new() };
        Ok(chunk(rows, &items))
    })
}

/// The counted items of these surveys by category.
fn item_counts(conn: &mut PgConnection, rows: &[SurveyExportRow]) -> QueryResult<ItemCounts> {
    use survey_items as i;
    let cities: Vec<i64> = rows.iter().map(|r| r.city_id).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let items: Vec<(i64, String, i32)> = i::table
        .filter(i::city_id.eq_any(cities))
        .filter(i::survey_id.eq_any(ids))
        .filter(i::counted)
        .select((i::survey_id, i::category_code, i::count))
        .load(conn)?;
    let mut counts = ItemCounts::new();
    for (survey_id, code, count) in items {
        *counts.entry(survey_id).or_default().entry(code).or_default() += i64::from(count);
    }
    Ok(counts)
}

/// Accepted samples of a scope by date and id, in chunks.
pub fn for_each_sample_chunk(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
    mut chunk: impl FnMut(Vec<SampleExportRow>) -> bool,
) -> QueryResult<()> {
    use samples as t;
    let query = t::table
        .inner_join(cities::table)
        .left_join(sites::table)
        .filter(t::status.eq(ReviewStatus::Accepted))
        .select((
            t::id,
            t::sample_date,
            t::site_id,
            sites::code.nullable(),
            cities::name,
            cities::country_code,
            t::matrix,
            t::method,
            t::mesh_um,
            t::flowmeter_start,
            t::flowmeter_end,
            t::rotor_m_per_count,
            t::distance_m,
            t::tow_duration_min,
            t::net_width_m,
            t::mouth_area_m2,
            t::volume_m3,
            t::dry_mass_kg,
            t::area_m2,
            t::flags,
            t::particle_count,
            t::particles_per_m3,
            t::particles_per_km2,
            t::particles_per_kg,
            t::particles_per_m2,
            t::density_class,
        ))
        .order((t::sample_date, t::id))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_dates!(query, t::sample_date, filter);
    for_each_chunk(conn, query, |_, rows: Vec<SampleExportRow>| Ok(chunk(rows)))
}
