//! Bearer-token authentication and roles.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use super::problem::ApiError;
use super::rate_limit::{client_address, Bucket, Limits};
use crate::database::DbPool;
use crate::store::records::{Author, ReadScope};
use crate::store::tokens;

pub use tideline_core::vocabulary::Role;

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Token id.
    pub token_id: i64,
    /// Role.
    pub role: Role,
    /// The team records are posted for, when the token has one.
    pub team: Option<Author>,
    /// The coordinator's city.
    pub city_id: Option<i64>,
}

impl Caller {
    /// The team this caller posts for; researchers and team-less tokens may not post.
    pub fn author(&self) -> Result<Author, ApiError> {
        match (self.role, self.team) {
            (Role::Researcher, _) => Err(ApiError::Forbidden("researcher tokens cannot post records".into())),
            (_, Some(team)) => Ok(team),
            (_, None) => Err(ApiError::Forbidden("this token belongs to no team, so it cannot post records".into())),
        }
    }

    /// Which raw records the caller may read.
    pub fn read_scope(&self) -> ReadScope {
        match (self.role, self.team, self.city_id) {
            (Role::Admin, _, _) => ReadScope::All,
            (Role::Researcher, _, _) => ReadScope::Accepted,
            (Role::Coordinator, _, Some(city)) => ReadScope::City(city),
            (_, Some(team), _) => ReadScope::Team(team.team_id),
            // A token with neither team nor city sees no raw records.
            _ => ReadScope::Nothing,
        }
    }

    /// Whether the caller administers `city_id` (its coordinator, or an admin).
    pub fn manages_city(&self, city_id: i64) -> bool {
        self.role == Role::Admin || (self.role == Role::Coordinator && self.city_id == Some(city_id))
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("this endpoint needs `Authorization: Bearer <token>`".into()))?;
    let text = header.to_str().unwrap_or("");
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into())),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let secret = bearer(req);
        let pool = req.app_data::<web::Data<DbPool>>().cloned();
        let limits = req.app_data::<web::Data<Limits>>().cloned();
        let address = client_address(req);
        Box::pin(async move {
            let failed = Bucket::FailedAuth(address);
            let refuse = |message: &str| {
                if let Some(limits) = &limits {
                    let _ = limits.failed_auth.take(failed);
                }
                ApiError::Unauthorized(message.into())
            };
            let secret = secret.map_err(|e| refuse(&e.to_string()))?;
            if let Some(limits) = &limits {
                limits.failed_auth.check(failed).map_err(ApiError::TooManyRequests)?;
            }
            let pool = pool.ok_or_else(|| ApiError::internal("no database pool"))?;
            let grant = crate::http::db::run(&pool, move |conn| Ok(tokens::grant(conn, &secret)?))
                .await?
                .ok_or_else(|| refuse("unknown token"))?;
            if grant.expired {
                return Err(refuse("this token has expired or was revoked"));
            }
            if let Some(limits) = &limits {
                limits.tokens.take(Bucket::Token(grant.token_id)).map_err(ApiError::TooManyRequests)?;
            }
            let role = grant.role;
            let team = grant.team_id.zip(grant.team_city_id).map(|(team_id, team_city_id)| Author {
                team_id,
                team_city_id,
                trusted: grant.trusted,
            });
            Ok(Caller { token_id: grant.token_id, role, team, city_id: grant.city_id })
        })
    }
}
