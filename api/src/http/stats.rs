//! Statistics of a site, city, country or the network (open data: accepted records only).

use actix_web::web::Bytes;
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use tideline_core::stats::scope::{Basis, BeachLitterStats, MicroplasticStats};
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::db::ReadPool;
use super::filter_query::FilterQuery;
use super::problem::{ApiError, Problem};
use super::stats_cache::StatsCache;
use crate::store::places;
use crate::store::stats::{Scope, StatsFilter};

/// The options of a statistic, beside its [`FilterQuery`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// `count` (the default) or `weight`: adds the weight-based figures (g/100 m², kg/100 m,
    /// g/m) over the weighed surveys, saying how many were left out and why.
    #[serde(default)]
    #[param(value_type = Option<Basis>)]
    pub basis: Option<String>,
}

/// What a statistic is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScopeInfo {
    /// `site`, `city`, `country` or `network`.
    pub level: &'static str,
    /// Id of the site or city.
    pub id: Option<i64>,
    /// Name of the site, city or country code.
    pub name: String,
    /// Country code (site, city, country).
    pub country_code: Option<String>,
}

/// Statistics of one scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScopeStats {
    /// The scope.
    pub scope: ScopeInfo,
    /// Beach-litter surveys.
    pub beach_litter: BeachLitterStats,
    /// Microplastic samples.
    pub microplastics: MicroplasticStats,
    /// When these figures were computed: a cached answer is at most the server's staleness
    /// bound (`--stats-staleness-ms`, 2 s by default) behind its writes, and at most the cache
    /// lifetime (10 s) behind other writers.
    pub as_of: chrono::DateTime<chrono::Utc>,
}

/// What every statistics endpoint reads beside its scope: the read pool, the answer cache, the
/// record filters ([`FilterQuery`]) and the statistic's options ([`StatsQuery`]).
pub type StatsRequest = (web::Data<ReadPool>, web::Data<StatsCache>, web::Query<FilterQuery>, web::Query<StatsQuery>);

/// The statistics of `scope`, from the cache when it has a current answer.
async fn answer((read, cache, filter, options): StatsRequest, scope: Scope) -> Result<HttpResponse, ApiError> {
    let filter = filter.filter_on(options.basis.as_deref())?;
    let key = format!("{scope:?}|{filter:?}");
    let body = cache.answer(&key, || compute(read, scope, filter)).await?;
    Ok(json_with_max_age(body))
}

/// A scope's statistics as JSON, computed from the read pool.
async fn compute(read: web::Data<ReadPool>, scope: Scope, filter: StatsFilter) -> Result<Bytes, ApiError> {
    let stats = db::read_stats(&read, move |conn, parts| {
        let info = match &scope {
            Scope::Site(id) => places::find_site(conn, *id)?.map(|s| ScopeInfo {
                level: "site",
                id: Some(s.id),
                name: s.name,
                country_code: Some(s.country_code),
            }),
            Scope::City(id) => places::find_city(conn, *id)?.map(|c| ScopeInfo {
                level: "city",
                id: Some(c.id),
                name: c.name,
                country_code: Some(c.country_code),
            }),
            Scope::Country(code) => {
                Some(ScopeInfo { level: "country", id: None, name: code.clone(), country_code: Some(code.clone()) })
            }
            Scope::Network => {
                Some(ScopeInfo { level: "network", id: None, name: "network".into(), country_code: None })
            }
        };
        let Some(info) = info else { return Err(ApiError::NotFound("no such site or city".into())) };
        let (beach_litter, microplastics) = crate::read::scope_stats(conn, parts, &scope, &filter)?;
        Ok(ScopeStats { scope: info, beach_litter, microplastics, as_of: chrono::Utc::now() })
    })
    .await?;
    Ok(Bytes::from(serde_json::to_vec(&stats).map_err(ApiError::internal)?))
}

fn json_with_max_age(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=10"))
        .body(body)
}

/// Statistics of one site.
#[utoipa::path(
    tag = "statistics",
    params(("id" = i64, Path, description = "Site id"), FilterQuery, StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}/stats")]
pub async fn site_stats(id: web::Path<i64>, request: StatsRequest) -> Result<HttpResponse, ApiError> {
    answer(request, Scope::Site(id.into_inner())).await
}

/// Statistics of one city.
#[utoipa::path(
    tag = "statistics",
    params(("id" = i64, Path, description = "City id"), FilterQuery, StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "No such city", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/cities/{id}/stats")]
pub async fn city_stats(id: web::Path<i64>, request: StatsRequest) -> Result<HttpResponse, ApiError> {
    answer(request, Scope::City(id.into_inner())).await
}

/// Statistics of one country (ISO 3166-1 alpha-2 code).
#[utoipa::path(
    tag = "statistics",
    params(("code" = String, Path, description = "Country code, e.g. VN"), FilterQuery, StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "Not a country code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/countries/{code}/stats")]
pub async fn country_stats(code: web::Path<String>, request: StatsRequest) -> Result<HttpResponse, ApiError> {
    let code = tideline_core::country::country_code(&code.into_inner()).map_err(ApiError::NotFound)?;
    answer(request, Scope::Country(code)).await
}

/// Statistics of the whole network.
#[utoipa::path(
    tag = "statistics",
    params(FilterQuery, StatsQuery),
    responses((status = 200, description = "Statistics of accepted records", body = ScopeStats))
)]
#[get("/v1/network/stats")]
pub async fn network_stats(request: StatsRequest) -> Result<HttpResponse, ApiError> {
    answer(request, Scope::Network).await
}
