//! New surveys, set-based: their submissions (`bulk`), the survey rows, their items and totals
//! (`derived`), each table in one COPY; then, once per batch, the rollups of the accepted ones,
//! their points and category counts grouped in memory (`roll_up`).

use diesel::prelude::*;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::scope::{PointKeys, SurveyPoint};
use tideline_core::survey::NormalisedSurvey;

use super::derived::{self, StoredSurvey};
use super::{SurveyFields, SurveyKeys, SurveyRow};
use crate::schema::surveys;
use crate::store::bulk::{self, Prepared};
use crate::store::records::{Author, RecordKind};
use crate::store::rollups::{self, categories, categories::CategoryCounts, categories::RollupGroup, PointGroups};

/// Inserts the surveys with their submissions, items and totals, all through the COPY
/// protocol (the rollups follow in [`roll_up`]); returns the survey ids in input order. A
/// unique violation (a concurrent post of the same client id) fails the whole call, so run it
/// in a savepoint.
pub fn insert(
    conn: &mut PgConnection,
    author: &Author,
    records: &[Prepared<NormalisedSurvey>],
) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let submission_ids = bulk::insert_submissions(conn, author, RecordKind::Survey, records, |survey| {
        (survey.input.protocol, survey.mapping_version.clone())
    })?;
    let ids = bulk::reserve_ids(conn, "surveys", records.len())?;
    let rows: Vec<SurveyRow> = (records.iter().zip(&ids).zip(&submission_ids))
        .map(|((r, id), submission_id)| {
            let keys =
                SurveyKeys { city_id: r.city_id, id: *id, submission_id: *submission_id, team_id: author.team_id };
            SurveyRow::new(keys, SurveyFields::of(&r.record, r.site_id, r.status))
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
pub fn roll_up(conn: &mut PgConnection, records: &[Prepared<NormalisedSurvey>], ids: &[i64]) -> QueryResult<()> {
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
