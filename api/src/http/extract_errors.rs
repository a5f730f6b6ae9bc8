//! Turns actix's extractor failures (JSON body, path and query parameters) and any other
//! error status into problem+json, so no response of the service is ever plain text.

use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use super::problem::{ApiError, FieldError, PROBLEM_JSON};

/// Largest JSON body accepted, in bytes (a batch of 1 000 surveys fits).
pub const JSON_LIMIT: usize = 16 * 1024 * 1024;

/// JSON body settings: size limit and problem+json errors.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT).error_handler(|err, _req| json_error(err).into())
}

/// Path parameter errors as 404 problems: a malformed id names no object.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req| {
        let PathError::Deserialize(cause) = err else {
            return ApiError::NotFound("no such resource".into()).into();
        };
        ApiError::NotFound(format!("invalid path parameter: {cause}")).into()
    })
}

/// Query string errors as 400 problems naming the parameter.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        let message = err.to_string();
        let pointer = backticked(&message).map(|field| format!("/{field}")).unwrap_or_default();
        ApiError::bad_request("invalid query parameters", vec![FieldError { pointer, message }]).into()
    })
}

fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::Overflow { limit } | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Payload(ref cause) if super::body_deadline::is_timeout(cause) => ApiError::RequestTimeout,
        JsonPayloadError::Deserialize(cause) => {
            let message = cause.to_string();
            let names_a_field =
                ["unknown field", "missing field", "duplicate field"].iter().any(|p| message.starts_with(p));
            let pointer = backticked(&message).filter(|_| names_a_field).map(|f| format!("/{f}")).unwrap_or_default();
            let status = if cause.is_data() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
            ApiError::Invalid {
                status,
                detail: "the JSON body cannot be read".into(),
                errors: vec![FieldError { pointer, message }],
            }
        }
        other => ApiError::bad_request(other.to_string(), Vec::new()),
    }
}

/// The first `name` in a serde message such as "unknown field `foo`".
fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// The fallback for requests no route takes: 405 where the path exists, else 404.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    if req.resource_map().has_resource(req.path()) {
        ApiError::MethodNotAllowed(req.method().to_string()).error_response()
    } else {
        ApiError::NotFound(format!("no route for {}", req.path())).error_response()
    }
}

/// Rewrites any error response that is not already problem+json (e.g. one produced inside
/// actix itself) into a problem document with the same status; the pages' own HTML error
/// pages for browsers are kept.
pub fn ensure_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes()).unwrap_or_default();
    if content_type == PROBLEM_JSON.as_bytes() || content_type.starts_with(b"text/html") {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("no such resource".into()),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed(res.request().method().to_string()),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: JSON_LIMIT },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        s if s.is_client_error() => ApiError::Invalid {
            status: s,
            detail: s.canonical_reason().unwrap_or("client error").to_string(),
            errors: Vec::new(),
        },
        s => ApiError::internal(format!("status {s}")),
    };
    let mut problem = error.problem();
    problem.status = status.as_u16();
    let (req, _) = res.into_parts();
    let response = HttpResponse::build(status).insert_header((header::CONTENT_TYPE, PROBLEM_JSON)).json(problem);
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()))
}

/// PostgreSQL text cannot hold NUL characters: a JSON body with `\u0000` in any string or key
/// is rejected up front (400) rather than failing in the database.
pub fn reject_nul_characters(value: &serde_json::Value) -> Result<(), ApiError> {
    match tideline_core::validation::nul_character(value, "") {
        Some(error) => Err(ApiError::bad_request("the JSON body contains a NUL character", vec![error])),
        None => Ok(()),
    }
}
