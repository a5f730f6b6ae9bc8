//! `POST /v1/{surveys,samples}/batch`: up to 1 000 records per request, each with its own
//! outcome, errors capped per record and per answer, and `Idempotency-Key` replay.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use serde::{Deserialize, Serialize};
use tideline_core::review::ReviewStatus;
use utoipa::ToSchema;

use super::db;
use super::problem::{ApiError, FieldError};
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::ingest::{Brief, Outcome, RawRecord};
use crate::store::records::Author;
use crate::store::replays;

/// Most records in one batch.
pub const MAX_BATCH: usize = 1_000;

/// A batch of records.
#[derive(Debug, ToSchema)]
pub struct BatchRequest {
    /// Up to 1 000 records, each as posted to the single-record endpoint.
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<RawRecord>,
}

impl<'de> Deserialize<'de> for BatchRequest {
    /// Only the object form `{"records": [...]}` (serde's derive would also take `[[...]]`).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            records: Vec<RawRecord>,
        }
        struct Object;
        impl<'de> serde::de::Visitor<'de> for Object {
            type Value = BatchRequest;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object {\"records\": [...]}")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<BatchRequest, A::Error> {
                let fields = Fields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(BatchRequest { records: fields.records })
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// Most field errors listed in one batch answer; records past this budget say only how many
/// errors they have, so the answer stays small whatever the batch holds.
pub const MAX_BATCH_ERRORS: usize = 500;

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
    pub status: Option<ReviewStatus>,
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

/// One record's result; its errors are capped per record and by what is left of `budget`.
fn result(index: usize, outcome: Outcome<Brief>, budget: &mut usize) -> BatchResult {
    let base = format!("/records/{index}");
    let blank = |outcome, errors| BatchResult { index, outcome, id: None, status: None, errors };
    match outcome {
        Outcome::Created(r) => blank("created", Vec::new()).with(r),
        Outcome::Duplicate(r) => blank("duplicate", Vec::new()).with(r),
        Outcome::Rejected(errors) if *budget == 0 => {
            let message = format!("{} errors, not listed: this answer lists at most {MAX_BATCH_ERRORS}", errors.len());
            blank("rejected", vec![FieldError::new(base, message)])
        }
        Outcome::Rejected(errors) => {
            let errors = super::problem::capped(errors, (*budget).min(super::problem::MAX_FIELD_ERRORS));
            *budget = budget.saturating_sub(errors.len());
            blank(
                "rejected",
                errors.into_iter().map(|e| FieldError::new(format!("{base}{}", e.pointer), e.message)).collect(),
            )
        }
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

/// The `Idempotency-Key` header: absent, or 1–255 printable ASCII characters (a non-ASCII
/// key is refused rather than ignored, so a retry can never store a second copy).
fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else { return Ok(None) };
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > 255 || !bytes.iter().all(|b| (0x20..=0x7e).contains(b)) {
        let error = FieldError::new("/Idempotency-Key", "1 to 255 printable ASCII characters");
        return Err(ApiError::bad_request("invalid Idempotency-Key header", vec![error]));
    }
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// The batch answer as JSON, with every result's errors capped.
fn batch_answer(outcomes: Vec<Outcome<Brief>>) -> serde_json::Value {
    let mut budget = MAX_BATCH_ERRORS;
    let results: Vec<BatchResult> =
        outcomes.into_iter().enumerate().map(|(index, outcome)| result(index, outcome, &mut budget)).collect();
    let count = |o: &str| results.iter().filter(|r| r.outcome == o).count();
    let response = BatchResponse {
        created: count("created"),
        duplicates: count("duplicate"),
        rejected: count("rejected") + count("conflict"),
        results,
    };
    serde_json::to_value(&response).unwrap_or_default()
}

/// Runs a batch in one transaction, with `Idempotency-Key` handling after the IETF draft
/// (draft-ietf-httpapi-idempotency-key-header): the first request with a key processes, a
/// concurrent one with the same key gets 409, a retry after it gets the stored answer, and the
/// same key with another body gets 422.
pub async fn batch<F>(
    pool: web::Data<DbPool>,
    req: HttpRequest,
    caller: Caller,
    body: web::Json<BatchRequest>,
    ingest: F,
) -> Result<HttpResponse, ApiError>
where
    F: Fn(&mut PgConnection, &Author, &[RawRecord], NaiveDate) -> diesel::QueryResult<Vec<Outcome<Brief>>>
        + Send
        + 'static,
{
    let author = caller.author()?;
    let key = idempotency_key(&req)?;
    let request = body.into_inner();
    if request.records.len() > MAX_BATCH {
        let message = format!("at most {MAX_BATCH} records per batch (got {})", request.records.len());
        return Err(ApiError::unprocessable(vec![FieldError::new("/records", message)]));
    }
    // hashed only when a replay may have to match it
    let request_hash = if key.is_some() { batch_hash(&request.records) } else { Vec::new() };
    let today = crate::ingest::latest_local_date();
    let (status, response, replayed) = db::run(&pool, move |conn| {
        conn.transaction::<_, ApiError, _>(|conn| {
            if let Some(key) = &key {
                if !replays::lock(conn, author.team_id, key)? {
                    return Err(ApiError::Conflict(
                        "a request with this Idempotency-Key is still being processed; retry later".into(),
                    ));
                }
                if let Some(replay) = replays::find(conn, author.team_city_id, author.team_id, key)? {
                    if replay.request_sha256 != request_hash {
                        let message = "this Idempotency-Key was used for a different batch";
                        return Err(ApiError::unprocessable(vec![FieldError::new("", message)]));
                    }
                    return Ok((replay.status_code as u16, replay.response, true));
                }
            }
            let json = batch_answer(ingest(conn, &author, &request.records, today)?);
            if let Some(key) = &key {
                replays::save(conn, author.team_city_id, author.team_id, key, &request_hash, 200, &json)?;
            }
            Ok((200, json, false))
        })
    })
    .await?;
    let mut answer = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    if replayed {
        answer.insert_header(("Idempotency-Replayed", "true"));
    }
    Ok(answer.content_type("application/json").body(response.to_string()))
}

/// SHA-256 over a batch's records as sent (what a replay must match).
fn batch_hash(records: &[RawRecord]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for record in records {
        hasher.update(record.get().as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().to_vec()
}
