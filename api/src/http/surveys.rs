//! `/v1/surveys`: post (single and batch), read, list and review beach-litter surveys.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::batch::{BatchRequest, BatchResponse};
use super::bodies::{SurveyBatchBody, SurveyBody};
use super::problem::{ApiError, Problem};
use super::record_endpoints::SURVEYS;
use super::records::{ListQuery, Page, ReviewRequest};
use super::stats_cache::StatsCache;
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::store::surveys::SurveyRecord;

/// Post one survey in its protocol's codes. A retry with the same `client_id` and body
/// returns the stored survey (200); the same `client_id` with another body is a 409.
#[utoipa::path(
    tag = "surveys",
    request_body = SurveyBody,
    responses(
        (status = 201, description = "Stored", body = SurveyRecord),
        (status = 200, description = "Already stored (a retry)", body = SurveyRecord),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "client_id reused for a different survey", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/surveys")]
pub async fn post_survey(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    SURVEYS.post(pool, cache, caller, body).await
}

/// Post up to 1 000 surveys. Valid ones are stored even when others are rejected; each
/// record's outcome is listed. With an `Idempotency-Key` header a retried batch replays the
/// stored answer.
#[utoipa::path(
    tag = "surveys",
    request_body = SurveyBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 printable ASCII characters; a retry with the same key and body replays the stored answer")),
    responses(
        (status = 200, description = "Every record's outcome", body = BatchResponse),
        (status = 409, description = "A request with this Idempotency-Key is still being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a batch, too many records, or an Idempotency-Key reused for another batch", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/surveys/batch")]
pub async fn post_survey_batch(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    req: HttpRequest,
    caller: Caller,
    body: web::Json<BatchRequest>,
) -> Result<HttpResponse, ApiError> {
    SURVEYS.post_batch(pool, cache, req, caller, body).await
}

/// List surveys the caller may read (own team; a coordinator's city; accepted ones for
/// researchers), by id, keyset-paginated.
#[utoipa::path(
    tag = "surveys",
    params(ListQuery),
    responses((status = 200, description = "A page of surveys", body = Page<SurveyRecord>)),
    security(("bearer" = []))
)]
#[get("/v1/surveys")]
pub async fn list_surveys(
    pool: web::Data<DbPool>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    SURVEYS.list(pool, caller, query).await
}

/// One survey with its canonical items; 404 when it does not exist or the caller may not see it.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The survey", body = SurveyRecord),
        (status = 404, description = "No such survey visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/surveys/{id}")]
pub async fn get_survey(pool: web::Data<DbPool>, caller: Caller, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    SURVEYS.get(pool, caller, id).await
}

/// Accept or reject a survey (coordinator of its city, or admin). Only accepted surveys count
/// in public statistics.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "The reviewed survey", body = SurveyRecord),
        (status = 404, description = "No such survey in the caller's city", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/surveys/{id}/review")]
pub async fn review_survey(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    SURVEYS.review(pool, cache, caller, id, body).await
}
