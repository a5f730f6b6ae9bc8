//! The pages' static files, compiled into the binary so the pages work offline: Leaflet and
//! topojson-client (npm packages), the Natural Earth 1:110m countries (npm `world-atlas`),
//! and Tideline's own stylesheet and map script. See `api/assets/README.md`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::http::problem::ApiError;

/// (name, media type, bytes) of every asset.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    ("leaflet.js", "text/javascript; charset=utf-8", include_bytes!("../../../assets/vendor/leaflet/leaflet.js")),
    ("leaflet.css", "text/css; charset=utf-8", include_bytes!("../../../assets/vendor/leaflet/leaflet.css")),
    (
        "topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/vendor/topojson-client/topojson-client.min.js"),
    ),
    (
        "countries-110m.json",
        "application/json",
        include_bytes!("../../../assets/vendor/world-atlas/countries-110m.json"),
    ),
    ("tideline.css", "text/css; charset=utf-8", include_bytes!("../../../assets/tideline.css")),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../../../assets/map.js")),
];

/// `GET /assets/{name}`: a static file, cacheable for a day.
pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    let (_, media_type, bytes) =
        ASSETS.iter().find(|(n, _, _)| *n == name).ok_or_else(|| ApiError::NotFound(format!("no asset {name}")))?;
    Ok(HttpResponse::Ok()
        .content_type(*media_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(*bytes))
}
