//! The network page (`/`): a map of every site coloured by its status against the EU
//! threshold, the headline figures, and every city with its median and status.

use diesel::PgConnection;
use serde_json::{json, Value};

use super::scope::map_sites;
use super::views::{figures, script_json, status, Reader};
use crate::http::problem::ApiError;
use crate::read::{city_with_sites, scope_stats, PartCache};
use crate::store::places::{self, SiteFilter};
use crate::store::stats::{Scope, StatsFilter};

/// The network page's context: the network's figures, every city and every site on the map.
pub fn context(conn: &mut PgConnection, parts: &PartCache, reader: &Reader) -> Result<Value, ApiError> {
    let filter = StatsFilter::default();
    let (beach, micro) = scope_stats(conn, parts, &Scope::Network, &filter)?;
    let mut cities = Vec::new();
    let mut sites = Vec::new();
    for city in places::list_cities(conn, None)? {
        let of_city = places::list_sites(conn, &SiteFilter { city_id: Some(city.id), ..SiteFilter::default() })?;
        let ids: Vec<i64> = of_city.iter().map(|s| s.id).collect();
        let reading = city_with_sites(conn, parts, city.id, &ids, &filter)?;
        let city_beach = reading.city.0;
        sites.extend(of_city.into_iter().zip(reading.sites.into_iter().map(|(b, _)| b)));
        cities.push(json!({
            "id": city.id,
            "name": city.name,
            "country_code": city.country_code,
            "sites": city.sites,
            "surveys": city_beach.surveys,
            "median": reader.density(city_beach.items_per_100m.as_ref().map(|s| s.median)),
            "status": status(reader, &city_beach),
        }));
    }
    Ok(json!({
        "figures": figures(reader, &beach, &micro),
        "status": status(reader, &beach),
        "city_count": cities.len(),
        "site_count": sites.len(),
        "cities": cities,
        "map": script_json(&json!({ "sites": map_sites(reader, &sites) })),
    }))
}

/// schema.org `Dataset` metadata, for open-data catalogues to harvest.
pub fn json_ld(base: &str, publication: &crate::http::publication::Publication, first_last: Value) -> String {
    script_json(&json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": "Tideline: beach litter and microplastics of the Clean Ocean Program network",
        "description": "Volunteer beach-litter surveys (items per 100 m, by canonical category of the EU Master List) and \
                        microplastic samples (particles per m³) from coastal cities in ASEAN, China, Japan and Korea, \
                        normalised to one protocol. Accepted records only.",
        "url": format!("{base}/"),
        "license": publication.licence_url,
        "citation": publication.citation,
        "isAccessibleForFree": true,
        "keywords": ["marine litter", "beach litter", "microplastics", "citizen science", "OSPAR", "EU Master List"],
        "temporalCoverage": first_last,
        "spatialCoverage": { "@type": "Place", "name": "East and Southeast Asian seas" },
        "variableMeasured": ["items per 100 m of coastline", "particles per m³"],
        "distribution": [
            { "@type": "DataDownload", "encodingFormat": "application/geo+json", "contentUrl": format!("{base}/ogc/collections/surveys/items") },
            { "@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": format!("{base}/v1/network/stats") },
            { "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": format!("{base}/v1/exports/surveys.csv") },
        ],
    }))
}
