//! CSV exports for researchers over the imported Dutch OSPAR data: long and wide layouts,
//! formula cells defused, and the same records as the statistics for every scope and filter.

use tideline_api::store::places;

use crate::client::{get, get_as};
use crate::stats::{ospar_served, rows};

#[test]
fn exports_stream_surveys_long_and_wide_for_researchers_with_formula_cells_defused() {
    let (db, nl, server) = ospar_served();
    get_as(&server.url("/v1/exports/surveys.csv"), &nl.volunteer).problem(403);
    let long = get_as(&server.url("/v1/exports/surveys.csv"), &nl.researcher);
    assert_eq!(long.status, 200, "{}", long.body);
    let long_rows = rows(&long.body);
    assert_eq!(long_rows.len(), 95);
    assert!(long.body.contains("\r\n"), "RFC 4180 line ends");

    let wide = get_as(&server.url("/v1/exports/surveys.csv?format=wide&country=NL"), &nl.researcher);
    let wide_rows = rows(&wide.body);
    assert_eq!(wide_rows.len(), 95);
    assert_eq!(wide_rows[0].len(), 16 + tideline_core::category::CategoryTree::global().len());
    for row in &wide_rows {
        let categories: u64 = row
            .iter()
            .filter(|(k, _)| k.starts_with('G') || k.starts_with("TL-"))
            .map(|(_, v)| v.parse::<u64>().unwrap())
            .sum();
        assert_eq!(categories, row["total_items"].parse::<u64>().unwrap(), "wide columns add up to the total");
    }
    assert!(wide.header("content-disposition").unwrap().contains("tideline-surveys-wide-all.csv"));
    assert!(long.header("content-disposition").unwrap().contains("tideline-surveys-long-all.csv"));
    // every bad parameter named in one answer, each with the words it may be
    let bad = get_as(&server.url("/v1/exports/surveys.csv?format=tall&kind=survey"), &nl.researcher);
    assert_eq!(bad.pointers(400), ["/kind", "/format"]);
    assert!(bad.body.contains("`tall` is not one of long, wide"), "{}", bad.body);

    {
        let mut conn = db.connect();
        let site = tideline_core::site::SiteInput {
            code: "=HYPERLINK(\"http://x\")",
            name: "@evil",
            kind: "beach",
            lat: 52.7,
            lon: 4.6,
            reference_length_m: None,
        };
        places::upsert_site(&mut conn, &places::NewSite { city_id: nl.bergen, site: site.check().unwrap() }).unwrap();
    }
    let city = rows(&get(&server.url(&format!("/v1/cities/{}/report.csv", nl.bergen))).body);
    let evil = city.iter().find(|r| r["site_name"].contains("evil")).unwrap();
    assert_eq!(evil["site_name"], "'@evil");
    assert!(evil["site_code"].starts_with("'="));

    let samples = get_as(&server.url("/v1/exports/samples.csv"), &nl.researcher);
    assert_eq!(samples.status, 200);
    assert_eq!(rows(&samples.body).len(), 0);
}

#[test]
fn exports_and_statistics_read_the_same_records_for_every_scope_and_filter() {
    let (_db, nl, server) = ospar_served();
    let site = nl.sites["NL001"];
    let city = get(&server.url(&format!("/v1/sites/{site}"))).json()["city_id"].as_i64().unwrap();
    let scopes = [
        (format!("/v1/sites/{site}/stats"), format!("site={site}")),
        (format!("/v1/cities/{city}/stats"), format!("city={city}")),
        ("/v1/countries/NL/stats".to_string(), "country=NL".to_string()),
        ("/v1/countries/VN/stats".to_string(), "country=VN".to_string()),
        ("/v1/network/stats".to_string(), String::new()),
    ];
    let filters = ["", "from=2014-01-01", "from=2013-03-15&to=2015-06-30", "kind=monitoring", "protocol=mlw"];
    let mut seen = std::collections::BTreeSet::new();
    for (stats_path, scope) in &scopes {
        for filter in filters {
            let query =
                [scope.as_str(), filter].iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join("&");
            let stats = get(&server.url(&format!("{stats_path}?{filter}"))).json();
            let export = get_as(&server.url(&format!("/v1/exports/surveys.csv?{query}")), &nl.researcher);
            assert_eq!(export.status, 200, "{query}: {}", export.body);
            let exported = rows(&export.body);
            assert_eq!(
                exported.len() as u64,
                stats["beach_litter"]["surveys"].as_u64().unwrap(),
                "{stats_path}?{filter} against the export with {query}"
            );
            let total: u64 = exported.iter().map(|r| r["total_items"].parse::<u64>().unwrap()).sum();
            assert_eq!(total, stats["beach_litter"]["total_items"].as_u64().unwrap(), "{query}");
            seen.insert(exported.len());
        }
    }
    // the cases differ, so the comparison is not between empty answers only
    assert!(seen.len() >= 4, "{seen:?}");
}
