//! A city's trend is the regional Kendall test over its sites: the same S whatever order the
//! surveys were stored in, and S equal to the sum of the per-site S.

use serde_json::{json, Value};
use tideline_api::testing::{TestDb, TestServer};

use crate::client::{get, post_as};
use crate::network;

/// Two sites of Da Nang surveyed on the same 10 dates, two surveys a day at the first site.
fn surveys(site_a: i64, site_b: i64) -> Vec<Value> {
    let mut records = Vec::new();
    for month in 1..=10u32 {
        let date = format!("2025-{month:02}-15");
        // values chosen so that same-date pairs would add ±1 to a pooled, row-ordered S
        for (n, (site, count)) in
            [(site_a, 40 + month * 3), (site_a, 55 - month), (site_b, 90 - month * 4)].into_iter().enumerate()
        {
            records.push(json!({
                "client_id": format!("44444444-0000-4000-8000-{month:06}{n:06}"), "protocol": "mlw",
                "site_id": site, "date": date, "kind": "monitoring", "length_m": 100,
                "items": [{"code": "G1", "count": count}],
            }));
        }
    }
    records
}

fn city_trend(reverse: bool) -> Value {
    let db = TestDb::new();
    let net = network::create(&db);
    let site_b = network::beach(&mut db.connect(), net.da_nang, "VN-DN-002", (16.0, 108.26));
    let server = TestServer::start(db.pool());
    let mut records = surveys(net.my_khe, site_b);
    if reverse {
        records.reverse();
    }
    for record in &records {
        assert_eq!(post_as(&server.url("/v1/surveys"), &net.trusted, record).status, 201);
    }
    get(&server.url(&format!("/v1/cities/{}/stats", net.da_nang))).json()["beach_litter"]["trend"].clone()
}

#[test]
fn a_city_trend_is_regional_and_does_not_depend_on_insertion_order() {
    let forward = city_trend(false);
    let backward = city_trend(true);
    assert_eq!(forward["method"], "regional_kendall");
    assert_eq!(forward, backward, "the same trend whatever the order the surveys were stored in");
    let sites = forward["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    let sum: i64 = sites.iter().map(|s| s["mann_kendall"]["s"].as_i64().unwrap()).sum();
    assert_eq!(forward["mann_kendall"]["s"].as_i64().unwrap(), sum);
    // site B: 10 dates, strictly decreasing → S = −45
    assert!(sites.iter().any(|s| s["mann_kendall"]["s"] == -45), "{sites:?}");
    // site A: two surveys a day; pairs on one date add nothing
    let a = sites.iter().find(|s| s["mann_kendall"]["s"] != -45).unwrap();
    assert_eq!(a["n"], 20);
    assert_eq!(a["mann_kendall"]["s"], kendall_s_site_a());
}

/// S of site A by brute force over pairs on different dates (the definition, independent of
/// the implementation under test).
fn kendall_s_site_a() -> i64 {
    let points: Vec<(u32, u32)> = (1..=10u32).flat_map(|m| [(m, 40 + m * 3), (m, 55 - m)]).collect();
    let mut s = 0i64;
    for (i, (ti, yi)) in points.iter().enumerate() {
        for (tj, yj) in &points[i + 1..] {
            if tj != ti {
                s += i64::from((tj > ti) as i8 * 2 - 1) * (yj.cmp(yi) as i64);
            }
        }
    }
    s
}
