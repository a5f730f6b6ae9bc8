//! Accepted surveys and samples as geographic features (OGC API – Features): pages by id
//! inside a bounding box and a date interval, each with its own position or its site's, and
//! the extents of each collection.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::Nullable;
use postgis_diesel::sql_types::Geography;
use postgis_diesel::types::Point;
use tideline_core::microplastics::{Matrix, Method};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::SurveyKind;

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

/// Where a record was taken: its own position, else its site's.
#[derive(Debug, Clone, Queryable)]
pub struct FeaturePlace {
    /// Site id.
    pub site_id: Option<i64>,
    /// Site code.
    pub site_code: Option<String>,
    /// City name.
    pub city: String,
    /// Country code.
    pub country_code: String,
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
    /// Protocol it was recorded in.
    pub protocol: Protocol,
    /// Monitoring or cleanup.
    pub kind: SurveyKind,
    /// Length surveyed, m.
    pub length_m: Option<f64>,
    /// Counted items.
    pub total_items: i64,
    /// Items per 100 m of shoreline.
    pub items_per_100m: Option<f64>,
    /// Items per m².
    pub items_per_m2: Option<f64>,
    /// Plastic items.
    pub plastic_items: i64,
    /// Single-use plastic items.
    pub sup_items: i64,
    /// Fishing-related items.
    pub fishing_items: i64,
    /// Clean Coast Index.
    pub cci: Option<f64>,
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
    /// Particles counted.
    pub particle_count: i64,
    /// Particles per m³.
    pub particles_per_m3: Option<f64>,
    /// Particles per km².
    pub particles_per_km2: Option<f64>,
    /// Particles per kg dry sediment.
    pub particles_per_kg: Option<f64>,
    /// Particles per m².
    pub particles_per_m2: Option<f64>,
    /// NOAA NCEI density class.
    pub density_class: Option<String>,
    /// Where.
    pub place: FeaturePlace,
}

/// A page of accepted surveys, by id.
pub fn surveys_page(conn: &mut PgConnection, filter: &FeatureFilter) -> QueryResult<Vec<SurveyFeature>> {
    use survey_totals as t;
    let position = coalesce(surveys::location, sites::location.nullable());
    let mut query = t::table
        .inner_join(surveys::table.on(surveys::city_id.eq(t::city_id).and(surveys::id.eq(t::survey_id))))
        .inner_join(cities::table.on(cities::id.eq(t::city_id)))
        .left_join(sites::table.on(sites::id.nullable().eq(t::site_id)))
        .filter(t::status.eq(ReviewStatus::Accepted))
        .filter(t::survey_id.gt(filter.after))
        .select((
            (t::survey_id, t::survey_date, t::protocol, t::survey_kind, t::length_m, t::total_items),
            (t::items_per_100m, t::items_per_m2, t::plastic_items, t::sup_items, t::fishing_items, t::cci),
            (t::site_id, sites::code.nullable(), cities::name, cities::country_code),
            (surveys::location, sites::location.nullable()),
        ))
        .order(t::survey_id)
        .limit(filter.limit)
        .into_boxed();
    if let Some(id) = filter.id {
        query = query.filter(t::survey_id.eq(id));
    }
    if let Some(bbox) = filter.bbox {
        query = query.filter(geo::overlaps(position, geo::envelope(bbox)));
    }
    if let Some(from) = filter.from {
        query = query.filter(t::survey_date.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(t::survey_date.le(to));
    }
    type Row = (
        (i64, NaiveDate, Protocol, SurveyKind, Option<f64>, i64),
        (Option<f64>, Option<f64>, i64, i64, i64, Option<f64>),
        (Option<i64>, Option<String>, String, String),
        (Option<Point>, Option<Point>),
    );
    let rows: Vec<Row> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|((id, date, protocol, kind, length_m, total_items), figures, place, (location, site_location))| {
            let (items_per_100m, items_per_m2, plastic_items, sup_items, fishing_items, cci) = figures;
            let (site_id, site_code, city, country_code) = place;
            SurveyFeature {
                id,
                date,
                protocol,
                kind,
                length_m,
                total_items,
                items_per_100m,
                items_per_m2,
                plastic_items,
                sup_items,
                fishing_items,
                cci,
                place: FeaturePlace { site_id, site_code, city, country_code, location, site_location },
            }
        })
        .collect())
}

/// A page of accepted samples, by id.
pub fn samples_page(conn: &mut PgConnection, filter: &FeatureFilter) -> QueryResult<Vec<SampleFeature>> {
    use samples as s;
    let position = coalesce(s::location, sites::location.nullable());
    let mut query = s::table
        .inner_join(cities::table.on(cities::id.eq(s::city_id)))
        .left_join(sites::table.on(sites::id.nullable().eq(s::site_id)))
        .filter(s::status.eq(ReviewStatus::Accepted))
        .filter(s::id.gt(filter.after))
        .select((
            (s::id, s::sample_date, s::matrix, s::method, s::particle_count),
            (s::particles_per_m3, s::particles_per_km2, s::particles_per_kg, s::particles_per_m2, s::density_class),
            (s::site_id, sites::code.nullable(), cities::name, cities::country_code),
            (s::location, sites::location.nullable()),
        ))
        .order(s::id)
        .limit(filter.limit)
        .into_boxed();
    if let Some(id) = filter.id {
        query = query.filter(s::id.eq(id));
    }
    if let Some(bbox) = filter.bbox {
        query = query.filter(geo::overlaps(position, geo::envelope(bbox)));
    }
    if let Some(from) = filter.from {
        query = query.filter(s::sample_date.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(s::sample_date.le(to));
    }
    type Row = (
        (i64, NaiveDate, Matrix, Method, i64),
        (Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<String>),
        (Option<i64>, Option<String>, String, String),
        (Option<Point>, Option<Point>),
    );
    let rows: Vec<Row> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|((id, date, matrix, method, particle_count), densities, place, (location, site_location))| {
            let (particles_per_m3, particles_per_km2, particles_per_kg, particles_per_m2, density_class) = densities;
            let (site_id, site_code, city, country_code) = place;
            SampleFeature {
                id,
                date,
                matrix,
                method,
                particle_count,
                particles_per_m3,
                particles_per_km2,
                particles_per_kg,
                particles_per_m2,
                density_class,
                place: FeaturePlace { site_id, site_code, city, country_code, location, site_location },
            }
        })
        .collect())
}
