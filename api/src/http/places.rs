//! `/v1/cities` and `/v1/sites`: the monitoring network, open to everyone; sites are
//! registered by coordinators of their city. Sites also come as GeoJSON for map clients.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::db;
use super::problem::{ApiError, FieldError, Problem};
use crate::database::DbPool;
use crate::http::auth::Caller;
use crate::store::places::{self, City, NewSite, Site, SiteFilter};
use tideline_core::site::SiteInput;
use tideline_core::vocabulary::SiteKind;

/// City filter.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CityQuery {
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
}

/// The cities of the network.
#[utoipa::path(tag = "network", params(CityQuery), responses((status = 200, description = "Cities", body = Vec<City>)))]
#[get("/v1/cities")]
pub async fn list_cities(pool: web::Data<DbPool>, query: web::Query<CityQuery>) -> Result<HttpResponse, ApiError> {
    let country = query
        .into_inner()
        .country
        .map(|c| tideline_core::country::country_code(&c))
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid query parameters", vec![FieldError::new("/country", e)]))?;
    let cities = db::run(&pool, move |conn| Ok(places::list_cities(conn, country.as_deref())?)).await?;
    Ok(HttpResponse::Ok().json(cities))
}

/// One city.
#[utoipa::path(
    tag = "network",
    params(("id" = i64, Path, description = "City id")),
    responses(
        (status = 200, description = "The city", body = City),
        (status = 404, description = "No such city", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/cities/{id}")]
pub async fn get_city(pool: web::Data<DbPool>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let city = db::run(&pool, move |conn| Ok(places::find_city(conn, id)?)).await?;
    city.map(|c| HttpResponse::Ok().json(c)).ok_or_else(|| ApiError::NotFound(format!("no city {id}")))
}

/// Site filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SiteQuery {
    /// City id.
    pub city: Option<i64>,
    /// What the sites are.
    #[param(value_type = Option<SiteKind>)]
    pub kind: Option<String>,
    /// Bounding box `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: Option<String>,
    /// Centre `lat,lon` of a radius search (nearest first).
    pub near: Option<String>,
    /// Radius of the `near` search in metres (default 1000, at most 500 000).
    pub radius_m: Option<f64>,
}

fn numbers(text: &str, n: usize) -> Option<Vec<f64>> {
    let values: Vec<f64> =
        text.split(',').map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite())).collect::<Option<_>>()?;
    (values.len() == n).then_some(values)
}

impl SiteQuery {
    fn filter(&self) -> Result<SiteFilter, ApiError> {
        let mut errors = Vec::new();
        let kind = match self.kind.as_deref().map(str::parse::<SiteKind>) {
            Some(Err(message)) => {
                errors.push(FieldError::new("/kind", message));
                None
            }
            parsed => parsed.and_then(Result::ok),
        };
        let bbox = self.bbox.as_deref().and_then(|b| {
            let v = numbers(b, 4).filter(|v| v[0] < v[2] && v[1] < v[3] && v[1] >= -90.0 && v[3] <= 90.0);
            if v.is_none() {
                errors.push(FieldError::new("/bbox", "min_lon,min_lat,max_lon,max_lat with min < max"));
            }
            v.map(|v| [v[0], v[1], v[2], v[3]])
        });
        let radius = self.radius_m.unwrap_or(1000.0);
        if !(radius > 0.0 && radius <= 500_000.0) {
            errors.push(FieldError::new("/radius_m", "between 0 and 500000 metres"));
        }
        let near = self.near.as_deref().and_then(|n| {
            let v = numbers(n, 2).filter(|v| (-90.0..=90.0).contains(&v[0]) && (-180.0..=180.0).contains(&v[1]));
            if v.is_none() {
                errors.push(FieldError::new("/near", "lat,lon in degrees"));
            }
            v.map(|v| (v[0], v[1], radius))
        });
        if !errors.is_empty() {
            return Err(ApiError::bad_request("invalid query parameters", errors));
        }
        Ok(SiteFilter { city_id: self.city, kind, bbox, near, page: None })
    }
}

/// Sites, filtered by city, kind, bounding box or distance.
#[utoipa::path(
    tag = "network",
    params(SiteQuery),
    responses(
        (status = 200, description = "Sites", body = Vec<Site>),
        (status = 400, description = "Invalid filters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites")]
pub async fn list_sites(pool: web::Data<DbPool>, query: web::Query<SiteQuery>) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let sites = db::run(&pool, move |conn| Ok(places::list_sites(conn, &filter)?)).await?;
    Ok(HttpResponse::Ok().json(sites))
}

/// The same sites as a GeoJSON FeatureCollection of points, for map clients.
#[utoipa::path(
    tag = "network",
    params(SiteQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object, content_type = "application/geo+json"))
)]
#[get("/v1/sites.geojson")]
pub async fn sites_geojson(pool: web::Data<DbPool>, query: web::Query<SiteQuery>) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let sites = db::run(&pool, move |conn| Ok(places::list_sites(conn, &filter)?)).await?;
    let features: Vec<_> = sites
        .into_iter()
        .map(|s| {
            json!({"type": "Feature", "id": s.id,
                   "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                   "properties": {"code": s.code, "name": s.name, "kind": s.kind, "city_id": s.city_id,
                                  "city": s.city, "country_code": s.country_code,
                                  "reference_length_m": s.reference_length_m}})
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(json!({"type": "FeatureCollection", "features": features})))
}

/// One site.
#[utoipa::path(
    tag = "network",
    params(("id" = i64, Path, description = "Site id")),
    responses(
        (status = 200, description = "The site", body = Site),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/v1/sites/{id}")]
pub async fn get_site(pool: web::Data<DbPool>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let site = db::run(&pool, move |conn| Ok(places::find_site(conn, id)?)).await?;
    site.map(|s| HttpResponse::Ok().json(s)).ok_or_else(|| ApiError::NotFound(format!("no site {id}")))
}

/// A site to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteRequest {
    /// City id (a coordinator's own city).
    pub city_id: i64,
    /// Code unique in the city.
    #[schema(example = "VN-DN-002")]
    pub code: String,
    /// Name.
    #[schema(example = "Non Nuoc beach")]
    pub name: String,
    /// What the site is.
    #[schema(value_type = SiteKind)]
    pub kind: String,
    /// Latitude.
    #[schema(example = 16.0004)]
    pub lat: f64,
    /// Longitude.
    #[schema(example = 108.2672)]
    pub lon: f64,
    /// Reference surveyed length, m.
    pub reference_length_m: Option<f64>,
}

impl SiteRequest {
    /// The site to register, or every rule it breaks (422).
    fn check(self) -> Result<NewSite, ApiError> {
        let input = SiteInput {
            code: &self.code,
            name: &self.name,
            kind: &self.kind,
            lat: self.lat,
            lon: self.lon,
            reference_length_m: self.reference_length_m,
        };
        let site = input.check().map_err(ApiError::unprocessable)?;
        Ok(NewSite { city_id: self.city_id, site })
    }
}

/// Register a site (coordinator of its city, or admin). Registering an existing code returns
/// the existing site.
#[utoipa::path(
    tag = "network",
    request_body = SiteRequest,
    responses(
        (status = 201, description = "Registered", body = Site),
        (status = 403, description = "Not a coordinator of that city", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/v1/sites")]
pub async fn create_site(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<SiteRequest>,
) -> Result<HttpResponse, ApiError> {
    let site = body.into_inner().check()?;
    if !caller.manages_city(site.city_id) {
        return Err(ApiError::Forbidden("only a coordinator of the site's city (or an admin) may register it".into()));
    }
    let site = db::run(&pool, move |conn| {
        if places::find_city(conn, site.city_id)?.is_none() {
            return Err(ApiError::unprocessable(vec![FieldError::new("/city_id", "no such city")]));
        }
        Ok(places::upsert_site(conn, &site)?)
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/v1/sites/{}", site.id))).json(site))
}
