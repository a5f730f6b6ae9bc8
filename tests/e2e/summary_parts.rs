//! A busy month of a site is kept in parts of at most `PART_SURVEYS` surveys: appends fill
//! the last part and open new ones, reviews empty parts (part 0 stays while later parts hold
//! surveys, the group goes with its last survey), and after each step the summaries and the
//! statistics composed from kept parts equal a from-scratch computation.

use chrono::NaiveDate;
use serde_json::{json, Value};
use tideline_api::read::{scope_stats, PartCache};
use tideline_api::store::stats::{Scope, StatsFilter};
use tideline_api::store::summaries;
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{post_as, put_as};
use crate::network;
use crate::summaries::{assert_statistics_agree, assert_summaries_agree};

/// The parts of one site's month as stored: (part, surveys), in part order.
fn parts_of(db: &TestDb, site_id: i64, month: &str) -> Vec<(i32, i32)> {
    use diesel::prelude::*;
    use tideline_api::schema::site_month_surveys as s;
    let month = NaiveDate::parse_from_str(month, "%Y-%m-%d").unwrap();
    s::table
        .filter(s::site_id.eq(site_id))
        .filter(s::month.eq(month))
        .order(s::part)
        .select((s::part, s::surveys))
        .load(&mut db.connect())
        .unwrap()
}

#[test]
fn a_busy_month_is_kept_in_parts_that_appends_fill_and_reviews_empty() {
    let db = TestDb::new();
    let net = network::create(&db);
    let sites = [net.my_khe, net.cebu_site];
    let server = TestServer::start(db.pool());
    let parts = PartCache::new(64 << 20);
    let survey = |n: usize, day: usize| {
        json!({"protocol": "ospar", "date": format!("2025-03-{day:02}"), "length_m": 100, "site_id": net.my_khe,
            "client_id": format!("9a470000-0000-4000-8000-{n:012}"), "items": [{"code": "15", "count": 1 + n % 9}]})
    };
    let mut ids = Vec::new();
    let mut post = |from: usize, to: usize| {
        let records: Vec<Value> = (from..to).map(|n| survey(n, 1 + n % 28)).collect();
        let answer = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({"records": records}));
        assert_eq!(answer.status, 200, "{}", answer.body);
        for result in answer.json()["results"].as_array().unwrap() {
            assert_eq!((result["outcome"].as_str(), result["status"].as_str()), (Some("created"), Some("accepted")));
            ids.push(result["id"].as_i64().unwrap());
        }
    };
    assert_eq!(summaries::PART_SURVEYS, 128);
    post(0, 200);
    post(200, 300);
    assert_eq!(parts_of(&db, net.my_khe, "2025-03-01"), [(0, 128), (1, 128), (2, 44)]);
    assert_statistics_agree(&db, &net, &sites, &parts, "after 300 surveys in one month");
    // the last part is filled before a new one opens
    post(300, 400);
    assert_eq!(parts_of(&db, net.my_khe, "2025-03-01"), [(0, 128), (1, 128), (2, 128), (3, 16)]);
    assert_summaries_agree(&db, &net, &sites, &parts, "after 400 surveys in one month");
    assert_statistics_agree(&db, &net, &sites, &parts, "after 400 surveys in one month");
    // a survey leaves the part that holds it: the first posted (part 0), the last (part 3)
    for id in [ids[0], ids[399]] {
        let path = server.url(&format!("/v1/surveys/{id}/review"));
        let answer = post_as(&path, &net.coordinator_da_nang, &json!({"decision": "reject", "reason": "checked"}));
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    assert_eq!(parts_of(&db, net.my_khe, "2025-03-01"), [(0, 127), (1, 128), (2, 128), (3, 15)]);
    // a correction moves one of part 1 to another month
    let mut moved = survey(150, 3);
    moved["date"] = json!("2025-04-02");
    let answer = put_as(&server.url(&format!("/v1/surveys/{}", ids[150])), &net.trusted, &moved);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(parts_of(&db, net.my_khe, "2025-03-01"), [(0, 127), (1, 127), (2, 128), (3, 15)]);
    assert_eq!(parts_of(&db, net.my_khe, "2025-04-01"), [(0, 1)]);
    assert_summaries_agree(&db, &net, &sites, &parts, "after reviews and a correction");
    assert_statistics_agree(&db, &net, &sites, &parts, "after reviews and a correction");
    // a part emptied by reviews goes; part 0 stays, empty, while a later part holds surveys
    let reject = |id: i64| {
        let path = server.url(&format!("/v1/surveys/{id}/review"));
        let answer = post_as(&path, &net.coordinator_da_nang, &json!({"decision": "reject", "reason": "checked"}));
        assert_eq!(answer.status, 200, "{}", answer.body);
    };
    let mut june_ids = Vec::new();
    let post_june = |numbers: std::ops::Range<usize>| -> Vec<i64> {
        let records: Vec<Value> = numbers
            .map(|n| {
                let mut body = survey(n, 1);
                body["date"] = json!(format!("2025-06-{:02}", 1 + n % 28));
                body
            })
            .collect();
        let answer = post_as(&server.url("/v1/surveys/batch"), &net.trusted, &json!({"records": records})).json();
        answer["results"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
    };
    let june_parts = || parts_of(&db, net.my_khe, "2025-06-01");
    june_ids.extend(post_june(1_000..1_130));
    assert_eq!(june_parts(), [(0, 128), (1, 2)]);
    june_ids[128..].iter().for_each(|id| reject(*id));
    assert_eq!(june_parts(), [(0, 128)]);
    assert_statistics_agree(&db, &net, &sites, &parts, "after a part was emptied");
    june_ids.extend(post_june(1_130..1_133));
    assert_eq!(june_parts(), [(0, 128), (1, 3)]);
    june_ids[..128].iter().for_each(|id| reject(*id));
    assert_eq!(june_parts(), [(0, 0), (1, 3)]);
    assert_summaries_agree(&db, &net, &sites, &parts, "with part 0 empty");
    assert_statistics_agree(&db, &net, &sites, &parts, "with part 0 empty");
    june_ids[130..].iter().for_each(|id| reject(*id));
    assert_eq!(june_parts(), [], "the group is gone with its last survey");
    assert_statistics_agree(&db, &net, &sites, &parts, "after a month was emptied");
    // the statistics of the site read the 398 accepted surveys
    let (beach, _) = scope_stats(&mut db.connect(), &parts, &Scope::Site(net.my_khe), &StatsFilter::default()).unwrap();
    assert_eq!(beach.surveys, 398);
    let mut conn = db.connect();
    assert_eq!(summaries::disagreeing_rows(&mut conn).unwrap(), vec![]);
}
