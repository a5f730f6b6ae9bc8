//! The rollups kept on write agree with rollups recomputed from scratch from the stored
//! totals and items, after every kind of write: a batch import, single posts, reviews that
//! accept and reject, and corrections.

use serde_json::json;
use tideline_api::import::{load_site_file, Format};
use tideline_api::store::teams;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{post_as, put_as};
use crate::ingest::{count, ospar_survey};
use crate::network;

/// Rows of the kept rollups that differ from a recomputation (rows summing to zero — recorded
/// zeros, or surveys that entered and left — are no difference).
fn disagreements(db: &TestDb) -> i64 {
    let totals = "SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date AS month, t.survey_kind, \
                  t.protocol, count(*)::int AS surveys, sum(t.total_items)::bigint AS total_items, \
                  sum(t.plastic_items)::bigint AS plastic_items, sum(t.sup_items)::bigint AS sup_items, \
                  sum(t.fishing_items)::bigint AS fishing_items, round(sum(coalesce(t.length_m, 0))::numeric, 6) AS length_m \
                  FROM survey_totals t WHERE t.status = 'accepted' AND t.site_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5";
    let kept =
        "SELECT city_id, site_id, month, survey_kind, protocol, surveys, total_items, plastic_items, sup_items, \
                fishing_items, round(length_m::numeric, 6) FROM site_month_rollups WHERE surveys <> 0";
    let categories =
        "SELECT t.city_id, t.site_id, date_trunc('month', t.survey_date)::date, t.survey_kind, t.protocol, \
                      i.category_code, sum(i.count)::bigint FROM survey_totals t JOIN survey_items i \
                      ON i.city_id = t.city_id AND i.survey_id = t.survey_id \
                      WHERE t.status = 'accepted' AND t.site_id IS NOT NULL AND i.counted GROUP BY 1, 2, 3, 4, 5, 6 \
                      HAVING sum(i.count) <> 0";
    let kept_categories = "SELECT city_id, site_id, month, survey_kind, protocol, category_code, count \
                           FROM site_month_category_rollups WHERE count <> 0";
    count(
        db,
        &format!(
            "SELECT ((SELECT count(*) FROM (({totals}) EXCEPT ({kept})) a) + (SELECT count(*) FROM (({kept}) EXCEPT ({totals})) b) \
             + (SELECT count(*) FROM (({categories}) EXCEPT ({kept_categories})) c) \
             + (SELECT count(*) FROM (({kept_categories}) EXCEPT ({categories})) d))::bigint AS n"
        ),
    )
}

#[test]
fn rollups_kept_on_write_equal_rollups_recomputed_from_the_items() {
    let db = TestDb::new();
    let net = network::create(&db);
    let mut conn = db.connect();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let sites = load_site_file(&mut conn, &root.join("fixtures/network/ospar-nl-sites.csv")).unwrap();
    let rws = teams::find_team_by_name(&mut conn, "Green Da Nang").unwrap().unwrap();
    let data = root.join("fixtures/external/ospar-nl-2012-2017/beach-litter-nl-2012-2017.csv");
    let report = crate::import::run(&mut conn, Format::OsparCsv, &data, &rws, &sites, false);
    assert_eq!(report.created, 95);
    assert!(count(&db, "SELECT count(*) AS n FROM site_month_rollups") > 0);
    assert_eq!(disagreements(&db), 0, "after a batch import");

    let server = TestServer::start(db.pool());
    let mut ids = Vec::new();
    for (n, token) in [&net.trusted, &net.untrusted, &net.trusted, &net.untrusted].into_iter().enumerate() {
        let body = ospar_survey(&format!("00000000-0000-4000-8000-00000000010{n}"), net.my_khe);
        let posted = post_as(&server.url("/v1/surveys"), token, &body);
        assert_eq!(posted.status, 201, "{}", posted.body);
        ids.push((posted.json()["id"].as_i64().unwrap(), body));
    }
    assert_eq!(disagreements(&db), 0, "after single posts");
    let review = |id: i64, decision: &str| {
        let path = server.url(&format!("/v1/surveys/{id}/review"));
        let answer = post_as(&path, &net.coordinator_da_nang, &json!({"decision": decision, "reason": "checked"}));
        assert_eq!(answer.status, 200, "{}", answer.body);
    };
    review(ids[1].0, "accept");
    review(ids[0].0, "reject");
    assert_eq!(disagreements(&db), 0, "after reviews");
    let mut corrected = ids[2].1.clone();
    corrected["items"][0]["count"] = json!(99);
    corrected["date"] = json!("2026-01-20");
    assert_eq!(put_as(&server.url(&format!("/v1/surveys/{}", ids[2].0)), &net.trusted, &corrected).status, 200);
    assert_eq!(disagreements(&db), 0, "after a correction that moves the survey to another month");
    let mut doubtful = corrected.clone();
    doubtful["items"][1]["count"] = json!(20_000);
    assert_eq!(put_as(&server.url(&format!("/v1/surveys/{}", ids[2].0)), &net.trusted, &doubtful).status, 200);
    assert_eq!(disagreements(&db), 0, "after a correction that leaves the rollups for review");
    // the check itself sees a difference when there is one
    count(&db, "WITH u AS (UPDATE site_month_rollups SET total_items = total_items + 1 RETURNING 1) SELECT count(*) AS n FROM u");
    assert!(disagreements(&db) > 0);
}
