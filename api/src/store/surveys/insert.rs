//! New surveys, set-based: their submissions (`bulk`), the survey rows, their items and totals
//! (`derived`), each table in one COPY; then, once per batch, the rollups of the accepted ones,
//! their points and category counts grouped in memory (`roll_up`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use postgis_diesel::types::{LineString, Point};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::scope::{PointKeys, SurveyPoint};
use tideline_core::survey::{LengthSource, NormalisedSurvey, SurveyKind, SurveyType};

use super::derived::{self, StoredSurvey};
use crate::schema::surveys;
use crate::store::bulk::{self, Prepared};
use crate::store::geo;
use crate::store::records::{Author, RecordKind};
use crate::store::rollups::{self, categories, categories::CategoryCounts, categories::RollupGroup, PointGroups};

/// One survey row, as COPY writes it (positions as EWKB `geography`).
#[derive(Insertable)]
#[diesel(table_name = surveys, treat_none_as_default_value = false)]
struct SurveyRow<'a> {
    city_id: i64,
    id: i64,
    submission_id: i64,
    team_id: i64,
    site_id: Option<i64>,
    protocol: Protocol,
    mapping_version: &'a str,
    survey_kind: SurveyKind,
    survey_type: Option<SurveyType>,
    survey_date: NaiveDate,
    started_at: Option<DateTime<Utc>>,
    location: Option<Point>,
    stretch: Option<LineString<Point>>,
    length_m: Option<f64>,
    length_source: LengthSource,
    width_m: Option<f64>,
    participants: Option<i32>,
    duration_min: Option<f64>,
    mass_kg: Option<f64>,
    bags: Option<i32>,
    status: ReviewStatus,
    flags: serde_json::Value,
    area_m2: Option<f64>,
}

/// Inserts the surveys with their submissions, items and totals, all through the COPY
/// protocol (the rollups follow in [`roll_up`]); returns the survey ids in input order. A
/// unique violation (a concurrent post of the same client id) fails the whole call, so run it
/// in a savepoint.
pub fn insert(
    conn: &mut PgConnection,
    author: &Author,
    records: &[Prepared<'_, NormalisedSurvey>],
) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let submission_ids = bulk::insert_submissions(conn, author, RecordKind::Survey, records, |survey| {
        (survey.input.protocol, survey.mapping_version.clone())
    })?;
    let ids = bulk::reserve_ids(conn, "surveys", records.len())?;
    let rows: Vec<SurveyRow<'_>> = (records.iter().zip(&ids).zip(&submission_ids))
        .map(|((r, id), submission_id)| {
            let (survey, input) = (&r.record, &r.record.input);
            SurveyRow {
                city_id: r.city_id,
                id: *id,
                submission_id: *submission_id,
                team_id: author.team_id,
                site_id: r.site_id,
                protocol: input.protocol,
                mapping_version: &survey.mapping_version,
                survey_kind: input.kind,
                survey_type: input.survey_type,
                survey_date: input.date,
                started_at: input.started_at.map(|t| t.with_timezone(&Utc)),
                location: input.location.as_ref().map(geo::from_geo),
                stretch: input.stretch.as_ref().map(|(start, end)| geo::line(start, end)),
                length_m: survey.length_m,
                length_source: survey.length_source,
                width_m: input.width_m,
                participants: input.effort.participants.map(derived::stored_count),
                duration_min: input.effort.duration_min,
                mass_kg: input.effort.mass_kg,
                bags: input.effort.bags.map(derived::stored_count),
                status: r.status,
                flags: serde_json::to_value(&survey.flags).unwrap_or_default(),
                area_m2: input.area_m2,
            }
        })
        .collect();
    diesel::copy_from(surveys::table).from_insertable(&rows).execute(conn)?;

    let stored: Vec<StoredSurvey<'_>> = (records.iter().zip(&ids))
        .map(|(r, id)| StoredSurvey {
            city_id: r.city_id,
            survey_id: *id,
            site_id: r.site_id,
            status: r.status,
            survey: &r.record,
        })
        .collect();
    derived::insert(conn, &stored)?;
    Ok(ids)
}

/// Adds the accepted, placed ones of these new surveys (`ids` in the same order) to the
/// rollups, grouped in memory from the surveys as written. Once per batch: the rollup rows are
/// upserted once however the batch was written.
pub fn roll_up(conn: &mut PgConnection, records: &[Prepared<'_, NormalisedSurvey>], ids: &[i64]) -> QueryResult<()> {
    let mut points = PointGroups::new();
    let mut counts = CategoryCounts::new();
    for (r, id) in records.iter().zip(ids) {
        let Some(site_id) = r.site_id.filter(|_| r.status == ReviewStatus::Accepted) else { continue };
        let (survey, input) = (&r.record, &r.record.input);
        let group = RollupGroup::of(r.city_id, site_id, input.date, input.kind, input.protocol);
        let keys = PointKeys { site_id: Some(site_id), date: input.date, protocol: input.protocol, kind: input.kind };
        rollups::add_point(
            &mut points,
            group,
            *id,
            SurveyPoint::of(keys, survey.length_m, &input.effort, &survey.summary),
        );
        let counted = survey.items.iter().filter(|i| i.counted);
        categories::add(
            &mut counts,
            group,
            counted.map(|i| (i.category.as_str(), i64::from(derived::stored_count(i.count)))),
        );
    }
    rollups::apply_groups(conn, &points, &counts, 1)
}
