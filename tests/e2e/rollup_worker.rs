//! The rollup queue: a post's accepted surveys are queued in its transaction and added to the
//! rollups exactly once, by whoever takes the queue row first — a review or correction of one
//! of them, the worker of a server started after a crash, or the worker woken by the post —
//! and a statistics answer's `as_of` never claims surveys still queued.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};
use tideline_api::http::server::Settings;
use tideline_api::ingest::{self, Outcome};
use tideline_api::store::records::{Author, RecordKind};
use tideline_api::store::{reviews, teams};
use tideline_api::testing::{TestDb, TestServer};
use tideline_core::review::ReviewStatus;

use crate::client::{get, post_as};
use crate::ingest::{count, ospar_survey};
use crate::network;
use crate::rollups::{disagreements, settle};

const QUEUED: &str = "SELECT count(*) AS n FROM pending_rollups";
const ROLLED_UP: &str = "SELECT coalesce(sum(surveys), 0)::bigint AS n FROM site_month_rollups";

/// `n` surveys at `site` whose client ids start with `prefix` (two hex digits).
fn surveys(prefix: &str, n: usize, site: i64) -> Vec<Value> {
    (0..n).map(|k| ospar_survey(&format!("00000000-0000-4000-8000-0000{prefix}{k:06}"), site)).collect()
}

/// Stores `bodies` for `author` through the write path without taking the queue (as a server
/// that stopped before its worker ran); returns the new ids.
fn store_queued(conn: &mut PgConnection, author: &Author, bodies: &[Value]) -> Vec<i64> {
    let raws: Vec<_> = bodies.iter().map(|b| serde_json::value::to_raw_value(b).unwrap()).collect();
    let today = ingest::latest_local_date();
    let outcomes = conn.transaction(|c| ingest::survey_batch(c, author, &raws, today)).unwrap();
    outcomes
        .into_iter()
        .map(|o| match o {
            Outcome::Created(brief) => brief.id,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn queued_surveys_are_added_once_by_whoever_takes_them_first() {
    let db = TestDb::new();
    let net = network::create(&db);
    let mut conn = db.connect();
    let team = teams::find_team_by_name(&mut conn, "Green Da Nang").unwrap().unwrap();
    let author = Author { team_id: team.id, team_city_id: team.city_id, trusted: team.trusted };

    let first = store_queued(&mut conn, &author, &surveys("a1", 6, net.my_khe));
    assert_eq!((count(&db, QUEUED), count(&db, ROLLED_UP)), (1, 0), "stored and queued, not yet rolled up");
    assert!(disagreements(&db) > 0, "the check sees the queued surveys missing");
    // a review rejecting one of them takes the queue row first: the five others stay in
    let token = count(&db, "SELECT min(id) AS n FROM api_tokens");
    conn.transaction(|c| {
        let state = reviews::lock(c, RecordKind::Survey, first[0])?.unwrap();
        reviews::decide(c, RecordKind::Survey, first[0], &state, ReviewStatus::Rejected, "checked", token)
    })
    .unwrap();
    assert_eq!((count(&db, QUEUED), count(&db, ROLLED_UP)), (0, 5));
    assert_eq!(disagreements(&db), 0, "after a review of a queued survey");

    // a correction of a queued survey to another month takes its row first
    let second_bodies = surveys("a2", 4, net.my_khe);
    let second = store_queued(&mut conn, &author, &second_bodies);
    let mut corrected = second_bodies[0].clone();
    corrected["date"] = json!("2025-11-02");
    corrected["items"][0]["count"] = json!(99);
    let today = ingest::latest_local_date();
    let correction = ingest::correct_survey(&mut conn, &author, second[0], &corrected, today).unwrap();
    assert!(matches!(correction, ingest::Correction::Corrected(_)));
    assert_eq!((count(&db, QUEUED), count(&db, ROLLED_UP)), (0, 9));
    assert_eq!(disagreements(&db), 0, "after a correction of a queued survey");

    // rows left queued (a crash): the worker of the next server adds them
    store_queued(&mut conn, &author, &surveys("a3", 3, net.my_khe));
    store_queued(&mut conn, &author, &surveys("a4", 2, net.my_khe));
    assert_eq!(count(&db, QUEUED), 2);
    let _server = TestServer::start_with(db.pool(), Settings { rollups_before_answer: false, ..Settings::default() });
    settle(&db);
    assert_eq!(count(&db, ROLLED_UP), 14);
    assert_eq!(disagreements(&db), 0, "after the worker took the rows a crash left");
}

#[test]
fn a_post_answers_before_its_rollups_and_as_of_never_claims_them_early() {
    let db = TestDb::new();
    let net = network::create(&db);
    let settings =
        Settings { rollups_before_answer: false, stats_cache_ttl: std::time::Duration::ZERO, ..Settings::default() };
    let server = TestServer::start_with(db.pool(), settings);
    let stats = || get(&server.url(&format!("/v1/sites/{}/stats", net.my_khe))).json();
    for round in 0..5 {
        let records = surveys(&format!("b{round}"), 40, net.my_khe);
        let answer = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({ "records": records }));
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["created"], 40);
        let answered = Utc::now();
        let read = stats();
        let as_of: DateTime<Utc> = read["as_of"].as_str().unwrap().parse().unwrap();
        let counted = read["beach_litter"]["surveys"].as_i64().unwrap();
        let expected = 40 * (round + 1);
        assert!(
            counted == expected || (counted == expected - 40 && as_of <= answered),
            "round {round}: {counted} surveys as of {as_of}, the batch answered at {answered}"
        );
        settle(&db);
        let read = stats();
        assert_eq!(read["beach_litter"]["surveys"].as_i64(), Some(expected));
        let as_of: DateTime<Utc> = read["as_of"].as_str().unwrap().parse().unwrap();
        assert!(as_of >= answered, "with nothing queued, as_of is the time of the read");
    }
    assert_eq!(disagreements(&db), 0);
}
