//! Corrections: a team sends the full corrected body of a survey or sample it stored. The body
//! is read and normalised by the same rules as a new post; the record's rows are brought to it
//! in one transaction (rollups moved, review status decided afresh), and the version is kept
//! with what changed. The same correction sent again changes nothing.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::correction::changes;
use tideline_core::input::{read_sample, read_survey, Placement};
use tideline_core::microplastics::{normalise_sample, NormalisedSample};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{normalise, NormalisedSurvey};
use tideline_core::validation::{FieldError, Flag};

use crate::store::records::{self, Author, Placed, ReadScope, RecordKind, StoredPayload};
use crate::store::rollups;
use crate::store::samples::{self, SampleRecord};
use crate::store::surveys::{self, SurveyRecord};
use crate::store::versions::{self, Current, NewVersion};

/// What a correction did.
#[derive(Debug)]
pub enum Correction<R> {
    /// A new version was stored.
    Corrected(R),
    /// The body equals the latest version: nothing changed (a retried correction).
    Unchanged(R),
    /// The team has no such record.
    NotFound,
    /// Invalid: nothing changed.
    Rejected(Vec<FieldError>),
}

/// Corrects survey `id` of `author`'s team with the full corrected `payload`.
pub fn correct_survey(
    conn: &mut PgConnection,
    author: &Author,
    id: i64,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Correction<SurveyRecord>> {
    let envelope = match read_survey(payload, "", today) {
        Ok(envelope) => envelope,
        Err(errors) => return Ok(Correction::Rejected(errors)),
    };
    let target = Target { kind: RecordKind::Survey, id, client_id: envelope.client_id, placement: &envelope.placement };
    let prepare = |placed: &Placed, mut flags: Vec<Flag>| {
        let mut input = envelope.input;
        input.site_length_m = placed.site.as_ref().and_then(|s| s.reference_length_m);
        let mut survey = normalise(input, today)?;
        survey.flags.append(&mut flags);
        let status = ReviewStatus::on_arrival(author.trusted, &survey.flags);
        Ok((survey, status, placed.site.as_ref().map(|s| s.id)))
    };
    let write = |conn: &mut PgConnection, current: &Current, (survey, status, site_id): (NormalisedSurvey, _, _)| {
        if current.status == ReviewStatus::Accepted && current.site_id.is_some() {
            rollups::apply_survey(conn, current.city_id, id, -1)?;
        }
        surveys::write_survey(conn, current.city_id, id, site_id, &survey, status)?;
        if status == ReviewStatus::Accepted && site_id.is_some() {
            rollups::apply_survey(conn, current.city_id, id, 1)?;
        }
        Ok((status, survey.flags))
    };
    correct(conn, author, &target, payload, surveys::find, prepare, write)
}

/// Corrects sample `id` of `author`'s team with the full corrected `payload`.
pub fn correct_sample(
    conn: &mut PgConnection,
    author: &Author,
    id: i64,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Correction<SampleRecord>> {
    let envelope = match read_sample(payload, "", today) {
        Ok(envelope) => envelope,
        Err(errors) => return Ok(Correction::Rejected(errors)),
    };
    let sample = match normalise_sample(&envelope.input, today) {
        Ok(sample) => sample,
        Err(errors) => return Ok(Correction::Rejected(errors)),
    };
    let target = Target { kind: RecordKind::Sample, id, client_id: envelope.client_id, placement: &envelope.placement };
    let prepare = |placed: &Placed, flags: Vec<Flag>| {
        let mut sample = sample;
        sample.flags.extend(flags);
        let status = ReviewStatus::on_arrival(author.trusted, &sample.flags);
        Ok((sample, status, placed.site.as_ref().map(|s| s.id)))
    };
    let write = |conn: &mut PgConnection, current: &Current, (sample, status, site_id): (NormalisedSample, _, _)| {
        samples::write_sample(conn, current.city_id, id, site_id, &envelope.input, &sample, status)?;
        Ok((status, sample.flags))
    };
    correct(conn, author, &target, payload, samples::find, prepare, write)
}

/// Which record a correction is for, and what its body says about identity and place.
struct Target<'a> {
    kind: RecordKind,
    id: i64,
    client_id: uuid::Uuid,
    placement: &'a Placement,
}

/// The steps every correction shares: lock the team's record, check identity, answer a repeat
/// from what is stored, place it (never in another city), `prepare` the new version (refusing
/// it with its errors), keep the first version, `write` the record's rows, and keep the new
/// version with what changed.
fn correct<R, P>(
    conn: &mut PgConnection,
    author: &Author,
    target: &Target<'_>,
    payload: &Value,
    find: fn(&mut PgConnection, i64, ReadScope) -> QueryResult<Option<R>>,
    prepare: impl FnOnce(&Placed, Vec<Flag>) -> Result<P, Vec<FieldError>>,
    write: impl FnOnce(&mut PgConnection, &Current, P) -> QueryResult<(ReviewStatus, Vec<Flag>)>,
) -> QueryResult<Correction<R>> {
    let body = StoredPayload::of(payload);
    let id = target.id;
    let found = |conn: &mut PgConnection| find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    conn.transaction(|conn| {
        let Some(current) = versions::lock_current(conn, target.kind, id, author.team_id)? else {
            return Ok(Correction::NotFound);
        };
        if target.client_id != current.client_id {
            let message = format!("a correction keeps the record's client_id {}", current.client_id);
            return Ok(Correction::Rejected(vec![FieldError::new("/client_id", message)]));
        }
        let latest = versions::latest(conn, target.kind, current.city_id, id)?;
        if latest.sha256 == body.sha256 {
            return Ok(Correction::Unchanged(found(conn)?));
        }
        let mut flags = Vec::new();
        let placed = match records::place(conn, target.placement, author, &mut flags)? {
            Ok(placed) if placed.city_id == current.city_id => placed,
            Ok(_) => {
                let message = "a correction cannot move a record to another city: post it anew and ask the city's \
                               coordinator to reject this one";
                return Ok(Correction::Rejected(vec![FieldError::new("/site_id", message)]));
            }
            Err(error) => return Ok(Correction::Rejected(vec![error])),
        };
        let prepared = match prepare(&placed, flags) {
            Ok(prepared) => prepared,
            Err(errors) => return Ok(Correction::Rejected(errors)),
        };
        versions::keep_first(conn, target.kind, current.city_id, id)?;
        let (status, flags) = write(conn, &current, prepared)?;
        let changed = changes(&latest.body, payload);
        let version = NewVersion {
            version: latest.version + 1,
            team_id: author.team_id,
            payload: &body,
            status,
            flags: &flags,
            changes: &changed,
        };
        versions::insert(conn, target.kind, current.city_id, id, &version)?;
        Ok(Correction::Corrected(found(conn)?))
    })
}
