//! Token-bucket rate limits: per token for authenticated calls, per client address for
//! anonymous reads and for failed authentications (so guessing tokens costs no database query
//! once an address has spent its budget).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};

use super::problem::ApiError;

/// Whose budget a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// An authenticated token.
    Token(i64),
    /// A client address sending requests without a token.
    Anonymous(IpAddr),
    /// A client address whose tokens were refused.
    FailedAuth(IpAddr),
}

/// Most buckets kept before idle ones are dropped (bounds memory under address churn).
const MAX_BUCKETS: usize = 100_000;

/// Token buckets of one kind: `per_minute` requests, refilled continuously.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<Bucket, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per bucket and minute (0 = unlimited).
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    fn refill(&self, bucket: Bucket, spend: f64) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, (_, last)| now.duration_since(*last).as_secs_f64() * rate < capacity);
        }
        let (tokens, last) = buckets.entry(bucket).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= spend;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil() as u64)
        }
    }

    /// Takes one request from the bucket, or says how many seconds to wait.
    pub fn take(&self, bucket: Bucket) -> Result<(), u64> {
        self.refill(bucket, 1.0)
    }

    /// Whether the bucket has a request left, without spending it.
    pub fn check(&self, bucket: Bucket) -> Result<(), u64> {
        self.refill(bucket, 0.0)
    }
}

/// The three limiters of a server.
pub struct Limits {
    /// Per token.
    pub tokens: RateLimiter,
    /// Per address, requests without a token.
    pub anonymous: RateLimiter,
    /// Per address, refused tokens.
    pub failed_auth: RateLimiter,
}

/// The client's address (the peer; a proxy in front should do its own limiting).
pub fn client_address(req: &actix_web::HttpRequest) -> IpAddr {
    req.peer_addr().map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip())
}

/// Middleware: requests without `Authorization` spend their address's anonymous budget
/// (liveness and readiness probes are exempt).
pub async fn limit_anonymous(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let exempt = matches!(req.path(), "/health" | "/ready");
    if !exempt && !req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
        if let Some(limits) = req.app_data::<web::Data<Limits>>() {
            let address = client_address(req.request());
            if let Err(seconds) = limits.anonymous.take(Bucket::Anonymous(address)) {
                let response = ApiError::TooManyRequests(seconds).error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}
