//! One site's part of a scope's statistics, built from its summary rows: the rows held in
//! memory at their revisions, the others read from the store (and kept).

use tideline_core::stats::scope::{LitterParts, SurveyPoint};
use tideline_core::survey::SurveyKind;

use super::{PartCache, SitePart};
use crate::store::stats::{self, Scope, StatsFilter};
use crate::store::summaries;

/// One site's part: its surveys from the summary rows `rows` (those held in `parts`, the
/// others read and kept), its category counts from the store.
pub(super) fn site_part(
    conn: &mut diesel::PgConnection,
    parts: &PartCache,
    site_id: i64,
    rows: &[summaries::Revision],
    filter: &StatsFilter,
    indicator_filter: &StatsFilter,
) -> diesel::QueryResult<SitePart> {
    let mut held = Vec::with_capacity(rows.len());
    let mut missing = Vec::new();
    for row in rows {
        match parts.row(row) {
            Some(surveys) => held.push(surveys),
            None => missing.push(row),
        }
    }
    for (row, surveys) in missing.iter().zip(summaries::groups_of(conn, site_id, &missing)?) {
        held.push(parts.keep_row(row, surveys));
    }
    let surveys: Vec<&SurveyPoint> =
        held.iter().flat_map(|row| row.1.iter()).filter(|s| filter.holds(s.date)).collect();
    let categories = stats::category_counts(conn, &Scope::Site(site_id), indicator_filter)?;
    let kind = indicator_filter.kind.unwrap_or(SurveyKind::Monitoring);
    Ok(SitePart { litter: LitterParts::of(Some(site_id), &surveys, kind, filter.basis), categories })
}
