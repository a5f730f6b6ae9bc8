//! The write path shared by the HTTP API and `tideline import`: read the posted records
//! (core), normalise them (core), then store them set-based in one transaction — raw payloads,
//! canonical records, items, totals and rollups — or answer a retry with the stored copy. A
//! single record is a batch of one; surveys and samples share the path (`kind.rs`).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::validation::FieldError;

use crate::store::records::{Author, StoredPayload};

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
/// stored record (new or the earlier copy) is read back.
pub fn one<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<K::Stored>> {
    let read = K::read(payload, today).map(|envelope| Submission {
        envelope,
        payload: StoredPayload::of(payload),
        flags: Vec::new(),
    });
    let outcome = batch::store::<K>(conn, author, &read::Records::Read(&[read]), today)?.pop();
    let mut found = |id| K::find(conn, id)?.ok_or(diesel::NotFound);
    Ok(match outcome.unwrap_or(Outcome::Conflict("not processed".into())) {
        Outcome::Created(brief) => Outcome::Created(found(brief.id)?),
        Outcome::Duplicate(brief) => Outcome::Duplicate(found(brief.id)?),
        Outcome::Rejected(errors) => Outcome::Rejected(errors),
        Outcome::Conflict(message) => Outcome::Conflict(message),
    })
}

mod batch;
mod correct;
mod kind;
mod pipeline;
mod placement;
mod read;
pub use batch::{posted, store_surveys, Brief, RawRecord, Submission, SurveySubmission};
pub use correct::{correct_sample, correct_survey, Correction};
pub use kind::{Kind, Samples, Surveys};
