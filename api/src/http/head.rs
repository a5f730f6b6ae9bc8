//! `HEAD` on every route that answers `GET` (RFC 9110 §9.3.2: the same status and header
//! fields as a `GET`, without the content), for link checkers, caches and clients that look
//! before they download: the request is routed as a `GET`, and the connection writes no body
//! for a `HEAD` (a streamed export stops as its client is gone).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// Middleware: routes a `HEAD` as the `GET` of the same URL.
pub async fn answer_head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
