//! The bodies of the survey and sample endpoints, written once: each kind's handlers (made by
//! [`record_handlers!`](super::record_handlers), with the routes and the OpenAPI text) call
//! these with that kind's store functions.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};
use serde::Serialize;
use serde_json::Value;

use super::batch::{self, BatchRequest};
use super::db;
use super::problem::{ApiError, FieldError};
use super::records::{self, ListQuery, Page, ReviewRequest};
use super::stats_cache::StatsCache;
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::ingest::{self, Brief, Correction, Outcome, RawRecord, Samples, Surveys};
use crate::store::records::{Author, ReadScope, RecordKind};
use crate::store::samples::{self, SampleRecord};
use crate::store::surveys::{self, ListFilter, SurveyRecord};
use crate::store::versions;

/// Stores a posted batch: every record's outcome, in order.
type BatchIngest = fn(&mut PgConnection, &Author, &[RawRecord], NaiveDate) -> QueryResult<Vec<Outcome<Brief>>>;

/// Stores a team's correction of its record.
type Corrector<R> = fn(&mut PgConnection, &Author, i64, &Value, NaiveDate) -> QueryResult<Correction<R>>;

/// What every endpoint that writes a record reads: the pool, the statistics cache (a write ends
/// its answers) and the caller.
pub type WriteRequest = (web::Data<DbPool>, web::Data<StatsCache>, Caller);

/// What every endpoint that reads records reads: the pool and the caller.
pub type ReadRequest = (web::Data<DbPool>, Caller);

/// What the endpoints of one kind of record call.
pub struct Endpoints<R> {
    /// Survey or sample.
    pub kind: RecordKind,
    /// Stores one posted record.
    pub ingest: fn(&mut PgConnection, &Author, &Value, NaiveDate) -> QueryResult<Outcome<R>>,
    /// Stores a posted batch.
    pub ingest_batch: BatchIngest,
    /// Stores a correction.
    pub correct: Corrector<R>,
    /// One record within a read scope.
    pub find: fn(&mut PgConnection, i64, ReadScope) -> QueryResult<Option<R>>,
    /// A page of records within a read scope.
    pub list: fn(&mut PgConnection, ReadScope, &ListFilter) -> QueryResult<Vec<R>>,
    /// A record's id.
    pub id: fn(&R) -> i64,
}

/// The survey endpoints.
pub const SURVEYS: Endpoints<SurveyRecord> = Endpoints {
    kind: RecordKind::Survey,
    ingest: ingest::one::<Surveys>,
    ingest_batch: ingest::posted::<Surveys>,
    correct: ingest::correct_survey,
    find: surveys::find,
    list: surveys::list,
    id: |r| r.id,
};

/// The sample endpoints.
pub const SAMPLES: Endpoints<SampleRecord> = Endpoints {
    kind: RecordKind::Sample,
    ingest: ingest::one::<Samples>,
    ingest_batch: ingest::posted::<Samples>,
    correct: ingest::correct_sample,
    find: samples::find,
    list: samples::list,
    id: |r| r.id,
};

impl<R: Serialize + utoipa::ToSchema + Send + 'static> Endpoints<R> {
    /// Posts one record: 201, 200 for a retry, 409 or 422.
    pub async fn post(
        &self,
        (pool, cache, caller): WriteRequest,
        body: web::Json<Value>,
    ) -> Result<HttpResponse, ApiError> {
        let author = caller.author()?;
        super::extract_errors::reject_nul_characters(&body)?;
        let today = crate::ingest::latest_local_date();
        let ingest = self.ingest;
        let outcome = db::run(&pool, move |conn| Ok(ingest(conn, &author, &body, today)?)).await?;
        cache.invalidate();
        records::answer(self.kind, outcome, self.id)
    }

    /// Posts a batch (with `Idempotency-Key` handling).
    pub async fn post_batch(
        &self,
        (pool, cache, caller): WriteRequest,
        req: HttpRequest,
        body: web::Json<BatchRequest>,
    ) -> Result<HttpResponse, ApiError> {
        let answer = batch::batch(pool, req, caller, body, self.ingest_batch).await;
        cache.invalidate();
        answer
    }

    /// A keyset page of the records the caller may read.
    pub async fn list(
        &self,
        (pool, caller): ReadRequest,
        query: web::Query<ListQuery>,
    ) -> Result<HttpResponse, ApiError> {
        let filter = query.filter()?;
        let scope = caller.read_scope();
        let limit = filter.limit as usize;
        let list = self.list;
        let records = db::run(&pool, move |conn| Ok(list(conn, scope, &filter)?)).await?;
        let next_after = (records.len() == limit).then(|| records.last().map(self.id)).flatten();
        Ok(HttpResponse::Ok().json(Page { records, next_after }))
    }

    /// One record in `scope`, or 404.
    async fn found(&self, pool: &web::Data<DbPool>, id: i64, scope: ReadScope) -> Result<HttpResponse, ApiError> {
        let find = self.find;
        let record = db::run(pool, move |conn| Ok(find(conn, id, scope)?)).await?;
        record.map(|r| HttpResponse::Ok().json(r)).ok_or_else(|| ApiError::NotFound(format!("no {} {id}", self.kind)))
    }

    /// One record the caller may read, or 404.
    pub async fn get(&self, (pool, caller): ReadRequest, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
        self.found(&pool, id.into_inner(), caller.read_scope()).await
    }

    /// A coordinator's decision on a record of their city, answered with the record.
    pub async fn review(
        &self,
        (pool, cache, caller): WriteRequest,
        id: web::Path<i64>,
        body: web::Json<ReviewRequest>,
    ) -> Result<HttpResponse, ApiError> {
        let id = id.into_inner();
        let request = body.into_inner();
        if request.reason.as_deref().is_some_and(|r| r.contains('\0')) {
            let error = FieldError::new("/reason", "text must not contain NUL (\\u0000) characters");
            return Err(ApiError::bad_request("the JSON body contains a NUL character", vec![error]));
        }
        records::review(&pool, caller, self.kind, id, request).await?;
        cache.invalidate();
        self.found(&pool, id, ReadScope::All).await
    }

    /// A team's correction of its record: 200 with the record, its `Tideline-Outcome` header
    /// saying whether anything changed.
    pub async fn correct(
        &self,
        (pool, cache, caller): WriteRequest,
        id: web::Path<i64>,
        body: web::Json<Value>,
    ) -> Result<HttpResponse, ApiError> {
        let (id, author) = (id.into_inner(), caller.author()?);
        super::extract_errors::reject_nul_characters(&body)?;
        let today = crate::ingest::latest_local_date();
        let correct = self.correct;
        let outcome = db::run(&pool, move |conn| Ok(correct(conn, &author, id, &body, today)?)).await?;
        let (record, said) = match outcome {
            Correction::Corrected(record) => {
                cache.invalidate();
                (record, "corrected")
            }
            Correction::Unchanged(record) => (record, "unchanged"),
            Correction::NotFound => return Err(ApiError::NotFound(format!("no {} {id} of your team", self.kind))),
            Correction::Rejected(errors) => return Err(ApiError::unprocessable(errors)),
        };
        Ok(HttpResponse::Ok().insert_header(("Tideline-Outcome", said)).json(record))
    }

    /// Every version of a record the caller may read, oldest first, or 404.
    pub async fn history(&self, (pool, caller): ReadRequest, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
        let (kind, id, scope) = (self.kind, id.into_inner(), caller.read_scope());
        let history = db::run(&pool, move |conn| {
            let Some(city_id) = versions::visible_city(conn, kind, id, scope)? else { return Ok(None) };
            Ok(Some(versions::history(conn, kind, city_id, id)?))
        })
        .await?;
        history.map(|h| HttpResponse::Ok().json(h)).ok_or_else(|| ApiError::NotFound(format!("no {kind} {id}")))
    }
}
