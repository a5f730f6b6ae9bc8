//! `PUT /v1/surveys/{id}` and `/v1/samples/{id}` (a team corrects its record with the full
//! corrected body) and `GET …/{id}/history` (every version, with what changed).

use actix_web::{get, put, web, HttpResponse};
use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};
use serde::Serialize;
use serde_json::Value;

use super::bodies::{SampleBody, SurveyBody};
use super::db;
use super::problem::{ApiError, Problem};
use super::stats_cache::StatsCache;
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::ingest::{self, Correction};
use crate::store::records::Author;
use crate::store::records::RecordKind;
use crate::store::samples::SampleRecord;
use crate::store::surveys::SurveyRecord;
use crate::store::versions::{self, RecordVersion};

/// Correct a survey of the caller's team with its full corrected body (the same envelope as a
/// post, with the record's own `client_id`). A new version is stored, the earlier ones are
/// kept, the review status is decided again by the usual rules, and statistics use the latest
/// version. Sending the same correction again changes nothing.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body(content = SurveyBody, description = "The full corrected survey envelope, as posted to /v1/surveys, with the record's client_id"),
    responses(
        (status = 200, description = "The corrected survey (header Tideline-Outcome: corrected, or unchanged for a repeated correction)", body = SurveyRecord),
        (status = 404, description = "No such survey of the caller's team", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer; nothing changed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/v1/surveys/{id}")]
pub async fn correct_survey(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    correct(pool, cache, caller, (RecordKind::Survey, id.into_inner()), body, ingest::correct_survey).await
}

/// Correct a microplastic sample of the caller's team with its full corrected body (the same
/// envelope as a post, with the record's own `client_id`); as for surveys, earlier versions are
/// kept and the same correction sent again changes nothing.
#[utoipa::path(
    tag = "samples",
    params(("id" = i64, Path, description = "Sample id")),
    request_body(content = SampleBody, description = "The full corrected sample envelope, as posted to /v1/samples, with the record's client_id"),
    responses(
        (status = 200, description = "The corrected sample (header Tideline-Outcome: corrected, or unchanged for a repeated correction)", body = SampleRecord),
        (status = 404, description = "No such sample of the caller's team", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer; nothing changed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/v1/samples/{id}")]
pub async fn correct_sample(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    correct(pool, cache, caller, (RecordKind::Sample, id.into_inner()), body, ingest::correct_sample).await
}

type Corrector<R> = fn(&mut PgConnection, &Author, i64, &Value, NaiveDate) -> QueryResult<Correction<R>>;

async fn correct<R: Serialize + Send + 'static>(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    caller: Caller,
    (kind, id): (RecordKind, i64),
    body: web::Json<Value>,
    corrector: Corrector<R>,
) -> Result<HttpResponse, ApiError> {
    let author = caller.author()?;
    super::extract_errors::reject_nul_characters(&body)?;
    let today = crate::ingest::latest_local_date();
    let outcome = db::run(&pool, move |conn| Ok(corrector(conn, &author, id, &body, today)?)).await?;
    match outcome {
        Correction::Corrected(record) => {
            cache.invalidate();
            Ok(HttpResponse::Ok().insert_header(("Tideline-Outcome", "corrected")).json(record))
        }
        Correction::Unchanged(record) => {
            Ok(HttpResponse::Ok().insert_header(("Tideline-Outcome", "unchanged")).json(record))
        }
        Correction::NotFound => Err(ApiError::NotFound(format!("no {} {id} of your team", kind.as_str()))),
        Correction::Rejected(errors) => Err(ApiError::unprocessable(errors)),
    }
}

/// Every version of a survey the caller may read, oldest first: the body as sent, the review
/// status and flags it was given, and the fields that changed from the version before.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The survey's versions", body = Vec<RecordVersion>),
        (status = 404, description = "No such survey visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/surveys/{id}/history")]
pub async fn survey_history(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    history(pool, caller, RecordKind::Survey, id.into_inner()).await
}

/// Every version of a sample the caller may read, oldest first, with what changed.
#[utoipa::path(
    tag = "samples",
    params(("id" = i64, Path, description = "Sample id")),
    responses(
        (status = 200, description = "The sample's versions", body = Vec<RecordVersion>),
        (status = 404, description = "No such sample visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/samples/{id}/history")]
pub async fn sample_history(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    history(pool, caller, RecordKind::Sample, id.into_inner()).await
}

async fn history(pool: web::Data<DbPool>, caller: Caller, kind: RecordKind, id: i64) -> Result<HttpResponse, ApiError> {
    let scope = caller.read_scope();
    let history = db::run(&pool, move |conn| {
        let Some(city_id) = versions::visible_city(conn, kind, id, scope)? else { return Ok(None) };
        Ok(Some(versions::history(conn, kind, city_id, id)?))
    })
    .await?;
    history.map(|h| HttpResponse::Ok().json(h)).ok_or_else(|| ApiError::NotFound(format!("no {} {id}", kind.as_str())))
}
