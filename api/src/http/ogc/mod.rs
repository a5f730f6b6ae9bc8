//! OGC API – Features, Part 1 Core with GeoJSON, for GIS clients (QGIS, ArcGIS, OWSLib): the
//! landing page, conformance, the collections `sites`, `surveys` and `samples` with their
//! extents (this file), and their items (`items.rs`).

mod items;
mod params;

pub use items::{collection_item, collection_items};
pub use params::{parse_bbox, parse_datetime, FormatQuery, ItemsQuery};

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::db::{self, ReadPool};
use super::problem::{ApiError, Problem};
use super::publication::Publication;
use crate::store::features::{self, Collection, Extent};

/// The conformance classes this service implements.
const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

/// Longitude/latitude on WGS 84, the only coordinate reference system served.
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// A link to a related resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Link {
    /// Where.
    pub href: String,
    /// How it relates (`self`, `next`, `data`, `items` …).
    pub rel: String,
    /// Its media type.
    #[serde(rename = "type")]
    pub media_type: String,
    /// What it is.
    pub title: String,
}

/// A link from `base` + `path`.
fn link(base: &str, path: &str, rel: &str, media_type: &str, title: &str) -> Link {
    Link { href: format!("{base}{path}"), rel: rel.into(), media_type: media_type.into(), title: title.into() }
}

/// The scheme and host the client reached, for absolute links.
pub(crate) fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// The OGC API landing page.
#[derive(Debug, Serialize, ToSchema)]
pub struct LandingPage {
    /// Name of the service.
    pub title: String,
    /// What it serves.
    pub description: String,
    /// The API definition, the conformance declaration, the collections and the licence.
    pub links: Vec<Link>,
}

/// The conformance classes implemented.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conformance {
    /// Conformance class URIs.
    #[serde(rename = "conformsTo")]
    pub conforms_to: Vec<String>,
}

/// The spatial and temporal extent of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionExtent {
    /// `bbox`: one box `[min_lon, min_lat, max_lon, max_lat]` (CRS84).
    pub spatial: serde_json::Value,
    /// `interval`: one `[first, last]` pair of RFC 3339 instants (null when open).
    pub temporal: serde_json::Value,
}

/// A collection of features.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionDocument {
    /// `sites`, `surveys` or `samples`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What its features are.
    pub description: String,
    /// Itself and its items.
    pub links: Vec<Link>,
    /// Where and when its features are.
    pub extent: CollectionExtent,
    /// Always `feature`.
    #[serde(rename = "itemType")]
    pub item_type: String,
    /// Coordinate reference systems (CRS84 only).
    pub crs: Vec<String>,
}

/// Every collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Collections {
    /// Itself.
    pub links: Vec<Link>,
    /// The collections.
    pub collections: Vec<CollectionDocument>,
}

fn describe(collection: Collection) -> (&'static str, &'static str) {
    match collection {
        Collection::Sites => ("Monitoring sites", "Beaches, rivers and coastal waters that teams survey and sample."),
        Collection::Surveys => (
            "Beach-litter surveys",
            "Accepted surveys with their canonical totals and items per 100 m; at the survey's position, or its site's.",
        ),
        Collection::Samples => (
            "Microplastic samples",
            "Accepted water and sediment samples with particle densities; at the sample's position, or its site's.",
        ),
    }
}

fn document(base: &str, collection: Collection, extent: Extent) -> CollectionDocument {
    let id = collection.as_str();
    let (title, description) = describe(collection);
    let path = format!("/ogc/collections/{id}");
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| format!("{d}T00:00:00Z"));
    CollectionDocument {
        id: id.into(),
        title: title.into(),
        description: description.into(),
        links: vec![
            link(base, &path, "self", "application/json", title),
            link(base, &format!("{path}/items"), "items", "application/geo+json", "Its features"),
        ],
        extent: CollectionExtent {
            spatial: serde_json::json!({ "bbox": extent.bbox.map(|b| vec![b]).unwrap_or_default(), "crs": CRS84 }),
            temporal: serde_json::json!({
                "interval": [[day(extent.interval.0), day(extent.interval.1)]],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            }),
        },
        item_type: "feature".into(),
        crs: vec![CRS84.into()],
    }
}

/// The OGC API – Features landing page: links to the API definition, the conformance
/// declaration and the collections.
#[utoipa::path(tag = "ogc", params(FormatQuery), responses((status = 200, description = "Landing page", body = LandingPage)))]
#[get("/ogc")]
pub async fn landing(
    req: HttpRequest,
    publication: web::Data<Publication>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    format.check()?;
    let base = base_url(&req);
    let json = "application/json";
    Ok(HttpResponse::Ok().json(LandingPage {
        title: "Tideline: marine litter monitoring".into(),
        description: "Beach-litter surveys, microplastic samples and monitoring sites of the Clean Ocean Program \
                      network, normalised to one protocol."
            .into(),
        links: vec![
            link(&base, "/ogc", "self", json, "This document"),
            link(&base, "/openapi.json", "service-desc", super::openapi::media_type(), "API definition"),
            link(&base, "/docs/", "service-doc", "text/html", "API documentation"),
            link(&base, "/ogc/conformance", "conformance", json, "Conformance classes"),
            link(&base, "/ogc/collections", "data", json, "Collections"),
            Link {
                href: publication.licence_url.clone(),
                rel: "license".into(),
                media_type: "text/html".into(),
                title: publication.licence.clone(),
            },
        ],
    }))
}

/// The conformance classes implemented: Core, GeoJSON and OpenAPI 3.0.
#[utoipa::path(tag = "ogc", params(FormatQuery), responses((status = 200, description = "Conformance", body = Conformance)))]
#[get("/ogc/conformance")]
pub async fn conformance(format: web::Query<FormatQuery>) -> Result<HttpResponse, ApiError> {
    format.check()?;
    Ok(HttpResponse::Ok().json(Conformance { conforms_to: CONFORMANCE.map(String::from).to_vec() }))
}

/// The collections `sites`, `surveys` and `samples` with their extents.
#[utoipa::path(tag = "ogc", params(FormatQuery), responses((status = 200, description = "Collections", body = Collections)))]
#[get("/ogc/collections")]
pub async fn all_collections(
    req: HttpRequest,
    read: web::Data<ReadPool>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    format.check()?;
    let base = base_url(&req);
    let extents = db::read(&read, |conn| {
        let extents: Result<Vec<_>, _> =
            Collection::ALL.iter().map(|c| features::extent(conn, *c).map(|e| (*c, e))).collect();
        Ok(extents?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Collections {
        links: vec![link(&base, "/ogc/collections", "self", "application/json", "Collections")],
        collections: extents.into_iter().map(|(c, e)| document(&base, c, e)).collect(),
    }))
}

/// One collection with its extent.
#[utoipa::path(
    tag = "ogc",
    params(("collection" = Collection, Path, description = "Collection id"), FormatQuery),
    responses(
        (status = 200, description = "The collection", body = CollectionDocument),
        (status = 404, description = "No such collection", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ogc/collections/{collection}")]
pub async fn one_collection(
    req: HttpRequest,
    read: web::Data<ReadPool>,
    collection: web::Path<Collection>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    format.check()?;
    let collection = collection.into_inner();
    let extent = db::read(&read, move |conn| Ok(features::extent(conn, collection)?)).await?;
    Ok(HttpResponse::Ok().json(document(&base_url(&req), collection, extent)))
}
