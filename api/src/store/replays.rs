//! Stored answers to batch posts with an `Idempotency-Key`, replayed on retry.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Bytea, SmallInt, Text};

/// A stored batch answer.
#[derive(Debug, Clone, QueryableByName)]
pub struct Replay {
    /// SHA-256 of the request body it answered.
    #[diesel(sql_type = Bytea)]
    pub request_sha256: Vec<u8>,
    /// HTTP status.
    #[diesel(sql_type = SmallInt)]
    pub status_code: i16,
    /// JSON body, as text.
    #[diesel(sql_type = Text)]
    pub response: String,
}

/// The answer stored for this team and key, if any.
pub fn find(conn: &mut PgConnection, city_id: i64, team_id: i64, key: &str) -> QueryResult<Option<Replay>> {
    diesel::sql_query(
        "SELECT request_sha256, status_code, response::text AS response FROM batch_replays \
         WHERE city_id = $1 AND team_id = $2 AND idempotency_key = $3",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(team_id)
    .bind::<Text, _>(key)
    .get_result(conn)
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
    response: &str,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO batch_replays (city_id, team_id, idempotency_key, request_sha256, status_code, response) \
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(team_id)
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(request_sha256)
    .bind::<SmallInt, _>(status_code as i16)
    .bind::<Text, _>(response)
    .execute(conn)?;
    Ok(())
}

/// Takes the team's lock on an idempotency key for the transaction, or answers `false` at once
/// when a concurrent request holds it (that request is still being processed).
pub fn lock(conn: &mut PgConnection, team_id: i64, key: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = Bool)]
        locked: bool,
    }
    // hashtextextended: a stable 64-bit hash of the team and key as the advisory lock's key
    let row: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock(hashtextextended($2, $1)) AS locked")
        .bind::<BigInt, _>(team_id)
        .bind::<Text, _>(key)
        .get_result(conn)?;
    Ok(row.locked)
}
