//! Review decisions: a coordinator accepts or rejects a pending record; the record's status,
//! its totals' status and the rollups follow, and the decision is kept in `reviews`.

use diesel::prelude::*;
use tideline_core::review::ReviewStatus;

use super::records::{on_records, RecordKind};
use super::rollups;

/// The record's city and status, if it exists.
#[derive(Debug, Clone, Queryable)]
pub struct RecordState {
    /// City.
    pub city_id: i64,
    /// Current status.
    pub status: ReviewStatus,
}

/// Locks the record for review and returns its state.
pub fn lock(conn: &mut PgConnection, kind: RecordKind, id: i64) -> QueryResult<Option<RecordState>> {
    let Some(city_id) = super::records::city_of(conn, kind, id)? else { return Ok(None) };
    on_records!(kind, t => t::table
        .find((city_id, id))
        .select((t::city_id, t::status))
        .for_update()
        .first(conn)
        .optional())
}

/// Sets the new status, moves the survey in or out of the rollups, and logs the decision.
pub fn decide(
    conn: &mut PgConnection,
    kind: RecordKind,
    id: i64,
    state: &RecordState,
    status: ReviewStatus,
    reason: &str,
    token_id: i64,
) -> QueryResult<()> {
    on_records!(kind, t => diesel::update(t::table.find((state.city_id, id))).set(t::status.eq(status)).execute(conn))?;
    if kind == RecordKind::Survey {
        use crate::schema::survey_totals as t;
        diesel::update(t::table.find((state.city_id, id))).set(t::status.eq(status)).execute(conn)?;
        // an accepted survey is in the rollups; entering or leaving that state moves it
        let accepted = ReviewStatus::Accepted;
        match (state.status == accepted, status == accepted) {
            (false, true) => rollups::apply_survey(conn, state.city_id, id, 1)?,
            (true, false) => rollups::apply_survey(conn, state.city_id, id, -1)?,
            _ => {}
        }
    }
    use crate::schema::reviews as r;
    diesel::insert_into(r::table)
        .values((
            r::city_id.eq(state.city_id),
            r::record_kind.eq(kind),
            r::record_id.eq(id),
            r::status.eq(status),
            r::reason.eq(reason),
            r::token_id.eq(token_id),
        ))
        .execute(conn)?;
    Ok(())
}
