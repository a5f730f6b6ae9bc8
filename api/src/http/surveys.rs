//! `/v1/surveys`: post (single and batch), read, list, review and correct beach-litter surveys,
//! and a survey's version history.

use actix_web::{get, post, put, web, HttpResponse};

use super::batch::{BatchRequest, BatchResponse};
use super::bodies::{SurveyBatchBody, SurveyBody};
use super::problem::{ApiError, Problem};
use super::record_endpoints::SURVEYS;
use super::record_handlers::record_handlers;
use super::records::{ListQuery, Page, ReviewRequest};
use crate::store::surveys::SurveyRecord;
use crate::store::versions::RecordVersion;

record_handlers! {
    endpoints: SURVEYS,
    tag: "surveys", one: "survey", many: "surveys", id: "Survey id",
    record: SurveyRecord, body: SurveyBody, batch_body: SurveyBatchBody,
    routes: {
        collection: "/v1/surveys", batch: "/v1/surveys/batch", item: "/v1/surveys/{id}",
        review: "/v1/surveys/{id}/review", history: "/v1/surveys/{id}/history",
    },
    handlers: [post_survey, post_survey_batch, list_surveys, get_survey, review_survey, correct_survey, survey_history],
    summaries: {
        post: "Post one survey in its protocol's codes. A retry with the same `client_id` and body\nreturns the stored survey (200); the same `client_id` with another body is a 409.",
        get: "One survey with its canonical items; 404 when it does not exist or the caller may not see it.",
        correct: "Correct a survey of the caller's team with its full corrected body (the same envelope as a\npost, with the record's own `client_id`). A new version is stored, the earlier ones are\nkept, the review status is decided again by the usual rules, and statistics use the latest\nversion. Sending the same correction again changes nothing.",
        history: "Every version of a survey the caller may read, oldest first: the body as sent, the review\nstatus and flags it was given, and the fields that changed from the version before.",
    },
}
