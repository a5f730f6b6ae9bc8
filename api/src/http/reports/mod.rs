//! CSV reports for city officials (`site.rs`: a site's records with its summary; `city.rs`: a
//! city's sites with theirs) and survey/sample exports for researchers, streamed from a cursor
//! (`exports.rs`). This file holds their query parameters and the CSV answer.

mod city;
mod columns;
mod exports;
mod site;

pub use city::city_report;
pub use exports::{export_samples, export_surveys};
pub use site::site_report;

use actix_web::{http::header, HttpResponse};
use serde::Deserialize;
use tideline_core::precision::{DecimalMark, ExportLayout, Separator};
use tideline_core::protocol::Protocol;
use tideline_core::survey::SurveyKind;
use utoipa::IntoParams;

use super::csv_out::{disposition, CsvStyle, BOM};
use super::problem::ApiError;
use super::stats::StatsQuery;
use crate::store::stats::StatsFilter;

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
    /// Monitoring surveys or cleanups.
    #[param(value_type = Option<SurveyKind>)]
    pub kind: Option<String>,
    /// Source protocol.
    #[param(value_type = Option<Protocol>)]
    pub protocol: Option<String>,
    /// Start with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
    /// `comma` (the default) or `semicolon` between cells.
    pub separator: Option<Separator>,
    /// `point` (the default) or `comma` as the decimal mark (with `separator=semicolon` for
    /// spreadsheets set to a decimal comma).
    pub decimal: Option<DecimalMark>,
    /// Exports: `long` (the default: one row per survey) or `wide` (adds one column per
    /// canonical category).
    #[param(value_type = Option<ExportLayout>)]
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
    /// Monitoring surveys or cleanups.
    #[param(value_type = Option<SurveyKind>)]
    pub kind: Option<String>,
    /// Source protocol.
    #[param(value_type = Option<Protocol>)]
    pub protocol: Option<String>,
    /// Start with a UTF-8 byte-order mark (for spreadsheets).
    pub bom: Option<bool>,
    /// `comma` (the default) or `semicolon` between cells.
    pub separator: Option<Separator>,
    /// `point` (the default) or `comma` as the decimal mark (with `separator=semicolon` for
    /// spreadsheets set to a decimal comma).
    pub decimal: Option<DecimalMark>,
}

impl From<ReportQuery> for CsvQuery {
    fn from(q: ReportQuery) -> Self {
        Self {
            from: q.from,
            to: q.to,
            kind: q.kind,
            protocol: q.protocol,
            bom: q.bom,
            separator: q.separator,
            decimal: q.decimal,
            ..Self::default()
        }
    }
}

impl CsvQuery {
    /// The statistics filters among these parameters.
    fn stats_query(&self) -> StatsQuery {
        StatsQuery {
            from: self.from,
            to: self.to,
            kind: self.kind.clone(),
            protocol: self.protocol.clone(),
            basis: None,
        }
    }

    fn filter(&self) -> Result<StatsFilter, ApiError> {
        self.stats_query().filter()
    }

    fn style(&self) -> CsvStyle {
        CsvStyle { separator: self.separator.unwrap_or_default(), decimal: self.decimal.unwrap_or_default() }
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
