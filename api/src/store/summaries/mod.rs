//! Maintained per-site summaries (`site_month_surveys`): the accepted surveys of each site,
//! month, survey kind and protocol as packed records (`packed.rs`). Written in the same
//! transaction as the rollups (a survey is appended when it becomes accepted and taken out
//! when it leaves), read by the statistics instead of one row per survey.

mod packed;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bytea, Date, Integer, Text};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::SurveyPoint;
use tideline_core::survey::{month_of, SurveyKind};

use super::rollups::PointGroups;
use super::scope::{in_filter, in_scope, Scope, StatsFilter};
use crate::schema::site_month_surveys as s;

/// A survey's statistics point with its key `(city_id, survey_id)`.
pub type KeyedPoint = ((i64, i64), SurveyPoint);

/// Appends the groups' surveys (accepted, placed) to their summary rows, packed here, in key
/// order; a row's revision is drawn anew.
pub fn append(conn: &mut PgConnection, groups: &PointGroups) -> QueryResult<()> {
    let keys = || groups.keys();
    // raw SQL: an `unnest` upsert that appends to the stored bytes (`packed || EXCLUDED.packed`)
    diesel::sql_query(
        "INSERT INTO site_month_surveys (city_id, site_id, month, survey_kind, protocol, surveys, packed) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::int4[], $7::bytea[]) \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol) DO UPDATE SET \
         surveys = site_month_surveys.surveys + EXCLUDED.surveys, packed = site_month_surveys.packed || EXCLUDED.packed, \
         revision = EXCLUDED.revision",
    )
    .bind::<Array<BigInt>, _>(keys().map(|g| g.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(keys().map(|g| g.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(keys().map(|g| g.month).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(keys().map(|g| g.survey_kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(keys().map(|g| g.protocol).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(groups.values().map(|points| points.len() as i32).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(groups.values().map(|points| packed::encode(points)).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

diesel::define_sql_function! {
    /// The next value of a sequence.
    fn nextval(sequence: diesel::sql_types::Text) -> BigInt;
}

/// One summary row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = crate::schema::site_month_surveys, check_for_backend(diesel::pg::Pg))]
struct SummaryRow {
    city_id: i64,
    site_id: i64,
    month: NaiveDate,
    survey_kind: SurveyKind,
    protocol: Protocol,
    packed: Vec<u8>,
}

impl SummaryRow {
    fn group(&self) -> packed::Group {
        packed::Group { site_id: self.site_id, kind: self.survey_kind, protocol: self.protocol }
    }

    fn surveys(&self) -> QueryResult<Vec<(i64, SurveyPoint)>> {
        packed::decode(&self.group(), &self.packed)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
    }
}

/// Takes the surveys `(city_id, id)` out of their groups' summaries (their groups as stored
/// now, so call it before a correction moves them); a group left empty is deleted. One survey
/// at a time (a lookup, a locked read and a rewrite each): surveys leave the accepted state
/// only through single reviews, corrections and renormalisations.
pub fn remove(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<()> {
    use crate::schema::survey_totals as t;
    for &(city_id, survey_id) in surveys {
        let group: Option<(Option<i64>, NaiveDate, SurveyKind, Protocol)> = t::table
            .find((city_id, survey_id))
            .select((t::site_id, t::survey_date, t::survey_kind, t::protocol))
            .first(conn)
            .optional()?;
        let Some((Some(site_id), date, kind, protocol)) = group else { continue };
        let key = s::table.find((city_id, site_id, month_of(date), kind, protocol));
        let Some(row) = key.select(SummaryRow::as_select()).for_update().first(conn).optional()? else { continue };
        let kept: Vec<(i64, SurveyPoint)> = row.surveys()?.into_iter().filter(|(id, _)| *id != survey_id).collect();
        if kept.is_empty() {
            diesel::delete(key).execute(conn)?;
        } else {
            diesel::update(key)
                .set((
                    s::surveys.eq(kept.len() as i32),
                    s::packed.eq(packed::encode(&kept)),
                    s::revision.eq(nextval("site_month_revisions")),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Every summary row whose packed records this module would not write identically (decoded and
/// packed again): empty when the migration's packing and this module's agree.
pub fn disagreeing_rows(conn: &mut PgConnection) -> QueryResult<Vec<(i64, i64, NaiveDate)>> {
    let rows: Vec<SummaryRow> = s::table.select(SummaryRow::as_select()).load(conn)?;
    let mut disagreeing = Vec::new();
    for row in rows {
        if packed::encode(&row.surveys()?) != row.packed {
            disagreeing.push((row.city_id, row.site_id, row.month));
        }
    }
    Ok(disagreeing)
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
    let mut points = Vec::with_capacity(rows.iter().map(|r| r.packed.len() / packed::RECORD_LEN).sum());
    for row in rows {
        points.extend(row.surveys()?.into_iter().map(|(id, point)| ((row.city_id, id), point)));
    }
    points.retain(|(_, p)| filter.holds(p.date));
    Ok(points)
}

/// The revision of one summary row: it changes whenever the row is written, and a row that is
/// gone no longer answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Queryable, Selectable)]
#[diesel(table_name = crate::schema::site_month_surveys, check_for_backend(diesel::pg::Pg))]
pub struct Revision {
    /// The site.
    pub site_id: i64,
    /// The month (its first day).
    pub month: NaiveDate,
    /// The surveys' kind.
    pub survey_kind: SurveyKind,
    /// Their protocol.
    pub protocol: Protocol,
    /// Drawn from `site_month_revisions` at the row's last write.
    pub revision: i64,
}

/// The revisions of the summary rows a scope and filter read (whole months: a `from` or `to`
/// inside a month selects the month), by site, month, kind and protocol.
pub fn revisions(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<Revision>> {
    let months = StatsFilter { from: filter.from.map(month_of), ..filter.clone() };
    let query = s::table.select(Revision::as_select()).into_boxed();
    let query = in_scope!(query, s, scope);
    let query = in_filter!(query, s, s::month, &months);
    query.order((s::site_id, s::month, s::survey_kind, s::protocol)).load(conn)
}

/// The surveys of site `site_id`'s summary rows written at `revisions`, by revision.
pub fn rows_at(conn: &mut PgConnection, site_id: i64, revisions: &[i64]) -> QueryResult<Vec<(i64, Vec<SurveyPoint>)>> {
    if revisions.is_empty() {
        return Ok(Vec::new());
    }
    let query = s::table.select((s::revision, SummaryRow::as_select())).into_boxed();
    let query = in_scope!(query, s, &Scope::Site(site_id));
    let rows: Vec<(i64, SummaryRow)> = query.filter(s::revision.eq_any(revisions)).load(conn)?;
    rows.into_iter()
        .map(|(revision, row)| Ok((revision, row.surveys()?.into_iter().map(|(_, point)| point).collect())))
        .collect()
}
