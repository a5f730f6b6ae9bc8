//! `/v1/teams`: coordinators register the volunteer teams of their city.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError, Problem};
use tideline_core::validation::{name_error, NAME_MAX};
use tideline_core::vocabulary::TeamKind;

use crate::database::DbPool;
use crate::http::auth::{Caller, Role};
use crate::store::places;
use crate::store::teams::{self, Team};

/// A team to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    /// Unique name.
    #[schema(example = "Non Nuoc Beach Volunteers")]
    pub name: String,
    /// What kind of group it is.
    #[schema(value_type = TeamKind)]
    pub kind: String,
    /// Home city (a coordinator's own).
    pub city_id: i64,
    /// Accept its unflagged records without review.
    #[serde(default)]
    pub trusted: bool,
}

/// Register a team, or update the one of that name (coordinator of its city, or admin).
#[utoipa::path(
    tag = "network",
    request_body = TeamRequest,
    responses(
        (status = 201, description = "Registered", body = Team),
        (status = 403, description = "Not a coordinator of that city", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/teams")]
pub async fn create_team(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<TeamRequest>,
) -> Result<HttpResponse, ApiError> {
    let team = body.into_inner();
    let mut errors = Vec::new();
    errors.extend(name_error("/name", &team.name, NAME_MAX));
    let kind = team.kind.parse::<TeamKind>().map_err(|message| errors.push(FieldError::new("/kind", message))).ok();
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return Err(ApiError::unprocessable(errors));
    };
    if !caller.manages_city(team.city_id) {
        return Err(ApiError::Forbidden("only a coordinator of the team's city (or an admin) may register it".into()));
    }
    let created = db::run(&pool, move |conn| {
        if places::find_city(conn, team.city_id)?.is_none() {
            return Err(ApiError::unprocessable(vec![FieldError::new("/city_id", "no such city")]));
        }
        if let Some(existing) = teams::find_team_by_name(conn, team.name.trim())? {
            if !caller.manages_city(existing.city_id) {
                return Err(ApiError::Conflict("a team of that name belongs to another city".into()));
            }
        }
        Ok(teams::upsert_team(conn, team.name.trim(), kind, team.city_id, team.trusted)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Team filter.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// City id (default: the coordinator's city).
    pub city: Option<i64>,
}

/// The teams of a city (its coordinators, or admins).
#[utoipa::path(
    tag = "network",
    params(TeamQuery),
    responses(
        (status = 200, description = "Teams", body = Vec<Team>),
        (status = 403, description = "Not a coordinator of that city", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/teams")]
pub async fn list_teams(
    pool: web::Data<DbPool>,
    caller: Caller,
    query: web::Query<TeamQuery>,
) -> Result<HttpResponse, ApiError> {
    let city = query.city.or(caller.city_id);
    let allowed = match city {
        Some(city) => caller.manages_city(city),
        None => caller.role == Role::Admin,
    };
    if !allowed {
        return Err(ApiError::Forbidden("teams are listed for a coordinator's own city".into()));
    }
    let teams = db::run(&pool, move |conn| Ok(teams::list_teams(conn, city)?)).await?;
    Ok(HttpResponse::Ok().json(teams))
}
