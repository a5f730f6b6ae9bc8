//! API tokens: created with a random secret shown once, stored as its SHA-256.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use tideline_core::vocabulary::Role;

/// What a presented token stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenGrant {
    /// Token id.
    pub token_id: i64,
    /// What the token may do.
    pub role: Role,
    /// The token's team.
    pub team_id: Option<i64>,
    /// The team's home city.
    pub team_city_id: Option<i64>,
    /// Whether the team is trusted.
    pub trusted: bool,
    /// The coordinator's city.
    pub city_id: Option<i64>,
    /// Revoked or expired.
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
    use crate::schema::{api_tokens as k, teams as t};
    type Row = (i64, Role, Option<i64>, Option<i64>, Option<bool>, Option<i64>, bool, Option<DateTime<Utc>>);
    let row: Option<Row> = k::table
        .left_join(t::table)
        .filter(k::token_hash.eq(hash(secret)))
        .select((
            k::id,
            k::role,
            k::team_id,
            t::city_id.nullable(),
            t::trusted.nullable(),
            k::city_id,
            k::revoked_at.is_not_null(),
            k::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(token_id, role, team_id, team_city_id, trusted, city_id, revoked, expires_at)| TokenGrant {
        token_id,
        role,
        team_id,
        team_city_id,
        trusted: trusted.unwrap_or(false),
        // a coordinator token without a city of its own reviews its team's city
        city_id: city_id.or(if role == Role::Coordinator { team_city_id } else { None }),
        expired: revoked || expires_at.is_some_and(|at| at <= Utc::now()),
    }))
}

/// Revokes a token; false when there is no such active token.
pub fn revoke(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    use crate::schema::api_tokens as k;
    let n = diesel::update(k::table.find(id).filter(k::revoked_at.is_null()))
        .set(k::revoked_at.eq(diesel::dsl::now))
        .execute(conn)?;
    Ok(n == 1)
}
