//! Cities and sites, and the spatial look-ups on them (PostGIS, index-backed).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use serde::Serialize;
use tideline_core::vocabulary::SiteKind;
use utoipa::ToSchema;

/// A city of the monitoring network.
#[derive(Debug, Clone, PartialEq, QueryableByName, Serialize, ToSchema)]
pub struct City {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Name.
    #[diesel(sql_type = Text)]
    #[schema(example = "Da Nang")]
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    #[diesel(sql_type = Text)]
    #[schema(example = "VN")]
    pub country_code: String,
    /// Registered sites.
    #[diesel(sql_type = BigInt)]
    pub sites: i64,
}

/// A fixed monitoring site: a beach, a river station or a coastal-water station.
#[derive(Debug, Clone, PartialEq, QueryableByName, Serialize, ToSchema)]
pub struct Site {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The city it belongs to.
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    /// The city's name.
    #[diesel(sql_type = Text)]
    pub city: String,
    /// The country code of its city.
    #[diesel(sql_type = Text)]
    pub country_code: String,
    /// Short code, unique in the city (e.g. an OSPAR location code).
    #[diesel(sql_type = Text)]
    #[schema(example = "VN-DN-001")]
    pub code: String,
    /// Name.
    #[diesel(sql_type = Text)]
    #[schema(example = "My Khe beach")]
    pub name: String,
    /// What the site is.
    #[diesel(sql_type = Text)]
    pub kind: SiteKind,
    /// Latitude, WGS 84.
    #[diesel(sql_type = Double)]
    pub lat: f64,
    /// Longitude, WGS 84.
    #[diesel(sql_type = Double)]
    pub lon: f64,
    /// Reference surveyed length, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub reference_length_m: Option<f64>,
}

const SITE_COLUMNS: &str = "s.id, s.city_id, c.name AS city, c.country_code, s.code, s.name, s.kind, \
     ST_Y(s.location::geometry) AS lat, ST_X(s.location::geometry) AS lon, s.reference_length_m \
     FROM sites s JOIN cities c ON c.id = s.city_id";

/// Creates a city, or returns the existing one of that name and country.
pub fn upsert_city(conn: &mut PgConnection, name: &str, country_code: &str) -> QueryResult<City> {
    diesel::sql_query(
        "WITH c AS (INSERT INTO cities (name, country_code) VALUES ($1, $2) \
         ON CONFLICT (country_code, name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name, country_code) \
         SELECT c.id, c.name, c.country_code, (SELECT count(*) FROM sites WHERE city_id = c.id) AS sites FROM c",
    )
    .bind::<Text, _>(name)
    .bind::<Text, _>(country_code)
    .get_result(conn)
}

/// Cities, optionally of one country, by country and name.
pub fn list_cities(conn: &mut PgConnection, country_code: Option<&str>) -> QueryResult<Vec<City>> {
    diesel::sql_query(
        "SELECT c.id, c.name, c.country_code, count(s.id) AS sites FROM cities c LEFT JOIN sites s ON s.city_id = c.id \
         WHERE $1::text IS NULL OR c.country_code = $1 GROUP BY c.id ORDER BY c.country_code, c.name",
    )
    .bind::<Nullable<Text>, _>(country_code)
    .load(conn)
}

/// The city with this id.
pub fn find_city(conn: &mut PgConnection, id: i64) -> QueryResult<Option<City>> {
    diesel::sql_query(
        "SELECT c.id, c.name, c.country_code, (SELECT count(*) FROM sites WHERE city_id = c.id) AS sites \
         FROM cities c WHERE c.id = $1",
    )
    .bind::<BigInt, _>(id)
    .get_result(conn)
    .optional()
}

/// A site to register.
#[derive(Debug, Clone)]
pub struct NewSite {
    /// City.
    pub city_id: i64,
    /// Code unique in the city.
    pub code: String,
    /// Name.
    pub name: String,
    /// What the site is.
    pub kind: SiteKind,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Reference length, m.
    pub reference_length_m: Option<f64>,
}

/// Registers a site, or returns the existing one with that code in the city.
pub fn upsert_site(conn: &mut PgConnection, site: &NewSite) -> QueryResult<Site> {
    let id: IdRow = diesel::sql_query(
        "INSERT INTO sites (city_id, code, name, kind, location, reference_length_m) \
         VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($6, $5), 4326)::geography, $7) \
         ON CONFLICT (city_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id",
    )
    .bind::<BigInt, _>(site.city_id)
    .bind::<Text, _>(&site.code)
    .bind::<Text, _>(&site.name)
    .bind::<Text, _>(site.kind)
    .bind::<Double, _>(site.lat)
    .bind::<Double, _>(site.lon)
    .bind::<Nullable<Double>, _>(site.reference_length_m)
    .get_result(conn)?;
    find_site(conn, id.id)?.ok_or(diesel::result::Error::NotFound)
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The site with this id.
pub fn find_site(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Site>> {
    diesel::sql_query(format!("SELECT {SITE_COLUMNS} WHERE s.id = $1"))
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()
}

/// The site with this code in a city.
pub fn find_site_by_code(conn: &mut PgConnection, city_id: i64, code: &str) -> QueryResult<Option<Site>> {
    diesel::sql_query(format!("SELECT {SITE_COLUMNS} WHERE s.city_id = $1 AND s.code = $2"))
        .bind::<BigInt, _>(city_id)
        .bind::<Text, _>(code)
        .get_result(conn)
        .optional()
}

/// The registered site nearest to a point within `radius_m` metres (GiST-indexed KNN).
pub fn nearest_site(conn: &mut PgConnection, lat: f64, lon: f64, radius_m: f64) -> QueryResult<Option<Site>> {
    diesel::sql_query(format!(
        "SELECT {SITE_COLUMNS} WHERE ST_DWithin(s.location, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3) \
         ORDER BY s.location <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography LIMIT 1"
    ))
    .bind::<Double, _>(lat)
    .bind::<Double, _>(lon)
    .bind::<Double, _>(radius_m)
    .get_result(conn)
    .optional()
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
}

/// Sites matching the filter (by id, or by distance when `near` is given).
pub fn list_sites(conn: &mut PgConnection, filter: &SiteFilter) -> QueryResult<Vec<Site>> {
    let bbox = filter.bbox.unwrap_or([f64::NAN; 4]);
    let near = filter.near.unwrap_or((f64::NAN, f64::NAN, f64::NAN));
    diesel::sql_query(format!(
        "SELECT {SITE_COLUMNS} WHERE ($1::bigint IS NULL OR s.city_id = $1) AND ($2::text IS NULL OR s.kind = $2) \
         AND ($3 = 'NaN' OR s.location && ST_MakeEnvelope($3, $4, $5, $6, 4326)::geography) \
         AND ($7 = 'NaN' OR ST_DWithin(s.location, ST_SetSRID(ST_MakePoint($8, $7), 4326)::geography, $9)) \
         ORDER BY CASE WHEN $7 = 'NaN' THEN 0 ELSE s.location <-> ST_SetSRID(ST_MakePoint($8, $7), 4326)::geography END, s.id"
    ))
    .bind::<Nullable<BigInt>, _>(filter.city_id)
    .bind::<Nullable<Text>, _>(filter.kind)
    .bind::<Double, _>(bbox[0])
    .bind::<Double, _>(bbox[1])
    .bind::<Double, _>(bbox[2])
    .bind::<Double, _>(bbox[3])
    .bind::<Double, _>(near.0)
    .bind::<Double, _>(near.1)
    .bind::<Double, _>(near.2)
    .load(conn)
}
