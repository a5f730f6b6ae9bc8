//! Every kind of error is RFC 9457 problem+json with the right status.

use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, send};

#[test]
fn unknown_route_is_404_problem() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let problem = get(&server.url("/no/such/route")).problem(404);
    assert!(problem["detail"].as_str().unwrap().contains("/no/such/route"));
}

#[test]
fn wrong_method_on_a_known_route_is_405_problem() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let problem = send("DELETE", &server.url("/health"), "application/json", "").problem(405);
    assert!(problem["detail"].as_str().unwrap().contains("DELETE"));
}

#[test]
fn openapi_and_docs_are_served() {
    let db = TestDb::new();
    let server = TestServer::start(db.pool());
    let spec = get(&server.url("/openapi.json"));
    assert_eq!(spec.status, 200);
    assert_eq!(spec.json()["info"]["title"], "Tideline");
    let docs = get(&server.url("/docs/"));
    assert_eq!(docs.status, 200);
    assert!(docs.body.contains("swagger-ui"), "Swagger UI page");
}
