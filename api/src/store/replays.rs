//! Stored answers to batch posts with an `Idempotency-Key`, replayed on retry.

use diesel::prelude::*;

use super::records::pg_try_advisory_xact_lock;
use crate::schema::batch_replays as b;

/// A stored batch answer.
#[derive(Debug, Clone, Queryable)]
pub struct Replay {
    /// SHA-256 of the request body it answered.
    pub request_sha256: Vec<u8>,
    /// HTTP status.
    pub status_code: i16,
    /// JSON body, as text.
    pub response: serde_json::Value,
}

/// The answer stored for this team and key, if any.
pub fn find(conn: &mut PgConnection, city_id: i64, team_id: i64, key: &str) -> QueryResult<Option<Replay>> {
    b::table
        .find((city_id, team_id, key))
        .select((b::request_sha256, b::status_code, b::response))
        .first(conn)
        .optional()
}

/// Stores an answer (inside the batch's transaction).
pub fn save(
    conn: &mut PgConnection,
    city_id: i64,
    team_id: i64,
    key: &str,
    request_sha256: &[u8],
    status_code: u16,
    response: &serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(b::table)
        .values((
            b::city_id.eq(city_id),
            b::team_id.eq(team_id),
            b::idempotency_key.eq(key),
            b::request_sha256.eq(request_sha256),
            b::status_code.eq(status_code as i16),
            b::response.eq(response),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the team's lock on an idempotency key for the transaction, or answers `false` at once
/// when a concurrent request holds it (that request is still being processed).
pub fn lock(conn: &mut PgConnection, team_id: i64, key: &str) -> QueryResult<bool> {
    diesel::select(pg_try_advisory_xact_lock(hash_text_extended(key, team_id))).get_result(conn)
}

diesel::define_sql_function! {
    /// PostgreSQL's stable 64-bit hash of a text with a seed: the team and key as a lock key.
    #[sql_name = "hashtextextended"]
    fn hash_text_extended(text: diesel::sql_types::Text, seed: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
}
