//! Who sees which raw records, and the review workflow deciding what statistics count.

use serde_json::{json, Value};
use tideline_api::testing::TestServer;

use crate::client::{get_as, post_as};
use crate::ingest::{count, ospar_survey};
use crate::network;

#[test]
fn another_teams_records_are_invisible_and_researchers_see_only_accepted_ones() {
    let (_db, net, server) = network::served();
    let mine = post_as(
        &server.url("/v1/surveys"),
        &net.untrusted,
        &ospar_survey("5d1c3e9f-4a6b-4c8d-8e0f-3a4b5c6d7e81", net.my_khe),
    );
    assert_eq!(mine.status, 201);
    let id = mine.json()["id"].as_i64().unwrap();
    let path = server.url(&format!("/v1/surveys/{id}"));

    assert_eq!(get_as(&path, &net.untrusted).status, 200);
    get_as(&path, &net.cebu_team).problem(404);
    get_as(&path, &net.trusted).problem(404);
    get_as(&path, &net.coordinator_cebu).problem(404);
    assert_eq!(get_as(&path, &net.coordinator_da_nang).status, 200);
    get_as(&path, &net.researcher).problem(404);
    assert_eq!(get_as(&path, &net.admin).status, 200);

    let list = |token: &str| get_as(&server.url("/v1/surveys"), token).json()["records"].as_array().unwrap().len();
    assert_eq!((list(&net.untrusted), list(&net.cebu_team), list(&net.researcher)), (1, 0, 0));
    // A team cannot even learn that another team used a client_id: its own post is new.
    let same_id = post_as(
        &server.url("/v1/surveys"),
        &net.cebu_team,
        &ospar_survey("5d1c3e9f-4a6b-4c8d-8e0f-3a4b5c6d7e81", net.cebu_site),
    );
    assert_eq!(same_id.status, 201);
}

fn review(server: &TestServer, token: &str, id: i64, body: Value) -> crate::client::Reply {
    post_as(&server.url(&format!("/v1/surveys/{id}/review")), token, &body)
}

#[test]
fn untrusted_records_wait_for_their_citys_coordinator_and_count_only_when_accepted() {
    let (db, net, server) = network::served();
    let posted = post_as(
        &server.url("/v1/surveys"),
        &net.untrusted,
        &ospar_survey("6e2d4f0a-5b7c-4d9e-9f1a-4b5c6d7e8f91", net.my_khe),
    );
    let record = posted.json();
    assert_eq!(record["status"], "pending");
    let id = record["id"].as_i64().unwrap();
    let counted = || count(&db, "SELECT coalesce(sum(total_items), 0)::bigint AS n FROM site_month_rollups");
    assert_eq!(counted(), 0, "pending records are not in the statistics");

    review(&server, &net.coordinator_cebu, id, json!({"decision": "accept"})).problem(404);
    review(&server, &net.untrusted, id, json!({"decision": "accept"})).problem(404);
    assert_eq!(
        review(&server, &net.coordinator_da_nang, id, json!({"decision": "reject"})).pointers(422),
        vec!["/reason"]
    );
    review(&server, &net.coordinator_da_nang, id, json!({"decision": "maybe"})).problem(422);

    let accepted =
        review(&server, &net.coordinator_da_nang, id, json!({"decision": "accept", "reason": "photo checked"}));
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(accepted.json()["status"], "accepted");
    assert_eq!(counted(), 49);
    assert_eq!(get_as(&server.url(&format!("/v1/surveys/{id}")), &net.researcher).status, 200);

    let rejected = review(
        &server,
        &net.coordinator_da_nang,
        id,
        json!({"decision": "reject", "reason": "duplicate of a paper sheet"}),
    );
    assert_eq!(rejected.json()["status"], "rejected");
    assert_eq!(counted(), 0, "a rejected survey leaves the statistics");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM reviews"), 2);
    let pending = get_as(&server.url("/v1/surveys?status=pending"), &net.coordinator_da_nang).json();
    assert_eq!(pending["records"].as_array().unwrap().len(), 0);
    get_as(&server.url("/v1/surveys?status=lost"), &net.coordinator_da_nang).problem(400);
    get_as(&server.url("/v1/surveys?colour=red"), &net.coordinator_da_nang).problem(400);
}

#[test]
fn lists_are_keyset_paginated() {
    let (_db, net, server) = network::served();
    let records: Vec<Value> =
        (0..5).map(|i| ospar_survey(&format!("7f3e5a1b-6c8d-4e0f-8a2b-5c6d7e8f9a0{i}"), net.my_khe)).collect();
    post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({ "records": records }));
    let first = get_as(&server.url("/v1/surveys?limit=2"), &net.trusted).json();
    assert_eq!(first["records"].as_array().unwrap().len(), 2);
    let after = first["next_after"].as_i64().unwrap();
    let second = get_as(&server.url(&format!("/v1/surveys?limit=2&after={after}")), &net.trusted).json();
    assert!(second["records"][0]["id"].as_i64().unwrap() > after);
    let third =
        get_as(&server.url(&format!("/v1/surveys?limit=2&after={}", second["next_after"])), &net.trusted).json();
    assert_eq!(third["records"].as_array().unwrap().len(), 1);
    assert_eq!(third["next_after"], Value::Null);
}
