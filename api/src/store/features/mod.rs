//! Accepted surveys and samples as geographic features (OGC API – Features): pages by id
//! inside a bounding box and a date interval, each with its own position or its site's, and
//! the extents of each collection.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::Nullable;
use postgis_diesel::sql_types::Geography;
use postgis_diesel::types::Point;
use tideline_core::microplastics::{Matrix, Method};
use tideline_core::review::ReviewStatus;

use super::figures::{RecordPlace, SampleDensities, SurveyFigures};
use super::geo;

mod extent;
use crate::schema::{cities, samples, sites, survey_totals, surveys};
pub use extent::{extent, Collection, Extent};

diesel::define_sql_function! {
    /// The first position that is not null.
    fn coalesce(first: Nullable<Geography>, second: Nullable<Geography>) -> Nullable<Geography>;
}

/// Which records make a page of features.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeatureFilter {
    /// Only inside (min_lon, min_lat, max_lon, max_lat).
    pub bbox: Option<[f64; 4]>,
    /// Dates from (inclusive).
    pub from: Option<NaiveDate>,
    /// Dates to (inclusive).
    pub to: Option<NaiveDate>,
    /// Only ids after this one (the `next` link's cursor).
    pub after: i64,
    /// At most this many.
    pub limit: i64,
    /// Only this record.
    pub id: Option<i64>,
}

/// Where a record was taken, with its own position and its site's.
#[derive(Debug, Clone, Queryable)]
pub struct FeaturePlace {
    /// Its site and city.
    pub place: RecordPlace,
    /// The record's own position.
    pub location: Option<Point>,
    /// Its site's position.
    pub site_location: Option<Point>,
}

impl FeaturePlace {
    /// The position shown: the record's own, else its site's.
    pub fn point(&self) -> Option<&Point> {
        self.location.as_ref().or(self.site_location.as_ref())
    }
}

/// An accepted survey with its canonical totals.
#[derive(Debug, Clone, Queryable)]
pub struct SurveyFeature {
    /// Survey id.
    pub id: i64,
    /// Local date.
    pub date: NaiveDate,
    /// What was found.
    pub figures: SurveyFigures,
    /// Where.
    pub place: FeaturePlace,
}

/// An accepted microplastic sample with its densities.
#[derive(Debug, Clone, Queryable)]
pub struct SampleFeature {
    /// Sample id.
    pub id: i64,
    /// Local date.
    pub date: NaiveDate,
    /// Water, sediment …
    pub matrix: Matrix,
    /// How it was taken.
    pub method: Method,
    /// Particles and densities.
    pub densities: SampleDensities,
    /// Where.
    pub place: FeaturePlace,
}

/// A boxed query of features narrowed to a [`FeatureFilter`]'s page: ids after its cursor, in
/// order, at most its limit; one id; positions (`$position`) inside its bounding box; dates
/// (`$date`) within its interval.
macro_rules! feature_page {
    ($query:ident, $filter:expr, $id:expr, $date:expr, $position:expr) => {{
        let filter: &FeatureFilter = $filter;
        let mut query = $query.filter($id.gt(filter.after)).order($id).limit(filter.limit);
        if let Some(id) = filter.id {
            query = query.filter($id.eq(id));
        }
        if let Some(bbox) = filter.bbox {
            query = query.filter(geo::overlaps($position, geo::envelope(bbox)));
        }
        if let Some(from) = filter.from {
            query = query.filter($date.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter($date.le(to));
        }
        query
    }};
}

/// A page of accepted surveys, by id.
pub fn surveys_page(conn: &mut PgConnection, filter: &FeatureFilter) -> QueryResult<Vec<SurveyFeature>> {
    use survey_totals as t;
    let position = coalesce(surveys::location, sites::location.nullable());
    let query = t::table
        .inner_join(surveys::table.on(surveys::city_id.eq(t::city_id).and(surveys::id.eq(t::survey_id))))
        .inner_join(cities::table.on(cities::id.eq(t::city_id)))
        .left_join(sites::table.on(sites::id.nullable().eq(t::site_id)))
        .filter(t::status.eq(ReviewStatus::Accepted))
        .select((
            t::survey_id,
            t::survey_date,
            SurveyFigures::as_select(),
            (
                (t::site_id, sites::code.nullable(), cities::name, cities::country_code),
                surveys::location,
                sites::location.nullable(),
            ),
        ))
        .into_boxed();
    feature_page!(query, filter, t::survey_id, t::survey_date, position).load(conn)
}

/// A page of accepted samples, by id.
pub fn samples_page(conn: &mut PgConnection, filter: &FeatureFilter) -> QueryResult<Vec<SampleFeature>> {
    use samples as s;
    let position = coalesce(s::location, sites::location.nullable());
    let query = s::table
        .inner_join(cities::table.on(cities::id.eq(s::city_id)))
        .left_join(sites::table.on(sites::id.nullable().eq(s::site_id)))
        .filter(s::status.eq(ReviewStatus::Accepted))
        .select((
            s::id,
            s::sample_date,
            s::matrix,
            s::method,
            SampleDensities::as_select(),
            (
                (s::site_id, sites::code.nullable(), cities::name, cities::country_code),
                s::location,
                sites::location.nullable(),
            ),
        ))
        .into_boxed();
    feature_page!(query, filter, s::id, s::sample_date, position).load(conn)
}
