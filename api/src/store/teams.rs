//! Volunteer teams (typed diesel queries over `teams`).

use diesel::prelude::*;
use serde::Serialize;
use tideline_core::vocabulary::TeamKind;
use utoipa::ToSchema;

use crate::schema::teams;

/// A team that posts records: a community group, university, school, NGO or agency.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = teams, check_for_backend(diesel::pg::Pg))]
pub struct Team {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// What kind of group it is.
    pub kind: TeamKind,
    /// Home city.
    pub city_id: i64,
    /// Records of trusted teams without flags are accepted without review.
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
    diesel::insert_into(teams::table)
        .values((teams::name.eq(name), teams::kind.eq(kind), teams::city_id.eq(city_id), teams::trusted.eq(trusted)))
        .on_conflict(teams::name)
        .do_update()
        .set((teams::kind.eq(kind), teams::city_id.eq(city_id), teams::trusted.eq(trusted)))
        .returning(Team::as_returning())
        .get_result(conn)
}

/// The team with this name.
pub fn find_team_by_name(conn: &mut PgConnection, name: &str) -> QueryResult<Option<Team>> {
    teams::table.filter(teams::name.eq(name)).select(Team::as_select()).first(conn).optional()
}

/// Teams of a city (all teams without one), by name.
pub fn list_teams(conn: &mut PgConnection, city_id: Option<i64>) -> QueryResult<Vec<Team>> {
    let mut query = teams::table.select(Team::as_select()).order(teams::name).into_boxed();
    if let Some(city_id) = city_id {
        query = query.filter(teams::city_id.eq(city_id));
    }
    query.load(conn)
}
