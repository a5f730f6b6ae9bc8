//! `/v1/samples`: post (single and batch), read, list and review microplastic samples.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::batch::{BatchRequest, BatchResponse};
use super::bodies::{SampleBatchBody, SampleBody};
use super::problem::{ApiError, Problem};
use super::record_endpoints::SAMPLES;
use super::records::{ListQuery, Page, ReviewRequest};
use super::stats_cache::StatsCache;
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::store::samples::SampleRecord;

/// Post one microplastic sample. A retry with the same `client_id` and body
/// returns the stored sample (200); the same `client_id` with another body is a 409.
#[utoipa::path(
    tag = "samples",
    request_body = SampleBody,
    responses(
        (status = 201, description = "Stored", body = SampleRecord),
        (status = 200, description = "Already stored (a retry)", body = SampleRecord),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "client_id reused for a different sample", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/samples")]
pub async fn post_sample(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    SAMPLES.post(pool, cache, caller, body).await
}

/// Post up to 1 000 samples. Valid ones are stored even when others are rejected; each
/// record's outcome is listed. With an `Idempotency-Key` header a retried batch replays the
/// stored answer.
#[utoipa::path(
    tag = "samples",
    request_body = SampleBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 printable ASCII characters; a retry with the same key and body replays the stored answer")),
    responses(
        (status = 200, description = "Every record's outcome", body = BatchResponse),
        (status = 409, description = "A request with this Idempotency-Key is still being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a batch, too many records, or an Idempotency-Key reused for another batch", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/samples/batch")]
pub async fn post_sample_batch(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    req: HttpRequest,
    caller: Caller,
    body: web::Json<BatchRequest>,
) -> Result<HttpResponse, ApiError> {
    SAMPLES.post_batch(pool, cache, req, caller, body).await
}

/// List samples the caller may read (own team; a coordinator's city; accepted ones for
/// researchers), by id, keyset-paginated.
#[utoipa::path(
    tag = "samples",
    params(ListQuery),
    responses((status = 200, description = "A page of samples", body = Page<SampleRecord>)),
    security(("bearer" = []))
)]
#[get("/v1/samples")]
pub async fn list_samples(
    pool: web::Data<DbPool>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    SAMPLES.list(pool, caller, query).await
}

/// One sample with its particle counts; 404 when it does not exist or the caller may not see it.
#[utoipa::path(
    tag = "samples",
    params(("id" = i64, Path, description = "Sample id")),
    responses(
        (status = 200, description = "The sample", body = SampleRecord),
        (status = 404, description = "No such sample visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/samples/{id}")]
pub async fn get_sample(pool: web::Data<DbPool>, caller: Caller, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    SAMPLES.get(pool, caller, id).await
}

/// Accept or reject a sample (coordinator of its city, or admin). Only accepted samples count
/// in public statistics.
#[utoipa::path(
    tag = "samples",
    params(("id" = i64, Path, description = "Sample id")),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "The reviewed sample", body = SampleRecord),
        (status = 404, description = "No such sample in the caller's city", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/samples/{id}/review")]
pub async fn review_sample(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    SAMPLES.review(pool, cache, caller, id, body).await
}
