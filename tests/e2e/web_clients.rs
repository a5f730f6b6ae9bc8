//! Clients beyond the apps: browser pages of other origins (a preflight is answered with what
//! the API takes, and every answer, errors included, can be read by the page that asked) and
//! `HEAD` requests.

use crate::client::{get, get_as, request};
use crate::ingest::ospar_survey;
use crate::network;

const ORIGIN: (&str, &str) = ("origin", "https://map.example.org");

#[test]
fn a_page_of_another_origin_can_post_with_a_token_and_read_every_answer() {
    let (_db, net, server) = network::served();
    let preflight = request(
        "OPTIONS",
        &server.url("/v1/surveys"),
        None,
        &[
            ORIGIN,
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "authorization, content-type"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204, "{}", preflight.body);
    assert_eq!(preflight.header("access-control-allow-origin").as_deref(), Some("*"));
    let methods = preflight.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("POST") && methods.contains("PUT"), "{methods}");
    let headers = preflight.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    for asked in ["authorization", "content-type", "idempotency-key", "if-none-match"] {
        assert!(headers.contains(asked), "{asked} in {headers}");
    }

    let body = ospar_survey("7a1e2b3c-4d5e-4f60-8a7b-8c9d0e1f2a3b", net.my_khe).to_string();
    let posted =
        request("POST", &server.url("/v1/surveys"), Some(&net.trusted), &[ORIGIN], Some(("application/json", body)));
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(posted.header("access-control-allow-origin").as_deref(), Some("*"));

    // reads, the vocabularies' entity tags and error answers are readable too
    let stats = get(&server.url(&format!("/v1/sites/{}/stats", net.my_khe)));
    assert_eq!((stats.status, stats.header("access-control-allow-origin").as_deref()), (200, Some("*")));
    let categories = get(&server.url("/v1/categories"));
    assert!(categories.header("access-control-expose-headers").unwrap().contains("ETag"));
    let missing = get_as(&server.url("/v1/surveys/999999"), &net.trusted);
    missing.problem(404);
    assert_eq!(missing.header("access-control-allow-origin").as_deref(), Some("*"));
    let refused = get(&server.url("/v1/network/stats?colour=red"));
    assert_eq!(refused.pointers(400), ["/colour"]);
    assert_eq!(refused.header("access-control-allow-origin").as_deref(), Some("*"));
    // an OPTIONS that is not a preflight is still a method the route does not take
    request("OPTIONS", &server.url("/v1/surveys"), None, &[], None).problem(405);
}

/// `HEAD` answers as `GET` would, without the content.
#[test]
fn head_answers_every_get_route_without_its_content() {
    let (_db, net, server) = network::served();
    let stats = request("HEAD", &server.url(&format!("/v1/sites/{}/stats", net.my_khe)), None, &[], None);
    assert_eq!((stats.status, stats.content_type.as_str(), stats.body.as_str()), (200, "application/json", ""));
    let categories = request("HEAD", &server.url("/v1/categories"), None, &[], None);
    assert_eq!(categories.header("etag"), get(&server.url("/v1/categories")).header("etag"));
    let report = request("HEAD", &server.url(&format!("/v1/cities/{}/report.csv", net.da_nang)), None, &[], None);
    assert_eq!((report.status, report.body.as_str()), (200, ""));
    assert!(report.header("content-disposition").unwrap().contains(".csv"));
    let missing = request("HEAD", &server.url("/v1/sites/999999"), None, &[], None);
    assert_eq!(
        (missing.status, missing.content_type.as_str(), missing.body.as_str()),
        (404, "application/problem+json", "")
    );
    let refused = request("HEAD", &server.url("/v1/network/stats?colour=red"), None, &[], None);
    assert_eq!((refused.status, refused.body.as_str()), (400, ""));
    // a HEAD answers as the GET of its URL would, also where only a POST is routed
    let batch = server.url("/v1/surveys/batch");
    assert_eq!(request("HEAD", &batch, Some(&net.trusted), &[], None).status, get_as(&batch, &net.trusted).status);
    assert_eq!(request("HEAD", &server.url("/v1/teams"), None, &[], None).status, 401);
}
