//! `tideline renormalise`: surveys stored under an older mapping version are normalised again
//! from their raw payloads; totals and rollups follow, and a re-run finds nothing to do.

use serde_json::json;
use tideline_api::renormalise;
use tideline_api::testing::TestDb;

use crate::client::post_as;
use crate::ingest::count;
use crate::network;

/// The monthly rollups equal a recomputation from the per-survey totals of accepted surveys.
fn assert_rollups_agree(db: &TestDb) {
    let disagreeing = count(
        db,
        "SELECT count(*) AS n FROM (\
           SELECT city_id, site_id, date_trunc('month', survey_date)::date AS month, survey_kind, protocol, \
                  count(*) AS surveys, sum(total_items) AS total_items, sum(plastic_items) AS plastic_items \
           FROM survey_totals WHERE status = 'accepted' AND site_id IS NOT NULL \
           GROUP BY 1, 2, 3, 4, 5) fresh \
         FULL JOIN (SELECT * FROM site_month_rollups WHERE surveys <> 0) kept \
           USING (city_id, site_id, month, survey_kind, protocol) \
         WHERE fresh.surveys IS DISTINCT FROM kept.surveys::bigint \
            OR fresh.total_items IS DISTINCT FROM kept.total_items::numeric \
            OR fresh.plastic_items IS DISTINCT FROM kept.plastic_items::numeric",
    );
    assert_eq!(disagreeing, 0, "rollups disagree with the per-survey totals");
}

#[test]
fn stale_surveys_are_renormalised_from_their_payloads_with_rollups_moved() {
    let (db, net, server) = network::served();
    let survey = json!({"client_id": "55555555-0000-4000-8000-000000000001", "protocol": "mlw", "site_id": net.my_khe,
                        "date": "2026-03-15", "kind": "monitoring", "length_m": 100,
                        "items": [{"code": "G95", "count": 5}, {"code": "G1", "count": 3}, {"code": "G152", "count": 2}]});
    let stored = post_as(&server.url("/v1/surveys"), &net.trusted, &survey);
    assert_eq!(stored.status, 201, "{}", stored.body);
    // cotton buds G95 are plastic (Master List): 5 + 3
    assert_eq!(count(&db, "SELECT plastic_items AS n FROM survey_totals"), 8);
    assert_rollups_agree(&db);

    // the survey as categories v1 stored it: cotton buds under a "sanitary" material
    let mut conn = db.connect();
    for sql in [
        "UPDATE surveys SET mapping_version = 'mlw@1+categories@1'",
        "UPDATE survey_totals SET plastic_items = 3, materials = '{\"artificial_polymer\": 3, \"sanitary\": 5, \"paper_cardboard\": 2}'",
        "UPDATE site_month_rollups SET plastic_items = 3",
    ] {
        diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn).unwrap();
    }
    let report = renormalise::run(&mut conn, |_| ()).unwrap();
    assert_eq!((report.renormalised, report.failed.len()), (1, 0));
    assert_eq!(count(&db, "SELECT plastic_items AS n FROM survey_totals"), 8);
    assert_eq!(count(&db, "SELECT plastic_items AS n FROM site_month_rollups"), 8);
    assert_eq!(
        count(&db, "SELECT (materials->>'artificial_polymer')::bigint AS n FROM survey_totals"),
        8,
        "materials by the Master List"
    );
    let current = tideline_core::protocol::Protocol::Mlw.mapping_version();
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM surveys WHERE mapping_version = '{current}'")), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM survey_items"), 3);
    assert_rollups_agree(&db);
    assert_eq!(renormalise::run(&mut conn, |_| ()).unwrap(), renormalise::Report::default(), "nothing left to do");
}
