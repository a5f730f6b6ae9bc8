//! `tideline renormalise`: brings stored surveys to the current mapping tables. Each survey
//! whose mapping version is not the current one of its protocol is normalised again from its
//! kept raw payload (the latest version's, for a corrected survey), in its own transaction: items and totals replaced, rollups moved, the new
//! mapping version noted. Re-runs find nothing to do.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text};
use tideline_core::input::read_survey;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::normalise;

use crate::store::{rollups, surveys};

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Surveys brought to the current mapping version.
    pub renormalised: usize,
    /// Surveys whose payload no longer normalises (left as they were), with the reason.
    pub failed: Vec<(i64, String)>,
}

#[derive(QueryableByName)]
struct Stale {
    #[diesel(sql_type = BigInt)]
    city_id: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    status: ReviewStatus,
    #[diesel(sql_type = Nullable<BigInt>)]
    site_id: Option<i64>,
    #[diesel(sql_type = Text)]
    payload: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    reference_length_m: Option<f64>,
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
        // raw SQL: a join to the kept payload as text with a keyset over (city_id, id)
        let page: Vec<Stale> = diesel::sql_query(
            "SELECT s.city_id, s.id, s.status, s.site_id, coalesce((SELECT v.payload FROM record_versions v \
             WHERE v.city_id = s.city_id AND v.record_kind = 'survey' AND v.record_id = s.id \
             ORDER BY v.version DESC LIMIT 1), sub.payload)::text AS payload, site.reference_length_m \
             FROM surveys s JOIN submissions sub ON sub.city_id = s.city_id AND sub.id = s.submission_id \
             LEFT JOIN sites site ON site.id = s.site_id \
             WHERE s.mapping_version <> ALL($1) AND (s.city_id, s.id) > ($2, $3) \
             ORDER BY s.city_id, s.id LIMIT $4",
        )
        .bind::<Array<Text>, _>(&current)
        .bind::<BigInt, _>(after.0)
        .bind::<BigInt, _>(after.1)
        .bind::<BigInt, _>(PAGE)
        .load(conn)?;
        let Some(last) = page.last() else { break };
        after = (last.city_id, last.id);
        for stale in &page {
            let payload: serde_json::Value = serde_json::from_str(&stale.payload).unwrap_or_default();
            let normalised = read_survey(&payload, "", latest).and_then(|envelope| {
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
                surveys::replace_normalisation(conn, stale.city_id, stale.id, &survey)?;
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
