//! The routes of one kind of record (surveys, samples) written once: `record_handlers!` makes
//! the seven handlers of a kind, with their routes and OpenAPI texts, from that kind's words and
//! types; each handler calls the kind's [`Endpoints`](super::record_endpoints::Endpoints).

/// Makes a kind's handlers: post, post a batch, list, get, review, correct and history. The
/// texts that differ by more than the kind's noun are arguments; the others are put together
/// from `one` and `many` (so both kinds' OpenAPI texts stay parallel).
macro_rules! record_handlers {
    (
        endpoints: $endpoints:ident,
        tag: $tag:tt, one: $one:tt, many: $many:tt, id: $id:tt,
        record: $record:ty, body: $body:ty, batch_body: $batch_body:ty,
        routes: { collection: $collection:tt, batch: $batch:tt, item: $item:tt, review: $review:tt, history: $history:tt $(,)? },
        handlers: [$post_fn:ident, $batch_fn:ident, $list_fn:ident, $get_fn:ident, $review_fn:ident, $correct_fn:ident, $history_fn:ident],
        summaries: { post: $post_summary:expr, get: $get_summary:expr, correct: $correct_summary:expr, history: $history_summary:expr $(,)? } $(,)?
    ) => {
        #[doc = $post_summary]
        #[utoipa::path(
            tag = $tag,
            summary = $post_summary,
            request_body = $body,
            responses(
                (status = 201, description = "Stored", body = $record),
                (status = 200, description = "Already stored (a retry)", body = $record),
                (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = concat!("client_id reused for a different ", $one), body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields, each named by a JSON pointer", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[post($collection)]
        pub async fn $post_fn(
            write: $crate::http::record_endpoints::WriteRequest,
            body: web::Json<serde_json::Value>,
        ) -> Result<HttpResponse, ApiError> {
            $endpoints.post(write, body).await
        }

        #[doc = concat!("Post up to 1 000 ", $many, "; each record's outcome is listed.")]
        #[utoipa::path(
            tag = $tag,
            summary = concat!("Post up to 1 000 ", $many, ". Valid ones are stored even when others are rejected; each\nrecord's outcome is listed. With an `Idempotency-Key` header a retried batch replays the\nstored answer."),
            request_body = $batch_body,
            params(("Idempotency-Key" = Option<String>, Header, description = "1–255 printable ASCII characters; a retry with the same key and body replays the stored answer")),
            responses(
                (status = 200, description = "Every record's outcome", body = BatchResponse),
                (status = 409, description = "A request with this Idempotency-Key is still being processed", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Not a batch, too many records, or an Idempotency-Key reused for another batch", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[post($batch)]
        pub async fn $batch_fn(
            write: $crate::http::record_endpoints::WriteRequest,
            req: actix_web::HttpRequest,
            body: web::Json<BatchRequest>,
        ) -> Result<HttpResponse, ApiError> {
            $endpoints.post_batch(write, req, body).await
        }

        #[doc = concat!("List ", $many, " the caller may read, keyset-paginated.")]
        #[utoipa::path(
            tag = $tag,
            summary = concat!("List ", $many, " the caller may read (own team; a coordinator's city; accepted ones for\nresearchers), by id, keyset-paginated."),
            params(ListQuery),
            responses((status = 200, description = concat!("A page of ", $many), body = Page<$record>)),
            security(("bearer" = []))
        )]
        #[get($collection)]
        pub async fn $list_fn(read: $crate::http::record_endpoints::ReadRequest, query: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
            $endpoints.list(read, query).await
        }

        #[doc = $get_summary]
        #[utoipa::path(
            tag = $tag,
            summary = $get_summary,
            params(("id" = i64, Path, description = $id)),
            responses(
                (status = 200, description = concat!("The ", $one), body = $record),
                (status = 404, description = concat!("No such ", $one, " visible to the caller"), body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($item)]
        pub async fn $get_fn(read: $crate::http::record_endpoints::ReadRequest, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
            $endpoints.get(read, id).await
        }

        #[doc = concat!("Accept or reject a ", $one, "; only accepted ", $many, " count in public statistics.")]
        #[utoipa::path(
            tag = $tag,
            summary = concat!("Accept or reject a ", $one, " (coordinator of its city, or admin). Only accepted ", $many, " count\nin public statistics."),
            params(("id" = i64, Path, description = $id)),
            request_body = ReviewRequest,
            responses(
                (status = 200, description = concat!("The reviewed ", $one), body = $record),
                (status = 404, description = concat!("No such ", $one, " in the caller's city"), body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[post($review)]
        pub async fn $review_fn(
            write: $crate::http::record_endpoints::WriteRequest,
            id: web::Path<i64>,
            body: web::Json<ReviewRequest>,
        ) -> Result<HttpResponse, ApiError> {
            $endpoints.review(write, id, body).await
        }

        #[doc = $correct_summary]
        #[utoipa::path(
            tag = $tag,
            summary = $correct_summary,
            params(("id" = i64, Path, description = $id)),
            request_body(content = $body, description = concat!("The full corrected ", $one, " envelope, as posted to ", $collection, ", with the record's client_id")),
            responses(
                (status = 200, description = concat!("The corrected ", $one, " (header Tideline-Outcome: corrected, or unchanged for a repeated correction)"), body = $record),
                (status = 404, description = concat!("No such ", $one, " of the caller's team"), body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields, each named by a JSON pointer; nothing changed", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[put($item)]
        pub async fn $correct_fn(
            write: $crate::http::record_endpoints::WriteRequest,
            id: web::Path<i64>,
            body: web::Json<serde_json::Value>,
        ) -> Result<HttpResponse, ApiError> {
            $endpoints.correct(write, id, body).await
        }

        #[doc = $history_summary]
        #[utoipa::path(
            tag = $tag,
            summary = $history_summary,
            params(("id" = i64, Path, description = $id)),
            responses(
                (status = 200, description = concat!("The ", $one, "'s versions"), body = Vec<RecordVersion>),
                (status = 404, description = concat!("No such ", $one, " visible to the caller"), body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($history)]
        pub async fn $history_fn(read: $crate::http::record_endpoints::ReadRequest, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
            $endpoints.history(read, id).await
        }
    };
}

pub(crate) use record_handlers;
