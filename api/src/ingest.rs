//! The write path shared by the HTTP API and `tideline import`: read the posted record
//! (core), normalise it (core), then store it in one transaction — raw payload, canonical
//! record, items, totals and rollups — or return the stored copy on a retry.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::Value;
use tideline_core::input::{read_sample, read_survey};
use tideline_core::microplastics::normalise_sample;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::normalise;
use tideline_core::validation::FieldError;

use crate::store::records::{self, Author, ReadScope, RecordKind};
use crate::store::rollups;
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

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The stored record's id for a retried submission, or why it conflicts.
fn replay(
    conn: &mut PgConnection,
    kind: RecordKind,
    existing: &records::Submission,
    payload: &Value,
) -> QueryResult<Result<i64, String>> {
    if existing.record_kind != kind.as_str() || existing.payload_sha256 != records::payload_hash(payload) {
        return Ok(Err(format!(
            "client_id was already used by this team for a different {}; use a new UUID for a new record",
            existing.record_kind
        )));
    }
    let id: Id =
        diesel::sql_query(format!("SELECT id FROM {} WHERE city_id = $1 AND submission_id = $2", kind.table()))
            .bind::<BigInt, _>(existing.city_id)
            .bind::<BigInt, _>(existing.id)
            .get_result(conn)?;
    Ok(Ok(id.id))
}

/// Runs a single-record write again when a concurrent post of the same client id committed
/// first (the ledger's unique violation rolled this one back): the retry finds the stored copy.
fn once_more_after_race<T>(mut write: impl FnMut() -> QueryResult<T>) -> QueryResult<T> {
    match write() {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => write(),
        other => other,
    }
}

/// Reads, normalises and stores one survey for `author`.
pub fn survey(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SurveyRecord>> {
    once_more_after_race(|| survey_once(conn, author, payload, today))
}

fn survey_once(
    conn: &mut PgConnection,
    author: &Author,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Outcome<SurveyRecord>> {
    let envelope = match read_survey(payload, "", today) {
        Ok(envelope) => envelope,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    let found = |conn: &mut PgConnection, id| surveys::find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    conn.transaction(|conn| {
        records::lock_client_id(conn, author.team_id, envelope.client_id)?;
        if let Some(existing) = records::find_submission(conn, author.team_id, envelope.client_id)? {
            return Ok(match replay(conn, RecordKind::Survey, &existing, payload)? {
                Ok(id) => Outcome::Duplicate(found(conn, id)?),
                Err(message) => Outcome::Conflict(message),
            });
        }
        let mut placement_flags = Vec::new();
        let placed = match records::place(conn, &envelope.placement, author, &mut placement_flags)? {
            Ok(placed) => placed,
            Err(error) => return Ok(Outcome::Rejected(vec![error])),
        };
        let mut input = envelope.input;
        input.site_length_m = placed.site.as_ref().and_then(|s| s.reference_length_m);
        let mut normalised = match normalise(input, today) {
            Ok(normalised) => normalised,
            Err(errors) => return Ok(Outcome::Rejected(errors)),
        };
        normalised.flags.extend(placement_flags);
        let status = ReviewStatus::on_arrival(author.trusted, &normalised.flags);
        let protocol = normalised.input.protocol.as_str();
        let submission = records::insert_submission(
            conn,
            placed.city_id,
            author,
            envelope.client_id,
            RecordKind::Survey,
            protocol,
            &normalised.mapping_version,
            payload,
        )?;
        let site_id = placed.site.as_ref().map(|s| s.id);
        let inserted = surveys::insert(conn, placed.city_id, submission, author.team_id, site_id, &normalised, status)?;
        if status == ReviewStatus::Accepted && site_id.is_some() {
            rollups::apply_survey(conn, inserted.city_id, inserted.id, 1)?;
        }
        Ok(Outcome::Created(found(conn, inserted.id)?))
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

/// A stored survey's id and review status: what a batch answer lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// Survey id.
    pub id: i64,
    /// Review status.
    pub status: String,
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

fn survey_brief(r: SurveyRecord) -> Brief {
    Brief { id: r.id, status: r.status }
}

/// Reads, normalises and stores many surveys for `author` with set-based inserts; every
/// record gets its own outcome, in order. Falls back to one record at a time if a concurrent
/// post of the same client id gets in first.
pub fn survey_batch(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    use std::collections::HashMap;

    use crate::store::bulk::{self, Prepared};
    use crate::store::records::StoredPayload;
    use tideline_core::input::Placement;

    let mut outcomes: Vec<Option<Outcome<Brief>>> = (0..raws.len()).map(|_| None).collect();
    let mut envelopes = Vec::new();
    for (index, raw) in raws.iter().enumerate() {
        let read = parse_record(raw).and_then(|value| Ok((read_survey(&value, "", today)?, StoredPayload::of(&value))));
        match read {
            Ok((envelope, payload)) => envelopes.push((index, envelope, payload)),
            Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors)),
        }
    }
    let client_ids: Vec<uuid::Uuid> = envelopes.iter().map(|(_, e, _)| e.client_id).collect();
    let existing: HashMap<uuid::Uuid, bulk::Existing> =
        bulk::existing(conn, author.team_id, &client_ids)?.into_iter().map(|e| (e.client_id, e)).collect();
    let site_ids: Vec<i64> = envelopes
        .iter()
        .filter_map(|(_, e, _)| if let Placement::Site(id) = e.placement { Some(id) } else { None })
        .collect();
    let sites = bulk::sites(conn, &site_ids)?;
    // first index of each client id in this batch, with its payload hash
    let mut first_in_batch: HashMap<uuid::Uuid, (usize, Vec<u8>)> = HashMap::new();
    let mut later_copies = Vec::new();
    let mut prepared: Vec<(usize, Prepared)> = Vec::new();
    for (index, envelope, payload) in envelopes {
        if let Some(stored) = existing.get(&envelope.client_id) {
            outcomes[index] = Some(match (stored.record_kind.as_str(), &stored.survey_id) {
                ("survey", Some(id)) if stored.payload_sha256 == payload.sha256 => {
                    Outcome::Duplicate(Brief { id: *id, status: stored.status.clone().unwrap_or_default() })
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
        let mut flags = Vec::new();
        let site = match envelope.placement {
            Placement::Site(id) => match sites.get(&id) {
                Some(site) => Some(site.clone()),
                None => {
                    let error = FieldError::new("/site_id", format!("there is no site {id}"));
                    outcomes[index] = Some(Outcome::Rejected(vec![error]));
                    continue;
                }
            },
            ref other => match records::place(conn, other, author, &mut flags)? {
                Ok(placed) => placed.site,
                Err(error) => {
                    outcomes[index] = Some(Outcome::Rejected(vec![error]));
                    continue;
                }
            },
        };
        let mut input = envelope.input;
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
    let (indices, records): (Vec<usize>, Vec<Prepared>) = prepared.into_iter().unzip();
    match conn.transaction(|conn| bulk::insert(conn, author, &records)) {
        Ok(ids) => {
            for ((index, record), id) in indices.iter().zip(&records).zip(ids) {
                outcomes[*index] = Some(Outcome::Created(Brief { id, status: record.status.as_str().to_string() }));
            }
        }
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            for (index, record) in indices.iter().zip(&records) {
                let payload: Value = serde_json::from_str(&record.payload.json).unwrap_or_default();
                outcomes[*index] = Some(brief(survey(conn, author, &payload, today)?, survey_brief));
            }
        }
        Err(other) => return Err(other),
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
