//! Versions of a corrected record: the body each version was sent with, what changed, and the
//! review status it was given. A record never corrected has one version, its raw submission;
//! the first correction writes that as version 1 (with the status and flags it had) and itself
//! as version 2.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bytea, Integer, Jsonb, Text, Timestamptz};
use serde::Serialize;
use tideline_core::correction::Change;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use super::records::{ReadScope, RecordKind, StoredPayload};

/// One version of a record.
#[derive(Debug, Clone, Serialize, QueryableByName, ToSchema)]
pub struct RecordVersion {
    /// 1 for the record as first sent, then one more per correction.
    #[diesel(sql_type = Integer)]
    pub version: i32,
    /// When this version arrived.
    #[diesel(sql_type = Timestamptz)]
    pub received_at: DateTime<Utc>,
    /// Review status this version was given on arrival (the first version's is the record's
    /// status while it was current).
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Its plausibility flags.
    #[diesel(sql_type = Jsonb)]
    #[schema(value_type = Vec<Flag>)]
    pub flags: serde_json::Value,
    /// The fields that differ from the version before (empty for version 1).
    #[diesel(sql_type = Jsonb)]
    #[schema(value_type = Vec<Change>)]
    pub changes: serde_json::Value,
    /// The body as sent.
    #[diesel(sql_type = Jsonb)]
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// A record about to be corrected, locked until the correction is stored.
#[derive(Debug, Clone, QueryableByName)]
pub struct Current {
    /// Its city.
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    /// The app's UUID it was first sent with.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub client_id: uuid::Uuid,
    /// Its review status now.
    #[diesel(sql_type = Text)]
    pub status: ReviewStatus,
    /// Its site now.
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub site_id: Option<i64>,
}

/// Record `id` of `team_id`, locked for update, if the team has it.
pub fn lock_current(conn: &mut PgConnection, kind: RecordKind, id: i64, team_id: i64) -> QueryResult<Option<Current>> {
    diesel::sql_query(format!(
        "SELECT r.city_id, sub.client_id, r.status, r.site_id FROM {} r JOIN submissions sub \
         ON sub.city_id = r.city_id AND sub.id = r.submission_id WHERE r.id = $1 AND r.team_id = $2 \
         FOR UPDATE OF r",
        kind.table()
    ))
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(team_id)
    .get_result(conn)
    .optional()
}

/// The latest version of a record: its number and body as sent.
#[derive(Debug, Clone, QueryableByName)]
pub struct Latest {
    /// Version number.
    #[diesel(sql_type = Integer)]
    pub version: i32,
    /// Body as sent.
    #[diesel(sql_type = Jsonb)]
    pub body: serde_json::Value,
    /// SHA-256 of the body's canonical text.
    #[diesel(sql_type = Bytea)]
    pub sha256: Vec<u8>,
}

/// The latest version of the record (`table` row `id` in `city_id`).
pub fn latest(conn: &mut PgConnection, kind: RecordKind, city_id: i64, id: i64) -> QueryResult<Latest> {
    // raw SQL: the newest of the kept versions and the original submission, in one statement
    diesel::sql_query(format!(
        "SELECT * FROM (SELECT v.version, v.payload AS body, v.payload_sha256 AS sha256 FROM record_versions v \
         WHERE v.city_id = $1 AND v.record_kind = $2 AND v.record_id = $3 \
         UNION ALL SELECT 1, sub.payload, sub.payload_sha256 FROM {} r JOIN submissions sub \
         ON sub.city_id = r.city_id AND sub.id = r.submission_id WHERE r.city_id = $1 AND r.id = $3) all_versions \
         ORDER BY version DESC LIMIT 1",
        kind.table()
    ))
    .bind::<BigInt, _>(city_id)
    .bind::<Text, _>(kind.as_str())
    .bind::<BigInt, _>(id)
    .get_result(conn)
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
    use crate::schema::record_versions as v;
    let payload: serde_json::Value = serde_json::from_str(&new.payload.json).unwrap_or_default();
    diesel::insert_into(v::table)
        .values((
            v::city_id.eq(city_id),
            v::record_kind.eq(kind.as_str()),
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
    // raw SQL: the kept versions, or the original submission when there are none, as one list
    diesel::sql_query(format!(
        "SELECT v.version, v.received_at, v.status, v.flags, v.changes, v.payload AS body FROM record_versions v \
         WHERE v.city_id = $1 AND v.record_kind = $2 AND v.record_id = $3 \
         UNION ALL SELECT 1, sub.received_at, r.status, r.flags, '[]'::jsonb, sub.payload \
         FROM {table} r JOIN submissions sub ON sub.city_id = r.city_id AND sub.id = r.submission_id \
         WHERE r.city_id = $1 AND r.id = $3 AND NOT EXISTS (SELECT 1 FROM record_versions v \
         WHERE v.city_id = $1 AND v.record_kind = $2 AND v.record_id = $3) ORDER BY version",
        table = kind.table()
    ))
    .bind::<BigInt, _>(city_id)
    .bind::<Text, _>(kind.as_str())
    .bind::<BigInt, _>(id)
    .load(conn)
}

/// Keeps the record as first sent as version 1, with its current status and flags, before its
/// first correction (nothing when versions are kept already).
pub fn keep_first(conn: &mut PgConnection, kind: RecordKind, city_id: i64, id: i64) -> QueryResult<()> {
    diesel::sql_query(format!(
        "INSERT INTO record_versions (city_id, record_kind, record_id, version, team_id, payload, payload_sha256, \
         status, flags, received_at) SELECT r.city_id, $2, r.id, 1, r.team_id, sub.payload, sub.payload_sha256, \
         r.status, r.flags, sub.received_at FROM {table} r JOIN submissions sub ON sub.city_id = r.city_id \
         AND sub.id = r.submission_id WHERE r.city_id = $1 AND r.id = $3 ON CONFLICT DO NOTHING",
        table = kind.table()
    ))
    .bind::<BigInt, _>(city_id)
    .bind::<Text, _>(kind.as_str())
    .bind::<BigInt, _>(id)
    .execute(conn)?;
    Ok(())
}

/// The city of record `id` when `scope` may read it.
pub fn visible_city(conn: &mut PgConnection, kind: RecordKind, id: i64, scope: ReadScope) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct City {
        #[diesel(sql_type = BigInt)]
        city_id: i64,
    }
    let found: Option<City> = diesel::sql_query(format!(
        "SELECT r.city_id FROM {} r WHERE r.id = $1 AND {}",
        kind.table(),
        scope.condition()
    ))
    .bind::<BigInt, _>(id)
    .get_result(conn)
    .optional()?;
    Ok(found.map(|c| c.city_id))
}
