//! OGC API – Features over the demonstration network: the documents a GIS client reads first,
//! every accepted survey paged through `next` links exactly once, `bbox` and `datetime`
//! selecting exactly the features inside, and each feature equal to the JSON API's record.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::Value;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, get_as};
use crate::network;

/// Every feature reached from `url` by following `next` links.
fn all_pages(url: &str) -> (Vec<Value>, usize) {
    let (mut features, mut pages, mut next) = (Vec::new(), 0, Some(url.to_string()));
    while let Some(url) = next {
        let reply = get(&url);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.content_type, "application/geo+json");
        let page = reply.json();
        assert_eq!(page["type"], "FeatureCollection");
        let returned = page["features"].as_array().unwrap();
        assert_eq!(page["numberReturned"].as_u64().unwrap() as usize, returned.len());
        features.extend(returned.iter().cloned());
        next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
        pages += 1;
    }
    (features, pages)
}

fn lon_lat(feature: &Value) -> (f64, f64) {
    let c = &feature["geometry"]["coordinates"];
    (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
}

fn date(feature: &Value) -> NaiveDate {
    feature["properties"]["date"].as_str().unwrap().parse().unwrap()
}

#[test]
fn a_gis_client_pages_through_every_accepted_survey_and_filters_by_box_and_date() {
    let (db, mut conn) = network::demo_network(900, 150, 5);
    let token = network::researcher_token(&mut conn);
    let server = TestServer::start(db.pool());

    let landing = get(&server.url("/ogc")).json();
    let rels: HashSet<&str> = landing["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    let service_desc = landing["links"].as_array().unwrap().iter().find(|l| l["rel"] == "service-desc").unwrap();
    let version = get(&server.url("/openapi.json")).json()["openapi"].as_str().unwrap().to_string();
    assert!(version.starts_with("3.1."), "{version}");
    assert_eq!(service_desc["type"], "application/vnd.oai.openapi+json;version=3.1", "the version the document states");
    for rel in ["self", "service-desc", "conformance", "data", "license"] {
        assert!(rels.contains(rel), "landing page links {rel}: {rels:?}");
    }
    let conformance = get(&server.url("/ogc/conformance")).json()["conformsTo"].to_string();
    assert!(conformance.contains("ogcapi-features-1/1.0/conf/core") && conformance.contains("conf/geojson"));
    let collections = get(&server.url("/ogc/collections")).json();
    let ids: Vec<&str> =
        collections["collections"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["sites", "surveys", "samples"]);

    // every accepted survey exactly once, in id order, across pages
    let accepted = get(&server.url("/v1/network/stats")).json()["beach_litter"]["surveys"].as_u64().unwrap() as usize;
    let (surveys, pages) = all_pages(&server.url("/ogc/collections/surveys/items?limit=250"));
    assert_eq!(surveys.len(), accepted);
    assert_eq!(pages, accepted / 250 + 1);
    let ids: Vec<i64> = surveys.iter().map(|f| f["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "by id, no repeats");

    // the collection's extent holds every feature
    let extent = get(&server.url("/ogc/collections/surveys")).json()["extent"].clone();
    let bbox: Vec<f64> = extent["spatial"]["bbox"][0].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let first = surveys.iter().map(date).min().unwrap();
    let last = surveys.iter().map(date).max().unwrap();
    assert_eq!(extent["temporal"]["interval"][0][0], format!("{first}T00:00:00Z"));
    assert_eq!(extent["temporal"]["interval"][0][1], format!("{last}T00:00:00Z"));
    for f in &surveys {
        let (lon, lat) = lon_lat(f);
        assert!(bbox[0] <= lon && lon <= bbox[2] && bbox[1] <= lat && lat <= bbox[3], "{f} outside {bbox:?}");
    }

    // a box over Viet Nam and the Gulf of Thailand, the year 2024: exactly the features inside
    let (min_lon, min_lat, max_lon, max_lat) = (100.0, 8.0, 110.0, 17.0);
    let (from, to) = ("2024-01-01".parse::<NaiveDate>().unwrap(), "2024-12-31".parse::<NaiveDate>().unwrap());
    let expected: Vec<i64> = surveys
        .iter()
        .filter(|f| {
            let (lon, lat) = lon_lat(f);
            (min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat) && (from..=to).contains(&date(f))
        })
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert!(expected.len() >= 10, "the demo has surveys there: {}", expected.len());
    let url = "/ogc/collections/surveys/items?bbox=100,8,110,17&datetime=2024-01-01T00:00:00Z/2024-12-31&limit=7";
    let (inside, _) = all_pages(&server.url(url));
    assert_eq!(inside.iter().map(|f| f["id"].as_i64().unwrap()).collect::<Vec<_>>(), expected);
    let (open_ended, _) = all_pages(&server.url("/ogc/collections/surveys/items?datetime=../2019-12-31&limit=1000"));
    assert_eq!(open_ended.len(), surveys.iter().filter(|f| date(f).to_string().as_str() <= "2019-12-31").count());

    // each feature is the JSON API's record
    for f in surveys.iter().step_by(97) {
        let id = f["id"].as_i64().unwrap();
        let record = get_as(&server.url(&format!("/v1/surveys/{id}")), &token).json();
        let p = &f["properties"];
        for field in ["date", "protocol", "kind", "site_id", "length_m"] {
            assert_eq!(p[field], record[field], "{field} of {record}");
        }
        for field in ["total_items", "items_per_100m", "items_per_m2", "plastic_items", "sup_items", "cci"] {
            assert_eq!(p[field], record["summary"][field], "{field} of {record}");
        }
        if let Some(at) = record["location"].as_object() {
            assert_eq!(lon_lat(f), (at["lon"].as_f64().unwrap(), at["lat"].as_f64().unwrap()));
        }
        assert_eq!(get(&server.url(&format!("/ogc/collections/surveys/items/{id}"))).json(), *f);
    }

    // sites: every site of the registry, with its position
    let (sites, _) = all_pages(&server.url("/ogc/collections/sites/items?limit=10"));
    let geojson = get(&server.url("/v1/sites.geojson")).json();
    assert_eq!(sites.len(), geojson["features"].as_array().unwrap().len());
    let (samples, _) = all_pages(&server.url("/ogc/collections/samples/items?limit=1000"));
    let sampled = get(&server.url("/v1/network/stats")).json()["microplastics"]["samples"].as_u64().unwrap();
    assert_eq!(samples.len() as u64, sampled);
}

#[test]
fn bad_parameters_are_named_and_unknown_collections_are_404() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let reply = get(&server.url("/ogc/collections/surveys/items?bbox=1,2,3&datetime=soon&limit=0"));
    assert_eq!(reply.pointers(400), ["/bbox", "/datetime", "/limit"]);
    assert_eq!(get(&server.url("/ogc/collections/surveys/items?bbox=170,0,-170,10")).pointers(400), ["/bbox"]);
    assert_eq!(get(&server.url("/ogc/collections/surveys/items?crs=EPSG:3857")).pointers(400), ["/crs"]);
    get(&server.url("/ogc/collections/beaches/items")).problem(404);
    for path in ["/ogc?f=json", "/ogc/conformance?f=json", "/ogc/collections?f=json", "/ogc/collections/sites?f=json"] {
        assert_eq!(get(&server.url(path)).status, 200, "{path}: clients may name the format");
    }
    assert_eq!(get(&server.url("/ogc/collections?f=html")).pointers(400), ["/f"]);
    get(&server.url("/ogc/collections/surveys/items/999999")).problem(404);
    let empty = get(&server.url("/ogc/collections/surveys/items")).json();
    assert_eq!(empty["numberReturned"], 0);
    assert!(empty["links"].as_array().unwrap().iter().all(|l| l["rel"] != "next"));
}
