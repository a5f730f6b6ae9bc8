//! CSV reports for city officials (a site's records with its summary; a city's sites with
//! theirs) and survey/sample exports for researchers, streamed from a cursor.

use actix_web::{get, http::header, web, HttpResponse};
use serde::Deserialize;
use tideline_core::category::CategoryTree;
use tideline_core::stats::scope::{BeachLitterStats, MicroplasticStats};
use utoipa::IntoParams;

use super::csv_out::{disposition, number, record, safe, ChannelBody, BOM};
use super::db;
use super::problem::{ApiError, FieldError, Problem};
use super::stats::{compute, StatsQuery};
use crate::auth::{Caller, Role};
use crate::database::DbPool;
use crate::store::exports::{self, SampleExportRow, SurveyExportRow};
use crate::store::places::{self, SiteFilter};
use crate::store::stats::{Scope, StatsFilter};

/// Filters and options of CSV downloads.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// Earliest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::from_date")]
    pub from: Option<chrono::NaiveDate>,
    /// Latest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::to_date")]
    pub to: Option<chrono::NaiveDate>,
    /// `monitoring` or `cleanup`.
    pub kind: Option<String>,
    /// Source protocol.
    pub protocol: Option<String>,
    /// Start with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
    /// Exports: `wide` (one column per canonical category) or `long` (default: one row per survey).
    pub format: Option<String>,
    /// Exports: only this city.
    pub city: Option<i64>,
    /// Exports: only this country.
    pub country: Option<String>,
    /// Exports: only this site.
    pub site: Option<i64>,
}

/// Filters and options of a site or city report.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Earliest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::from_date")]
    pub from: Option<chrono::NaiveDate>,
    /// Latest date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "super::params::to_date")]
    pub to: Option<chrono::NaiveDate>,
    /// `monitoring` or `cleanup`.
    pub kind: Option<String>,
    /// Source protocol.
    pub protocol: Option<String>,
    /// Start with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
}

impl From<ReportQuery> for CsvQuery {
    fn from(q: ReportQuery) -> Self {
        Self { from: q.from, to: q.to, kind: q.kind, protocol: q.protocol, bom: q.bom, ..Self::default() }
    }
}

impl CsvQuery {
    fn filter(&self) -> Result<StatsFilter, ApiError> {
        StatsQuery { from: self.from, to: self.to, kind: self.kind.clone(), protocol: self.protocol.clone() }.filter()
    }

    fn period(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "all".into(),
            (from, to) => format!(
                "{}_{}",
                from.map_or("start".into(), |d| d.to_string()),
                to.map_or("now".into(), |d| d.to_string())
            ),
        }
    }
}

fn csv_response(file_name: &str, bom: bool, body: Vec<u8>) -> HttpResponse {
    let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
    bytes.extend(body);
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition(file_name)))
        .body(bytes)
}

/// The summary rows of a scope: one statistic per row.
fn summary_rows(beach: &BeachLitterStats, micro: &MicroplasticStats) -> Vec<(String, String)> {
    let mut rows =
        vec![("surveys".to_string(), beach.surveys.to_string()), ("total_items".into(), beach.total_items.to_string())];
    if let Some(s) = &beach.items_per_100m {
        rows.push(("mean_items_per_100m".into(), s.mean.to_string()));
        rows.push(("median_items_per_100m".into(), s.median.to_string()));
        rows.push(("p10_items_per_100m".into(), s.p10.to_string()));
        rows.push(("p90_items_per_100m".into(), s.p90.to_string()));
    }
    rows.push(("median_items_per_m2".into(), number(beach.median_items_per_m2)));
    if let Some(cci) = &beach.cci {
        rows.push(("median_cci".into(), cci.median.to_string()));
        rows.push((
            "cci_grade".into(),
            serde_json::to_value(cci.grade).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
        ));
    }
    let threshold = serde_json::to_value(beach.eu_threshold).unwrap_or_default();
    rows.push(("eu_threshold_status".into(), threshold["status"].as_str().unwrap_or("").to_string()));
    rows.push(("eu_threshold_median_per_100m".into(), number(threshold["median_per_100m"].as_f64())));
    rows.push(("plastic_share".into(), number(beach.plastic_share)));
    rows.push(("sup_items".into(), beach.sup_items.to_string()));
    rows.push(("fishing_items".into(), beach.fishing_items.to_string()));
    for (rank, top) in beach.top_x.iter().enumerate() {
        rows.push((format!("top_{}", rank + 1), format!("{} {} ({:.1} %)", top.code, top.name, top.share * 100.0)));
    }
    if let Some(trend) = &beach.trend {
        rows.push(("trend_slope_items_per_100m_per_year".into(), trend.slope_per_year.to_string()));
        rows.push(("trend_mann_kendall_s".into(), trend.mann_kendall.s.to_string()));
        rows.push(("trend_mann_kendall_p".into(), trend.mann_kendall.p.to_string()));
    }
    rows.push(("cleanups".into(), beach.cleanup_effort.cleanups.to_string()));
    rows.push(("cleanup_participants".into(), beach.cleanup_effort.participants.to_string()));
    rows.push(("cleanup_mass_kg".into(), beach.cleanup_effort.mass_kg.to_string()));
    rows.push(("samples".into(), micro.samples.to_string()));
    for m in &micro.by_matrix {
        rows.push((format!("median_particles_per_m3_{}", m.matrix), number(m.median_particles_per_m3)));
    }
    rows
}

const SITE_HEADER: [&str; 22] = [
    "record_type",
    "record_id",
    "date",
    "protocol",
    "kind",
    "length_m",
    "total_items",
    "items_per_100m",
    "items_per_m2",
    "plastic_items",
    "sup_items",
    "fishing_items",
    "cci",
    "matrix",
    "method",
    "particle_count",
    "particles_per_m3",
    "particles_per_km2",
    "particles_per_kg",
    "particles_per_m2",
    "statistic",
    "value",
];

fn survey_cells(r: &SurveyExportRow) -> Vec<String> {
    let mut cells = vec![
        "survey".into(),
        r.id.to_string(),
        r.survey_date.to_string(),
        safe(&r.protocol),
        safe(&r.survey_kind),
        number(r.length_m),
        r.total_items.to_string(),
        number(r.items_per_100m),
        number(r.items_per_m2),
        r.plastic_items.to_string(),
        r.sup_items.to_string(),
        r.fishing_items.to_string(),
        number(r.cci),
    ];
    cells.resize(SITE_HEADER.len(), String::new());
    cells
}

fn sample_cells(r: &SampleExportRow) -> Vec<String> {
    let mut cells = vec!["sample".into(), r.id.to_string(), r.sample_date.to_string()];
    cells.resize(13, String::new());
    cells.extend([
        safe(&r.matrix),
        safe(&r.method),
        r.particle_count.to_string(),
        number(r.particles_per_m3),
        number(r.particles_per_km2),
        number(r.particles_per_kg),
        number(r.particles_per_m2),
    ]);
    cells.resize(SITE_HEADER.len(), String::new());
    cells
}

/// A site's accepted surveys and samples, one row each, then its summary statistics (one
/// `summary` row per statistic) — the same numbers as `/v1/sites/{id}/stats`.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Site id"), ReportQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}/report.csv")]
pub async fn site_report(
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let query = CsvQuery::from(query.into_inner());
    let filter = query.filter()?;
    let (site, body) = db::run(&pool, move |conn| {
        let site = places::find_site(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no site {id}")))?;
        let scope = Scope::Site(id);
        let (beach, micro) = compute(conn, &scope, &filter)?;
        let mut body = record(&SITE_HEADER.map(String::from));
        exports::for_each_chunk(conn, &exports::survey_query(&scope, &filter, false), |rows: Vec<SurveyExportRow>| {
            rows.iter().for_each(|r| body.extend(record(&survey_cells(r))));
            true
        })?;
        exports::for_each_chunk(conn, &exports::sample_query(&scope, &filter), |rows: Vec<SampleExportRow>| {
            rows.iter().for_each(|r| body.extend(record(&sample_cells(r))));
            true
        })?;
        for (statistic, value) in summary_rows(&beach, &micro) {
            let mut cells = vec![String::new(); SITE_HEADER.len()];
            cells[0] = "summary".into();
            cells[20] = statistic;
            cells[21] = safe(&value);
            body.extend(record(&cells));
        }
        Ok((site, body))
    })
    .await?;
    let name = format!("tideline-site-{}-{}-{}.csv", site.code, site.name, query.period());
    Ok(csv_response(&name, query.bom.unwrap_or(false), body))
}

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
    "plastic_share",
    "sup_items",
    "fishing_items",
    "top_category",
    "trend_slope_items_per_100m_per_year",
    "trend_mann_kendall_p",
    "samples",
    "median_particles_per_m3",
];

/// One row per site of a city with its summary statistics — the same numbers as each site's
/// `/stats`.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "City id"), ReportQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such city", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/cities/{id}/report.csv")]
pub async fn city_report(
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let query = CsvQuery::from(query.into_inner());
    let filter = query.filter()?;
    let (city, body) = db::run(&pool, move |conn| {
        let city = places::find_city(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no city {id}")))?;
        let mut body = record(&CITY_HEADER.map(String::from));
        for site in places::list_sites(conn, &SiteFilter { city_id: Some(id), ..SiteFilter::default() })? {
            let (beach, micro) = compute(conn, &Scope::Site(site.id), &filter)?;
            let s = beach.items_per_100m;
            let threshold = serde_json::to_value(beach.eu_threshold).unwrap_or_default();
            let grade = beach
                .cci
                .as_ref()
                .and_then(|c| serde_json::to_value(c.grade).ok())
                .and_then(|v| v.as_str().map(str::to_owned));
            let water: Vec<f64> = micro
                .by_matrix
                .iter()
                .filter(|m| m.matrix.ends_with("_water"))
                .filter_map(|m| m.median_particles_per_m3)
                .collect();
            body.extend(record(&[
                site.id.to_string(),
                safe(&site.code),
                safe(&site.name),
                site.kind.to_string(),
                site.lat.to_string(),
                site.lon.to_string(),
                beach.surveys.to_string(),
                beach.total_items.to_string(),
                number(s.map(|s| s.mean)),
                number(s.map(|s| s.median)),
                number(s.map(|s| s.p10)),
                number(s.map(|s| s.p90)),
                number(beach.median_items_per_m2),
                number(beach.cci.as_ref().map(|c| c.median)),
                grade.unwrap_or_default(),
                threshold["status"].as_str().unwrap_or("").to_string(),
                number(beach.plastic_share),
                beach.sup_items.to_string(),
                beach.fishing_items.to_string(),
                beach.top_x.first().map(|t| safe(&format!("{} {}", t.code, t.name))).unwrap_or_default(),
                number(beach.trend.as_ref().map(|t| t.slope_per_year)),
                number(beach.trend.as_ref().map(|t| t.mann_kendall.p)),
                micro.samples.to_string(),
                number(tideline_core::stats::descriptive::median(&water)),
            ]));
        }
        Ok((city, body))
    })
    .await?;
    let name = format!("tideline-city-{}-{}-{}.csv", city.country_code, city.name, query.period());
    Ok(csv_response(&name, query.bom.unwrap_or(false), body))
}

fn export_scope(query: &CsvQuery) -> Result<Scope, ApiError> {
    match (query.site, query.city, query.country.as_deref()) {
        (Some(site), None, None) => Ok(Scope::Site(site)),
        (None, Some(city), None) => Ok(Scope::City(city)),
        (None, None, Some(code)) => tideline_core::country::country_code(code)
            .map(Scope::Country)
            .map_err(|e| ApiError::bad_request("invalid query parameters", vec![FieldError::new("/country", e)])),
        (None, None, None) => Ok(Scope::Network),
        _ => Err(ApiError::bad_request(
            "invalid query parameters",
            vec![FieldError::new("/site", "give at most one of site, city, country")],
        )),
    }
}

fn researcher(caller: &Caller) -> Result<(), ApiError> {
    match caller.role {
        Role::Researcher | Role::Admin => Ok(()),
        _ => Err(ApiError::Forbidden("exports are for researcher and admin tokens".into())),
    }
}

/// Streams a cursor's rows as CSV through a bounded channel: memory stays flat.
fn stream_csv<R, F>(
    pool: web::Data<DbPool>,
    query: String,
    header: Vec<String>,
    bom: bool,
    name: String,
    cells: F,
) -> HttpResponse
where
    R: diesel::QueryableByName<diesel::pg::Pg> + Send + 'static,
    F: Fn(&R) -> Vec<String> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let work = web::block(move || {
        let mut first = if bom { BOM.to_vec() } else { Vec::new() };
        first.extend(record(&header));
        if tx.blocking_send(Ok(first.into())).is_err() {
            return;
        }
        let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
            exports::for_each_chunk(&mut conn, &query, |rows: Vec<R>| {
                let mut chunk = Vec::with_capacity(rows.len() * 96);
                rows.iter().for_each(|r| chunk.extend(record(&cells(r))));
                tx.blocking_send(Ok(chunk.into())).is_ok()
            })
            .map_err(|e| e.to_string())
        });
        if let Err(error) = result {
            tracing::error!(%error, "export failed mid-stream");
            let _ = tx.blocking_send(Err(std::io::Error::other(error)));
        }
    });
    actix_web::rt::spawn(work);
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition(&name)))
        .streaming(ChannelBody(rx))
}

/// Accepted surveys for researchers, streamed: `long` (default) is one row per survey with
/// its normalised values; `wide` adds one column per canonical category.
#[utoipa::path(
    tag = "reports",
    params(CsvQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV, streamed", content_type = "text/csv", body = String),
        (status = 403, description = "Not a researcher or admin token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/exports/surveys.csv")]
pub async fn export_surveys(
    pool: web::Data<DbPool>,
    caller: Caller,
    query: web::Query<CsvQuery>,
) -> Result<HttpResponse, ApiError> {
    researcher(&caller)?;
    let filter = query.filter()?;
    let scope = export_scope(&query)?;
    let wide = match query.format.as_deref() {
        None | Some("long") => false,
        Some("wide") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid query parameters",
                vec![FieldError::new("/format", "wide or long")],
            ))
        }
    };
    let categories: Vec<String> =
        if wide { CategoryTree::global().iter().map(|c| c.code.clone()).collect() } else { Vec::new() };
    let mut header: Vec<String> = [
        "survey_id",
        "date",
        "site_id",
        "site_code",
        "city",
        "country_code",
        "protocol",
        "kind",
        "length_m",
        "total_items",
        "items_per_100m",
        "items_per_m2",
        "plastic_items",
        "sup_items",
        "fishing_items",
        "cci",
    ]
    .map(String::from)
    .to_vec();
    header.extend(categories.iter().cloned());
    let sql = exports::survey_query(&scope, &filter, wide);
    let name = format!("tideline-surveys-{}-{}.csv", if wide { "wide" } else { "long" }, query.period());
    Ok(stream_csv(pool, sql, header, query.bom.unwrap_or(false), name, move |r: &SurveyExportRow| {
        let mut cells = vec![
            r.id.to_string(),
            r.survey_date.to_string(),
            r.site_id.map(|v| v.to_string()).unwrap_or_default(),
            r.site_code.as_deref().map(safe).unwrap_or_default(),
            safe(&r.city),
            r.country_code.clone(),
            r.protocol.clone(),
            r.survey_kind.clone(),
            number(r.length_m),
            r.total_items.to_string(),
            number(r.items_per_100m),
            number(r.items_per_m2),
            r.plastic_items.to_string(),
            r.sup_items.to_string(),
            r.fishing_items.to_string(),
            number(r.cci),
        ];
        cells.extend(categories.iter().map(|c| r.items.get(c).and_then(|v| v.as_i64()).unwrap_or(0).to_string()));
        cells
    }))
}

/// Accepted microplastic samples for researchers, streamed, one row per sample.
#[utoipa::path(
    tag = "reports",
    params(CsvQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV, streamed", content_type = "text/csv", body = String),
        (status = 403, description = "Not a researcher or admin token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/exports/samples.csv")]
pub async fn export_samples(
    pool: web::Data<DbPool>,
    caller: Caller,
    query: web::Query<CsvQuery>,
) -> Result<HttpResponse, ApiError> {
    researcher(&caller)?;
    if query.format.is_some() {
        let error = FieldError::new("/format", "the samples export has one layout: leave `format` out");
        return Err(ApiError::bad_request("invalid query parameters", vec![error]));
    }
    let filter = query.filter()?;
    let scope = export_scope(&query)?;
    let header: Vec<String> = [
        "sample_id",
        "date",
        "site_id",
        "site_code",
        "city",
        "country_code",
        "matrix",
        "method",
        "mesh_um",
        "flowmeter_start",
        "flowmeter_end",
        "rotor_m_per_count",
        "distance_m",
        "tow_duration_min",
        "net_width_m",
        "mouth_area_m2",
        "volume_m3",
        "dry_mass_kg",
        "area_m2",
        "flags",
        "particle_count",
        "particles_per_m3",
        "particles_per_km2",
        "particles_per_kg",
        "particles_per_m2",
        "density_class",
    ]
    .map(String::from)
    .to_vec();
    let name = format!("tideline-samples-{}.csv", query.period());
    Ok(stream_csv(
        pool,
        exports::sample_query(&scope, &filter),
        header,
        query.bom.unwrap_or(false),
        name,
        |r: &SampleExportRow| {
            vec![
                r.id.to_string(),
                r.sample_date.to_string(),
                r.site_id.map(|v| v.to_string()).unwrap_or_default(),
                r.site_code.as_deref().map(safe).unwrap_or_default(),
                safe(&r.city),
                r.country_code.clone(),
                r.matrix.clone(),
                r.method.clone(),
                number(r.mesh_um),
                r.flowmeter_start.map(|v| v.to_string()).unwrap_or_default(),
                r.flowmeter_end.map(|v| v.to_string()).unwrap_or_default(),
                number(r.rotor_m_per_count),
                number(r.distance_m),
                number(r.tow_duration_min),
                number(r.net_width_m),
                number(r.mouth_area_m2),
                number(r.volume_m3),
                number(r.dry_mass_kg),
                number(r.area_m2),
                safe(&r.flags),
                r.particle_count.to_string(),
                number(r.particles_per_m3),
                number(r.particles_per_km2),
                number(r.particles_per_kg),
                number(r.particles_per_m2),
                r.density_class.clone().unwrap_or_default(),
            ]
        },
    ))
}
