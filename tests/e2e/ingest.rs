//! Posting surveys over HTTP: normalised answers, idempotent retries, every error named and
//! nothing stored for a rejected record.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::{json, Value};
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{post_as, request, send};
use crate::network;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn count(db: &TestDb, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(&mut db.connect()).unwrap().n
}

pub fn ospar_survey(client_id: &str, site_id: i64) -> Value {
    json!({
        "client_id": client_id,
        "protocol": "ospar",
        "site_id": site_id,
        "date": "2026-03-15",
        "items": [{"code": "15", "count": 12}, {"code": "Plastic: Drinks [4]", "count": 7},
                  {"code": "64", "count": 30}, {"code": "108", "count": 2}]
    })
}

#[test]
fn a_survey_is_stored_normalised_and_a_retry_returns_the_same_record() {
    let (db, net, server) = network::served();
    let body = ospar_survey("1d7f5c0e-8f3b-4a57-b7c4-2f1e9a0c6d21", net.my_khe);

    let created = post_as(&server.url("/v1/surveys"), &net.trusted, &body);
    assert_eq!(created.status, 201, "{}", created.body);
    let record = created.json();
    assert_eq!(created.header("location"), Some(format!("/v1/surveys/{}", record["id"])));
    assert_eq!(record["status"], "accepted", "trusted team, no flags");
    assert_eq!(record["city_id"], net.da_nang);
    assert_eq!(record["mapping_version"], tideline_core::protocol::Protocol::Ospar.mapping_version());
    // 12 caps + 7 bottles + 30 cigarette butts; wax (108) is not counted
    assert_eq!(record["summary"]["total_items"], 49);
    assert_eq!(record["summary"]["items_per_100m"], 49.0);
    assert_eq!(record["summary"]["sup_items"], 49);
    assert_eq!(record["items"].as_array().unwrap().len(), 4);

    let retry = post_as(&server.url("/v1/surveys"), &net.trusted, &body);
    assert_eq!(retry.status, 200);
    assert_eq!(retry.header("tideline-outcome").as_deref(), Some("duplicate"));
    assert_eq!(retry.json()["id"], record["id"]);

    let mut changed = body.clone();
    changed["items"][0]["count"] = json!(13);
    let conflict = post_as(&server.url("/v1/surveys"), &net.trusted, &changed).problem(409);
    assert!(conflict["detail"].as_str().unwrap().contains("client_id"));

    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM submissions"), 1);
    assert_eq!(count(&db, "SELECT sum(surveys)::bigint AS n FROM site_month_rollups"), 1);
}

#[test]
fn every_bad_field_is_named_and_nothing_is_stored() {
    let (db, net, server) = network::served();
    let url = server.url("/v1/surveys");
    let bad = json!({
        "client_id": "nope", "protocol": "ospar", "site_id": net.my_khe, "date": "2099-01-01",
        "length_m": -5, "location": {"lat": 95, "lon": 10}, "extra": true,
        "items": [{"code": "15", "count": -1}, {"code": "15", "count": 1.5}, {"code": "Plastic: UFO [999]", "count": 1}]
    });
    let pointers = post_as(&url, &net.trusted, &bad).pointers(422);
    assert_eq!(
        pointers,
        vec![
            "/client_id",
            "/location/lat",
            "/date",
            "/length_m",
            "/items/0/count",
            "/items/1/count",
            "/items/1/code",
            "/items/2/code",
            "/extra"
        ],
    );
    let mut nowhere = ospar_survey("1d7f5c0e-8f3b-4a57-b7c4-2f1e9a0c6d23", 999_999);
    nowhere["site_id"] = json!(999_999);
    assert_eq!(post_as(&url, &net.trusted, &nowhere).pointers(422), vec!["/site_id"]);

    let token = Some(net.trusted.as_str());
    request("POST", &url, token, &[], Some(("application/json", "{\"client_id\": ".into()))).problem(400);
    request("POST", &url, token, &[], Some(("application/json", "{\"length_m\": NaN}".into()))).problem(400);
    request("POST", &url, token, &[], Some(("text/plain", "hello".into()))).problem(415);
    let huge = format!("{{\"items\": [{}]}}", vec!["{\"code\":\"15\",\"count\":1}"; 800_000].join(","));
    request("POST", &url, token, &[], Some(("application/json", huge))).problem(413);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM submissions"), 0);
    send("POST", &url, "application/json", "{}").problem(401);
}

#[test]
fn a_batch_stores_the_valid_records_and_a_retry_stores_nothing_twice() {
    let (db, net, server) = network::served();
    let url = server.url("/v1/surveys/batch");
    let mut records: Vec<Value> =
        (0..5).map(|i| ospar_survey(&format!("2c8e4d1a-0b7f-4e3a-9d6c-5a4b3c2d1e0{i}"), net.my_khe)).collect();
    records[3]["items"][0]["count"] = json!(-4);
    let body = json!({ "records": records });

    let first = post_as(&url, &net.trusted, &body);
    assert_eq!(first.status, 200, "{}", first.body);
    let answer = first.json();
    assert_eq!((answer["created"].as_u64(), answer["rejected"].as_u64()), (Some(4), Some(1)));
    assert_eq!(answer["results"][3]["outcome"], "rejected");
    assert_eq!(answer["results"][3]["errors"][0]["pointer"], "/records/3/items/0/count");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 4);

    let retry = post_as(&url, &net.trusted, &body).json();
    assert_eq!((retry["created"].as_u64(), retry["duplicates"].as_u64()), (Some(0), Some(4)));
    assert_eq!(retry["results"][0]["id"], answer["results"][0]["id"]);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 4);

    // With an Idempotency-Key the stored answer is replayed as it was.
    let token = Some(net.trusted.as_str());
    let keyed = |b: &Value| {
        request("POST", &url, token, &[("idempotency-key", "sync-42")], Some(("application/json", b.to_string())))
    };
    let mut fresh = body.clone();
    fresh["records"][3]["items"][0]["count"] = json!(4);
    let stored = keyed(&fresh);
    assert_eq!(stored.json()["created"], 1, "{}", stored.body);
    let replayed = keyed(&fresh);
    assert_eq!(replayed.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(replayed.json(), stored.json());
    keyed(&body).problem(422);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 5);

    let too_many = json!({ "records": vec![json!({}); 1001] });
    assert_eq!(post_as(&url, &net.trusted, &too_many).pointers(422), vec!["/records"]);
}

/// A batch of 600 is read, checked and written in chunks (50, 200, then the rest): every
/// record's outcome must stay at its own index, every stored survey must be the one its client
/// id posted, and a record repeating one of an earlier chunk is answered as that one was.
#[test]
fn a_large_batch_keeps_every_outcome_at_its_own_record() {
    let (db, net, server) = network::served();
    let client_id = |i: usize| format!("6d1e3f5a-7b9c-4d2e-8f0a-{i:012}");
    let records: Vec<Value> = (0..600)
        .map(|i| {
            let mut record = ospar_survey(&client_id(i), net.my_khe);
            record["items"][0]["count"] = json!(if i % 7 == 3 { -1 } else { i as i64 + 1 });
            record
        })
        .collect();
    let mut body = json!({ "records": records });
    body["records"][420] = body["records"][18].clone(); // a repeat of an earlier record
    body["records"][520] = body["records"][19].clone(); // the same client id, another body
    body["records"][520]["items"][0]["count"] = json!(7);
    body["records"][561] = body["records"][3].clone(); // a repeat of a refused record
    let copies = [420, 520, 561];
    let answer = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &body).json();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 600);
    let rejected = (0..600).filter(|i| i % 7 == 3).count();
    assert_eq!(answer["rejected"].as_u64(), Some(rejected as u64 + 2));
    assert_eq!(answer["created"].as_u64(), Some((600 - rejected - copies.len()) as u64));
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result["index"], i);
        let expected = match i {
            420 => "duplicate",
            520 => "conflict",
            _ if i % 7 == 3 || i == 561 => "rejected",
            _ => "created",
        };
        assert_eq!(result["outcome"], expected, "record {i}");
        if expected == "rejected" {
            assert_eq!(result["errors"][0]["pointer"], format!("/records/{i}/items/0/count"));
        }
    }
    assert_eq!(results[420]["id"], results[18]["id"]);
    for i in (0..600).filter(|i| i % 7 != 3 && !copies.contains(i)).step_by(37) {
        let id = results[i]["id"].as_i64().unwrap();
        let stored = count(
            &db,
            &format!(
                "SELECT sum(i.count)::bigint AS n FROM survey_items i JOIN surveys s ON s.id = i.survey_id \
                 JOIN submissions b ON b.id = s.submission_id WHERE s.id = {id} AND b.client_id = '{}' \
                 AND i.source_code = '15'",
                client_id(i)
            ),
        );
        assert_eq!(stored, i as i64 + 1, "record {i} stored as survey {id}");
    }
}

#[test]
fn tokens_are_required_valid_and_rate_limited() {
    let db = TestDb::new();
    let net = network::create(&db);
    let server = TestServer::start_with(
        db.pool(),
        tideline_api::http::server::Settings { rate_limit_per_minute: 3, ..Default::default() },
    );
    let url = server.url("/v1/surveys");
    let body = ospar_survey("4c0b2d8e-3f5a-4b7c-9d1e-2f3a4b5c6d71", net.my_khe);
    assert!(post_as(&url, "tl_not-a-token", &body).problem(401)["detail"].as_str().unwrap().contains("unknown"));
    let unauthenticated = send("POST", &url, "application/json", &body.to_string());
    unauthenticated.problem(401);
    assert!(unauthenticated.header("www-authenticate").unwrap().starts_with("Bearer"));
    post_as(&url, &net.researcher, &body).problem(403);

    {
        let mut conn = db.connect();
        let grant = tideline_api::store::tokens::grant(&mut conn, &net.untrusted).unwrap().unwrap();
        tideline_api::store::tokens::revoke(&mut conn, grant.token_id).unwrap();
    }
    post_as(&url, &net.untrusted, &body).problem(401);
    let expired = {
        let mut conn = db.connect();
        let team = tideline_api::store::teams::find_team_by_name(&mut conn, "Green Da Nang").unwrap().unwrap();
        let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
        tideline_api::store::tokens::create(
            &mut conn,
            "volunteer".parse().unwrap(),
            Some(team.id),
            None,
            "old",
            Some(yesterday),
        )
        .unwrap()
        .1
    };
    let problem = post_as(&url, &expired, &body).problem(401);
    assert!(problem["detail"].as_str().unwrap().contains("expired"));

    assert_eq!(post_as(&url, &net.trusted, &body).status, 201);
    assert_eq!(post_as(&url, &net.trusted, &body).status, 200);
    assert_eq!(post_as(&url, &net.trusted, &body).status, 200);
    let limited = post_as(&url, &net.trusted, &body);
    limited.problem(429);
    assert!(limited.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
}

#[test]
fn a_client_id_repeated_inside_one_batch_is_stored_once() {
    let (db, net, server) = network::served();
    let record = ospar_survey("0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a51", net.my_khe);
    let mut changed = record.clone();
    changed["items"][0]["count"] = json!(99);
    let answer =
        post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({"records": [record, record, changed]})).json();
    let outcomes: Vec<&str> =
        answer["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, vec!["created", "duplicate", "conflict"]);
    assert_eq!(answer["results"][1]["id"], answer["results"][0]["id"]);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 1);
    assert_eq!(count(&db, "SELECT sum(total_items)::bigint AS n FROM site_month_rollups"), 49);
}
