//! A request body must arrive within a deadline: a client that opens a request and never sends
//! (or trickles) its body gets a 408 instead of holding a connection and a worker forever.
//! Headers have their own deadline, actix's `client_request_timeout`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::HttpMessage;
use futures_core::Stream;

/// How long a whole request body may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline(pub Duration);

/// The message of the I/O error a late body ends with (mapped to 408 by the extractors).
pub const BODY_TIMEOUT: &str = "the request body did not arrive in time";

/// A body stream that fails once its deadline has passed.
struct Deadlined {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Stream for Deadlined {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                BODY_TIMEOUT,
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Middleware: bounds the time the request body may take (see [`BodyDeadline`]).
pub async fn limit_body_time(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(deadline) = req.app_data::<Data<BodyDeadline>>().map(|d| d.0) {
        let inner = req.take_payload();
        let sleep = Box::pin(tokio::time::sleep(deadline));
        req.set_payload(Payload::Stream { payload: Box::pin(Deadlined { inner, sleep }) });
    }
    next.call(req).await
}

/// Whether an extractor's payload error is the deadline above.
pub fn is_timeout(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}
