//! `GET /v1/exports/{surveys,samples}.csv`: accepted records for researchers, streamed from a
//! server-side cursor through a bounded channel.

use actix_web::{get, http::header, web, HttpResponse};
use tideline_core::category::CategoryTree;
use tideline_core::precision::ExportLayout;
use tideline_core::stats::scope::Basis;

use super::{columns, CsvQuery, CsvRequest, ExportQuery};
use crate::http::auth::{Caller, Role};
use crate::http::csv_out::{disposition, safe, ChannelBody, CsvStyle, BOM};
use crate::http::db::ReadPool;
use crate::http::filter_query::FilterQuery;
use crate::http::params;
use crate::http::problem::{ApiError, FieldError, Problem};
use crate::store::exports::{self, ItemCounts, SampleExportRow, SurveyExportRow};
use crate::store::stats::{Scope, StatsFilter};

/// An export asked for by a researcher or admin: its scope, its filters, its layout (surveys
/// only) and how its CSV is written.
struct Export {
    read: web::Data<ReadPool>,
    scope: Scope,
    filter: StatsFilter,
    layout: ExportLayout,
    style: CsvStyle,
    bom: bool,
    period: String,
}

impl Export {
    /// The export `caller` asks for (`layouts`: whether its records have a wide layout), every
    /// offending parameter named in one answer.
    fn asked(
        caller: &Caller,
        (read, filter, csv): CsvRequest,
        query: &ExportQuery,
        layouts: bool,
    ) -> Result<Self, ApiError> {
        if !matches!(caller.role, Role::Researcher | Role::Admin) {
            return Err(ApiError::Forbidden("exports are for researcher and admin tokens".into()));
        }
        let mut errors = Vec::new();
        let stats_filter = filter.read(Basis::Count, &mut errors);
        let layout = if layouts {
            params::word::<ExportLayout>(query.format.as_deref(), "/format", &mut errors).unwrap_or_default()
        } else {
            if query.format.is_some() {
                errors.push(FieldError::new("/format", "the samples export has one layout: leave `format` out"));
            }
            ExportLayout::Long
        };
        let scope = match (query.site, query.city, query.country.as_deref()) {
            (Some(site), None, None) => Some(Scope::Site(site)),
            (None, Some(city), None) => Some(Scope::City(city)),
            (None, None, Some(code)) => tideline_core::country::country_code(code)
                .map_err(|e| errors.push(FieldError::new("/country", e)))
                .ok()
                .map(Scope::Country),
            (None, None, None) => Some(Scope::Network),
            _ => {
                errors.push(FieldError::new("/site", "give at most one of site, city, country"));
                None
            }
        };
        match scope {
            Some(scope) if errors.is_empty() => Ok(Self {
                read,
                scope,
                filter: stats_filter,
                layout,
                style: csv.style(),
                bom: csv.bom(),
                period: filter.period(),
            }),
            _ => Err(ApiError::bad_request("invalid query parameters", errors)),
        }
    }
}

/// Hands one chunk of rows on; false when the client has gone.
type Hand<'a, R> = &'a mut dyn FnMut(R) -> bool;

/// Streams CSV through a bounded channel: the header, then the chunks `fetch` reads from its
/// cursor, each made into CSV by `format` on a second thread while the next chunk is fetched
/// (a cursor answers one `FETCH` at a time, so fetching and formatting in turn left each side
/// idle half the time). Memory stays flat: two chunks in flight at most.
fn stream_csv<R, F, W>(export: &Export, header: Vec<String>, name: String, fetch: F, format: W) -> HttpResponse
where
    R: std::marker::Send + 'static,
    F: FnOnce(&mut diesel::PgConnection, Hand<'_, R>) -> diesel::QueryResult<()> + std::marker::Send + 'static,
    W: Fn(R) -> Vec<u8> + std::marker::Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (read, bom, style) = (export.read.clone(), export.bom, export.style);
    let work = web::block(move || {
        let mut first = if bom { BOM.to_vec() } else { Vec::new() };
        first.extend(style.record(&header));
        if tx.blocking_send(Ok(first.into())).is_err() {
            return;
        }
        let (hand, chunks) = std::sync::mpsc::sync_channel::<R>(1);
        let result = std::thread::scope(|scope| {
            let tx = &tx;
            scope.spawn(move || {
                for chunk in chunks {
                    if tx.blocking_send(Ok(format(chunk).into())).is_err() {
                        return; // the client has gone: dropping `chunks` stops the fetch
                    }
                }
            });
            let mut hand = move |chunk: R| hand.send(chunk).is_ok();
            read.pool
                .get()
                .map_err(|e| e.to_string())
                .and_then(|mut conn| fetch(&mut conn, &mut hand).map_err(|e| e.to_string()))
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

/// CSV bytes of rows.
fn csv_chunk<R>(style: &CsvStyle, rows: &[R], cells: impl Fn(&R) -> Vec<String>) -> Vec<u8> {
    style.records(rows.iter().map(cells), rows.len() * 96)
}

/// Accepted surveys for researchers, streamed: `long` (default) is one row per survey with
/// its normalised values; `wide` adds one column per canonical category.
#[utoipa::path(
    tag = "reports",
    params(FilterQuery, CsvQuery, ExportQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV, streamed", content_type = "text/csv", body = String),
        (status = 403, description = "Not a researcher or admin token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/exports/surveys.csv")]
pub async fn export_surveys(
    caller: Caller,
    request: CsvRequest,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let export = Export::asked(&caller, request, &query, true)?;
    let (scope, filter, layout, style) = (export.scope.clone(), export.filter.clone(), export.layout, export.style);
    let wide = layout == ExportLayout::Wide;
    let categories: Vec<String> =
        if wide { CategoryTree::global().iter().map(|c| c.code.clone()).collect() } else { Vec::new() };
    let mut header: Vec<String> = ["survey_id", "date"].map(String::from).to_vec();
    header.extend(columns::PLACE.map(String::from));
    header.extend(columns::SURVEY_FIGURES.map(String::from));
    header.extend(categories.iter().cloned());
    let name = format!("tideline-surveys-{layout}-{}.csv", export.period);
    let cells = move |r: &SurveyExportRow, items: &ItemCounts| {
        let mut cells = vec![r.id.to_string(), r.survey_date.to_string()];
        cells.extend(columns::place(&r.place));
        cells.extend(columns::survey_figures(&r.figures, &style, false));
        let counts = items.get(&r.id);
        cells.extend(categories.iter().map(|c| counts.and_then(|n| n.get(c)).copied().unwrap_or(0).to_string()));
        cells
    };
    let fetch = move |conn: &mut diesel::PgConnection, hand: Hand<'_, (Vec<SurveyExportRow>, ItemCounts)>| {
        exports::for_each_survey_chunk(conn, &scope, &filter, wide, |rows, items| hand((rows, items)))
    };
    let format =
        move |(rows, items): (Vec<SurveyExportRow>, ItemCounts)| csv_chunk(&style, &rows, |r| cells(r, &items));
    Ok(stream_csv(&export, header, name, fetch, format))
}

/// Accepted microplastic samples for researchers, streamed, one row per sample.
#[utoipa::path(
    tag = "reports",
    params(FilterQuery, CsvQuery, ExportQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV, streamed", content_type = "text/csv", body = String),
        (status = 403, description = "Not a researcher or admin token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/v1/exports/samples.csv")]
pub async fn export_samples(
    caller: Caller,
    request: CsvRequest,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let export = Export::asked(&caller, request, &query, false)?;
    let (scope, filter, style) = (export.scope.clone(), export.filter.clone(), export.style);
    let mut header: Vec<String> = [
        "sample_id",
        "date",
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
    header.splice(2..2, columns::PLACE.map(String::from));
    let name = format!("tideline-samples-{}.csv", export.period);
    let number = move |value: Option<f64>| style.exact(value);
    let cells = move |r: &SampleExportRow| {
        let mut cells = vec![r.id.to_string(), r.sample_date.to_string()];
        cells.extend(columns::place(&r.place));
        cells.extend([
            r.matrix.to_string(),
            r.method.to_string(),
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
            safe(&r.flag_codes()),
            r.densities.particle_count.to_string(),
            number(r.densities.particles_per_m3),
            number(r.densities.particles_per_km2),
            number(r.densities.particles_per_kg),
            number(r.densities.particles_per_m2),
            r.densities.density_class.clone().unwrap_or_default(),
        ]);
        cells
    };
    let fetch = move |conn: &mut diesel::PgConnection, hand: Hand<'_, Vec<SampleExportRow>>| {
        exports::for_each_sample_chunk(conn, &scope, &filter, hand)
    };
    Ok(stream_csv(&export, header, name, fetch, move |rows| csv_chunk(&style, &rows, cells)))
}
