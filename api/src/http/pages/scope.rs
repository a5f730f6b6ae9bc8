//! The page of a city or a site (and its report card): status against the EU threshold, trend,
//! top items, composition, sites, microplastics, cleanup effort, completeness and the data.

use std::collections::BTreeMap;

use diesel::PgConnection;
use serde_json::{json, Value};
use tideline_core::stats::reading::completeness;
use tideline_core::stats::scope::{BeachLitterStats, MicroplasticStats, SurveyPoint};
use tideline_core::survey::SurveyKind;

use super::charts::{css, share_chart, site_colour, trend_chart};
use super::views::{figures, script_json, status, trend, Reader};
use crate::http::problem::ApiError;
use crate::read::{city_with_sites, scope_stats, PartCache};
use crate::store::places::{self, Site, SiteFilter};
use crate::store::stats::{self, Scope, StatsFilter};

/// Everything a city or site page shows, read in one go.
pub struct ScopeData {
    /// `city` or `site`.
    pub level: &'static str,
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Where it is (country; city and country for a site).
    pub place: String,
    /// Its statistics.
    pub stats: (BeachLitterStats, MicroplasticStats),
    /// Its accepted surveys.
    pub points: Vec<SurveyPoint>,
    /// Its sites with their own statistics (the site itself on a site page).
    pub sites: Vec<(Site, BeachLitterStats)>,
}

/// A city's page data; 404 when there is no such city.
pub fn load_city(conn: &mut PgConnection, parts: &PartCache, id: i64) -> Result<ScopeData, ApiError> {
    let city = places::find_city(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no city {id}")))?;
    let filter = StatsFilter::default();
    let sites = places::list_sites(conn, &SiteFilter { city_id: Some(id), ..SiteFilter::default() })?;
    let ids: Vec<i64> = sites.iter().map(|s| s.id).collect();
    let reading = city_with_sites(conn, parts, id, &ids, &filter)?;
    Ok(ScopeData {
        level: "city",
        id,
        place: city.country_code.clone(),
        name: city.name,
        stats: reading.city,
        points: stats::survey_points(conn, &Scope::City(id), &filter)?,
        sites: sites.into_iter().zip(reading.sites.into_iter().map(|(beach, _)| beach)).collect(),
    })
}

/// A site's page data; 404 when there is no such site.
pub fn load_site(conn: &mut PgConnection, parts: &PartCache, id: i64) -> Result<ScopeData, ApiError> {
    let site = places::find_site(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no site {id}")))?;
    let filter = StatsFilter::default();
    let scope = Scope::Site(id);
    let stats = scope_stats(conn, parts, &scope, &filter)?;
    Ok(ScopeData {
        level: "site",
        id,
        name: site.name.clone(),
        place: format!("{}, {}", site.city, site.country_code),
        points: stats::survey_points(conn, &scope, &filter)?,
        sites: vec![(site, stats.0.clone())],
        stats,
    })
}

/// The map's data: each site with its status class and a label.
pub fn map_sites(reader: &Reader, sites: &[(Site, BeachLitterStats)]) -> Vec<Value> {
    sites
        .iter()
        .map(|(site, beach)| {
            let status = status(reader, beach);
            json!({
                "id": site.id, "name": site.name, "lat": site.lat, "lon": site.lon,
                "status": status["class"], "url": format!("/sites/{}?lang={}", site.id, reader.language()),
                "label": format!("{} · {}", status["label"].as_str().unwrap_or(""), site.city),
            })
        })
        .collect()
}

/// The template context of a city or site page (or card).
pub fn context(reader: &Reader, data: &ScopeData) -> Value {
    let (beach, micro) = &data.stats;
    let lang = reader.language();
    let monitoring: Vec<&SurveyPoint> =
        data.points.iter().filter(|p| p.kind == SurveyKind::Monitoring && p.items_per_100m.is_some()).collect();
    let series: Vec<Vec<_>> = data
        .sites
        .iter()
        .map(|(site, _)| {
            let of_site = monitoring.iter().filter(|p| p.site_id == Some(site.id));
            of_site.filter_map(|p| Some((p.date, p.items_per_100m?))).collect()
        })
        .collect();
    let legend: Vec<Value> = data
        .sites
        .iter()
        .zip(&series)
        .enumerate()
        .filter(|(_, (_, points))| !points.is_empty())
        .map(|(i, ((site, _), points))| json!({ "name": site.name, "colour": css(site_colour(i)), "n": points.len() }))
        .collect();
    let figures = figures(reader, beach, micro);
    let shares: Vec<(String, f64)> = figures["materials"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(&beach.materials)
        .map(|(view, m)| (view["name"].as_str().unwrap_or("").to_string(), m.share))
        .collect();
    let names: BTreeMap<i64, &str> = data.sites.iter().map(|(s, _)| (s.id, s.name.as_str())).collect();
    let dated: Vec<(i64, chrono::NaiveDate)> = data.points.iter().filter_map(|p| Some((p.site_id?, p.date))).collect();
    let (quarters, per_site) = completeness(&dated);
    let rows: Vec<Value> = per_site
        .iter()
        .map(|(site, counts)| json!({ "name": names.get(site).copied().unwrap_or("?"), "counts": counts }))
        .collect();
    let sites: Vec<Value> = data
        .sites
        .iter()
        .map(|(site, stats)| {
            json!({
                "id": site.id, "code": site.code, "name": site.name, "kind": site.kind,
                "surveys": stats.surveys,
                "median": reader.density(stats.items_per_100m.as_ref().map(|s| s.median)),
                "status": status(reader, stats),
            })
        })
        .collect();
    let mut recent: Vec<&SurveyPoint> = data.points.iter().collect();
    recent.sort_by_key(|p| std::cmp::Reverse(p.date));
    let recent: Vec<Value> = recent
        .iter()
        .take(60)
        .map(|p| {
            json!({ "date": p.date, "kind": p.kind, "protocol": p.protocol, "items": p.total_items,
                    "per_100m": reader.density(p.items_per_100m) })
        })
        .collect();
    let base = format!("/{}/{}", if data.level == "city" { "cities" } else { "sites" }, data.id);
    let api = format!("/v1/{}/{}", if data.level == "city" { "cities" } else { "sites" }, data.id);
    let geojson =
        if data.level == "city" { format!("/v1/sites.geojson?city={}", data.id) } else { "/v1/sites.geojson".into() };
    json!({
        "level": data.level,
        "id": data.id,
        "title": data.name,
        "subtitle": data.place,
        "status": status(reader, beach),
        "trend": trend(reader, beach.trend.as_ref()),
        "trend_svg": trend_chart(&series, 900, 340),
        "legend": legend,
        "figures": figures,
        "composition_svg": share_chart(&shares, 760),
        "sites": sites,
        "completeness": { "quarters": quarters, "rows": rows },
        "recent": recent,
        "map": script_json(&json!({ "sites": map_sites(reader, &data.sites) })),
        "links": {
            "page": format!("{base}?lang={lang}"),
            "card": format!("{base}/card?lang={lang}"),
            "csv": format!("{api}/report.csv"),
            "csv_eu": format!("{api}/report.csv?separator=semicolon&decimal=comma&bom=true"),
            "json": format!("{api}/stats"),
            "geojson": geojson,
        },
    })
}
