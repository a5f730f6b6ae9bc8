//! Statistics and reports over the imported Dutch OSPAR data: the published per-beach means
//! and medians, the CSV reports showing the same numbers, filters and review status.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{json, Value};
use tideline_api::import::{import_file, load_site_file, Format, ImportOptions};
use tideline_api::store::{places, teams, tokens};
use tideline_api::testing::{TestDb, TestServer};
use tideline_core::precision::{format_figure, DecimalMark, Precision};

use crate::client::{get, post_as};
use crate::network;

pub struct Ospar {
    pub sites: HashMap<String, i64>,
    pub bergen: i64,
    pub coordinator: String,
    pub volunteer: String,
    pub researcher: String,
}

/// A fresh database holding the Dutch OSPAR surveys, and a server on it.
pub fn ospar_served() -> (TestDb, Ospar, TestServer) {
    let db = TestDb::new();
    let nl = import_ospar(&db);
    let server = TestServer::start(db.pool());
    (db, nl, server)
}

pub fn import_ospar(db: &TestDb) -> Ospar {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut conn = db.connect();
    let sites = load_site_file(&mut conn, &root.join("fixtures/network/ospar-nl-sites.csv")).unwrap();
    let bergen = places::find_site(&mut conn, sites["NL001"]).unwrap().unwrap().city_id;
    let rws = teams::upsert_team(&mut conn, "RWS", "agency".parse().unwrap(), bergen, true).unwrap();
    let school = teams::upsert_team(&mut conn, "Bergen school", "school".parse().unwrap(), bergen, false).unwrap();
    let data = root.join("fixtures/external/ospar-nl-2012-2017/beach-litter-nl-2012-2017.csv");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let report = import_file(
        &mut conn,
        Format::OsparCsv,
        &data,
        &ImportOptions { team: &rws, site_file: &sites, create_sites: false, today },
        |_, _| (),
    )
    .unwrap();
    assert_eq!(report.created, 95);
    let token = |conn: &mut _, role: &str, team, city| {
        tokens::create(conn, role.parse().unwrap(), team, city, "t", None).unwrap().1
    };
    Ospar {
        coordinator: token(&mut conn, "coordinator", None, Some(bergen)),
        volunteer: token(&mut conn, "volunteer", Some(school.id), None),
        researcher: token(&mut conn, "researcher", None, None),
        sites,
        bergen,
    }
}

fn round1(v: &Value) -> f64 {
    (v.as_f64().unwrap() * 10.0).round() / 10.0
}

#[test]
fn site_statistics_reproduce_the_published_means_and_medians() {
    let (_db, nl, server) = ospar_served();
    let expected = [("NL001", 376.6, 302.5), ("NL002", 346.9, 254.5), ("NL003", 231.3, 164.5), ("NL004", 299.3, 252.0)];
    for (code, mean, median) in expected {
        let stats = get(&server.url(&format!("/v1/sites/{}/stats", nl.sites[code]))).json();
        let beach = &stats["beach_litter"];
        assert_eq!(round1(&beach["items_per_100m"]["mean"]), mean, "{code}");
        assert_eq!(beach["items_per_100m"]["median"], median, "{code}");
        assert_eq!(beach["eu_threshold"]["status"], "insufficient_data", "{code}: under 40 surveys");
        assert_eq!(beach["trend"]["basis"], "observations");
        assert!(beach["top_x"].as_array().unwrap().len() >= 3);
        assert!(beach["top_x"][0]["name"].as_str().is_some_and(|n| !n.is_empty()));
        let shares: f64 = beach["materials"].as_array().unwrap().iter().map(|m| m["share"].as_f64().unwrap()).sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }
    let network = get(&server.url("/v1/network/stats")).json();
    assert_eq!(network["beach_litter"]["surveys"], 95);
    assert_eq!(network["beach_litter"]["items_per_100m"]["mean"].as_f64().unwrap().round(), 314.0);
    assert_eq!(network["beach_litter"]["eu_threshold"]["status"], "exceeds");
    assert_eq!(network["beach_litter"]["eu_threshold"]["surveys"], 95);
    assert_eq!(get(&server.url("/v1/countries/nl/stats")).json()["beach_litter"]["surveys"], 95);
    assert_eq!(get(&server.url("/v1/countries/VN/stats")).json()["beach_litter"]["surveys"], 0);
    get(&server.url("/v1/countries/NLD/stats")).problem(404);
    get(&server.url("/v1/sites/999999/stats")).problem(404);
    let city = get(&server.url(&format!("/v1/cities/{}/stats", nl.bergen))).json();
    assert_eq!(city["scope"]["name"], "Bergen");
    assert_eq!(city["beach_litter"]["items_per_100m"]["median"], 302.5);
}

#[test]
fn filters_and_review_status_change_the_results() {
    let (db, nl, server) = ospar_served();
    let site = nl.sites["NL001"];
    let stats =
        |query: &str| get(&server.url(&format!("/v1/sites/{site}/stats{query}"))).json()["beach_litter"].clone();
    assert_eq!(stats("?protocol=mlw")["surveys"], 0);
    assert_eq!(stats("?kind=cleanup")["surveys"], 0);
    // a scope without cleanups has cleaned no distance: 0, never -0 (an empty float sum)
    let answer = get(&server.url(&format!("/v1/sites/{site}/stats"))).body;
    assert!(answer.contains(r#""distance_m":0.0"#) && !answer.contains("-0.0"), "{answer}");
    let year = stats("?from=2016-01-01&to=2016-12-31");
    let expected = crate::ingest::count(
        &db,
        &format!("SELECT count(*) AS n FROM survey_totals WHERE site_id = {site} AND survey_date BETWEEN '2016-01-01' AND '2016-12-31'"),
    );
    assert_eq!(year["surveys"], expected);
    assert!(expected > 0 && expected < 24);
    let mid_month = stats("?from=2016-01-15&to=2016-12-31");
    let items: u64 = mid_month["top_x"].as_array().unwrap().iter().map(|t| t["count"].as_u64().unwrap()).sum();
    assert!(items <= mid_month["total_items"].as_u64().unwrap(), "composition follows a mid-month period exactly");
    get(&server.url(&format!("/v1/sites/{site}/stats?kind=party"))).problem(400);
    get(&server.url(&format!("/v1/sites/{site}/stats?from=2017-01-01&to=2016-01-01"))).problem(400);

    let body = json!({"client_id": "9b5a7c3d-8e0f-4a2b-9c4d-7e8f9a0b1c21", "protocol": "ospar", "site_id": site,
                      "date": "2017-11-01", "items": [{"code": "15", "count": 5000}]});
    let posted = post_as(&server.url("/v1/surveys"), &nl.volunteer, &body).json();
    assert_eq!(posted["status"], "pending");
    assert_eq!(stats("")["surveys"], 24, "pending surveys do not count");
    let id = posted["id"].as_i64().unwrap();
    let accepted =
        post_as(&server.url(&format!("/v1/surveys/{id}/review")), &nl.coordinator, &json!({"decision": "accept"}));
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let after = stats("");
    assert_eq!(after["surveys"], 25);
    let caps = after["top_x"].as_array().unwrap().iter().find(|t| t["code"] == "GRP-plastic-caps").unwrap().clone();
    assert!(caps["count"].as_u64().unwrap() >= 5000, "the composition rollup took the accepted survey in");
}

pub fn rows(csv_text: &str) -> Vec<HashMap<String, String>> {
    rows_split_by(csv_text, b',')
}

/// The rows of a CSV with `delimiter` between cells, by column name (a BOM left out).
pub fn rows_split_by(csv_text: &str, delimiter: u8) -> Vec<HashMap<String, String>> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

#[test]
fn city_and_site_reports_show_the_same_numbers_as_the_json() {
    let (_db, nl, server) = ospar_served();
    let site = nl.sites["NL001"];
    let json = get(&server.url(&format!("/v1/sites/{site}/stats"))).json()["beach_litter"].clone();

    let city_csv = get(&server.url(&format!("/v1/cities/{}/report.csv?bom=true", nl.bergen)));
    assert_eq!(city_csv.content_type, "text/csv; charset=utf-8");
    assert!(city_csv.body.starts_with('\u{feff}'), "BOM on request");
    assert!(city_csv.header("content-disposition").unwrap().contains("tideline-city-NL-Bergen-all.csv"));
    let city_rows = rows(&city_csv.body);
    assert_eq!(city_rows.len(), 1);
    let row = &city_rows[0];
    assert_eq!(row["site_code"], "NL001");
    assert_eq!(row["surveys"], "24");
    assert_eq!(row["median_items_per_100m"].parse::<f64>().unwrap(), 302.5);
    assert_eq!(row["mean_items_per_100m"], format!("{:.1}", json["items_per_100m"]["mean"].as_f64().unwrap()));
    assert_eq!(row["p90_items_per_100m"], format!("{:.1}", json["items_per_100m"]["p90"].as_f64().unwrap()));
    assert_eq!(row["eu_threshold_status"], "insufficient_data");

    let site_csv = get(&server.url(&format!("/v1/sites/{site}/report.csv?from=2012-01-01&to=2017-12-31")));
    assert!(!site_csv.body.starts_with('\u{feff}'));
    assert!(site_csv.header("content-disposition").unwrap().contains("2012-01-01_2017-12-31"));
    let site_rows = rows(&site_csv.body);
    assert_eq!(site_rows.iter().filter(|r| r["record_type"] == "survey").count(), 24);
    let statistic = |name: &str| site_rows.iter().find(|r| r["statistic"] == name).unwrap()["value"].clone();
    assert_eq!(statistic("median_items_per_100m").parse::<f64>().unwrap(), 302.5);
    assert_eq!(statistic("surveys"), "24");
    let totals: u64 = site_rows
        .iter()
        .filter(|r| r["record_type"] == "survey")
        .map(|r| r["total_items"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(totals, json["total_items"].as_u64().unwrap());
}

#[test]
fn time_series_per_site_and_year_from_the_rollups() {
    let (_db, nl, server) = ospar_served();
    let points = get(&server.url("/v1/stats?group_by=site&period=year")).json();
    let points = points.as_array().unwrap();
    let surveys: i64 = points.iter().map(|p| p["surveys"].as_i64().unwrap()).sum();
    assert_eq!(surveys, 95);
    let bergen: Vec<&Value> = points.iter().filter(|p| p["group_id"] == nl.sites["NL001"]).collect();
    assert_eq!(bergen.len(), 6, "2012..2017");
    assert_eq!(bergen[0]["period_start"], "2012-01-01");
    let items: i64 = bergen.iter().map(|p| p["total_items"].as_i64().unwrap()).sum();
    let json = get(&server.url(&format!("/v1/sites/{}/stats", nl.sites["NL001"]))).json();
    assert_eq!(items, json["beach_litter"]["total_items"].as_i64().unwrap());
    // every OSPAR survey is 100 m, so pooled items/100 m equals the mean per survey
    let p = bergen[0];
    assert!((p["pooled_items_per_100m"].as_f64().unwrap() - p["mean_items_per_survey"].as_f64().unwrap()).abs() < 1e-9);
    let countries = get(&server.url("/v1/stats?group_by=country&period=quarter&country=nl")).json();
    assert_eq!(countries.as_array().unwrap().iter().map(|p| p["surveys"].as_i64().unwrap()).sum::<i64>(), 95);
    let bad = get(&server.url("/v1/stats?group_by=planet&period=week"));
    let pointers: Vec<String> = bad.problem(400)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(pointers, vec!["/group_by", "/period"]);
}

/// The city report computes every site from one read of the city; each row must still hold
/// exactly the numbers of that site's own `/stats`.
#[test]
fn every_row_of_a_city_report_equals_its_sites_own_statistics() {
    let (db, _conn) = network::demo_network(1500, 300, 7);
    let server = TestServer::start(db.pool());
    let cities = get(&server.url("/v1/cities")).json();
    let city = cities.as_array().unwrap().iter().max_by_key(|c| c["sites"].as_i64().unwrap()).unwrap().clone();
    assert!(city["sites"].as_i64().unwrap() >= 3, "{city}");
    let report = rows(&get(&server.url(&format!("/v1/cities/{}/report.csv?to=2026-11-15", city["id"]))).body);
    assert_eq!(report.len() as i64, city["sites"].as_i64().unwrap());
    // officials' figures: items/100 m to one decimal, densities to three significant digits
    let density = |v: &Value| v.as_f64().map(|v| format!("{v:.1}")).unwrap_or_default();
    let particles = |v: &Value| {
        v.as_f64().map(|v| format_figure(v, Precision::Significant(3), DecimalMark::Point)).unwrap_or_default()
    };
    let mut with_samples = 0;
    for row in &report {
        let stats = get(&server.url(&format!("/v1/sites/{}/stats?to=2026-11-15", row["site_id"]))).json();
        let beach = &stats["beach_litter"];
        assert_eq!(row["surveys"], beach["surveys"].to_string(), "{row:?}");
        assert_eq!(row["total_items"], beach["total_items"].to_string());
        for (column, field) in
            [("mean_items_per_100m", "mean"), ("median_items_per_100m", "median"), ("p90_items_per_100m", "p90")]
        {
            assert_eq!(row[column], density(&beach["items_per_100m"][field]), "{column} of {}", row["site_code"]);
        }
        assert_eq!(row["trend_slope_items_per_100m_per_year"], density(&beach["trend"]["slope_per_year"]));
        let top = beach["top_x"][0]["code"].as_str().unwrap_or("");
        assert!(row["top_category"].starts_with(top), "{} vs {top}", row["top_category"]);
        let micro = &stats["microplastics"];
        assert_eq!(row["samples"], micro["samples"].to_string());
        assert_eq!(row["median_particles_per_m3"], particles(&micro["median_water_particles_per_m3"]));
        with_samples += usize::from(micro["samples"].as_u64().unwrap() > 0);
    }
    assert!(with_samples >= 1, "the demo city has sampled sites");
}
