//! Races of one team's posts: one client id posted to two cities at once, and batches sharing
//! client ids posted at once, in the same and in opposite orders. Each record is stored once.

use serde_json::{json, Value};

use crate::client::post_as;
use crate::hardening::{survey, unlimited};
use crate::ingest::count;
use crate::network;

#[test]
fn one_client_id_is_one_record_even_when_raced_to_two_cities() {
    let (db, net, server) = network::served_with(unlimited());
    for round in 0..8 {
        let client_id = format!("11111111-2222-4333-8444-{round:012}");
        let in_da_nang = survey(&client_id, net.my_khe);
        let in_cebu = survey(&client_id, net.cebu_site);
        let (single, batch) = std::thread::scope(|scope| {
            let single = scope.spawn(|| post_as(&server.url("/v1/surveys"), &net.trusted, &in_da_nang));
            let batch = scope.spawn(|| {
                post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({"records": [in_cebu.clone()]}))
            });
            (single.join().unwrap(), batch.join().unwrap())
        });
        let stored = count(&db, &format!("SELECT count(*) AS n FROM submissions WHERE client_id = '{client_id}'"));
        assert_eq!(stored, 1, "round {round}: one record for one client id");
        let batch_outcome = batch.json()["results"][0]["outcome"].as_str().unwrap().to_string();
        let winner = match (single.status, batch_outcome.as_str()) {
            (201, "conflict") => &in_da_nang,
            (409, "created") => &in_cebu,
            other => panic!("round {round}: one is created, the other a conflict: {other:?}"),
        };
        // the acknowledged body, retried, is its duplicate — never a 409
        let retry = post_as(&server.url("/v1/surveys"), &net.trusted, winner);
        assert_eq!(retry.status, 200, "round {round}: {}", retry.body);
    }
}

/// Two large batches of one team posted at once, sharing 100 client ids in their later chunks:
/// each record is stored once, and the shared ones are created by one batch and duplicates in
/// the other (the later claim waits for the first, and the losing batch is stored again).
#[test]
fn overlapping_batches_raced_store_each_record_once() {
    let (db, net, server) = network::served_with(unlimited());
    let batch = |ids: std::ops::Range<usize>| {
        let records: Vec<Value> =
            ids.map(|i| survey(&format!("22222222-3333-4444-8555-{i:012}"), net.my_khe)).collect();
        json!({ "records": records })
    };
    let (first, second) = (batch(0..300), batch(200..500));
    let (url, token) = (&server.url("/v1/surveys/batch"), &net.trusted);
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let posts = [&first, &second].map(|body| scope.spawn(move || post_as(url, token, body).json()));
        posts.map(|post| post.join().unwrap()).to_vec()
    });
    let tally = |key: &str| answers.iter().map(|a| a[key].as_u64().unwrap()).sum::<u64>();
    assert_eq!((tally("created"), tally("duplicates"), tally("rejected")), (500, 100, 0), "{answers:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 500);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM client_ids"), 500);
}

/// The same 300 records posted at once in opposite orders: each batch's chunks claim client ids
/// the other holds, so PostgreSQL may find a deadlock and abort one of them. The aborted batch
/// is stored again (never a 500), and each record is stored once.
#[test]
fn batches_claiming_in_opposite_orders_store_each_record_once() {
    let (db, net, server) = network::served_with(unlimited());
    let batch = |ids: Vec<usize>| {
        let records: Vec<Value> =
            ids.into_iter().map(|i| survey(&format!("22222222-3333-4444-8666-{i:012}"), net.my_khe)).collect();
        json!({ "records": records })
    };
    let (first, second) = (batch((0..300).collect()), batch((0..300).rev().collect()));
    let (url, token) = (&server.url("/v1/surveys/batch"), &net.trusted);
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let posts = [&first, &second].map(|body| scope.spawn(move || post_as(url, token, body).json()));
        posts.map(|post| post.join().unwrap()).to_vec()
    });
    let statuses: Vec<&Value> = answers.iter().map(|a| a.get("status").unwrap_or(&a["created"])).collect();
    let tally = |key: &str| answers.iter().map(|a| a[key].as_u64().unwrap_or(0)).sum::<u64>();
    assert_eq!((tally("created"), tally("duplicates"), tally("rejected")), (300, 300, 0), "{statuses:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 300);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM client_ids"), 300);
}
