//! `GET /v1/cities/{id}/report.csv`: one row per site of a city with its summary statistics.

use actix_web::{get, web, HttpResponse};
use tideline_core::precision::Precision;
use tideline_core::stats::scope::{BeachLitterStats, MicroplasticStats};

use super::{report, CsvQuery, CsvRequest};
use crate::http::csv_out::{safe, CsvStyle};
use crate::http::filter_query::FilterQuery;
use crate::http::problem::{ApiError, Problem};
use crate::read::city_with_sites;
use crate::store::places::{self, Site, SiteFilter};

const CITY_HEADER: [&str; 24] = [
    "site_id",
    "site_code",
    "site_name",
    "kind",
    "lat",
    "lon",
    "surveys",
    "total_items",
    "mean_items_per_100m",
    "median_items_per_100m",
    "p10_items_per_100m",
    "p90_items_per_100m",
    "median_items_per_m2",
    "median_cci",
    "cci_grade",
    "eu_threshold_status",
    "plastic_share_pct",
    "sup_items",
    "fishing_items",
    "top_category",
    "trend_slope_items_per_100m_per_year",
    "trend_mann_kendall_p",
    "samples",
    "median_particles_per_m3",
];

/// A site's row of the city report: where it is, then its figures, each to its precision.
fn site_cells(site: &Site, beach: &BeachLitterStats, micro: &MicroplasticStats, style: CsvStyle) -> Vec<String> {
    let figure = move |value: Option<f64>, precision: Precision| style.figure(value, precision);
    let s = beach.items_per_100m;
    let grade = beach.cci.as_ref().map(|c| c.grade.as_str().to_string());
    vec![
        site.id.to_string(),
        safe(&site.code),
        safe(&site.name),
        site.kind.to_string(),
        figure(Some(site.lat), Precision::COORDINATE),
        figure(Some(site.lon), Precision::COORDINATE),
        beach.surveys.to_string(),
        beach.total_items.to_string(),
        figure(s.map(|s| s.mean), Precision::DENSITY),
        figure(s.map(|s| s.median), Precision::DENSITY),
        figure(s.map(|s| s.p10), Precision::DENSITY),
        figure(s.map(|s| s.p90), Precision::DENSITY),
        figure(beach.median_items_per_m2, Precision::Significant(3)),
        figure(beach.cci.as_ref().map(|c| c.median), Precision::Decimals(2)),
        grade.unwrap_or_default(),
        beach.eu_threshold.as_str().to_string(),
        figure(beach.plastic_share, Precision::SHARE),
        beach.sup_items.to_string(),
        beach.fishing_items.to_string(),
        beach.top_x.first().map(|t| safe(&format!("{} {}", t.code, t.name))).unwrap_or_default(),
        figure(beach.trend.as_ref().map(|t| t.slope_per_year), Precision::DENSITY),
        figure(beach.trend.as_ref().map(|t| t.mann_kendall.p), Precision::P_VALUE),
        micro.samples.to_string(),
        figure(micro.median_water_particles_per_m3, Precision::Significant(3)),
    ]
}

/// One row per site of a city with its summary statistics — the same numbers as each site's
/// `/stats`, each to its meaningful precision (items/100 m to one decimal, shares as
/// percentages, p-values to three significant digits).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "City id"), FilterQuery, CsvQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such city", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/cities/{id}/report.csv")]
pub async fn city_report(id: web::Path<i64>, request: CsvRequest) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    report(request, move |conn, parts, filter, style| {
        let city = places::find_city(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no city {id}")))?;
        let mut body = style.record(&CITY_HEADER.map(String::from));
        let sites = places::list_sites(conn, &SiteFilter { city_id: Some(id), ..SiteFilter::default() })?;
        let ids: Vec<i64> = sites.iter().map(|s| s.id).collect();
        let figures = city_with_sites(conn, parts, id, &ids, &filter)?.sites;
        for (site, (beach, micro)) in sites.iter().zip(figures) {
            body.extend(style.record(&site_cells(site, &beach, &micro, style)));
        }
        Ok((format!("city-{}-{}", city.country_code, city.name), body))
    })
    .await
}
