//! Liveness (`/health`) and readiness (`/ready`, a database round trip).

use actix_web::{get, web, HttpResponse};
use diesel::{IntoSql, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::{ApiError, Problem};
use crate::database::DbPool;

/// Health of the service.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the check passed.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// The running version of Tideline.
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

fn ok() -> Health {
    Health { status: "ok", version: env!("CARGO_PKG_VERSION") }
}

/// Liveness: the process is up and serving HTTP. Does not touch the database.
#[utoipa::path(tag = "health", responses((status = 200, description = "The process is up", body = Health)))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(ok())
}

/// Readiness: the database answers a round trip. 503 while it does not; recovers by itself
/// when the database comes back.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
pub async fn ready(pool: web::Data<DbPool>) -> Result<HttpResponse, ApiError> {
    let pool = pool.into_inner();
    web::block(move || -> Result<(), ApiError> {
        let mut conn = pool.get()?;
        diesel::select(1.into_sql::<diesel::sql_types::Integer>())
            .execute(&mut conn)
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        Ok(())
    })
    .await??;
    Ok(HttpResponse::Ok().json(ok()))
}
