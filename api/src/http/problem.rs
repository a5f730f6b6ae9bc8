//! `ApiError`, the one error type of the HTTP layer, rendered as RFC 9457 problem details
//! (`application/problem+json`) with one entry per offending field.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::conflicts::lost_to_a_concurrent_writer;

/// Media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use tideline_core::validation::FieldError;

/// An RFC 9457 problem details document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    #[schema(example = "https://tideline.dev/problems/invalid-request")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    #[schema(example = "Invalid request")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong with this request.
    #[schema(example = "2 fields are invalid")]
    pub detail: String,
    /// Every offending field, when the problem is with the request's content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Most field errors listed for one record; the rest are counted in one last entry, so an
/// answer's size (and the memory to build it) stays bounded whatever the body holds.
pub const MAX_FIELD_ERRORS: usize = 20;

/// The first `max` errors, plus one entry counting those left out.
pub fn capped(mut errors: Vec<FieldError>, max: usize) -> Vec<FieldError> {
    if errors.len() > max {
        let more = errors.len() - max;
        errors.truncate(max);
        errors.push(FieldError::new("", format!("… and {more} more errors, not listed")));
    }
    errors
}

/// Every way an HTTP request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or its fields are invalid (400 or 422).
    #[error("{detail}")]
    Invalid { status: StatusCode, detail: String, errors: Vec<FieldError> },
    /// No valid bearer token.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with what is stored (e.g. a reused client_id with another body).
    #[error("{0}")]
    Conflict(String),
    /// Too many requests from this token; retry after the given seconds.
    #[error("rate limit exceeded: retry after {0} s")]
    TooManyRequests(u64),
    /// No such route or object (or one the caller may not see).
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("method {0} is not allowed here")]
    MethodNotAllowed(String),
    /// The body exceeds the size limit.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// The body is not JSON.
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// The request body did not arrive within the deadline.
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// The database cannot be reached.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected; the cause and its whole source chain go to the log, never to the
    /// client.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// A 500 whose cause (kept with its source chain) is logged, never shown.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(cause.into())
    }

    /// A 400 for a request that cannot be parsed at all.
    pub fn bad_request(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self::Invalid { status: StatusCode::BAD_REQUEST, detail: detail.into(), errors }
    }

    /// A 422 naming every invalid field (the first [`MAX_FIELD_ERRORS`] of them, then a count).
    pub fn unprocessable(errors: Vec<FieldError>) -> Self {
        let detail = match errors.len() {
            1 => "1 field is invalid".to_string(),
            n => format!("{n} fields are invalid"),
        };
        Self::Invalid { status: StatusCode::UNPROCESSABLE_ENTITY, detail, errors: capped(errors, MAX_FIELD_ERRORS) }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::Invalid { status, .. } if *status == StatusCode::BAD_REQUEST => {
                ("malformed-request", "Malformed request")
            }
            Self::Invalid { .. } => ("invalid-request", "Invalid request"),
            Self::Unauthorized(_) => ("unauthorized", "Unauthorized"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::TooManyRequests(_) => ("too-many-requests", "Too many requests"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            Self::PayloadTooLarge { .. } => ("payload-too-large", "Payload too large"),
            Self::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            Self::RequestTimeout => ("request-timeout", "Request timeout"),
            Self::Unavailable(_) => ("service-unavailable", "Service unavailable"),
            Self::Internal(_) => ("internal-error", "Internal server error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let errors = match self {
            Self::Invalid { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("https://tideline.dev/problems/{slug}"),
            title: title.to_string(),
            status: self.status_code().as_u16(),
            detail: self.to_string(),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Invalid { status, .. } => *status,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => {
                let mut chain = vec![cause.to_string()];
                let mut source = cause.source();
                while let Some(next) = source {
                    chain.push(next.to_string());
                    source = next.source();
                }
                tracing::error!(cause = %chain.join(": "), "request failed");
            }
            Self::Unavailable(cause) => tracing::error!(%cause, "request failed"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"tideline\""));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::Internal(Box::new(err))
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::unprocessable(errors)
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(err.to_string())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => Self::NotFound("no such object".into()),
            // the client should retry: the database went away, or another writer got in the way
            other if is_connection_failure(&other) || lost_to_a_concurrent_writer(&other) => {
                Self::Unavailable(other.to_string())
            }
            other => Self::Internal(Box::new(other)),
        }
    }
}

/// Whether a query failed because the database went away (closed, restarting, shutting down)
/// rather than because of the query: the client should retry, so it is a 503.
pub fn is_connection_failure(err: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            // SQLSTATE class 57 (operator intervention) and 08 (connection exception) messages
            ["terminating connection", "server closed the connection", "connection to server", "the database system is"]
                .iter()
                .any(|needle| message.contains(needle))
        }
        Error::BrokenTransactionManager => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::DatabaseErrorKind;

    use super::ApiError;
    use crate::store::conflicts::tests::database_error;

    #[test]
    fn a_lost_race_is_a_503_to_retry_and_a_broken_query_a_500() {
        use actix_web::ResponseError;
        let deadlock = ApiError::from(database_error(DatabaseErrorKind::Unknown, "deadlock detected"));
        assert_eq!(deadlock.status_code(), 503);
        assert!(deadlock.error_response().headers().contains_key("retry-after"));
        let broken = ApiError::from(database_error(DatabaseErrorKind::Unknown, "division by zero"));
        assert_eq!(broken.status_code(), 500);
    }
}
