//! Cities and sites, and the spatial look-ups on them (PostGIS, index-backed).

use diesel::dsl::count;
use diesel::pg::Pg;
use diesel::prelude::*;
use postgis_diesel::functions::st_d_within;
use postgis_diesel::types::Point;
use serde::Serialize;
use tideline_core::site::CheckedSite;
use tideline_core::survey::GeoPoint;
use tideline_core::vocabulary::SiteKind;
use utoipa::ToSchema;

use super::geo;
use crate::schema::{cities, sites};

/// A city of the monitoring network.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize, ToSchema)]
pub struct City {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "Da Nang")]
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "VN")]
    pub country_code: String,
    /// Registered sites.
    pub sites: i64,
}

/// A fixed monitoring site: a beach, a river station or a coastal-water station.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Site {
    /// Id.
    pub id: i64,
    /// The city it belongs to.
    pub city_id: i64,
    /// The city's name.
    pub city: String,
    /// The country code of its city.
    pub country_code: String,
    /// Short code, unique in the city (e.g. an OSPAR location code).
    #[schema(example = "VN-DN-001")]
    pub code: String,
    /// Name.
    #[schema(example = "My Khe beach")]
    pub name: String,
    /// What the site is.
    pub kind: SiteKind,
    /// Latitude, WGS 84.
    pub lat: f64,
    /// Longitude, WGS 84.
    pub lon: f64,
    /// Reference surveyed length, m.
    pub reference_length_m: Option<f64>,
}

/// A site row as selected by [`site_query`]: its position is read back as a point.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sites, check_for_backend(Pg))]
struct SiteRow {
    id: i64,
    city_id: i64,
    #[diesel(select_expression = cities::name)]
    city: String,
    #[diesel(select_expression = cities::country_code)]
    country_code: String,
    code: String,
    name: String,
    kind: SiteKind,
    location: Point,
    reference_length_m: Option<f64>,
}

impl From<SiteRow> for Site {
    fn from(row: SiteRow) -> Self {
        let at = geo::geo_point(&row.location);
        Site {
            id: row.id,
            city_id: row.city_id,
            city: row.city,
            country_code: row.country_code,
            code: row.code,
            name: row.name,
            kind: row.kind,
            lat: at.lat,
            lon: at.lon,
            reference_length_m: row.reference_length_m,
        }
    }
}

type SiteQuery<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Select<diesel::dsl::InnerJoin<sites::table, cities::table>, diesel::dsl::AsSelect<SiteRow, Pg>>,
    Pg,
>;

/// Sites with their city, to be filtered.
fn site_query<'a>() -> SiteQuery<'a> {
    sites::table.inner_join(cities::table).select(SiteRow::as_select()).into_boxed()
}

fn load_sites(conn: &mut PgConnection, query: SiteQuery<'_>) -> QueryResult<Vec<Site>> {
    Ok(query.load::<SiteRow>(conn)?.into_iter().map(Site::from).collect())
}

fn first_site(conn: &mut PgConnection, query: SiteQuery<'_>) -> QueryResult<Option<Site>> {
    Ok(query.first::<SiteRow>(conn).optional()?.map(Site::from))
}

type CityColumns =
    (cities::id, cities::name, cities::country_code, diesel::dsl::count<diesel::dsl::Nullable<sites::id>>);
type CityQuery<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Select<
        diesel::dsl::GroupBy<diesel::dsl::LeftJoin<cities::table, sites::table>, cities::id>,
        CityColumns,
    >,
    Pg,
>;

/// Cities with their number of sites.
fn city_query<'a>() -> CityQuery<'a> {
    cities::table
        .left_join(sites::table)
        .group_by(cities::id)
        .select((cities::id, cities::name, cities::country_code, count(sites::id.nullable())))
        .into_boxed()
}

/// Creates a city, or returns the existing one of that name and country.
pub fn upsert_city(conn: &mut PgConnection, name: &str, country_code: &str) -> QueryResult<City> {
    let id: i64 = diesel::insert_into(cities::table)
        .values((cities::name.eq(name), cities::country_code.eq(country_code)))
        .on_conflict((cities::country_code, cities::name))
        .do_update()
        .set(cities::name.eq(name))
        .returning(cities::id)
        .get_result(conn)?;
    find_city(conn, id)?.ok_or(diesel::result::Error::NotFound)
}

/// Cities, optionally of one country, by country and name.
pub fn list_cities(conn: &mut PgConnection, country_code: Option<&str>) -> QueryResult<Vec<City>> {
    let mut query = city_query().order((cities::country_code, cities::name));
    if let Some(code) = country_code {
        query = query.filter(cities::country_code.eq(code.to_string()));
    }
    query.load(conn)
}

/// The city with this id.
pub fn find_city(conn: &mut PgConnection, id: i64) -> QueryResult<Option<City>> {
    city_query().filter(cities::id.eq(id)).first(conn).optional()
}

/// A site to register in a city: one that kept the rules of [`SiteInput::check`], so every
/// way of registering a site checks it the same way.
///
/// [`SiteInput::check`]: tideline_core::site::SiteInput::check
#[derive(Debug, Clone)]
pub struct NewSite {
    /// City.
    pub city_id: i64,
    /// The site.
    pub site: CheckedSite,
}

/// Registers a site, or returns the existing one with that code in the city.
pub fn upsert_site(conn: &mut PgConnection, new: &NewSite) -> QueryResult<Site> {
    let site = &new.site;
    let id: i64 = diesel::insert_into(sites::table)
        .values((
            sites::city_id.eq(new.city_id),
            sites::code.eq(&site.code),
            sites::name.eq(&site.name),
            sites::kind.eq(site.kind),
            sites::location.eq(geo::point(site.lat, site.lon)),
            sites::reference_length_m.eq(site.reference_length_m),
        ))
        .on_conflict((sites::city_id, sites::code))
        .do_update()
        .set(sites::code.eq(&site.code))
        .returning(sites::id)
        .get_result(conn)?;
    find_site(conn, id)?.ok_or(diesel::result::Error::NotFound)
}

/// The site with this id.
pub fn find_site(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Site>> {
    first_site(conn, site_query().filter(sites::id.eq(id)))
}

/// The sites with these ids (in no particular order).
pub fn find_sites(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<Site>> {
    load_sites(conn, site_query().filter(sites::id.eq_any(ids.to_vec())))
}

/// The sites with these ids, by id.
pub fn sites_by_id(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<std::collections::HashMap<i64, Site>> {
    Ok(find_sites(conn, ids)?.into_iter().map(|site| (site.id, site)).collect())
}

/// The site with this code in a city.
pub fn find_site_by_code(conn: &mut PgConnection, city_id: i64, code: &str) -> QueryResult<Option<Site>> {
    first_site(conn, site_query().filter(sites::city_id.eq(city_id)).filter(sites::code.eq(code.to_string())))
}

/// The registered site nearest to a point within `radius_m` metres (GiST-indexed KNN).
pub fn nearest_site(conn: &mut PgConnection, lat: f64, lon: f64, radius_m: f64) -> QueryResult<Option<Site>> {
    let at = geo::point(lat, lon);
    first_site(
        conn,
        site_query()
            .filter(st_d_within(sites::location, at, radius_m))
            .order((geo::distance(sites::location, at), sites::id)),
    )
}

/// The registered site nearest to each point within `radius_m` metres, in order: one
/// statement for a whole chunk of records placed by their coordinates, instead of one each.
/// The same sites as [`nearest_site`] point by point (ties go to the lower site id).
pub fn nearest_sites(conn: &mut PgConnection, points: &[GeoPoint], radius_m: f64) -> QueryResult<Vec<Option<Site>>> {
    use diesel::sql_types::{Array, BigInt, Double};
    #[derive(QueryableByName)]
    struct Nearest {
        #[diesel(sql_type = BigInt)]
        point: i64,
        #[diesel(sql_type = BigInt)]
        site_id: i64,
    }
    // raw SQL: a KNN look-up for each element of an unnested array (a lateral subquery) has
    // no DSL form
    let found: Vec<Nearest> = diesel::sql_query(
        "SELECT p.n AS point, s.id AS site_id \
         FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p (lat, lon, n) \
         CROSS JOIN LATERAL (SELECT id FROM sites \
           WHERE ST_DWithin(location, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, $3) \
           ORDER BY location <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, id LIMIT 1) s",
    )
    .bind::<Array<Double>, _>(points.iter().map(|p| p.lat).collect::<Vec<_>>())
    .bind::<Array<Double>, _>(points.iter().map(|p| p.lon).collect::<Vec<_>>())
    .bind::<Double, _>(radius_m)
    .load(conn)?;
    let mut ids: Vec<i64> = found.iter().map(|n| n.site_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let sites = sites_by_id(conn, &ids)?;
    let mut nearest = vec![None; points.len()];
    for Nearest { point, site_id } in found {
        nearest[point as usize - 1] = sites.get(&site_id).cloned();
    }
    Ok(nearest)
}

/// Filters of the site list.
#[derive(Debug, Clone, Default)]
pub struct SiteFilter {
    /// Only this city.
    pub city_id: Option<i64>,
    /// Only this kind.
    pub kind: Option<SiteKind>,
    /// Only inside (min_lon, min_lat, max_lon, max_lat).
    pub bbox: Option<[f64; 4]>,
    /// Only within `radius_m` of (lat, lon), nearest first.
    pub near: Option<(f64, f64, f64)>,
    /// Only a page: ids after the first, at most the second many.
    pub page: Option<(i64, i64)>,
}

/// Sites matching the filter (by id, or by distance when `near` is given).
pub fn list_sites(conn: &mut PgConnection, filter: &SiteFilter) -> QueryResult<Vec<Site>> {
    let mut query = site_query();
    if let Some(city_id) = filter.city_id {
        query = query.filter(sites::city_id.eq(city_id));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(sites::kind.eq(kind));
    }
    if let Some(bbox) = filter.bbox {
        query = query.filter(geo::overlaps(sites::location, geo::envelope(bbox)));
    }
    if let Some((lat, lon, radius_m)) = filter.near {
        let at = geo::point(lat, lon);
        query = query.filter(st_d_within(sites::location, at, radius_m)).order(geo::distance(sites::location, at));
    }
    if let Some((after, limit)) = filter.page {
        query = query.filter(sites::id.gt(after)).limit(limit);
    }
    load_sites(conn, query.then_order_by(sites::id))
}
