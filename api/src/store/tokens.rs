//! API tokens: created with a random secret shown once, stored as its SHA-256.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Bytea, Nullable, Text};
use sha2::{Digest, Sha256};
use tideline_core::vocabulary::Role;

/// What a presented token stands for.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct TokenGrant {
    /// Token id.
    #[diesel(sql_type = BigInt)]
    pub token_id: i64,
    /// What the token may do.
    #[diesel(sql_type = Text)]
    pub role: Role,
    /// The token's team.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub team_id: Option<i64>,
    /// The team's home city.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub team_city_id: Option<i64>,
    /// Whether the team is trusted.
    #[diesel(sql_type = Bool)]
    pub trusted: bool,
    /// The coordinator's city.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub city_id: Option<i64>,
    /// Revoked or expired.
    #[diesel(sql_type = Bool)]
    pub expired: bool,
}

/// SHA-256 of a token secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// A new random secret: `tl_` and 244 random bits in hex.
pub fn new_secret() -> String {
    format!("tl_{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Creates a token; returns its id and the secret (the only time it is seen).
pub fn create(
    conn: &mut PgConnection,
    role: Role,
    team_id: Option<i64>,
    city_id: Option<i64>,
    label: &str,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
) -> QueryResult<(i64, String)> {
    use crate::schema::api_tokens as k;
    let secret = new_secret();
    let id = diesel::insert_into(k::table)
        .values((
            k::token_hash.eq(hash(&secret)),
            k::role.eq(role),
            k::team_id.eq(team_id),
            k::city_id.eq(city_id),
            k::label.eq(label),
            k::expires_at.eq(expires_at),
        ))
        .returning(k::id)
        .get_result(conn)?;
    Ok((id, secret))
}

/// What a secret grants, if it is a known token (expired or revoked ones say so).
pub fn grant(conn: &mut PgConnection, secret: &str) -> QueryResult<Option<TokenGrant>> {
    // raw SQL: a left join with a computed city (a coordinator's own, else its team's)
    diesel::sql_query(
        "SELECT k.id AS token_id, k.role, k.team_id, t.city_id AS team_city_id, coalesce(t.trusted, false) AS trusted, \
         coalesce(k.city_id, CASE WHEN k.role = $2 THEN t.city_id END) AS city_id, \
         (k.revoked_at IS NOT NULL OR (k.expires_at IS NOT NULL AND k.expires_at <= now())) AS expired \
         FROM api_tokens k LEFT JOIN teams t ON t.id = k.team_id WHERE k.token_hash = $1",
    )
    .bind::<Bytea, _>(hash(secret))
    .bind::<Text, _>(Role::Coordinator)
    .get_result(conn)
    .optional()
}

/// Revokes a token; false when there is no such active token.
pub fn revoke(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    use crate::schema::api_tokens as k;
    let n = diesel::update(k::table.find(id).filter(k::revoked_at.is_null()))
        .set(k::revoked_at.eq(diesel::dsl::now))
        .execute(conn)?;
    Ok(n == 1)
}
