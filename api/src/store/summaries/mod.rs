//! Maintained per-site summaries (`site_month_surveys`): the accepted surveys of each site,
//! month, survey kind and protocol as packed records (`packed.rs`). Written in the same
//! transaction as the rollups (a survey is appended when it becomes accepted and taken out
//! when it leaves), read by the statistics instead of one row per survey.

mod packed;
mod parts;

pub use parts::PART_SURVEYS;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bytea, Date, Integer, Text};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::SurveyPoint;
use tideline_core::survey::{month_of, SurveyKind};

use super::rollups::categories::RollupGroup;
use super::rollups::PointGroups;
use super::scope::{in_filter, in_scope, Scope, StatsFilter};
use crate::schema::site_month_surveys as s;

/// A survey's statistics point with its key `(city_id, survey_id)`.
pub type KeyedPoint = ((i64, i64), SurveyPoint);

/// Surveys of one group added to one of its parts.
type PartAppend<'a> = (&'a RollupGroup, i32, &'a [(i64, SurveyPoint)]);

/// Appends the groups' surveys (accepted, placed) to their summary rows, packed here, in key
/// order: each group's last part is filled and new parts opened ([`parts::plan`]). A written
/// row's revision is drawn anew, and so is the revision of the group's part 0, which the
/// statistics read for the whole group (an empty row for part 0 where it is not written: its
/// stored bytes are kept as they are).
pub fn append(conn: &mut PgConnection, groups: &PointGroups) -> QueryResult<()> {
    let last = last_parts(conn, groups)?;
    let mut rows: Vec<PartAppend<'_>> = Vec::new();
    for (group, points) in groups {
        let plan = parts::plan(last.get(group).copied(), points.len());
        if plan.first().is_some_and(|(part, _)| *part != 0) {
            rows.push((group, 0, &[]));
        }
        for (part, range) in plan {
            rows.push((group, part, &points[range]));
        }
    }
    // raw SQL: an `unnest` upsert that appends to the stored bytes (`packed || EXCLUDED.packed`)
    diesel::sql_query(
        "INSERT INTO site_month_surveys (city_id, site_id, month, survey_kind, protocol, part, surveys, packed) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::int4[], $7::int4[], \
         $8::bytea[]) \
         ON CONFLICT (city_id, site_id, month, survey_kind, protocol, part) DO UPDATE SET \
         surveys = site_month_surveys.surveys + EXCLUDED.surveys, \
         packed = CASE WHEN EXCLUDED.surveys = 0 THEN site_month_surveys.packed \
         ELSE site_month_surveys.packed || EXCLUDED.packed END, \
         revision = EXCLUDED.revision",
    )
    .bind::<Array<BigInt>, _>(rows.iter().map(|(g, _, _)| g.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(rows.iter().map(|(g, _, _)| g.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(rows.iter().map(|(g, _, _)| g.month).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|(g, _, _)| g.survey_kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|(g, _, _)| g.protocol).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(rows.iter().map(|(_, part, _)| *part).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(rows.iter().map(|(_, _, points)| points.len() as i32).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(rows.iter().map(|(_, _, points)| packed::encode(points)).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// The last part of each of these groups as stored: its number and how many surveys it holds.
fn last_parts(conn: &mut PgConnection, groups: &PointGroups) -> QueryResult<BTreeMap<RollupGroup, (i32, usize)>> {
    let distinct = |key: fn(&RollupGroup) -> i64| groups.keys().map(key).collect::<BTreeSet<i64>>();
    let months: BTreeSet<NaiveDate> = groups.keys().map(|g| g.month).collect();
    let stored: Vec<(i64, i64, NaiveDate, SurveyKind, Protocol, i32, i32)> = s::table
        .filter(s::city_id.eq_any(distinct(|g| g.city_id)))
        .filter(s::site_id.eq_any(distinct(|g| g.site_id)))
        .filter(s::month.eq_any(months))
        .select((s::city_id, s::site_id, s::month, s::survey_kind, s::protocol, s::part, s::surveys))
        .load(conn)?;
    let mut last: BTreeMap<RollupGroup, (i32, usize)> = BTreeMap::new();
    for (city_id, site_id, month, survey_kind, protocol, part, surveys) in stored {
        let group = RollupGroup { city_id, site_id, month, survey_kind, protocol };
        if groups.contains_key(&group) && last.get(&group).is_none_or(|(held, _)| *held < part) {
            last.insert(group, (part, surveys.max(0) as usize));
        }
    }
    Ok(last)
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
    part: i32,
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
/// now, so call it before a correction moves them): the part holding it is rewritten (a part
/// left empty is deleted; part 0 stays, empty, while later parts hold surveys) and the
/// revision of the group's part 0 is drawn anew. One survey at a time (a lookup, a locked read
/// of its group's parts and a rewrite): surveys leave the accepted state only through single
/// reviews, corrections and renormalisations.
pub fn remove(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<()> {
    use crate::schema::survey_totals as t;
    for &(city_id, survey_id) in surveys {
        let group: Option<(Option<i64>, NaiveDate, SurveyKind, Protocol)> = t::table
            .find((city_id, survey_id))
            .select((t::site_id, t::survey_date, t::survey_kind, t::protocol))
            .first(conn)
            .optional()?;
        let Some((Some(site_id), date, kind, protocol)) = group else { continue };
        let of_group = s::table
            .filter(s::city_id.eq(city_id))
            .filter(s::site_id.eq(site_id))
            .filter(s::month.eq(month_of(date)))
            .filter(s::survey_kind.eq(kind))
            .filter(s::protocol.eq(protocol));
        // locked in key order, as appends lock them
        let rows: Vec<SummaryRow> = of_group.order(s::part).select(SummaryRow::as_select()).for_update().load(conn)?;
        let mut left = 0;
        let mut holding = None;
        for row in &rows {
            let surveys = row.surveys()?;
            left += surveys.len();
            if surveys.iter().any(|(id, _)| *id == survey_id) {
                holding = Some((row.part, surveys));
            }
        }
        let Some((part, surveys)) = holding else { continue };
        if left == 1 {
            diesel::delete(of_group).execute(conn)?;
            continue;
        }
        let kept: Vec<(i64, SurveyPoint)> = surveys.into_iter().filter(|(id, _)| *id != survey_id).collect();
        let key = s::table.find((city_id, site_id, month_of(date), kind, protocol, part));
        if kept.is_empty() && part != 0 {
            diesel::delete(key).execute(conn)?;
        } else {
            diesel::update(key)
                .set((s::surveys.eq(kept.len() as i32), s::packed.eq(packed::encode(&kept))))
                .execute(conn)?;
        }
        diesel::update(of_group.filter(s::part.eq(0)))
            .set(s::revision.eq(nextval("site_month_revisions")))
            .execute(conn)?;
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

/// The revision of one group of summary rows (a site's month, kind and protocol, in one part
/// or several), kept on its part 0: drawn anew by every write to any of its parts, and gone
/// with the group. A statistic reads one of these per group, however many parts it has.
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
    /// Drawn from `site_month_revisions` at the group's last write.
    pub revision: i64,
}

/// The revisions of the summary groups a scope and filter read (whole months: a `from` or
/// `to` inside a month selects the month), by site, month, kind and protocol.
pub fn revisions(conn: &mut PgConnection, scope: &Scope, filter: &StatsFilter) -> QueryResult<Vec<Revision>> {
    let months = StatsFilter { from: filter.from.map(month_of), ..filter.clone() };
    let query = s::table.filter(s::part.eq(0)).select(Revision::as_select()).into_boxed();
    let query = in_scope!(query, s, scope);
    let query = in_filter!(query, s, s::month, &months);
    query.order((s::site_id, s::month, s::survey_kind, s::protocol)).load(conn)
}

/// The surveys of site `site_id`'s summary groups `groups` (all their parts), in the order
/// asked.
pub fn groups_of(conn: &mut PgConnection, site_id: i64, groups: &[&Revision]) -> QueryResult<Vec<Vec<SurveyPoint>>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let months: BTreeSet<NaiveDate> = groups.iter().map(|g| g.month).collect();
    let query = s::table.select(SummaryRow::as_select()).into_boxed();
    let query = in_scope!(query, s, &Scope::Site(site_id));
    let rows: Vec<SummaryRow> = query.filter(s::month.eq_any(months)).order(s::part).load(conn)?;
    let mut surveys: BTreeMap<(NaiveDate, SurveyKind, Protocol), Vec<SurveyPoint>> = BTreeMap::new();
    for row in rows {
        let points = row.surveys()?.into_iter().map(|(_, point)| point);
        surveys.entry((row.month, row.survey_kind, row.protocol)).or_default().extend(points);
    }
    Ok(groups.iter().map(|g| surveys.remove(&(g.month, g.survey_kind, g.protocol)).unwrap_or_default()).collect())
}
