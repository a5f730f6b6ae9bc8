//! The vocabularies for the apps: the category tree and the protocols, cacheable with `ETag`
//! and `If-None-Match`, and in the language asked for.

use tideline_api::testing::{TestDb, TestServer};
use tideline_core::category::CategoryTree;
use tideline_core::protocol::Protocol;

use crate::client::{get, request};

#[test]
fn an_app_syncs_the_category_tree_once_and_then_hears_304() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let url = server.url("/v1/categories");
    let first = get(&url);
    assert_eq!(first.status, 200, "{}", first.body);
    let tree = first.json();
    assert_eq!(tree["categories"].as_array().unwrap().len(), CategoryTree::global().len());
    assert_eq!(tree["language"], "en");
    let etag = first.header("etag").expect("an ETag");
    assert!(first.header("cache-control").unwrap().contains("max-age"));

    let again = request("GET", &url, None, &[("if-none-match", &etag)], None);
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    assert_eq!(again.header("etag").as_deref(), Some(etag.as_str()));
    let listed = request("GET", &url, None, &[("if-none-match", &format!("\"other\", W/{etag}"))], None);
    assert_eq!(listed.status, 304, "a weak tag in a list matches");
    let stale = request("GET", &url, None, &[("if-none-match", "\"an-old-copy\"")], None);
    assert_eq!(stale.status, 200);

    // Korean names where translated, English elsewhere, and a tag of its own
    let korean = request("GET", &url, None, &[("accept-language", "ko-KR,ko;q=0.9,en;q=0.5")], None);
    assert_eq!(korean.header("content-language").as_deref(), Some("ko"));
    assert_eq!(korean.header("vary").as_deref(), Some("Accept-Language"));
    assert_ne!(korean.header("etag"), Some(etag.clone()));
    let g21 = |body: &serde_json::Value| {
        body["categories"].as_array().unwrap().iter().find(|c| c["code"] == "G21").unwrap().clone()
    };
    assert_eq!(g21(&korean.json())["material_name"], "인공 고분자 재료(플라스틱)");
    assert_eq!(g21(&korean.json())["name"], g21(&tree)["name"]);
    let vietnamese = request("GET", &format!("{url}?lang=vi"), None, &[("accept-language", "ko")], None);
    assert_eq!(g21(&vietnamese.json())["material_name"], "Vật liệu polyme nhân tạo (nhựa)");
    assert_eq!(get(&format!("{url}?lang=fr")).pointers(400), vec!["/lang"]);
    // item names where a regional sheet gives them (Indonesian Waste Platform: straws)
    let indonesian = get(&format!("{url}?lang=id")).json();
    let straws = indonesian["categories"].as_array().unwrap().iter().find(|c| c["code"] == "G35").unwrap();
    assert_eq!(straws["name"], "Sedotan");
}

#[test]
fn every_protocol_lists_its_codes_their_mapping_and_its_envelope() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let list = get(&server.url("/v1/protocols")).json();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["protocol"].as_str().unwrap()).collect();
    assert_eq!(names, Protocol::ALL.map(|p| p.as_str()));
    for protocol in Protocol::ALL {
        let reply = get(&server.url(&format!("/v1/protocols/{protocol}")));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let document = reply.json();
        assert_eq!(document["version"], protocol.mapping_version());
        let items = document["items"].as_array().unwrap();
        assert_eq!(items.len(), protocol.table().rows().len());
        for item in items.iter().filter(|i| i["presence_only"] == false) {
            let code = item["code"].as_str().unwrap();
            let resolved = protocol.resolve(code).unwrap_or_else(|e| panic!("{protocol} {code}: {e}"));
            assert_eq!(item["category"], resolved.category.code.as_str(), "{protocol} {code}");
        }
        let etag = reply.header("etag").unwrap();
        let url = server.url(&format!("/v1/protocols/{protocol}"));
        assert_eq!(request("GET", &url, None, &[("if-none-match", &etag)], None).status, 304);
    }
    get(&server.url("/v1/protocols/nowhere")).problem(404);
}

#[test]
fn the_translations_command_reports_what_is_translated_into_each_language() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tideline")).arg("translations").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "language,names,translated,total");
    let expected = tideline_core::catalogue::translation_coverage();
    assert_eq!(rows.len(), expected.len() + 1);
    assert!(rows.contains(&"ko,materials,10,10"), "{text}");
    assert!(rows.contains(&format!("id,categories,22,{}", CategoryTree::global().len()).as_str()), "{text}");
    let categories = CategoryTree::global().len();
    assert!(rows.contains(&format!("en,categories,{categories},{categories}").as_str()), "{text}");
}
