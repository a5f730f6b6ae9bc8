//! Volunteer teams.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use serde::Serialize;
use tideline_core::vocabulary::TeamKind;
use utoipa::ToSchema;

/// A team that posts records: a community group, university, school, NGO or agency.
#[derive(Debug, Clone, PartialEq, QueryableByName, Serialize, ToSchema)]
pub struct Team {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Unique name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// What kind of group it is.
    #[diesel(sql_type = Text)]
    pub kind: TeamKind,
    /// Home city.
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    /// Records of trusted teams without flags are accepted without review.
    #[diesel(sql_type = Bool)]
    pub trusted: bool,
}

/// Creates a team, or updates kind, city and trust of the team with that name.
pub fn upsert_team(
    conn: &mut PgConnection,
    name: &str,
    kind: TeamKind,
    city_id: i64,
    trusted: bool,
) -> QueryResult<Team> {
    diesel::sql_query(
        "INSERT INTO teams (name, kind, city_id, trusted) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, city_id = EXCLUDED.city_id, trusted = EXCLUDED.trusted \
         RETURNING id, name, kind, city_id, trusted",
    )
    .bind::<Text, _>(name)
    .bind::<Text, _>(kind)
    .bind::<BigInt, _>(city_id)
    .bind::<Bool, _>(trusted)
    .get_result(conn)
}

/// The team with this name.
pub fn find_team_by_name(conn: &mut PgConnection, name: &str) -> QueryResult<Option<Team>> {
    diesel::sql_query("SELECT id, name, kind, city_id, trusted FROM teams WHERE name = $1")
        .bind::<Text, _>(name)
        .get_result(conn)
        .optional()
}

/// The team with this id.
pub fn find_team(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Team>> {
    diesel::sql_query("SELECT id, name, kind, city_id, trusted FROM teams WHERE id = $1")
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()
}

/// Teams of a city (all teams without one), by name.
pub fn list_teams(conn: &mut PgConnection, city_id: Option<i64>) -> QueryResult<Vec<Team>> {
    diesel::sql_query(
        "SELECT id, name, kind, city_id, trusted FROM teams WHERE $1::bigint IS NULL OR city_id = $1 ORDER BY name",
    )
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(city_id)
    .load(conn)
}
