//! Row sources of the CSV reports and exports: accepted survey and sample rows of a scope,
//! selected in the diesel DSL (one scope filter, bound parameters) and read through a
//! server-side cursor in fixed-size chunks, so memory stays flat however many rows; each
//! fetch is typed as the cursor's query, so its rows decode by position.

use std::marker::PhantomData;

use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::methods::LoadQuery;
use tideline_core::review::ReviewStatus;

use super::figures::{SampleDensities, SurveyFigures};
use super::scope::{in_dates, in_filter, in_scope, Scope, StatsFilter};
use crate::schema::{cities, samples, sites, survey_items, survey_totals};

/// Rows per fetch.
pub const CHUNK: usize = 2_000;

mod rows;
pub use rows::{ItemCounts, SampleExportRow, SurveyExportRow};

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

/// `FETCH` [`CHUNK`] rows `FROM export_cursor`, typed as the cursor's query (`ST` is its SQL
/// type): the rows decode by position like any DSL query's, not by looking up every column's
/// name in every row.
struct Fetch<ST>(PhantomData<ST>);

impl<ST> QueryFragment<Pg> for Fetch<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql(&format!("FETCH {CHUNK} FROM export_cursor"));
        Ok(())
    }
}

impl<ST> QueryId for Fetch<ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> Query for Fetch<ST> {
    type SqlType = ST;
}

impl<ST> RunQueryDsl<PgConnection> for Fetch<ST> {}

/// Runs `query` through a cursor in one transaction, handing `chunk` up to [`CHUNK`] rows at
/// a time until it returns false or the rows run out.
fn for_each_chunk<Q, R>(
    conn: &mut PgConnection,
    query: Q,
    mut chunk: impl FnMut(&mut PgConnection, Vec<R>) -> QueryResult<bool>,
) -> QueryResult<()>
where
    Q: Query + QueryFragment<Pg>,
    Fetch<Q::SqlType>: LoadQuery<'static, PgConnection, R>,
{
    conn.transaction(|conn| {
        // the whole result is read, so plan for the last row, not the first: with the default
        // (0.1) a network export walks the date index in random heap order, 3-4× slower at 1 M
        conn.batch_execute("SET LOCAL cursor_tuple_fraction = 1.0")?;
        DeclareCursor(query).execute(conn)?;
        loop {
            let rows: Vec<R> = Fetch(PhantomData).load(conn)?;
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
    mut chunk: impl FnMut(Vec<SurveyExportRow>, ItemCounts) -> bool,
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
            (t::site_id, sites::code.nullable(), cities::name, cities::country_code),
            SurveyFigures::as_select(),
        ))
        .order((t::survey_date, t::survey_id))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_filter!(query, t, t::survey_date, filter);
    for_each_chunk(conn, query, |conn, rows: Vec<SurveyExportRow>| {
        let items = if with_items { item_counts(conn, &rows)? } else { ItemCounts::new() };
        Ok(chunk(rows, items))
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
            (t::site_id, sites::code.nullable(), cities::name, cities::country_code),
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
            SampleDensities::as_select(),
        ))
        .order((t::sample_date, t::id))
        .into_boxed();
    let query = in_scope!(query, t, scope);
    let query = in_dates!(query, t::sample_date, filter);
    for_each_chunk(conn, query, |_, rows: Vec<SampleExportRow>| Ok(chunk(rows)))
}
