//! The write path shared by the HTTP API and `tideline import`: read the posted records
//! (core), normalise them (core), then store them set-based in one transaction — raw payloads,
//! canonical records, items, totals and rollups — or answer a retry with the stored copy. A
//! single record is a batch of one; surveys and samples share the path (`kind.rs`).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::validation::FieldError;

use crate::store::records::{Author, ReadScope, StoredPayload};
use crate::store::samples::{self, SampleRecord};
use crate::store::surveys::{self, SurveyRecord};

/// The latest local date a record may have: today in UTC plus one day for zones ahead of UTC.
pub fn latest_local_date() -> NaiveDate {
    chrono::Utc::now().date_naive() + chrono::Duration::days(1)
}

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

/// Reads, normalises and stores one record of kind `K` for `author`: a batch of one. The
/// stored record (new or the earlier copy) is read back with `find`.
fn one<K: Kind, R>(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
    find: fn(&mut PgConnection, i64, ReadScope) -> QueryResult<Option<R>>,
) -> QueryResult<Outcome<R>> {
    let read = K::read(payload, today).map(|envelope| Submission {
        envelope,
        payload: StoredPayload::of(payload),
        flags: Vec::new(),
    });
    let outcome = batch::store::<K>(conn, author, &read::Records::Read(&[read]), today)?.pop();
    let mut found = |id| find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    Ok(match outcome.unwrap_or(Outcome::Conflict("not processed".into())) {
        Outcome::Created(brief) => Outcome::Created(found(brief.id)?),
        Outcome::Duplicate(brief) => Outcome::Duplicate(found(brief.id)?),
        Outcome::Rejected(errors) => Outcome::Rejected(errors),
        Outcome::Conflict(message) => Outcome::Conflict(message),
    })
}

/// Reads, normalises and stores one survey for `author`.
pub fn survey(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SurveyRecord>> {
    one::<Surveys, _>(conn, author, payload, today, surveys::find)
}

/// Reads, normalises and stores one microplastic sample for `author`.
pub fn sample(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SampleRecord>> {
    one::<Samples, _>(conn, author, payload, today, samples::find)
}

mod batch;
mod correct;
mod kind;
mod pipeline;
mod placement;
mod read;
pub use batch::{sample_batch, store_surveys, survey_batch, Brief, RawRecord, Submission, SurveySubmission};
pub use correct::{correct_sample, correct_survey, Correction};
use kind::{Kind, Samples, Surveys};
