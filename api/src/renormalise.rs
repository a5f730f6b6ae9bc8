//! `tideline renormalise`: brings stored surveys to the current mapping tables. Each survey
//! whose mapping version is not the current one of its protocol is normalised again from its
//! kept raw payload (the latest version's, for a corrected survey), in its own transaction: items and totals replaced, rollups moved, the new
//! mapping version noted. Re-runs find nothing to do.

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::input::read_survey;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::normalise;

use crate::store::records::RecordKind;
use crate::store::{rollups, surveys};

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Surveys brought to the current mapping version.
    pub renormalised: usize,
    /// Surveys whose payload no longer normalises (left as they were), with the reason.
    pub failed: Vec<(i64, String)>,
}

#[derive(Queryable)]
struct Stale {
    city_id: i64,
    id: i64,
    status: ReviewStatus,
    site_id: Option<i64>,
    payload: serde_json::Value,
    reference_length_m: Option<f64>,
}

/// A page of surveys after `after` (by city and id) not normalised with a current mapping,
/// each with the body it was last sent with (its latest kept version, else its submission).
fn stale_page(conn: &mut PgConnection, current: &[String], after: (i64, i64)) -> QueryResult<Vec<Stale>> {
    use crate::schema::{record_versions as v, sites, submissions as sub, surveys as s};
    let mut page: Vec<Stale> = s::table
        .inner_join(sub::table.on(sub::city_id.eq(s::city_id).and(sub::id.eq(s::submission_id))))
        .left_join(sites::table)
        .filter(s::mapping_version.ne_all(current))
        .filter(s::city_id.gt(after.0).or(s::city_id.eq(after.0).and(s::id.gt(after.1))))
        .order((s::city_id, s::id))
        .limit(PAGE)
        .select((s::city_id, s::id, s::status, s::site_id, sub::payload, sites::reference_length_m.nullable()))
        .load(conn)?;
    let cities: Vec<i64> = page.iter().map(|p| p.city_id).collect();
    let ids: Vec<i64> = page.iter().map(|p| p.id).collect();
    let corrected: Vec<(i64, i64, serde_json::Value)> = v::table
        .filter(v::record_kind.eq(RecordKind::Survey))
        .filter(v::city_id.eq_any(cities))
        .filter(v::record_id.eq_any(ids))
        .order((v::city_id, v::record_id, v::version))
        .select((v::city_id, v::record_id, v::payload))
        .load(conn)?;
    // ordered by version, so the last body written for a survey is its latest
    let latest: std::collections::HashMap<(i64, i64), serde_json::Value> =
        corrected.into_iter().map(|(city, id, body)| ((city, id), body)).collect();
    for stale in &mut page {
        if let Some(body) = latest.get(&(stale.city_id, stale.id)) {
            stale.payload = body.clone();
        }
    }
    Ok(page)
}

/// Surveys per read.
const PAGE: i64 = 500;

/// Renormalises every stale survey; `progress` gets the count done so far.
pub fn run(conn: &mut PgConnection, mut progress: impl FnMut(usize)) -> QueryResult<Report> {
    let current: Vec<String> = Protocol::ALL.iter().map(|p| p.mapping_version()).collect();
    // no date limit applies again: the record was accepted when it came in
    let latest = NaiveDate::MAX;
    let mut report = Report::default();
    let mut after = (0i64, 0i64);
    loop {
        let page = stale_page(conn, &current, after)?;
        let Some(last) = page.last() else { break };
        after = (last.city_id, last.id);
        for stale in &page {
            let normalised = read_survey(&stale.payload, "", latest).and_then(|envelope| {
                let mut input = envelope.input;
                input.site_length_m = stale.reference_length_m;
                normalise(input, latest)
            });
            let survey = match normalised {
                Ok(survey) => survey,
                Err(errors) => {
                    let reason = errors.iter().map(|e| format!("{}: {}", e.pointer, e.message)).collect::<Vec<_>>();
                    report.failed.push((stale.id, reason.join("; ")));
                    continue;
                }
            };
            let counted_in_rollups = stale.status == ReviewStatus::Accepted && stale.site_id.is_some();
            conn.transaction(|conn| {
                if counted_in_rollups {
                    rollups::apply_survey(conn, stale.city_id, stale.id, -1)?;
                }
                surveys::replace_normalisation(conn, stale.city_id, stale.id, stale.site_id, stale.status, &survey)?;
                if counted_in_rollups {
                    rollups::apply_survey(conn, stale.city_id, stale.id, 1)?;
                }
                QueryResult::Ok(())
            })?;
            report.renormalised += 1;
        }
        progress(report.renormalised + report.failed.len());
    }
    Ok(report)
}
