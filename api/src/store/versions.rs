//! Versions of a corrected record: the body each version was sent with, what changed, and the
//! review status it was given. A record never corrected has one version, its raw submission;
//! the first correction writes that as version 1 (with the status and flags it had) and itself
//! as version 2.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use tideline_core::correction::Change;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use super::records::{on_records, ReadScope, RecordKind, StoredPayload};
use crate::schema::{record_versions as v, submissions as sub};

/// One version of a record.
#[derive(Debug, Clone, Serialize, Queryable, ToSchema)]
pub struct RecordVersion {
    /// 1 for the record as first sent, then one more per correction.
    pub version: i32,
    /// When this version arrived.
    pub received_at: DateTime<Utc>,
    /// Review status this version was given on arrival (the first version's is the record's
    /// status while it was current).
    pub status: ReviewStatus,
    /// Its plausibility flags.
    #[schema(value_type = Vec<Flag>)]
    pub flags: serde_json::Value,
    /// The fields that differ from the version before (empty for version 1).
    #[schema(value_type = Vec<Change>)]
    pub changes: serde_json::Value,
    /// The body as sent.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// A record about to be corrected, locked until the correction is stored.
#[derive(Debug, Clone)]
pub struct Current {
    /// Its city.
    pub city_id: i64,
    /// The app's UUID it was first sent with.
    pub client_id: uuid::Uuid,
    /// Its review status now.
    pub status: ReviewStatus,
    /// Its site now.
    pub site_id: Option<i64>,
}

/// Record `id` of `team_id`, locked for update (by its city and id, so under Citus the lock
/// runs on one shard), if the team has it.
pub fn lock_current(conn: &mut PgConnection, kind: RecordKind, id: i64, team_id: i64) -> QueryResult<Option<Current>> {
    let Some(city_id) = super::records::city_of(conn, kind, id)? else { return Ok(None) };
    let locked: Option<(i64, ReviewStatus, Option<i64>)> = on_records!(kind, r => r::table
        .find((city_id, id))
        .filter(r::team_id.eq(team_id))
        .select((r::submission_id, r::status, r::site_id))
        .for_update()
        .first(conn)
        .optional())?;
    let Some((submission_id, status, site_id)) = locked else { return Ok(None) };
    let client_id = sub::table.find((city_id, submission_id)).select(sub::client_id).first(conn)?;
    Ok(Some(Current { city_id, client_id, status, site_id }))
}

/// The latest version of a record: its number and body as sent.
#[derive(Debug, Clone, Queryable)]
pub struct Latest {
    /// Version number.
    pub version: i32,
    /// Body as sent.
    pub body: serde_json::Value,
    /// SHA-256 of the body's canonical text.
    pub sha256: Vec<u8>,
}

/// The record as first sent (its raw submission), with the time it arrived.
fn original(
    conn: &mut PgConnection,
    kind: RecordKind,
    city_id: i64,
    id: i64,
) -> QueryResult<(serde_json::Value, Vec<u8>, DateTime<Utc>)> {
    on_records!(kind, r => r::table
        .inner_join(sub::table.on(sub::city_id.eq(r::city_id).and(sub::id.eq(r::submission_id))))
        .filter(r::city_id.eq(city_id))
        .filter(r::id.eq(id))
        .select((sub::payload, sub::payload_sha256, sub::received_at))
        .first(conn))
}

/// The kept versions of a record, filtered.
fn kept(kind: RecordKind, city_id: i64, id: i64) -> v::BoxedQuery<'static, diesel::pg::Pg> {
    v::table.filter(v::city_id.eq(city_id)).filter(v::record_kind.eq(kind)).filter(v::record_id.eq(id)).into_boxed()
}

/// The latest version of the record (row `id` in `city_id`).
pub fn latest(conn: &mut PgConnection, kind: RecordKind, city_id: i64, id: i64) -> QueryResult<Latest> {
    let newest = kept(kind, city_id, id)
        .order(v::version.desc())
        .select((v::version, v::payload, v::payload_sha256))
        .first::<Latest>(conn)
        .optional()?;
    match newest {
        Some(latest) => Ok(latest),
        None => original(conn, kind, city_id, id).map(|(body, sha256, _)| Latest { version: 1, body, sha256 }),
    }
}

/// The version numbers of these records (city, id): 1 unless corrected.
fn numbers(
    conn: &mut PgConnection,
    kind: RecordKind,
    records: &[(i64, i64)],
) -> QueryResult<std::collections::HashMap<(i64, i64), i32>> {
    let cities: Vec<i64> = records.iter().map(|r| r.0).collect();
    let ids: Vec<i64> = records.iter().map(|r| r.1).collect();
    let kept: Vec<(i64, i64, Option<i32>)> = v::table
        .filter(v::record_kind.eq(kind))
        .filter(v::city_id.eq_any(cities))
        .filter(v::record_id.eq_any(ids))
        .group_by((v::city_id, v::record_id))
        .select((v::city_id, v::record_id, diesel::dsl::max(v::version)))
        .load(conn)?;
    let mut numbers: std::collections::HashMap<(i64, i64), i32> = records.iter().map(|r| (*r, 1)).collect();
    for (city_id, id, version) in kept {
        if let Some(number) = numbers.get_mut(&(city_id, id)) {
            *number = version.unwrap_or(1);
        }
    }
    Ok(numbers)
}

/// Records paired with their version numbers (`key` gives a record's city and id).
pub fn numbered<T>(
    conn: &mut PgConnection,
    kind: RecordKind,
    records: Vec<T>,
    key: impl Fn(&T) -> (i64, i64),
) -> QueryResult<Vec<(T, i32)>> {
    let keys: Vec<(i64, i64)> = records.iter().map(&key).collect();
    let numbers = numbers(conn, kind, &keys)?;
    Ok(records
        .into_iter()
        .map(|record| {
            let version = numbers.get(&key(&record)).copied().unwrap_or(1);
            (record, version)
        })
        .collect())
}

/// A new version of a record, as stored.
pub struct NewVersion<'a> {
    /// Its number.
    pub version: i32,
    /// The team that sent it.
    pub team_id: i64,
    /// Its body.
    pub payload: &'a StoredPayload,
    /// Status given on arrival.
    pub status: ReviewStatus,
    /// Flags.
    pub flags: &'a [Flag],
    /// Fields changed since the version before.
    pub changes: &'a [Change],
}

/// Stores a new version of the record (inside the caller's transaction).
pub fn insert(
    conn: &mut PgConnection,
    kind: RecordKind,
    city_id: i64,
    id: i64,
    new: &NewVersion<'_>,
) -> QueryResult<()> {
    let payload: serde_json::Value = serde_json::from_str(&new.payload.json).unwrap_or_default();
    diesel::insert_into(v::table)
        .values((
            v::city_id.eq(city_id),
            v::record_kind.eq(kind),
            v::record_id.eq(id),
            v::version.eq(new.version),
            v::team_id.eq(new.team_id),
            v::payload.eq(payload),
            v::payload_sha256.eq(&new.payload.sha256),
            v::status.eq(new.status),
            v::flags.eq(serde_json::to_value(new.flags).unwrap_or_default()),
            v::changes.eq(serde_json::to_value(new.changes).unwrap_or_default()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every version of the record, oldest first (one, from the submission and the record, when it
/// was never corrected).
pub fn history(conn: &mut PgConnection, kind: RecordKind, city_id: i64, id: i64) -> QueryResult<Vec<RecordVersion>> {
    let versions: Vec<RecordVersion> = kept(kind, city_id, id)
        .order(v::version)
        .select((v::version, v::received_at, v::status, v::flags, v::changes, v::payload))
        .load(conn)?;
    if !versions.is_empty() {
        return Ok(versions);
    }
    let (body, _, received_at) = original(conn, kind, city_id, id)?;
    let (status, flags) = state(conn, kind, city_id, id)?;
    Ok(vec![RecordVersion { version: 1, received_at, status, flags, changes: serde_json::json!([]), body }])
}

/// The record's status and flags now.
fn state(
    conn: &mut PgConnection,
    kind: RecordKind,
    city_id: i64,
    id: i64,
) -> QueryResult<(ReviewStatus, serde_json::Value)> {
    on_records!(kind, r => r::table.find((city_id, id)).select((r::status, r::flags)).first(conn))
}

/// Keeps the record as first sent as version 1, with its current status and flags, before its
/// first correction (nothing when versions are kept already).
pub fn keep_first(conn: &mut PgConnection, kind: RecordKind, city_id: i64, id: i64) -> QueryResult<()> {
    let (payload, sha256, received_at) = original(conn, kind, city_id, id)?;
    let (status, flags) = state(conn, kind, city_id, id)?;
    let team_id: i64 = on_records!(kind, r => r::table.find((city_id, id)).select(r::team_id).first(conn))?;
    diesel::insert_into(v::table)
        .values((
            v::city_id.eq(city_id),
            v::record_kind.eq(kind),
            v::record_id.eq(id),
            v::version.eq(1),
            v::team_id.eq(team_id),
            v::payload.eq(payload),
            v::payload_sha256.eq(sha256),
            v::status.eq(status),
            v::flags.eq(flags),
            v::received_at.eq(received_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// The city of record `id` when `scope` may read it.
pub fn visible_city(conn: &mut PgConnection, kind: RecordKind, id: i64, scope: ReadScope) -> QueryResult<Option<i64>> {
    on_records!(kind, r => {
        let query = r::table.filter(r::id.eq(id)).select(r::city_id).into_boxed();
        let query = match scope {
            ReadScope::Team(team) => query.filter(r::team_id.eq(team)),
            ReadScope::City(city) => query.filter(r::city_id.eq(city)),
            ReadScope::Accepted => query.filter(r::status.eq(ReviewStatus::Accepted)),
            ReadScope::All => query,
            ReadScope::Nothing => return Ok(None),
        };
        query.first(conn).optional()
    })
}
