//! The maintained per-site summaries (`site_month_surveys`) equal a from-scratch computation
//! from the stored totals after a seeded random run of batch and single posts, reviews that
//! accept and reject, and corrections that move surveys between sites, months, kinds and
//! protocols — for every scope and for filters cutting months in two; and the statistics
//! composed from the sites' parts kept in memory across those writes equal a from-scratch
//! computation each time.

use chrono::NaiveDate;
use serde_json::{json, Value};
use tideline_api::read::{city_with_sites, scope_stats, PartCache};
use tideline_api::store::stats::{self, Scope, StatsFilter};
use tideline_api::store::summaries;
use tideline_api::testing::{TestDb, TestServer};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::{beach_litter, Basis};
use tideline_core::survey::SurveyKind;

use crate::client::{post_as, put_as};
use crate::ingest::count;
use crate::network::{self, Network};
use crate::random_surveys::{random_survey, Rng};

/// A posted survey: its id, the body last sent, and who may correct and review it.
struct Posted {
    id: i64,
    body: Value,
    team: String,
    coordinator: String,
}

/// Every scope the checks read.
fn scopes(net: &Network, sites: &[i64]) -> Vec<Scope> {
    let mut scopes = vec![Scope::Network, Scope::Country("VN".into()), Scope::City(net.da_nang), Scope::City(net.cebu)];
    scopes.extend(sites.iter().map(|s| Scope::Site(*s)));
    scopes
}

/// Every filter the checks read: periods cutting months, whole months, kinds, protocols.
fn filters() -> Vec<StatsFilter> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    vec![
        StatsFilter::default(),
        StatsFilter { from: date("2024-03-17"), to: date("2025-08-09"), ..Default::default() },
        StatsFilter { from: date("2025-01-01"), to: date("2025-12-31"), ..Default::default() },
        StatsFilter { kind: Some(SurveyKind::Cleanup), ..Default::default() },
        StatsFilter { protocol: Some(Protocol::Mlw), to: date("2025-05-20"), ..Default::default() },
        StatsFilter { from: date("2025-02-11"), to: date("2025-02-26"), ..Default::default() },
        StatsFilter { from: date("2024-12-31"), ..Default::default() },
        StatsFilter { to: date("2031-12-31"), basis: Basis::Weight, ..Default::default() },
    ]
}

/// Every scope and filter agree: the points read from the summaries equal those recomputed
/// from the totals, and so do the statistics.
pub fn assert_summaries_agree(db: &TestDb, net: &Network, sites: &[i64], parts: &PartCache, when: &str) {
    let mut conn = db.connect();
    let filters = filters();
    for scope in &scopes(net, sites) {
        for filter in &filters {
            let kept = stats::survey_points(&mut conn, scope, filter).unwrap();
            let recomputed = stats::survey_points_recomputed(&mut conn, scope, filter).unwrap();
            assert_eq!(kept, recomputed, "{when}: {scope:?} {filter:?}");
            // category counts: rollups for whole months, item rows for the cut ones
            let counted = stats::category_counts(&mut conn, scope, filter).unwrap();
            let from_items = stats::category_counts_recomputed(&mut conn, scope, filter).unwrap();
            assert_eq!(counted, from_items, "{when}: categories of {scope:?} {filter:?}");
        }
    }
    // and the statistics built on them (the oracle's side computed from its own points)
    let city = Scope::City(net.da_nang);
    let (beach, _) = scope_stats(&mut conn, parts, &city, &StatsFilter::default()).unwrap();
    let points = stats::survey_points_recomputed(&mut conn, &city, &StatsFilter::default()).unwrap();
    let categories = stats::category_counts(
        &mut conn,
        &city,
        &StatsFilter { kind: Some(SurveyKind::Monitoring), ..Default::default() },
    )
    .unwrap();
    let from_scratch = beach_litter(&points, &categories, SurveyKind::Monitoring, Default::default());
    assert_eq!(beach, from_scratch, "{when}: Da Nang's statistics");

    // a city read once for its page equals the city and each site read on its own
    let da_nang_sites: Vec<i64> = sites.iter().copied().filter(|s| *s != net.cebu_site).collect();
    for filter in &filters[..3] {
        let reading = city_with_sites(&mut conn, parts, net.da_nang, &da_nang_sites, filter).unwrap();
        assert_eq!(reading.city, scope_stats(&mut conn, parts, &city, filter).unwrap(), "{when}: {filter:?}");
        for (site, of_site) in da_nang_sites.iter().zip(&reading.sites) {
            assert_eq!(
                of_site,
                &scope_stats(&mut conn, parts, &Scope::Site(*site), filter).unwrap(),
                "{when}: site {site}"
            );
        }
    }
}

/// The statistics of every scope and filter, composed from the sites' parts kept in `parts`
/// across writes, equal the statistics computed from scratch from the totals and item rows.
pub fn assert_statistics_agree(db: &TestDb, net: &Network, sites: &[i64], parts: &PartCache, when: &str) {
    let mut conn = db.connect();
    for scope in &scopes(net, sites) {
        for filter in &filters() {
            let kind = filter.kind.unwrap_or(SurveyKind::Monitoring);
            let points = stats::survey_points_recomputed(&mut conn, scope, filter).unwrap();
            let indicator_filter = StatsFilter { kind: Some(kind), ..filter.clone() };
            let categories = stats::category_counts_recomputed(&mut conn, scope, &indicator_filter).unwrap();
            let from_scratch = beach_litter(&points, &categories, kind, filter.basis);
            let (composed, _) = scope_stats(&mut conn, parts, scope, filter).unwrap();
            assert_eq!(composed, from_scratch, "{when}: {scope:?} {filter:?}");
        }
    }
}

#[test]
fn maintained_summaries_equal_a_recomputation_after_random_writes() {
    let db = TestDb::new();
    let net = network::create(&db);
    let mut sites = vec![net.my_khe, net.cebu_site];
    {
        let mut conn = db.connect();
        for (n, lat) in [16.03, 16.00].into_iter().enumerate() {
            sites.push(network::beach(&mut conn, net.da_nang, &format!("VN-DN-10{n}"), (lat, 108.25)));
        }
    }
    let da_nang_sites = [sites[0], sites[2], sites[3]];
    let server = TestServer::start(db.pool());
    let mut rng = Rng(0x7D1E_11AE_2026_1124);
    // the sites' parts, kept across every write of the run
    let parts = PartCache::new(64 << 20);
    let mut posted: Vec<Posted> = Vec::new();
    let mut n = 0;
    let mut next_survey = |rng: &mut Rng, in_cebu: bool| {
        n += 1;
        if in_cebu {
            random_survey(rng, n, &[net.cebu_site])
        } else {
            random_survey(rng, n, &da_nang_sites)
        }
    };
    let (mut reviews, mut corrections) = (0, 0);
    for step in 0..160 {
        match rng.below(10) {
            // a batch of up to 12 from one team
            0..=2 => {
                let (team, coordinator, in_cebu) = match rng.below(3) {
                    0 => (&net.trusted, &net.coordinator_da_nang, false),
                    1 => (&net.untrusted, &net.coordinator_da_nang, false),
                    _ => (&net.cebu_team, &net.coordinator_cebu, true),
                };
                let records: Vec<Value> = (0..1 + rng.below(12)).map(|_| next_survey(&mut rng, in_cebu)).collect();
                let answer = post_as(&server.url("/v1/surveys/batch"), team, &json!({"records": records}));
                assert_eq!(answer.status, 200, "{}", answer.body);
                for (result, body) in answer.json()["results"].as_array().unwrap().iter().zip(records) {
                    assert_eq!(result["outcome"], "created", "{result}");
                    let id = result["id"].as_i64().unwrap();
                    posted.push(Posted { id, body, team: team.clone(), coordinator: coordinator.clone() });
                }
            }
            // a single post
            3..=4 => {
                let (team, in_cebu) = if rng.below(2) == 0 { (&net.trusted, false) } else { (&net.untrusted, false) };
                let body = next_survey(&mut rng, in_cebu);
                let answer = post_as(&server.url("/v1/surveys"), team, &body);
                assert_eq!(answer.status, 201, "{}", answer.body);
                let id = answer.json()["id"].as_i64().unwrap();
                posted.push(Posted { id, body, team: team.clone(), coordinator: net.coordinator_da_nang.clone() });
            }
            // a review: accept or reject any survey
            5..=7 if !posted.is_empty() => {
                let survey = &posted[rng.below(posted.len())];
                let decision = if rng.below(3) == 0 { "reject" } else { "accept" };
                let path = server.url(&format!("/v1/surveys/{}/review", survey.id));
                let answer = post_as(&path, &survey.coordinator, &json!({"decision": decision, "reason": "checked"}));
                assert!(answer.status == 200 || answer.status == 409, "{}", answer.body);
                reviews += 1;
            }
            // a correction: another date, site, count, kind or protocol's codes
            8..=9 if !posted.is_empty() => {
                let which = rng.below(posted.len());
                let in_cebu = posted[which].coordinator == net.coordinator_cebu;
                let mut body = next_survey(&mut rng, in_cebu);
                body["client_id"] = posted[which].body["client_id"].clone();
                let survey = &mut posted[which];
                let answer = put_as(&server.url(&format!("/v1/surveys/{}", survey.id)), &survey.team, &body);
                assert_eq!(answer.status, 200, "{}", answer.body);
                survey.body = body;
                corrections += 1;
            }
            _ => {}
        }
        if step % 40 == 39 {
            assert_summaries_agree(&db, &net, &sites, &parts, &format!("after step {step}"));
        }
        if step % 8 == 7 {
            assert_statistics_agree(&db, &net, &sites, &parts, &format!("after step {step}"));
        }
    }
    assert!(posted.len() > 150 && reviews > 20 && corrections > 20, "{} {reviews} {corrections}", posted.len());
    let accepted = "SELECT count(*) AS n FROM survey_totals WHERE status = 'accepted'";
    let kept = "SELECT coalesce(sum(surveys), 0)::bigint AS n FROM site_month_surveys";
    let unassigned = "SELECT count(*) AS n FROM survey_totals WHERE status = 'accepted' AND site_id IS NULL";
    assert!(count(&db, unassigned) > 0, "the run covers accepted surveys without a site");
    assert_eq!(count(&db, kept), count(&db, accepted) - count(&db, unassigned));
    assert_summaries_agree(&db, &net, &sites, &parts, "at the end");
    assert_statistics_agree(&db, &net, &sites, &parts, "at the end");
    let (held, bytes) = parts.held();
    assert!(held > 0 && bytes > 0, "the checks composed from kept parts: {held} parts, {bytes} bytes");
    // a part, row or composition computed after a write replaces the one before: twenty
    // surveys posted to one site and month, each followed by reads, leave what is held as it was
    {
        let mut conn = db.connect();
        let read_all = |conn: &mut diesel::PgConnection| {
            for scope in [Scope::City(net.cebu), Scope::Site(net.cebu_site), Scope::City(net.da_nang)] {
                let (composed, _) = scope_stats(conn, &parts, &scope, &StatsFilter::default()).unwrap();
                assert!(composed.surveys > 0, "{scope:?}");
            }
        };
        let post = |extra: usize| {
            let body = json!({"protocol": "ospar", "date": "2025-06-14", "length_m": 100, "site_id": net.cebu_site,
                "client_id": format!("5e1f0000-0000-4000-8000-9{extra:011}"), "items": [{"code": "15", "count": extra}]});
            let answer = post_as(&server.url("/v1/surveys"), &net.cebu_team, &body);
            assert_eq!(answer.status, 201, "{}", answer.body);
        };
        // the first write may open a month of the site (a new row, a new part)
        post(0);
        read_all(&mut conn);
        let before = parts.held();
        for extra in 1..20 {
            post(extra);
            read_all(&mut conn);
        }
        let after = parts.held();
        assert_eq!(after.0, before.0, "entries held before and after 20 writes: {before:?} {after:?}");
    }
    assert_statistics_agree(&db, &net, &sites, &parts, "after the writes to one month");

    // the records packed in SQL on append are the bytes the Rust side writes on removal
    let mut conn = db.connect();
    assert_eq!(summaries::disagreeing_rows(&mut conn).unwrap(), vec![]);

    // the comparison is not blind: one altered count (the last byte of the first record's
    // total_items, bytes 20..28) in one summary is seen
    count(
        &db,
        "WITH u AS (UPDATE site_month_surveys SET packed = set_byte(packed, 27, get_byte(packed, 27) # 1) \
         WHERE (city_id, site_id, month) = (SELECT city_id, site_id, month FROM site_month_surveys LIMIT 1) \
         RETURNING 1) SELECT count(*) AS n FROM u",
    );
    let fresh = PartCache::new(64 << 20);
    let caught = std::panic::catch_unwind(|| assert_summaries_agree(&db, &net, &sites, &fresh, "after tampering"));
    assert!(caught.is_err(), "an altered summary must be caught");
    let caught = std::panic::catch_unwind(|| assert_statistics_agree(&db, &net, &sites, &fresh, "after tampering"));
    assert!(caught.is_err(), "statistics from an altered summary must differ from the recomputation");
}
