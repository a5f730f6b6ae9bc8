//! The pages for city officials over HTTP (the browser suite drives them in chromium): the
//! same status and median as the JSON statistics, the reader's language, the licence and the
//! open-data metadata, the vendored assets, and clear errors.

use serde_json::Value;
use tideline_api::http::publication::Publication;
use tideline_api::http::server::Settings;
use tideline_api::testing::TestServer;

use crate::client::{get, request};
use crate::network;

/// The value of `attribute` on the first element that has `marker` in its opening tag.
fn attribute(html: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = html.find(marker)?;
    let tag = &html[html[..at].rfind('<')?..at + html[at..].find('>')?];
    let start = tag.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

/// The text of the first element with `marker` in its opening tag.
fn text(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let start = at + html[at..].find('>')? + 1;
    Some(html[start..start + html[start..].find('<')?].trim().to_string())
}

#[test]
fn every_city_page_shows_the_status_and_median_of_its_statistics() {
    let (db, _conn) = network::demo_network(1500, 100, 3);
    let citation = "Tideline test network (2026)";
    let publication = Publication { citation: citation.into(), ..Publication::default() };
    let server = TestServer::start_with(db.pool(), Settings { publication, ..Settings::default() });
    let cities = get(&server.url("/v1/cities")).json();
    let mut judged = 0;
    for city in cities.as_array().unwrap() {
        let stats = get(&server.url(&format!("/v1/cities/{}/stats", city["id"]))).json()["beach_litter"].clone();
        let mut page = get(&server.url(&format!("/cities/{}", city["id"])));
        assert_eq!(page.status, 200);
        // the templates escape `/` and `&` in attributes
        page.body = page.body.replace("&#x2f;", "/").replace("&amp;", "&");
        assert_eq!(page.content_type, "text/html; charset=utf-8");
        let shown = attribute(&page.body, "data-test=\"status\"", "data-status").unwrap();
        let threshold = &stats["eu_threshold"];
        let expected =
            match (threshold["status"].as_str().unwrap(), threshold["surveys"].as_u64(), stats["surveys"].as_u64()) {
                ("insufficient_data", Some(0), Some(0)) => "none",
                ("insufficient_data", Some(0), _) => "not_assessed",
                ("insufficient_data", _, _) => "insufficient",
                (status, _, _) => status,
            };
        assert_eq!(shown, expected, "{}: {threshold}", city["name"]);
        if let Some(median) = threshold["median_per_100m"].as_f64() {
            assert_eq!(text(&page.body, "data-test=\"median\"").unwrap(), format!("{median:.1}"), "{}", city["name"]);
            assert_eq!(text(&page.body, "data-test=\"n\"").unwrap(), threshold["surveys"].to_string());
            judged += 1;
        }
        assert!(page.body.contains(citation), "the citation setting is shown");
        for link in ["report.csv\"", "stats\"", "card?lang=en\""] {
            let href = format!("/cities/{}/{link}", city["id"]);
            assert!(page.body.contains(&href) || page.body.contains(&format!("/v1{href}")), "{href} linked");
        }
    }
    assert!(judged >= 5, "{judged} cities judged against the threshold");

    let network = get(&server.url("/")).body;
    let ld_start = network.find("application/ld+json\">").unwrap() + 21;
    let ld: Value =
        serde_json::from_str(&network[ld_start..ld_start + network[ld_start..].find("</script>").unwrap()]).unwrap();
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(ld["citation"], citation);
    let map_start = network.find("id=\"map-data\" type=\"application/json\">").unwrap() + 38;
    let map: Value =
        serde_json::from_str(&network[map_start..map_start + network[map_start..].find("</script>").unwrap()]).unwrap();
    let sites = get(&server.url("/v1/sites.geojson")).json()["features"].as_array().unwrap().len();
    assert_eq!(map["sites"].as_array().unwrap().len(), sites, "every site on the map");
}

#[test]
fn pages_speak_the_readers_language_and_errors_are_clear() {
    let (db, _conn) = network::demo_network(200, 20, 3);
    let server = TestServer::start(db.pool());
    let zh = get(&server.url("/?lang=zh"));
    assert!(zh.body.contains("<html lang=\"zh\">") && zh.body.contains("监测网络海滩垃圾概况"));
    assert_eq!(zh.header("content-language").as_deref(), Some("zh"));
    let vi = request("GET", &server.url("/cities/1"), None, &[("accept-language", "vi-VN,vi;q=0.9,en;q=0.5")], None);
    assert!(vi.body.contains("<html lang=\"vi\">") && vi.body.contains("Tình trạng so với ngưỡng EU"));
    let thai = get(&server.url("/?lang=th"));
    assert!(thai.body.contains("Beach litter across the network"), "no Thai UI text: English");
    assert_eq!(get(&server.url("/?lang=xx")).pointers(400), ["/lang"]);
    get(&server.url("/cities/999999")).problem(404);
    get(&server.url("/sites/999999/card")).problem(404);
    // a browser (which asks for HTML) is shown an error page in its language, same status
    let browser = |path: &str, languages: &str| {
        let accept = ("accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        request("GET", &server.url(path), None, &[accept, ("accept-language", languages)], None)
    };
    for path in ["/cities/999999", "/sites/abc/card"] {
        let missing = browser(path, "vi-VN,vi;q=0.9");
        assert_eq!((missing.status, missing.content_type.as_str()), (404, "text/html; charset=utf-8"), "{path}");
        assert!(
            missing.body.contains("<html lang=\"vi\">") && missing.body.contains("Trang này không tồn tại"),
            "{path}"
        );
        assert!(missing.body.contains("href=\"/?lang=vi\""), "{path}: a way back");
    }
    let bad = browser("/?lang=xx", "zh-CN");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("无法识别此网址") && bad.body.contains("`xx` is not one of"), "{}", bad.body);
    let leaflet = get(&server.url("/assets/leaflet.js"));
    assert_eq!(leaflet.status, 200);
    assert!(leaflet.content_type.starts_with("text/javascript"));
    assert!(leaflet.body.contains("Leaflet 1.9.4"));
    assert!(leaflet.header("cache-control").unwrap().contains("max-age"));
    let coast = get(&server.url("/assets/countries-110m.json")).json();
    assert_eq!(coast["type"], "Topology");
    get(&server.url("/assets/nothing.js")).problem(404);
    let card = get(&server.url("/sites/1/card"));
    assert!(card.body.contains("class=\"card\"") && card.body.contains("CC-BY-4.0"));
}
