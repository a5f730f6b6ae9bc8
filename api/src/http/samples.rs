//! `/v1/samples`: post (single and batch), read, list, review and correct microplastic samples,
//! and a sample's version history.

use actix_web::{get, post, put, web, HttpResponse};

use super::batch::{BatchRequest, BatchResponse};
use super::bodies::{SampleBatchBody, SampleBody};
use super::problem::{ApiError, Problem};
use super::record_endpoints::SAMPLES;
use super::record_handlers::record_handlers;
use super::records::{ListQuery, Page, ReviewRequest};
use crate::store::samples::SampleRecord;
use crate::store::versions::RecordVersion;

record_handlers! {
    endpoints: SAMPLES,
    tag: "samples", one: "sample", many: "samples", id: "Sample id",
    record: SampleRecord, body: SampleBody, batch_body: SampleBatchBody,
    routes: {
        collection: "/v1/samples", batch: "/v1/samples/batch", item: "/v1/samples/{id}",
        review: "/v1/samples/{id}/review", history: "/v1/samples/{id}/history",
    },
    handlers: [post_sample, post_sample_batch, list_samples, get_sample, review_sample, correct_sample, sample_history],
    summaries: {
        post: "Post one microplastic sample. A retry with the same `client_id` and body\nreturns the stored sample (200); the same `client_id` with another body is a 409.",
        get: "One sample with its particle counts; 404 when it does not exist or the caller may not see it.",
        correct: "Correct a microplastic sample of the caller's team with its full corrected body (the same\nenvelope as a post, with the record's own `client_id`); as for surveys, earlier versions are\nkept and the same correction sent again changes nothing.",
        history: "Every version of a sample the caller may read, oldest first, with what changed.",
    },
}
