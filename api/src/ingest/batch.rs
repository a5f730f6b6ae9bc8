//! Many records in one request or import chunk: records are read one at a time, then stored
//! with set-based inserts ([`store`], the one write path of both kinds; `tideline import` hands
//! it typed rows with no JSON round trip).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::input::{Placement, SurveyEnvelope};
use tideline_core::review::ReviewStatus;
use tideline_core::validation::{FieldError, Flag};

use super::kind::{Kind, Samples, Surveys};
use super::pipeline::{self, Placed};
use super::Outcome;
use crate::store::bulk;
use crate::store::records::{self, Author, StoredPayload};

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

/// Parses one batch record with its payload as stored; a NUL character anywhere rejects it
/// (PostgreSQL text cannot hold it).
fn parse_record(raw: &RawRecord) -> Result<(Value, StoredPayload), Vec<FieldError>> {
    let value: Value =
        serde_json::from_str(raw.get()).map_err(|e| vec![FieldError::new("", format!("not JSON: {e}"))])?;
    if let Some(error) = tideline_core::validation::nul_character(&value, "") {
        return Err(vec![error]);
    }
    let payload = StoredPayload::of(&value);
    Ok((value, payload))
}

/// A record read and ready for the write path: the envelope, the payload kept as received,
/// and flags the reader raised about its placement.
#[derive(Debug, Clone)]
pub struct Submission<E> {
    /// The record and where it belongs.
    pub envelope: E,
    /// The raw payload stored with it (and hashed for idempotency).
    pub payload: StoredPayload,
    /// Flags added to the normaliser's (e.g. a site code that names a far-away site).
    pub flags: Vec<Flag>,
}

/// A survey read and ready for the write path.
pub type SurveySubmission = Submission<SurveyEnvelope>;

/// Records read (or refused with their errors), in order.
pub type ReadRecords<E> = Vec<Result<Submission<E>, Vec<FieldError>>>;

/// Records from which a batch is read on two threads.
const TWO_THREADS_FROM: usize = 64;

/// Reads posted records one at a time (a large batch in two halves on two threads), in order.
pub fn read_records<K: Kind>(raws: &[RawRecord], today: NaiveDate) -> ReadRecords<K::Envelope> {
    let read = |raws: &[RawRecord]| -> ReadRecords<K::Envelope> {
        raws.iter()
            .map(|raw| {
                let (value, payload) = parse_record(raw)?;
                let envelope = K::read(&value, today)?;
                Ok(Submission { envelope, payload, flags: Vec::new() })
            })
            .collect()
    };
    if raws.len() < TWO_THREADS_FROM {
        return read(raws);
    }
    let (first, second) = raws.split_at(raws.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| read(second));
        let mut records = read(first);
        records.extend(second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        records
    })
}

/// Reads, normalises and stores many posted surveys for `author`; every record gets its own
/// outcome, in order.
pub fn survey_batch(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    store::<Surveys>(conn, author, &read_records::<Surveys>(raws, today), today)
}

/// Reads, normalises and stores many posted samples for `author`; every record gets its own
/// outcome, in order.
pub fn sample_batch(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    store::<Samples>(conn, author, &read_records::<Samples>(raws, today), today)
}

/// Normalises and stores surveys already read: [`store`] for surveys (imports and seeding).
pub fn store_surveys(
    conn: &mut PgConnection,
    author: &Author,
    read: &[Result<SurveySubmission, Vec<FieldError>>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    store::<Surveys>(conn, author, read, today)
}

/// Normalises and stores records already read (or refused, with their errors) with set-based
/// inserts: the one write path, for a single post (a batch of one), batches, imports and
/// seeding. Every record gets its own outcome, in order. When a concurrent post of one of the
/// client ids commits first, the batch's insert is rolled back whole and the batch is stored
/// again, answering that record from the stored copy.
pub fn store<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    read: &[Result<Submission<K::Envelope>, Vec<FieldError>>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    match store_once::<K>(conn, author, read, today) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            store_once::<K>(conn, author, read, today)
        }
        other => other,
    }
}

fn store_once<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    read: &[Result<Submission<K::Envelope>, Vec<FieldError>>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    let mut outcomes: Vec<Option<Outcome<Brief>>> = (0..read.len()).map(|_| None).collect();
    let mut envelopes = Vec::new();
    for (index, record) in read.iter().enumerate() {
        match record {
            Ok(Submission { envelope, payload, flags }) => envelopes.push((index, envelope, payload, flags)),
            Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors.clone())),
        }
    }
    let client_ids: Vec<uuid::Uuid> = envelopes.iter().map(|(_, e, _, _)| K::client_id(e)).collect();
    let existing: HashMap<uuid::Uuid, bulk::Existing> =
        bulk::existing(conn, K::KIND, author.team_id, &client_ids)?.into_iter().map(|e| (e.client_id, e)).collect();
    let site_ids: Vec<i64> = envelopes
        .iter()
        .filter_map(|(_, e, _, _)| if let Placement::Site(id) = K::placement(e) { Some(*id) } else { None })
        .collect();
    let sites = bulk::sites(conn, &site_ids)?;
    // first index of each client id in this batch, with its payload hash
    let mut first_in_batch: HashMap<uuid::Uuid, (usize, Vec<u8>)> = HashMap::new();
    let mut later_copies = Vec::new();
    let mut placed: Vec<Placed<'_, K::Envelope>> = Vec::new();
    for (index, envelope, payload, reader_flags) in envelopes {
        let client_id = K::client_id(envelope);
        if let Some(stored) = existing.get(&client_id) {
            outcomes[index] = Some(match (stored.record_kind, &stored.record_id) {
                (kind, Some(id)) if kind == K::KIND && stored.payload_sha256 == payload.sha256 => {
                    Outcome::Duplicate(Brief { id: *id, status: stored.status.unwrap_or(ReviewStatus::Pending) })
                }
                (kind, _) => Outcome::Conflict(format!(
                    "client_id was already used by this team for a different {kind}; use a new UUID for a new record"
                )),
            });
            continue;
        }
        if let Some((first, first_hash)) = first_in_batch.get(&client_id) {
            later_copies.push((index, *first, *first_hash == payload.sha256));
            continue;
        }
        first_in_batch.insert(client_id, (index, payload.sha256.clone()));
        let mut flags = reader_flags.clone();
        let site = match K::placement(envelope) {
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
        placed.push(Placed { index, envelope, payload, flags, client_id, site });
    }
    pipeline::normalise_and_insert::<K>(conn, author, &placed, today, &mut outcomes)?;
    for (index, first, same) in later_copies {
        outcomes[index] = Some(match (&outcomes[first], same) {
            (Some(Outcome::Created(b) | Outcome::Duplicate(b)), true) => Outcome::Duplicate(b.clone()),
            (Some(Outcome::Rejected(e)), true) => Outcome::Rejected(e.clone()),
            _ => Outcome::Conflict("client_id appears twice in this batch with different bodies".into()),
        });
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Conflict("not processed".into()))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> RawRecord {
        serde_json::value::RawValue::from_string(json.to_string()).unwrap()
    }

    #[test]
    fn a_nul_anywhere_is_refused_and_a_written_backslash_u0000_is_not() {
        let refused = |json: &str| parse_record(&raw(json)).err().map(|errors| errors[0].pointer.clone());
        assert_eq!(refused(r#"{"note": "a\u0000b"}"#), Some("/note".into()));
        assert_eq!(refused(r#"{"items": [{"code": "G1"}, {"co\u0000de": 1}]}"#), Some("/items/1/co\u{FFFD}de".into()));
        // the text `\u0000` (an escaped backslash, then `u0000`) holds no NUL
        let (value, payload) = parse_record(&raw(r#"{"note": "C:\\u0000"}"#)).unwrap();
        assert_eq!(value["note"], "C:\\u0000");
        assert_eq!(payload.json, r#"{"note":"C:\\u0000"}"#, "stored as sent, the backslash escaped");
        assert_eq!(refused(r#"{"note": "plain"}"#), None);
    }
}
