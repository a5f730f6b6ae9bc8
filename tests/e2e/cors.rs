//! Browser apps of other origins: a preflight is answered with what the API takes, and every
//! answer (errors included) can be read by the page that asked.

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
