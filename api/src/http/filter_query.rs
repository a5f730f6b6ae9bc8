//! The query parameters that choose which accepted records are read, declared once: every
//! statistic, time series, report and export takes them, beside a query struct of its own
//! options (actix reads each from the same query string; unknown names are refused by
//! `query_guard`, from the OpenAPI document).

use chrono::NaiveDate;
use serde::Deserialize;
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::Basis;
use tideline_core::survey::SurveyKind;
use utoipa::IntoParams;

use super::params;
use super::problem::{ApiError, FieldError};
use crate::store::stats::StatsFilter;

/// Which accepted records are read.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Earliest survey date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "params::from_date")]
    pub from: Option<NaiveDate>,
    /// Latest survey date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "params::to_date")]
    pub to: Option<NaiveDate>,
    /// Monitoring surveys or cleanups; left out, both are read (and a statistic's indicators
    /// use the monitoring surveys).
    #[param(value_type = Option<SurveyKind>)]
    pub kind: Option<String>,
    /// Source protocol.
    #[param(value_type = Option<Protocol>)]
    pub protocol: Option<String>,
}

impl FilterQuery {
    /// The store filter on `basis`; each offending parameter is added to `errors` (and left
    /// out).
    pub fn read(&self, basis: Basis, errors: &mut Vec<FieldError>) -> StatsFilter {
        let kind = params::word::<SurveyKind>(self.kind.as_deref(), "/kind", errors);
        let protocol = params::word::<Protocol>(self.protocol.as_deref(), "/protocol", errors);
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.push(FieldError::new("/from", "must not be after `to`"));
            }
        }
        StatsFilter { from: self.from, to: self.to, kind, protocol, basis }
    }

    /// The store filter on the basis `basis` names (`count` when absent), or every offending
    /// parameter.
    pub fn filter_on(&self, basis: Option<&str>) -> Result<StatsFilter, ApiError> {
        let mut errors = Vec::new();
        let basis = params::word::<Basis>(basis, "/basis", &mut errors).unwrap_or_default();
        let filter = self.read(basis, &mut errors);
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(ApiError::bad_request("invalid query parameters", errors))
        }
    }

    /// The store filter (count basis), or every offending parameter.
    pub fn filter(&self) -> Result<StatsFilter, ApiError> {
        self.filter_on(None)
    }

    /// The dates asked for, as a file name shows them: `all`, or `<from>_<to>` with `start`
    /// and `now` for an open end.
    pub fn period(&self) -> String {
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
