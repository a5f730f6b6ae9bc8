//! Statistics of a site, city, country or the network (open data: accepted records only).

use actix_web::web::Bytes;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tideline_core::stats::scope::{beach_litter, microplastics, BeachLitterStats, MicroplasticStats};
use tideline_core::survey::SurveyKind;
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError, Problem};
use super::stats_cache::StatsCache;
use crate::database::DbPool;
use crate::store::places;
use crate::store::stats::{self, Scope, StatsFilter};

/// Filters of every statistic.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Earliest survey date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::from_date")]
    pub from: Option<NaiveDate>,
    /// Latest survey date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::to_date")]
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
    // indicators are computed over monitoring surveys unless cleanups are asked for
    let kind = if filter.kind.as_deref() == Some("cleanup") { SurveyKind::Cleanup } else { SurveyKind::Monitoring };
    let indicator_filter = StatsFilter { kind: Some(kind.as_str().to_string()), ..filter.clone() };
    let surveys = stats::survey_points(conn, scope, filter)?;
    let categories = stats::category_counts(conn, scope, &indicator_filter)?;
    let samples = stats::sample_points(conn, scope, filter)?;
    let particles = stats::particle_counts(conn, scope, filter)?;
    Ok((beach_litter(&surveys, &categories, kind), microplastics(&samples, &particles)))
}

async fn answer(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    scope: Scope,
    query: StatsQuery,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let key = format!("{scope:?}|{filter:?}");
    if let Some(body) = cache.get(&key) {
        return Ok(json_with_max_age(body));
    }
    let generation = cache.generation();
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
    let body = Bytes::from(serde_json::to_vec(&stats).map_err(|e| ApiError::Internal(e.to_string()))?);
    cache.put(key, generation, body.clone());
    Ok(json_with_max_age(body))
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
    params(("id" = i64, Path, description = "Site id"), StatsQuery),
    responses(
        (status = 200, description = "Statistics of accepted records", body = ScopeStats),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}/stats")]
pub async fn site_stats(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    id: web::Path<i64>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(pool, cache, Scope::Site(id.into_inner()), query.into_inner()).await
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
    cache: web::Data<StatsCache>,
    id: web::Path<i64>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(pool, cache, Scope::City(id.into_inner()), query.into_inner()).await
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
    cache: web::Data<StatsCache>,
    code: web::Path<String>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let code = tideline_core::country::country_code(&code.into_inner()).map_err(ApiError::NotFound)?;
    answer(pool, cache, Scope::Country(code), query.into_inner()).await
}

/// Statistics of the whole network.
#[utoipa::path(
    tag = "statistics",
    params(StatsQuery),
    responses((status = 200, description = "Statistics of accepted records", body = ScopeStats))
)]
#[get("/v1/network/stats")]
pub async fn network_stats(
    pool: web::Data<DbPool>,
    cache: web::Data<StatsCache>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(pool, cache, Scope::Network, query.into_inner()).await
}

/// Parameters of a time series.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// `site`, `city` or `country`.
    pub group_by: String,
    /// `month`, `quarter` or `year`.
    pub period: String,
    /// Only this city.
    pub city: Option<i64>,
    /// Only this country.
    pub country: Option<String>,
    /// Earliest date (whole months).
    #[serde(default, deserialize_with = "super::params::from_date")]
    pub from: Option<NaiveDate>,
    /// Latest date.
    #[serde(default, deserialize_with = "super::params::to_date")]
    pub to: Option<NaiveDate>,
    /// `monitoring` or `cleanup`.
    pub kind: Option<String>,
    /// Source protocol.
    pub protocol: Option<String>,
}

/// One point of a series.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesPoint {
    /// Site or city id (absent for countries).
    pub group_id: Option<i64>,
    /// Site name, city name or country code.
    pub group_name: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Accepted surveys.
    pub surveys: i64,
    /// Items counted.
    pub total_items: i64,
    /// Mean items per survey.
    pub mean_items_per_survey: f64,
    /// Pooled items/100 m: Σ items × 100 / Σ surveyed length (surveys with a length).
    pub pooled_items_per_100m: Option<f64>,
}

/// Time series of accepted surveys for charts, per site, city or country and month, quarter
/// or year (from the monthly rollups).
#[utoipa::path(
    tag = "statistics",
    params(SeriesQuery),
    responses(
        (status = 200, description = "Points by group, then period", body = Vec<SeriesPoint>),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/stats")]
pub async fn series(pool: web::Data<DbPool>, query: web::Query<SeriesQuery>) -> Result<HttpResponse, ApiError> {
    use crate::store::series::{self, GroupBy};
    let q = query.into_inner();
    let mut errors = Vec::new();
    let group_by = match q.group_by.as_str() {
        "site" => Some(GroupBy::Site),
        "city" => Some(GroupBy::City),
        "country" => Some(GroupBy::Country),
        _ => {
            errors.push(FieldError::new("/group_by", "site, city or country"));
            None
        }
    };
    if !["month", "quarter", "year"].contains(&q.period.as_str()) {
        errors.push(FieldError::new("/period", "month, quarter or year"));
    }
    let filter = StatsQuery { from: q.from, to: q.to, kind: q.kind.clone(), protocol: q.protocol.clone() }.filter();
    if let Err(ApiError::Invalid { errors: more, .. }) = &filter {
        errors.extend(more.iter().cloned());
    }
    let (Some(group_by), Ok(filter), true) = (group_by, filter, errors.is_empty()) else {
        return Err(ApiError::bad_request("invalid query parameters", errors));
    };
    let country = q
        .country
        .map(|c| tideline_core::country::country_code(&c))
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid query parameters", vec![FieldError::new("/country", e)]))?;
    let period = q.period;
    let rows =
        db::run(&pool, move |conn| Ok(series::series(conn, group_by, &period, q.city, country.as_deref(), &filter)?))
            .await?;
    let points: Vec<SeriesPoint> = rows
        .into_iter()
        .map(|r| SeriesPoint {
            mean_items_per_survey: r.total_items as f64 / r.surveys as f64,
            pooled_items_per_100m: (r.length_m > 0.0)
                .then(|| tideline_core::survey::per_100m(r.total_items.max(0) as u64, r.length_m)),
            group_id: r.group_id,
            group_name: r.group_name,
            period_start: r.period_start,
            surveys: r.surveys,
            total_items: r.total_items,
        })
        .collect();
    Ok(HttpResponse::Ok().json(points))
}
