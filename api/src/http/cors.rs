//! Cross-origin requests from browser apps (a web map reading OGC features, a notebook reading
//! statistics, a volunteers' web app posting surveys): every answer, errors included, allows
//! any origin, and a preflight `OPTIONS` is answered at once with the methods and headers the
//! API takes. Any origin is safe here: Tideline's credentials are bearer tokens a script must
//! attach itself, never cookies a browser would send on a page's behalf.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpResponse;

/// The request headers a cross-origin request may carry.
const ALLOWED_HEADERS: &str =
    "Authorization, Content-Type, Idempotency-Key, If-None-Match, Accept-Language, X-Request-Id";
/// The answer headers a cross-origin script may read.
const EXPOSED_HEADERS: &str =
    "ETag, Retry-After, Location, Content-Disposition, Content-Language, Tideline-Outcome, Idempotency-Replayed, X-Request-Id";
/// How long a browser may keep a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "86400";

/// Middleware: answers preflights, and lets every other answer be read from any origin.
pub async fn allow_any_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        let preflight = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, PUT"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE))
            .finish();
        return Ok(req.into_response(preflight).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
    Ok(res.map_into_left_body())
}
