//! Statistics of a site, city, country or the network (open data: accepted records only).

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tideline_core::stats::scope::{beach_litter, microplastics, BeachLitterStats, MicroplasticStats};
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError, Problem};
use crate::database::DbPool;
use crate::store::places;
use crate::store::stats::{self, Scope, StatsFilter};

/// Filters of every statistic.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Earliest survey date (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Latest survey date (YYYY-MM-DD).
    pub to: Option<NaiveDate>,
    /// `monitoring` or `cleanup`.
    pub kind: Option<String>,
    /// Source protocol: `ospar`, `mlw`, `tides`, `mdmap` or `tideline`.
    pub protocol: Option<String>,
}

impl StatsQuery {
    /// The store filter, or the offending parameters.
    pub fn filter(&self) -> Result<StatsFilter, ApiError> {
        let mut errors = Vec::new();
        if self.kind.as_deref().is_some_and(|k| k != "monitoring" && k != "cleanup") {
            errors.push(FieldError::new("/kind", "monitoring or cleanup"));
        }
        if let Some(p) = &self.protocol {
            if let Err(message) = p.parse::<tideline_core::protocol::Protocol>() {
                errors.push(FieldError::new("/protocol", message));
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.push(FieldError::new("/from", "must not be after `to`"));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::bad_request("invalid query parameters", errors));
        }
        Ok(StatsFilter { from: self.from, to: self.to, kind: self.kind.clone(), protocol: self.protocol.clone() })
    }
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
}

/// Computes a scope's statistics (used by the JSON endpoints and the CSV reports).
pub fn compute(
    conn: &mut diesel::PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> diesel::QueryResult<(BeachLitterStats, MicroplasticStats)> {
    let surveys = stats::survey_points(conn, scope, filter)?;
    let categories = stats::category_counts(conn, scope, filter)?;
    let samples = stats::sample_points(conn, scope, filter)?;
    let particles = stats::particle_counts(conn, scope, filter)?;
    Ok((beach_litter(&surveys, &categories), microplastics(&samples, &particles)))
}

async fn answer(pool: web::Data<DbPool>, scope: Scope, query: StatsQuery) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let stats = db::run(&pool, move |conn| {
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
        let (beach_litter, microplastics) = compute(conn, &scope, &filter)?;
        Ok(ScopeStats { scope: info, beach_litter, microplastics })
    })
    .await?;
    Ok(HttpResponse::Ok().json(stats))
}

/// Statistics of one site.
#[utoipa::path(
    tag = "statistics",
    params(("id" = i64, Path, description = "Site id"), StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}/stats")]
pub async fn site_stats(
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(pool, Scope::Site(id.into_inner()), query.into_inner()).await
}

/// Statistics of one city.
#[utoipa::path(
    tag = "statistics",
    params(("id" = i64, Path, description = "City id"), StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "No such city", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/cities/{id}/stats")]
pub async fn city_stats(
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(pool, Scope::City(id.into_inner()), query.into_inner()).await
}

/// Statistics of one country (ISO 3166-1 alpha-2 code).
#[utoipa::path(
    tag = "statistics",
    params(("code" = String, Path, description = "Country code, e.g. VN"), StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "Not a country code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/countries/{code}/stats")]
pub async fn country_stats(
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner().to_uppercase();
    if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ApiError::NotFound(format!("`{code}` is not an ISO 3166-1 alpha-2 country code")));
    }
    answer(pool, Scope::Country(code), query.into_inner()).await
}

/// Statistics of the whole network.
#[utoipa::path(
    tag = "statistics",
    params(StatsQuery),
    responses((status = 200, description = "Statistics of accepted records", body = ScopeStats))
)]
#[get("/v1/network/stats")]
pub async fn network_stats(pool: web::Data<DbPool>, query: web::Query<StatsQuery>) -> Result<HttpResponse, ApiError> {
    answer(pool, Scope::Network, query.into_inner()).await
}
