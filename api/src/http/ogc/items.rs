//! A collection's items as GeoJSON features, paged by id with a `next` link, and one feature.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{base_url, link, FormatQuery, ItemsQuery, Link};
use crate::http::db::{self, ReadPool};
use crate::http::problem::{ApiError, Problem};
use crate::store::features::{self, Collection, FeatureFilter, FeaturePlace, SampleFeature, SurveyFeature};
use crate::store::figures::RecordPlace;
use crate::store::places::{self, Site, SiteFilter};

/// GeoJSON's media type.
const GEOJSON: &str = "application/geo+json";

/// A point, `[longitude, latitude]`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointGeometry {
    /// Always `Point`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Longitude, latitude (WGS 84).
    pub coordinates: [f64; 2],
}

/// A GeoJSON feature: a site, a survey or a sample.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The record's id (as in the JSON API).
    pub id: i64,
    /// Where (null when neither the record nor a site has a position).
    pub geometry: Option<PointGeometry>,
    /// Its public fields.
    #[schema(value_type = Object)]
    pub properties: Value,
}

/// A page of features.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The features, by id.
    pub features: Vec<Feature>,
    /// `self`, the `collection`, and `next` while a page is full.
    pub links: Vec<Link>,
    /// Features on this page.
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    /// When the page was made.
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
}

fn feature(id: i64, point: Option<(f64, f64)>, properties: Value) -> Feature {
    let geometry = point.map(|(lon, lat)| PointGeometry { kind: "Point".into(), coordinates: [lon, lat] });
    Feature { kind: "Feature".into(), id, geometry, properties }
}

fn place(p: &FeaturePlace) -> (Option<(f64, f64)>, Value) {
    let point = p.point().map(|p| (p.x, p.y));
    let RecordPlace { site_id, site_code, city, country_code } = &p.place;
    let fields = json!({ "site_id": site_id, "site_code": site_code, "city": city, "country_code": country_code });
    (point, fields)
}

fn with(mut base: Value, more: Value) -> Value {
    if let (Some(base), Value::Object(more)) = (base.as_object_mut(), more) {
        base.extend(more);
    }
    base
}

fn site_feature(s: Site) -> Feature {
    let properties = json!({
        "code": s.code, "name": s.name, "kind": s.kind, "city_id": s.city_id, "city": s.city,
        "country_code": s.country_code, "reference_length_m": s.reference_length_m,
    });
    feature(s.id, Some((s.lon, s.lat)), properties)
}

fn survey_feature(s: SurveyFeature) -> Feature {
    let (point, where_) = place(&s.place);
    let f = &s.figures;
    let figures = json!({
        "date": s.date, "protocol": f.protocol, "kind": f.survey_kind, "length_m": f.length_m,
        "total_items": f.total_items, "items_per_100m": f.items_per_100m, "items_per_m2": f.items_per_m2,
        "plastic_items": f.plastic_items, "sup_items": f.sup_items, "fishing_items": f.fishing_items, "cci": f.cci,
    });
    feature(s.id, point, with(figures, where_))
}

fn sample_feature(s: SampleFeature) -> Feature {
    let (point, where_) = place(&s.place);
    let d = &s.densities;
    let figures = json!({
        "date": s.date, "matrix": s.matrix, "method": s.method, "particle_count": d.particle_count,
        "particles_per_m3": d.particles_per_m3, "particles_per_km2": d.particles_per_km2,
        "particles_per_kg": d.particles_per_kg, "particles_per_m2": d.particles_per_m2,
        "density_class": d.density_class,
    });
    feature(s.id, point, with(figures, where_))
}

/// The features of `collection` that `filter` selects.
fn load(
    conn: &mut diesel::PgConnection,
    collection: Collection,
    filter: &FeatureFilter,
) -> diesel::QueryResult<Vec<Feature>> {
    Ok(match collection {
        Collection::Sites => {
            let page = Some((filter.id.map_or(filter.after, |id| id.saturating_sub(1)), filter.limit));
            let sites = places::list_sites(conn, &SiteFilter { bbox: filter.bbox, page, ..SiteFilter::default() })?;
            sites.into_iter().filter(|s| filter.id.is_none_or(|id| s.id == id)).map(site_feature).collect()
        }
        Collection::Surveys => features::surveys_page(conn, filter)?.into_iter().map(survey_feature).collect(),
        Collection::Samples => features::samples_page(conn, filter)?.into_iter().map(sample_feature).collect(),
    })
}

/// A query value percent-encoded for a URL.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b',' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The items URL of a page with the same filters, after `after`.
fn page_url(path: &str, query: &ItemsQuery, limit: i64, after: i64) -> String {
    let mut url = format!("{path}?limit={limit}");
    if let Some(bbox) = &query.bbox {
        url.push_str(&format!("&bbox={}", encode(bbox)));
    }
    if let Some(datetime) = &query.datetime {
        url.push_str(&format!("&datetime={}", encode(datetime)));
    }
    if after > 0 {
        url.push_str(&format!("&after={after}"));
    }
    url
}

/// A page of a collection's features, by id: inside `bbox`, dated within `datetime` (sites
/// have no date), at most `limit`; a `next` link while the page is full.
#[utoipa::path(
    tag = "ogc",
    params(("collection" = Collection, Path, description = "Collection id"), ItemsQuery),
    responses(
        (status = 200, description = "GeoJSON features", body = FeatureCollection, content_type = "application/geo+json"),
        (status = 404, description = "No such collection", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ogc/collections/{collection}/items")]
pub async fn collection_items(
    req: HttpRequest,
    read: web::Data<ReadPool>,
    collection: web::Path<Collection>,
    query: web::Query<ItemsQuery>,
) -> Result<HttpResponse, ApiError> {
    let collection = collection.into_inner();
    let query = query.into_inner();
    let filter = query.filter()?;
    let features = db::read(&read, move |conn| Ok(load(conn, collection, &filter)?)).await?;
    let base = base_url(&req);
    let path = format!("/ogc/collections/{}", collection.as_str());
    let items = format!("{path}/items");
    let mut links = vec![
        link(&base, &page_url(&items, &query, filter.limit, filter.after), "self", GEOJSON, "This page"),
        link(&base, &path, "collection", "application/json", "The collection"),
    ];
    if let Some(last) = features.last().filter(|_| features.len() as i64 == filter.limit) {
        links.push(link(&base, &page_url(&items, &query, filter.limit, last.id), "next", GEOJSON, "Next page"));
    }
    let page = FeatureCollection {
        kind: "FeatureCollection".into(),
        number_returned: features.len(),
        features,
        links,
        time_stamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    Ok(HttpResponse::Ok().content_type(GEOJSON).json(page))
}

/// One feature of a collection.
#[utoipa::path(
    tag = "ogc",
    params(("collection" = Collection, Path, description = "Collection id"), ("id" = i64, Path, description = "Feature id"), FormatQuery),
    responses(
        (status = 200, description = "A GeoJSON feature", body = Feature, content_type = "application/geo+json"),
        (status = 404, description = "No such collection or feature", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ogc/collections/{collection}/items/{id}")]
pub async fn collection_item(
    read: web::Data<ReadPool>,
    path: web::Path<(Collection, i64)>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    format.check()?;
    let (collection, id) = path.into_inner();
    let filter = FeatureFilter { id: Some(id), limit: 1, ..FeatureFilter::default() };
    let found = db::read(&read, move |conn| Ok(load(conn, collection, &filter)?)).await?;
    let feature = found
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::NotFound(format!("no feature {id} in {}", collection.as_str())))?;
    Ok(HttpResponse::Ok().content_type(GEOJSON).json(feature))
}
