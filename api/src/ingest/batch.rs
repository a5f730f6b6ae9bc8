//! Many records in one request or import chunk: survey records are read one at a time, then
//! stored with set-based inserts ([`store_surveys`], shared with `tideline import`, which hands
//! over typed rows with no JSON round trip); samples go one savepoint each.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::input::{read_survey, Placement, SurveyEnvelope};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::normalise;
use tideline_core::validation::{FieldError, Flag};

use super::{sample, Outcome};
use crate::store::bulk::{self, Prepared};
use crate::store::records::{self, Author, RecordKind, StoredPayload};

/// A stored survey's id and review status: what a batch answer lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// Survey id.
    pub id: i64,
    /// Review status.
    pub status: ReviewStatus,
}

/// One record of a batch, as its JSON text (parsed one at a time, so a batch holds parsed
/// JSON for a single record at once).
pub type RawRecord = Box<serde_json::value::RawValue>;

/// Parses one batch record; a NUL character anywhere rejects it (PostgreSQL text cannot hold it).
fn parse_record(raw: &RawRecord) -> Result<Value, Vec<FieldError>> {
    let value: Value =
        serde_json::from_str(raw.get()).map_err(|e| vec![FieldError::new("", format!("not JSON: {e}"))])?;
    match tideline_core::validation::nul_character(&value, "") {
        Some(error) => Err(vec![error]),
        None => Ok(value),
    }
}

/// The single-record outcome of a batch record, as a batch lists it.
fn brief<R>(outcome: Outcome<R>, brief: impl Fn(R) -> Brief) -> Outcome<Brief> {
    match outcome {
        Outcome::Created(r) => Outcome::Created(brief(r)),
        Outcome::Duplicate(r) => Outcome::Duplicate(brief(r)),
        Outcome::Rejected(e) => Outcome::Rejected(e),
        Outcome::Conflict(m) => Outcome::Conflict(m),
    }
}

/// A survey read and ready for the write path: the envelope, the payload kept as received,
/// and flags the reader raised about its placement.
#[derive(Debug, Clone)]
pub struct SurveySubmission {
    /// The survey and where it belongs.
    pub envelope: SurveyEnvelope,
    /// The raw payload stored with it (and hashed for idempotency).
    pub payload: StoredPayload,
    /// Flags added to the normaliser's (e.g. a site code that names a far-away site).
    pub flags: Vec<Flag>,
}

/// Reads, normalises and stores many posted surveys for `author`; every record gets its own
/// outcome, in order.
pub fn survey_batch(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    let read: ReadSurveys = raws
        .iter()
        .map(|raw| {
            let value = parse_record(raw)?;
            let envelope = read_survey(&value, "", today)?;
            Ok(SurveySubmission { envelope, payload: StoredPayload::of(&value), flags: Vec::new() })
        })
        .collect();
    store_surveys(conn, author, &read, today)
}

/// Surveys read (or refused with their errors), in order.
pub type ReadSurveys = Vec<Result<SurveySubmission, Vec<FieldError>>>;

/// Normalises and stores surveys already read (or refused, with their errors) with set-based
/// inserts: the one write path of surveys, for a single post (a batch of one), batches,
/// imports and seeding. Every record gets its own outcome, in order. When a concurrent post of
/// one of the client ids commits first, the batch's insert is rolled back whole and the batch
/// is stored again, answering that record from the stored copy.
pub fn store_surveys(
    conn: &mut PgConnection,
    author: &Author,
    read: &[Result<SurveySubmission, Vec<FieldError>>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    match store_once(conn, author, read, today) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            store_once(conn, author, read, today)
        }
        other => other,
    }
}

fn store_once(
    conn: &mut PgConnection,
    author: &Author,
    read: &[Result<SurveySubmission, Vec<FieldError>>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    let mut outcomes: Vec<Option<Outcome<Brief>>> = (0..read.len()).map(|_| None).collect();
    let mut envelopes = Vec::new();
    for (index, record) in read.iter().enumerate() {
        match record {
            Ok(SurveySubmission { envelope, payload, flags }) => envelopes.push((index, envelope, payload, flags)),
            Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors.clone())),
        }
    }
    let client_ids: Vec<uuid::Uuid> = envelopes.iter().map(|(_, e, _, _)| e.client_id).collect();
    let existing: HashMap<uuid::Uuid, bulk::Existing> =
        bulk::existing(conn, author.team_id, &client_ids)?.into_iter().map(|e| (e.client_id, e)).collect();
    let site_ids: Vec<i64> = envelopes
        .iter()
        .filter_map(|(_, e, _, _)| if let Placement::Site(id) = e.placement { Some(id) } else { None })
        .collect();
    let sites = bulk::sites(conn, &site_ids)?;
    // first index of each client id in this batch, with its payload hash
    let mut first_in_batch: HashMap<uuid::Uuid, (usize, Vec<u8>)> = HashMap::new();
    let mut later_copies = Vec::new();
    let mut prepared: Vec<(usize, Prepared<'_>)> = Vec::new();
    for (index, envelope, payload, reader_flags) in envelopes {
        if let Some(stored) = existing.get(&envelope.client_id) {
            outcomes[index] = Some(match (stored.record_kind, &stored.survey_id) {
                (RecordKind::Survey, Some(id)) if stored.payload_sha256 == payload.sha256 => {
                    Outcome::Duplicate(Brief { id: *id, status: stored.status.unwrap_or(ReviewStatus::Pending) })
                }
                (kind, _) => Outcome::Conflict(format!(
                    "client_id was already used by this team for a different {kind}; use a new UUID for a new record"
                )),
            });
            continue;
        }
        if let Some((first, first_hash)) = first_in_batch.get(&envelope.client_id) {
            later_copies.push((index, *first, *first_hash == payload.sha256));
            continue;
        }
        first_in_batch.insert(envelope.client_id, (index, payload.sha256.clone()));
        let mut flags = reader_flags.clone();
        let site = match &envelope.placement {
            Placement::Site(id) => match sites.get(id) {
                Some(site) => Some(site.clone()),
                None => {
                    let error = FieldError::new("/site_id", format!("there is no site {id}"));
                    outcomes[index] = Some(Outcome::Rejected(vec![error]));
                    continue;
                }
            },
            other => match records::place(conn, other, author, &mut flags)? {
                Ok(placed) => placed.site,
                Err(error) => {
                    outcomes[index] = Some(Outcome::Rejected(vec![error]));
                    continue;
                }
            },
        };
        let mut input = envelope.input.clone();
        input.site_length_m = site.as_ref().and_then(|s| s.reference_length_m);
        match normalise(input, today) {
            Ok(mut survey) => {
                survey.flags.extend(flags);
                let status = ReviewStatus::on_arrival(author.trusted, &survey.flags);
                let city_id = site.as_ref().map_or(author.team_city_id, |s| s.city_id);
                let site_id = site.as_ref().map(|s| s.id);
                prepared.push((
                    index,
                    Prepared { client_id: envelope.client_id, payload, city_id, site_id, survey, status },
                ));
            }
            Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors)),
        }
    }
    let (indices, records): (Vec<usize>, Vec<Prepared<'_>>) = prepared.into_iter().unzip();
    let ids = conn.transaction(|conn| bulk::insert(conn, author, &records))?;
    for ((index, record), id) in indices.iter().zip(&records).zip(ids) {
        outcomes[*index] = Some(Outcome::Created(Brief { id, status: record.status }));
    }
    for (index, first, same) in later_copies {
        outcomes[index] = Some(match (&outcomes[first], same) {
            (Some(Outcome::Created(b) | Outcome::Duplicate(b)), true) => Outcome::Duplicate(b.clone()),
            (Some(Outcome::Rejected(e)), true) => Outcome::Rejected(e.clone()),
            _ => Outcome::Conflict("client_id appears twice in this batch with different bodies".into()),
        });
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Conflict("not processed".into()))).collect())
}

/// Stores many samples for `author`, one savepoint each; every record gets its own outcome.
pub fn sample_batch(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    raws.iter()
        .map(|raw| match parse_record(raw) {
            Ok(payload) => Ok(brief(sample(conn, author, &payload, today)?, |r| Brief { id: r.id, status: r.status })),
            Err(errors) => Ok(Outcome::Rejected(errors)),
        })
        .collect()
}
