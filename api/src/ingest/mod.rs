//! The write path shared by the HTTP API and `tideline import`: read the posted record
//! (core), normalise it (core), then store it in one transaction — raw payload, canonical
//! record, items, totals and rollups — or return the stored copy on a retry.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::input::{read_sample, read_survey};
use tideline_core::microplastics::normalise_sample;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::FieldError;

use crate::store::records::{self, Author, ReadScope, RecordKind, StoredPayload};
use crate::store::samples::{self, SampleRecord};
use crate::store::surveys::{self, SurveyRecord};

/// What happened to one posted record.
#[derive(Debug)]
pub enum Outcome<R> {
    /// Stored now.
    Created(R),
    /// Stored before under the same client id with the same body: the stored copy.
    Duplicate(R),
    /// Invalid: nothing stored.
    Rejected(Vec<FieldError>),
    /// The client id was used before for a different body: nothing stored.
    Conflict(String),
}

/// The stored record's id for a retried submission, or why it conflicts.
fn replay(
    conn: &mut PgConnection,
    kind: RecordKind,
    existing: &records::Submission,
    payload: &Value,
) -> QueryResult<Result<i64, String>> {
    if existing.record_kind != kind || existing.payload_sha256 != records::payload_hash(payload) {
        return Ok(Err(format!(
            "client_id was already used by this team for a different {}; use a new UUID for a new record",
            existing.record_kind
        )));
    }
    Ok(Ok(records::record_of_submission(conn, kind, existing.city_id, existing.id)?))
}

/// Runs a single-record write again when a concurrent post of the same client id committed
/// first (the ledger's unique violation rolled this one back): the retry finds the stored copy.
fn once_more_after_race<T>(mut write: impl FnMut() -> QueryResult<T>) -> QueryResult<T> {
    match write() {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => write(),
        other => other,
    }
}

/// Reads, normalises and stores one survey for `author`: a batch of one.
pub fn survey(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SurveyRecord>> {
    let read = read_survey(payload, "", today).map(|envelope| SurveySubmission {
        envelope,
        payload: StoredPayload::of(payload),
        flags: Vec::new(),
    });
    let outcome = store_surveys(conn, author, &[read], today)?.pop();
    let found = |conn: &mut PgConnection, id| surveys::find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    Ok(match outcome.unwrap_or(Outcome::Conflict("not processed".into())) {
        Outcome::Created(brief) => Outcome::Created(found(conn, brief.id)?),
        Outcome::Duplicate(brief) => Outcome::Duplicate(found(conn, brief.id)?),
        Outcome::Rejected(errors) => Outcome::Rejected(errors),
        Outcome::Conflict(message) => Outcome::Conflict(message),
    })
}

/// Reads, normalises and stores one microplastic sample for `author`.
pub fn sample(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SampleRecord>> {
    once_more_after_race(|| sample_once(conn, author, payload, today))
}

fn sample_once(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SampleRecord>> {
    let envelope = match read_sample(payload, "", today) {
        Ok(envelope) => envelope,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    let mut normalised = match normalise_sample(&envelope.input, today) {
        Ok(normalised) => normalised,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    let found = |conn: &mut PgConnection, id| samples::find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    conn.transaction(|conn| {
        records::lock_client_id(conn, author.team_id, envelope.client_id)?;
        if let Some(existing) = records::find_submission(conn, author.team_id, envelope.client_id)? {
            return Ok(match replay(conn, RecordKind::Sample, &existing, payload)? {
                Ok(id) => Outcome::Duplicate(found(conn, id)?),
                Err(message) => Outcome::Conflict(message),
            });
        }
        let placed = match records::place(conn, &envelope.placement, author, &mut normalised.flags)? {
            Ok(placed) => placed,
            Err(error) => return Ok(Outcome::Rejected(vec![error])),
        };
        let status = ReviewStatus::on_arrival(author.trusted, &normalised.flags);
        let version = Protocol::Tideline.mapping_version();
        let submission = records::insert_submission(
            conn,
            placed.city_id,
            author,
            envelope.client_id,
            RecordKind::Sample,
            "tideline",
            &version,
            payload,
        )?;
        let site_id = placed.site.as_ref().map(|s| s.id);
        let id = samples::insert(
            conn,
            placed.city_id,
            submission,
            author.team_id,
            site_id,
            &version,
            &envelope.input,
            &normalised,
            status,
        )?;
        Ok(Outcome::Created(found(conn, id)?))
    })
}

mod batch;
mod correct;
pub use batch::{sample_batch, store_surveys, survey_batch, Brief, RawRecord, SurveySubmission};
pub use correct::{correct_sample, correct_survey, Correction};
