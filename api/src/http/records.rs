//! What the survey and sample endpoints share: answering an ingest outcome, the review
//! decision, and list parameters (batches: `batch.rs`).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use diesel::Connection;
use serde::{Deserialize, Serialize};
use tideline_core::review::ReviewStatus;
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError};
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::ingest::Outcome;
use crate::store::records::RecordKind;
use crate::store::reviews;
use crate::store::surveys::ListFilter;

/// The answer to a single-record post: 201 created, 200 duplicate, 422 rejected, 409 conflict.
pub fn answer<R: Serialize>(
    kind: RecordKind,
    outcome: Outcome<R>,
    id: impl Fn(&R) -> i64,
) -> Result<HttpResponse, ApiError> {
    match outcome {
        Outcome::Created(record) => Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/v1/{kind}s/{}", id(&record))))
            .insert_header(("Tideline-Outcome", "created"))
            .json(record)),
        Outcome::Duplicate(record) => {
            Ok(HttpResponse::Ok().insert_header(("Tideline-Outcome", "duplicate")).json(record))
        }
        Outcome::Rejected(errors) => Err(ApiError::unprocessable(errors)),
        Outcome::Conflict(message) => Err(ApiError::Conflict(message)),
    }
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
    let status = if request.decision == Decision::Accept { ReviewStatus::Accepted } else { ReviewStatus::Rejected };
    db::run(pool, move |conn| {
        conn.transaction::<_, ApiError, _>(|conn| {
            let state = reviews::lock(conn, kind, id)?;
            let Some(state) = state.filter(|s| caller.manages_city(s.city_id)) else {
                return Err(ApiError::NotFound(format!("no {} {id} that you may review", kind.as_str())));
            };
            reviews::decide(conn, kind, id, &state, status, &reason, caller.token_id)?;
            Ok(())
        })
    })
    .await
}

/// Filters and paging of record lists.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Review status.
    #[param(value_type = Option<ReviewStatus>)]
    pub status: Option<String>,
    /// Site id.
    pub site: Option<i64>,
    /// Earliest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::from_date")]
    pub from: Option<NaiveDate>,
    /// Latest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::to_date")]
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
        let status = super::params::word::<ReviewStatus>(self.status.as_deref(), "/status", &mut errors);
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            errors.push(FieldError::new("/limit", "between 1 and 1000"));
        }
        if !errors.is_empty() {
            return Err(ApiError::bad_request("invalid query parameters", errors));
        }
        Ok(ListFilter { status, site_id: self.site, from: self.from, to: self.to, after: self.after, limit })
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
