//! The queue of surveys whose rollups are still to be added (`pending_rollups`): the write path
//! queues a batch's accepted, placed surveys in the batch's own transaction, one row per city;
//! whoever takes a row (the rollup worker, a post that answers only after its rollups, or a
//! review or correction of one of its surveys) locks it, deletes it and adds its surveys to the
//! rollups in one transaction, so each queued survey is added exactly once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::pending_rollups as p;

/// Which queued rows to take.
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    /// At most this many rows nobody else is taking, oldest first (the worker: it never waits).
    Free(i64),
    /// Every row, waiting for those others are taking: once taken, every survey queued before
    /// the call is in the rollups.
    All,
    /// The rows that queue any of these surveys `(city_id, id)`, waiting as `All` does: taken
    /// before a survey leaves or changes in the rollups.
    Holding(&'a [(i64, i64)]),
}

/// Queues the surveys `(city_id, id)`: one row per city.
pub fn queue(conn: &mut PgConnection, surveys: &[(i64, i64)]) -> QueryResult<()> {
    let mut by_city: std::collections::BTreeMap<i64, Vec<Option<i64>>> = Default::default();
    for &(city_id, id) in surveys {
        by_city.entry(city_id).or_default().push(Some(id));
    }
    let rows: Vec<_> = by_city.into_iter().map(|(city, ids)| (p::city_id.eq(city), p::survey_ids.eq(ids))).collect();
    if !rows.is_empty() {
        diesel::insert_into(p::table).values(rows).execute(conn)?;
    }
    Ok(())
}

/// Locks and deletes the rows `which` names; returns their surveys `(city_id, id)`, ascending.
/// Run it in the transaction that adds them to the rollups.
pub fn claim(conn: &mut PgConnection, which: Rows<'_>) -> QueryResult<Vec<(i64, i64)>> {
    let oldest_first = p::table.select((p::city_id, p::id, p::survey_ids)).order((p::queued_at, p::id));
    let rows: Vec<(i64, i64, Vec<Option<i64>>)> = match which {
        Rows::Free(limit) => oldest_first.limit(limit).for_update().skip_locked().load(conn)?,
        Rows::All => oldest_first.for_update().load(conn)?,
        Rows::Holding(surveys) => {
            let cities: Vec<i64> = surveys.iter().map(|s| s.0).collect();
            let ids: Vec<Option<i64>> = surveys.iter().map(|s| Some(s.1)).collect();
            oldest_first
                .filter(p::city_id.eq_any(cities))
                .filter(p::survey_ids.overlaps_with(ids))
                .for_update()
                .load(conn)?
        }
    };
    if !rows.is_empty() {
        let cities: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        diesel::delete(p::table.filter(p::city_id.eq_any(cities)).filter(p::id.eq_any(ids))).execute(conn)?;
    }
    let mut surveys: Vec<(i64, i64)> =
        rows.into_iter().flat_map(|(city, _, ids)| ids.into_iter().flatten().map(move |id| (city, id))).collect();
    surveys.sort_unstable();
    surveys.dedup();
    Ok(surveys)
}

/// The time before which every stored survey is in the rollups, for a read at `now`: the
/// oldest row still queued, if older.
pub fn included_until(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<DateTime<Utc>> {
    let oldest: Option<DateTime<Utc>> = p::table.select(diesel::dsl::min(p::queued_at)).first(conn)?;
    Ok(oldest.map_or(now, |queued| queued.min(now)))
}

/// Rows still queued.
pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    p::table.count().get_result(conn)
}
