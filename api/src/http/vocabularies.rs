//! `GET /v1/categories`, `/v1/protocols`, `/v1/protocols/{protocol}`: the vocabularies the
//! mobile apps download once and keep offline. Each answer carries a strong `ETag` (a hash of
//! its body), so a conditional request that matches is a `304` with no body; `Cache-Control`
//! lets caches keep it a day, and `Accept-Language` (or `?lang=`) picks the names.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tideline_core::catalogue::{self, CategoryList, ProtocolDocument, ProtocolSummary};
use tideline_core::i18n::Language;
use tideline_core::protocol::Protocol;
use utoipa::IntoParams;

use super::problem::{ApiError, FieldError, Problem};

/// How long a cache may keep a vocabulary before asking again (it changes only with a release).
const CACHE_CONTROL: &str = "public, max-age=86400";

/// The language of the names.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LanguageQuery {
    /// Language of the names (ISO 639-1); overrides `Accept-Language`. Names without a
    /// translation are in English.
    #[param(value_type = Option<Language>)]
    pub lang: Option<String>,
}

/// The language asked for: `?lang=`, else the best of `Accept-Language`, else English.
pub(crate) fn language(req: &HttpRequest, query: &LanguageQuery) -> Result<Language, ApiError> {
    if let Some(lang) = &query.lang {
        return lang
            .parse::<Language>()
            .map_err(|e| ApiError::bad_request("invalid query parameters", vec![FieldError::new("/lang", e)]));
    }
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Ok(Language::negotiate(accept))
}

/// Whether an `If-None-Match` header names this entity tag (weak comparison, RFC 9110 §13.1.2).
fn matches(req: &HttpRequest, etag: &str) -> bool {
    let Some(value) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    value.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// The JSON answer with its entity tag, or `304 Not Modified` when the client has it already.
fn cacheable<T: Serialize>(req: &HttpRequest, document: &T, language: Option<Language>) -> HttpResponse {
    let body = serde_json::to_vec(document).unwrap_or_default();
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", digest.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>());
    let current = matches(req, &etag);
    let mut answer = if current { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    answer.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, CACHE_CONTROL));
    if let Some(language) = language {
        answer
            .insert_header((header::VARY, "Accept-Language"))
            .insert_header((header::CONTENT_LANGUAGE, language.as_str()));
    }
    if current {
        answer.finish()
    } else {
        answer.content_type("application/json").body(body)
    }
}

/// The canonical category tree with materials, use flags and size classes: what every
/// protocol's codes map to.
#[utoipa::path(
    tag = "vocabularies",
    params(LanguageQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages"), ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client has")),
    responses(
        (status = 200, description = "The tree", body = CategoryList),
        (status = 304, description = "The client's copy is current"),
    )
)]
#[get("/v1/categories")]
pub async fn categories(req: HttpRequest, query: web::Query<LanguageQuery>) -> Result<HttpResponse, ApiError> {
    let language = language(&req, &query)?;
    Ok(cacheable(&req, &catalogue::categories(language), Some(language)))
}

/// Every protocol Tideline reads, with its mapping version and number of item codes.
#[utoipa::path(
    tag = "vocabularies",
    params(("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client has")),
    responses(
        (status = 200, description = "The protocols", body = Vec<ProtocolSummary>),
        (status = 304, description = "The client's copy is current"),
    )
)]
#[get("/v1/protocols")]
pub async fn protocols(req: HttpRequest) -> HttpResponse {
    cacheable(&req, &catalogue::protocols(), None)
}

/// One protocol: the fields of a record's envelope (with units) and every item code with the
/// canonical category it maps to.
#[utoipa::path(
    tag = "vocabularies",
    params(("protocol" = Protocol, Path, description = "The protocol"), LanguageQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages"), ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client has")),
    responses(
        (status = 200, description = "The protocol", body = ProtocolDocument),
        (status = 304, description = "The client's copy is current"),
        (status = 404, description = "No such protocol", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/protocols/{protocol}")]
pub async fn protocol(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<LanguageQuery>,
) -> Result<HttpResponse, ApiError> {
    let protocol = path.parse::<Protocol>().map_err(|_| ApiError::NotFound(format!("no protocol `{path}`")))?;
    let language = language(&req, &query)?;
    Ok(cacheable(&req, &catalogue::protocol(protocol, language), Some(language)))
}
