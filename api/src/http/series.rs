//! `GET /v1/stats`: time series of accepted surveys for charts, from the monthly rollups.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError, Problem};
use super::stats::StatsQuery;
use crate::database::DbPool;

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
