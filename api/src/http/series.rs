//! `GET /v1/stats`: time series of accepted surveys for charts, from the monthly rollups.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::db::ReadPool;
use super::filter_query::FilterQuery;
use super::problem::{ApiError, FieldError, Problem};
use crate::store::scope::Scope;
use tideline_core::stats::scope::Basis;
use tideline_core::stats::series::{Period, SeriesGroup};

/// Parameters of a time series.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// What one line is.
    #[param(value_type = SeriesGroup)]
    pub group_by: String,
    /// The period of one point.
    #[param(value_type = Period)]
    pub period: String,
    /// Only this city.
    pub city: Option<i64>,
    /// Only this country.
    pub country: Option<String>,
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
/// or year (from the monthly rollups; `from` takes in the whole month it falls in).
#[utoipa::path(
    tag = "statistics",
    params(SeriesQuery, FilterQuery),
    responses(
        (status = 200, description = "Points by group, then period", body = Vec<SeriesPoint>),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/stats")]
pub async fn series(
    read: web::Data<ReadPool>,
    filter: web::Query<FilterQuery>,
    query: web::Query<SeriesQuery>,
) -> Result<HttpResponse, ApiError> {
    use crate::store::series;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let group_by = super::params::word::<SeriesGroup>(Some(&q.group_by), "/group_by", &mut errors);
    let period = super::params::word::<Period>(Some(&q.period), "/period", &mut errors);
    let filter = filter.read(Basis::Count, &mut errors);
    let country = q.country.as_deref().map(tideline_core::country::country_code).transpose();
    if let Err(e) = &country {
        errors.push(FieldError::new("/country", e.clone()));
    }
    let (Some(group_by), Some(period), Ok(country), true) = (group_by, period, country, errors.is_empty()) else {
        return Err(ApiError::bad_request("invalid query parameters", errors));
    };
    let scope = match (q.city, country) {
        (Some(city), _) => Scope::City(city),
        (None, Some(country)) => Scope::Country(country),
        (None, None) => Scope::Network,
    };
    let rows = db::read(&read, move |conn| Ok(series::series(conn, group_by, period, &scope, &filter)?)).await?;
    let points: Vec<SeriesPoint> = rows
        .into_iter()
        .map(|r| SeriesPoint {
            mean_items_per_survey: r.totals.mean_items_per_survey(),
            pooled_items_per_100m: r.totals.pooled_items_per_100m(),
            group_id: r.group_id,
            group_name: r.group_name,
            period_start: r.period_start,
            surveys: r.totals.surveys,
            total_items: r.totals.total_items,
        })
        .collect();
    Ok(HttpResponse::Ok().json(points))
}
