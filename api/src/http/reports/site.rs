//! `GET /v1/sites/{id}/report.csv`: a site's accepted surveys and samples, then its summary.

use actix_web::{get, web, HttpResponse};
use tideline_core::precision::Precision;
use tideline_core::stats::scope::{BeachLitterStats, MicroplasticStats};

use super::{columns, report, CsvQuery, CsvRequest};
use crate::http::csv_out::{safe, CsvStyle};
use crate::http::filter_query::FilterQuery;
use crate::http::problem::{ApiError, Problem};
use crate::read::scope_stats;
use crate::store::exports::{self, SampleExportRow, SurveyExportRow};
use crate::store::places::{self};
use crate::store::stats::Scope;

/// The summary rows of a scope: one statistic per row, each to its meaningful precision.
fn summary_rows(beach: &BeachLitterStats, micro: &MicroplasticStats, style: &CsvStyle) -> Vec<(String, String)> {
    let figure = |value: Option<f64>, precision: Precision| style.figure(value, precision);
    let mut rows =
        vec![("surveys".to_string(), beach.surveys.to_string()), ("total_items".into(), beach.total_items.to_string())];
    if let Some(s) = &beach.items_per_100m {
        rows.push(("mean_items_per_100m".into(), figure(Some(s.mean), Precision::DENSITY)));
        rows.push(("median_items_per_100m".into(), figure(Some(s.median), Precision::DENSITY)));
        rows.push(("p10_items_per_100m".into(), figure(Some(s.p10), Precision::DENSITY)));
        rows.push(("p90_items_per_100m".into(), figure(Some(s.p90), Precision::DENSITY)));
    }
    rows.push(("median_items_per_m2".into(), figure(beach.median_items_per_m2, Precision::Significant(3))));
    if let Some(cci) = &beach.cci {
        rows.push(("median_cci".into(), figure(Some(cci.median), Precision::Decimals(2))));
        rows.push(("cci_grade".into(), cci.grade.as_str().to_string()));
    }
    let threshold = &beach.eu_threshold;
    rows.push(("eu_threshold_status".into(), threshold.as_str().to_string()));
    rows.push(("eu_threshold_median_items_per_100m".into(), figure(threshold.median_per_100m(), Precision::DENSITY)));
    rows.push(("plastic_share_pct".into(), figure(beach.plastic_share, Precision::SHARE)));
    rows.push(("sup_items".into(), beach.sup_items.to_string()));
    rows.push(("fishing_items".into(), beach.fishing_items.to_string()));
    for (rank, top) in beach.top_x.iter().enumerate() {
        let share = figure(Some(top.share), Precision::SHARE);
        rows.push((format!("top_{}", rank + 1), format!("{} {} ({share} %)", top.code, top.name)));
    }
    if let Some(trend) = &beach.trend {
        rows.push((
            "trend_slope_items_per_100m_per_year".into(),
            figure(Some(trend.slope_per_year), Precision::DENSITY),
        ));
        rows.push(("trend_mann_kendall_s".into(), trend.mann_kendall.s.to_string()));
        rows.push(("trend_mann_kendall_p".into(), figure(Some(trend.mann_kendall.p), Precision::P_VALUE)));
    }
    rows.push(("cleanups".into(), beach.cleanup_effort.cleanups.to_string()));
    rows.push(("cleanup_participants".into(), beach.cleanup_effort.participants.to_string()));
    rows.push(("cleanup_mass_kg".into(), figure(Some(beach.cleanup_effort.mass_kg), Precision::Decimals(1))));
    rows.push(("samples".into(), micro.samples.to_string()));
    for m in &micro.by_matrix {
        let median = figure(m.median_particles_per_m3, Precision::Significant(3));
        rows.push((format!("median_particles_per_m3_{}", m.matrix), median));
    }
    rows
}

/// A record's type, id and date: the first columns of every row.
const RECORD: [&str; 3] = ["record_type", "record_id", "date"];

/// A sample's figures, after the survey figures (empty on survey rows).
const SAMPLE_FIGURES: [&str; 7] = [
    "matrix",
    "method",
    "particle_count",
    "particles_per_m3",
    "particles_per_km2",
    "particles_per_kg",
    "particles_per_m2",
];

/// A summary row's statistic and value, last.
const SUMMARY: [&str; 2] = ["statistic", "value"];

/// Where the sample figures start.
const SAMPLE_AT: usize = RECORD.len() + columns::SURVEY_FIGURES.len();

/// How many columns a site report has.
const SITE_COLUMNS: usize = SAMPLE_AT + SAMPLE_FIGURES.len() + SUMMARY.len();

/// The columns of a site report.
fn site_header() -> Vec<String> {
    let groups: [&[&str]; 4] = [&RECORD, &columns::SURVEY_FIGURES, &SAMPLE_FIGURES, &SUMMARY];
    groups.concat().into_iter().map(String::from).collect()
}

fn survey_cells(r: &SurveyExportRow, style: &CsvStyle) -> Vec<String> {
    let mut cells = vec!["survey".into(), r.id.to_string(), r.survey_date.to_string()];
    cells.extend(columns::survey_figures(&r.figures, style, true));
    cells.resize(SITE_COLUMNS, String::new());
    cells
}

fn sample_cells(r: &SampleExportRow, style: &CsvStyle) -> Vec<String> {
    let density = |value: Option<f64>| style.figure(value, Precision::Significant(3));
    let mut cells = vec!["sample".into(), r.id.to_string(), r.sample_date.to_string()];
    cells.resize(SAMPLE_AT, String::new());
    cells.extend([
        r.matrix.to_string(),
        r.method.to_string(),
        r.densities.particle_count.to_string(),
        density(r.densities.particles_per_m3),
        density(r.densities.particles_per_km2),
        density(r.densities.particles_per_kg),
        density(r.densities.particles_per_m2),
    ]);
    cells.resize(SITE_COLUMNS, String::new());
    cells
}

/// A site's accepted surveys and samples, one row each, then its summary statistics (one
/// `summary` row per statistic) — the same numbers as `/v1/sites/{id}/stats`.
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Site id"), FilterQuery, CsvQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}/report.csv")]
pub async fn site_report(id: web::Path<i64>, request: CsvRequest) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    report(request, move |conn, parts, filter, style| {
        let site = places::find_site(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no site {id}")))?;
        let scope = Scope::Site(id);
        let (beach, micro) = scope_stats(conn, parts, &scope, &filter)?;
        let mut body = style.record(&site_header());
        exports::for_each_survey_chunk(conn, &scope, &filter, false, |rows, _| {
            rows.iter().for_each(|r| body.extend(style.record(&survey_cells(r, &style))));
            true
        })?;
        exports::for_each_sample_chunk(conn, &scope, &filter, |rows| {
            rows.iter().for_each(|r| body.extend(style.record(&sample_cells(r, &style))));
            true
        })?;
        for (statistic, value) in summary_rows(&beach, &micro, &style) {
            let mut cells = vec![String::new(); SITE_COLUMNS];
            cells[0] = "summary".into();
            cells[SITE_COLUMNS - 2] = statistic;
            cells[SITE_COLUMNS - 1] = safe(&value);
            body.extend(style.record(&cells));
        }
        Ok((format!("site-{}-{}", site.code, site.name), body))
    })
    .await
}
