//! Which records a statistic, series, report or export covers: a [`Scope`] (site, city,
//! country, network) and a [`StatsFilter`] (dates, survey kind, protocol), applied to a diesel
//! query by one macro each, with bound parameters only.

use chrono::NaiveDate;
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::Basis;
use tideline_core::survey::SurveyKind;

/// Which records a statistic covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// One site.
    Site(i64),
    /// One city.
    City(i64),
    /// One country (ISO code).
    Country(String),
    /// Everything.
    Network,
}

/// Filters every statistic takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsFilter {
    /// From this date.
    pub from: Option<NaiveDate>,
    /// Up to this date.
    pub to: Option<NaiveDate>,
    /// Monitoring surveys or cleanups.
    pub kind: Option<SurveyKind>,
    /// Source protocol.
    pub protocol: Option<Protocol>,
    /// Counted by items, or also by weight (not a filter of records: what the statistics add).
    pub basis: Basis,
}

impl StatsFilter {
    /// Whether `date` is within the filter's period.
    pub fn holds(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
    }
}

/// Narrows a boxed query over table `$t` (with `city_id` and `site_id`) to a [`Scope`]. A site
/// is also matched on its city, so the condition uses the city-partitioned indexes.
macro_rules! in_scope {
    ($query:expr, $t:ident, $scope:expr) => {{
        use $crate::schema::{cities, sites};
        // aliased, so a query that joins sites or cities itself can be scoped too
        let (scope_sites, scope_cities) = diesel::alias!(sites as scope_sites, cities as scope_cities);
        match $scope {
            $crate::store::scope::Scope::Site(id) => $query
                .filter($t::city_id.eq_any(
                    scope_sites.filter(scope_sites.field(sites::id).eq(*id)).select(scope_sites.field(sites::city_id)),
                ))
                .filter($t::site_id.eq(*id)),
            $crate::store::scope::Scope::City(id) => $query.filter($t::city_id.eq(*id)),
            $crate::store::scope::Scope::Country(code) => $query.filter(
                $t::city_id.eq_any(
                    scope_cities
                        .filter(scope_cities.field(cities::country_code).eq(code.clone()))
                        .select(scope_cities.field(cities::id)),
                ),
            ),
            $crate::store::scope::Scope::Network => $query,
        }
    }};
}
pub(crate) use in_scope;

/// Applies a [`StatsFilter`] to a boxed query over table `$t`: the dates to `$date`, the survey
/// kind and protocol to `$t`'s `survey_kind` and `protocol` (tables of surveys only; samples
/// use [`in_dates`]).
macro_rules! in_filter {
    ($query:expr, $t:ident, $date:expr, $filter:expr) => {{
        let filter: &$crate::store::scope::StatsFilter = $filter;
        let mut query = $crate::store::scope::in_dates!($query, $date, filter);
        if let Some(kind) = filter.kind {
            query = query.filter($t::survey_kind.eq(kind));
        }
        if let Some(protocol) = filter.protocol {
            query = query.filter($t::protocol.eq(protocol));
        }
        query
    }};
}
pub(crate) use in_filter;

/// Applies a [`StatsFilter`]'s dates to `$date` of a boxed query.
macro_rules! in_dates {
    ($query:expr, $date:expr, $filter:expr) => {{
        let filter: &$crate::store::scope::StatsFilter = $filter;
        let mut query = $query;
        if let Some(from) = filter.from {
            query = query.filter($date.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter($date.le(to));
        }
        query
    }};
}
pub(crate) use in_dates;
