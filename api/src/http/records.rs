//! What the survey and sample endpoints share: answering an ingest outcome, batches with
//! `Idempotency-Key` replay, the review decision, and list parameters.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use diesel::{Connection, PgConnection};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError};
use crate::auth::Caller;
use crate::database::DbPool;
use crate::ingest::{Brief, Outcome};
use crate::store::records::{payload_hash, Author, RecordKind};
use crate::store::replays;
use crate::store::reviews;
use crate::store::surveys::ListFilter;

/// Most records in one batch.
pub const MAX_BATCH: usize = 1_000;

/// The latest local date a record may have: today in UTC plus one day for zones ahead of UTC.
pub fn latest_local_date() -> NaiveDate {
    Utc::now().date_naive() + chrono::Duration::days(1)
}

/// The answer to a single-record post: 201 created, 200 duplicate, 422 rejected, 409 conflict.
pub fn answer<R: Serialize>(
    kind: RecordKind,
    outcome: Outcome<R>,
    id: impl Fn(&R) -> i64,
) -> Result<HttpResponse, ApiError> {
    match outcome {
        Outcome::Created(record) => Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/v1/{}/{}", kind.table(), id(&record))))
            .insert_header(("Tideline-Outcome", "created"))
            .json(record)),
        Outcome::Duplicate(record) => {
            Ok(HttpResponse::Ok().insert_header(("Tideline-Outcome", "duplicate")).json(record))
        }
        Outcome::Rejected(errors) => Err(ApiError::unprocessable(errors)),
        Outcome::Conflict(message) => Err(ApiError::Conflict(message)),
    }
}

/// A batch of records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// Up to 1 000 records, each as posted to the single-record endpoint.
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<Value>,
}

/// One record's outcome in a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    /// Position in `records`.
    pub index: usize,
    /// `created`, `duplicate`, `rejected` or `conflict`.
    #[schema(example = "created")]
    pub outcome: &'static str,
    /// The stored record's id (created or duplicate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its review status (created or duplicate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What is wrong (rejected or conflict), pointers into the batch body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The answer to a batch: counts and one result per record, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResponse {
    /// Records stored now.
    pub created: usize,
    /// Records already stored (retries).
    pub duplicates: usize,
    /// Records rejected or in conflict (nothing stored for them).
    pub rejected: usize,
    /// Per-record outcomes.
    pub results: Vec<BatchResult>,
}

fn result(index: usize, outcome: Outcome<Brief>) -> BatchResult {
    let base = format!("/records/{index}");
    let blank = |outcome, errors| BatchResult { index, outcome, id: None, status: None, errors };
    match outcome {
        Outcome::Created(r) => blank("created", Vec::new()).with(r),
        Outcome::Duplicate(r) => blank("duplicate", Vec::new()).with(r),
        Outcome::Rejected(errors) => blank(
            "rejected",
            errors.into_iter().map(|e| FieldError::new(format!("{base}{}", e.pointer), e.message)).collect(),
        ),
        Outcome::Conflict(message) => blank("conflict", vec![FieldError::new(format!("{base}/client_id"), message)]),
    }
}

impl BatchResult {
    fn with(mut self, brief: Brief) -> Self {
        self.id = Some(brief.id);
        self.status = Some(brief.status);
        self
    }
}

/// Runs a batch in one transaction, with `Idempotency-Key` replay.
pub async fn batch<F>(
    pool: web::Data<DbPool>,
    req: HttpRequest,
    caller: Caller,
    body: web::Json<Value>,
    ingest: F,
) -> Result<HttpResponse, ApiError>
where
    F: Fn(&mut PgConnection, &Author, &[Value], NaiveDate) -> diesel::QueryResult<Vec<Outcome<Brief>>> + Send + 'static,
{
    let author = caller.author()?;
    let body = body.into_inner();
    super::extract_errors::reject_nul_characters(&body)?;
    let request: BatchRequest = serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::unprocessable(vec![FieldError::new("/records", format!("expected {{\"records\": [...]}}: {e}"))])
    })?;
    if request.records.len() > MAX_BATCH {
        let message = format!("at most {MAX_BATCH} records per batch (got {})", request.records.len());
        return Err(ApiError::unprocessable(vec![FieldError::new("/records", message)]));
    }
    let key = req.headers().get("Idempotency-Key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if key.as_ref().is_some_and(|k| k.is_empty() || k.len() > 200) {
        return Err(ApiError::bad_request("Idempotency-Key must be 1 to 200 characters", Vec::new()));
    }
    let request_hash = payload_hash(&body);
    let today = super::records::latest_local_date();
    let (status, response, replayed) = db::run(&pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(key) = &key {
                if let Some(replay) = replays::find(conn, author.team_city_id, author.team_id, key)? {
                    if replay.request_sha256 != request_hash {
                        return Ok(Err(ApiError::unprocessable(vec![FieldError::new(
                            "",
                            "this Idempotency-Key was used for a different batch",
                        )])));
                    }
                    return Ok(Ok((replay.status_code as u16, replay.response, true)));
                }
            }
            let outcomes = ingest(conn, &author, &request.records, today)?;
            let results: Vec<BatchResult> =
                outcomes.into_iter().enumerate().map(|(index, outcome)| result(index, outcome)).collect();
            let count = |o: &str| results.iter().filter(|r| r.outcome == o).count();
            let response = BatchResponse {
                created: count("created"),
                duplicates: count("duplicate"),
                rejected: count("rejected") + count("conflict"),
                results,
            };
            let json = serde_json::to_value(&response).unwrap_or_default();
            if let Some(key) = &key {
                replays::save(conn, author.team_city_id, author.team_id, key, &request_hash, 200, &json)?;
            }
            Ok::<_, diesel::result::Error>(Ok((200, json, false)))
        })?
    })
    .await?;
    let mut answer = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    if replayed {
        answer.insert_header(("Idempotency-Replayed", "true"));
    }
    Ok(answer.json(response))
}

/// A review decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `accept` or `reject`.
    #[schema(example = "accept")]
    pub decision: Decision,
    /// Why (required when rejecting).
    #[schema(example = "counts checked against the photo")]
    pub reason: Option<String>,
}

/// Accept or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Count the record in public statistics.
    Accept,
    /// Keep it out of public statistics.
    Reject,
}

/// Applies a coordinator's decision; the record must be in the caller's city.
pub async fn review(
    pool: &web::Data<DbPool>,
    caller: Caller,
    kind: RecordKind,
    id: i64,
    request: ReviewRequest,
) -> Result<(), ApiError> {
    let reason = request.reason.unwrap_or_default();
    if request.decision == Decision::Reject && reason.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![FieldError::new("/reason", "give a reason when rejecting")]));
    }
    let status = if request.decision == Decision::Accept { "accepted" } else { "rejected" };
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let state = reviews::lock(conn, kind, id)?;
            let Some(state) = state.filter(|s| caller.manages_city(s.city_id)) else {
                return Ok(Err(ApiError::NotFound(format!("no {} {id} that you may review", kind.as_str()))));
            };
            reviews::decide(conn, kind, id, &state, status, &reason, caller.token_id)?;
            Ok::<_, diesel::result::Error>(Ok(()))
        })?
    })
    .await
}

/// Filters and paging of record lists.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pending`, `accepted` or `rejected`.
    pub status: Option<String>,
    /// Site id.
    pub site: Option<i64>,
    /// Earliest date (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Latest date (YYYY-MM-DD).
    pub to: Option<NaiveDate>,
    /// Return records with ids after this one (the previous page's `next_after`).
    pub after: Option<i64>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<i64>,
}

impl ListQuery {
    /// The store filter, or the offending parameters.
    pub fn filter(&self) -> Result<ListFilter, ApiError> {
        let mut errors = Vec::new();
        if let Some(status) = &self.status {
            if !["pending", "accepted", "rejected"].contains(&status.as_str()) {
                errors.push(FieldError::new("/status", "one of pending, accepted, rejected"));
            }
        }
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            errors.push(FieldError::new("/limit", "between 1 and 1000"));
        }
        if !errors.is_empty() {
            return Err(ApiError::bad_request("invalid query parameters", errors));
        }
        Ok(ListFilter {
            status: self.status.clone(),
            site_id: self.site,
            from: self.from,
            to: self.to,
            after: self.after,
            limit,
        })
    }
}

/// A page of records.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<R: ToSchema> {
    /// The records, by id.
    pub records: Vec<R>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}
