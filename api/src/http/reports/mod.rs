//! CSV reports for city officials (`site.rs`: a site's records with its summary; `city.rs`: a
//! city's sites with theirs) and survey/sample exports for researchers, streamed from a cursor
//! (`exports.rs`). This file holds their CSV options (the records are chosen by `FilterQuery`)
//! and the CSV answer.

mod city;
mod columns;
mod exports;
mod site;

pub use city::city_report;
pub use exports::{export_samples, export_surveys};
pub use site::site_report;

use actix_web::{http::header, web, HttpResponse};
use diesel::PgConnection;
use serde::Deserialize;
use tideline_core::precision::{DecimalMark, ExportLayout, Separator};
use utoipa::IntoParams;

use super::csv_out::{disposition, CsvStyle, BOM};
use super::db::{self, ReadPool};
use super::filter_query::FilterQuery;
use super::problem::ApiError;
use crate::read::PartCache;
use crate::store::stats::StatsFilter;

/// How a CSV download is written, beside its [`FilterQuery`](super::filter_query::FilterQuery).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// Start with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
    /// `comma` (the default) or `semicolon` between cells.
    pub separator: Option<Separator>,
    /// `point` (the default) or `comma` as the decimal mark (with `separator=semicolon` for
    /// spreadsheets set to a decimal comma).
    pub decimal: Option<DecimalMark>,
}

impl CsvQuery {
    fn style(&self) -> CsvStyle {
        CsvStyle { separator: self.separator.unwrap_or_default(), decimal: self.decimal.unwrap_or_default() }
    }

    fn bom(&self) -> bool {
        self.bom.unwrap_or(false)
    }
}

/// What an export covers and how its rows are laid out, beside its
/// [`FilterQuery`](super::filter_query::FilterQuery) and [`CsvQuery`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `long` (the default: one row per survey) or `wide` (adds one column per canonical
    /// category).
    #[param(value_type = Option<ExportLayout>)]
    pub format: Option<String>,
    /// Only this city.
    pub city: Option<i64>,
    /// Only this country.
    pub country: Option<String>,
    /// Only this site.
    pub site: Option<i64>,
}

/// What every CSV download reads beside its subject: the read pool, the record filters
/// ([`FilterQuery`]) and how the CSV is written ([`CsvQuery`]).
pub type CsvRequest = (web::Data<ReadPool>, web::Query<FilterQuery>, web::Query<CsvQuery>);

/// A report read whole: `rows` reads the report's subject and writes its CSV records (in the
/// asked style, of the records the filters choose), and names the subject, which with the
/// period the filters cover names the file: `tideline-{subject}-{period}.csv`.
async fn report<F>((read, filter, csv): CsvRequest, rows: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut PgConnection, &PartCache, StatsFilter, CsvStyle) -> Result<(String, Vec<u8>), ApiError>
        + Send
        + 'static,
{
    let period = filter.period();
    let filter = filter.filter()?;
    let style = csv.style();
    let (subject, body) = db::read_stats(&read, move |conn, parts| rows(conn, parts, filter, style)).await?;
    Ok(csv_response(&format!("tideline-{subject}-{period}.csv"), csv.bom(), body))
}

fn csv_response(file_name: &str, bom: bool, body: Vec<u8>) -> HttpResponse {
    let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
    bytes.extend(body);
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition(file_name)))
        .body(bytes)
}
