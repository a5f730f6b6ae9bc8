//! New surveys, set-based: their submissions (`bulk`), the survey rows in one `unnest` insert,
//! their items and totals (`derived`); then, once per batch, the rollups of the accepted ones,
//! their category counts grouped from the items in memory (`roll_up`).

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{GeoPoint, NormalisedSurvey};

use super::derived::{self, StoredSurvey};
use crate::store::bulk::{self, Prepared};
use crate::store::records::{Author, RecordKind};
use crate::store::rollups::{self, categories, categories::CategoryCounts, categories::RollupGroup};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts the surveys with their submissions, items and totals (the rollups follow in
/// [`roll_up`]); returns the survey ids in input order. A unique violation (a concurrent post
/// of the same client id) fails the whole call, so run it in a savepoint.
pub fn insert(
    conn: &mut PgConnection,
    author: &Author,
    records: &[Prepared<'_, NormalisedSurvey>],
) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let n = records.len();
    let col = |f: &dyn Fn(&Prepared<'_, NormalisedSurvey>) -> Option<f64>| records.iter().map(f).collect::<Vec<_>>();
    let submission_ids = bulk::insert_submissions(conn, author, RecordKind::Survey, records, |survey| {
        (survey.input.protocol, survey.mapping_version.clone())
    })?;
    let inputs: Vec<_> = records.iter().map(|r| &r.record.input).collect();
    let stretch = |pick: fn(&(GeoPoint, GeoPoint)) -> f64| {
        inputs.iter().map(|i| i.stretch.as_ref().map(pick)).collect::<Vec<_>>()
    };
    // raw SQL: an `unnest` bulk write, one statement for any batch size, ids in input order
    let survey_ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO surveys (city_id, submission_id, team_id, site_id, protocol, mapping_version, survey_kind, survey_type, \
         survey_date, started_at, location, stretch, length_m, length_source, width_m, participants, duration_min, mass_kg, \
         bags, status, flags, area_m2) \
         SELECT c, sub, $1, site, p, m, k, st, d, sa, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, \
         ST_SetSRID(ST_MakeLine(ST_MakePoint(lon1, lat1), ST_MakePoint(lon2, lat2)), 4326)::geography, \
         len, ls, w, pa, du, ma, ba, status, fl, ar \
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], \
         $10::timestamptz[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], \
         $17::float8[], $18::text[], $19::float8[], $20::int4[], $21::float8[], $22::float8[], $23::int4[], $24::text[], \
         $25::jsonb[], $26::bigint[], $27::float8[]) \
         AS t(c, sub, site, p, m, k, st, d, sa, lat, lon, lat1, lon1, lat2, lon2, len, ls, w, pa, du, ma, ba, status, fl, o, ar) \
         ORDER BY o RETURNING id",
    )
    .bind::<BigInt, _>(author.team_id)
    .bind::<Array<BigInt>, _>(records.iter().map(|r| r.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(&submission_ids)
    .bind::<Array<Nullable<BigInt>>, _>(records.iter().map(|r| r.site_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.protocol.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.record.mapping_version.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.kind).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(inputs.iter().map(|i| i.survey_type).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(inputs.iter().map(|i| i.date).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(inputs.iter().map(|i| i.started_at.map(|t| t.with_timezone(&Utc))).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(inputs.iter().map(|i| i.location.map(|p| p.lat)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(inputs.iter().map(|i| i.location.map(|p| p.lon)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(stretch(|s| s.0.lat))
    .bind::<Array<Nullable<Double>>, _>(stretch(|s| s.0.lon))
    .bind::<Array<Nullable<Double>>, _>(stretch(|s| s.1.lat))
    .bind::<Array<Nullable<Double>>, _>(stretch(|s| s.1.lon))
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.record.length_m))
    .bind::<Array<Text>, _>(records.iter().map(|r| r.record.length_source).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.record.input.width_m))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.participants.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.record.input.effort.duration_min))
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.record.input.effort.mass_kg))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.bags.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(records.iter().map(|r| serde_json::to_value(&r.record.flags).unwrap_or_default()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>((0..n as i64).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.record.input.area_m2))
    .load(conn)?;
    let ids: Vec<i64> = survey_ids.iter().map(|p| p.id).collect();

    let stored: Vec<StoredSurvey<'_>> = (records.iter().zip(&ids))
        .map(|(r, id)| StoredSurvey {
            city_id: r.city_id,
            survey_id: *id,
            site_id: r.site_id,
            status: r.status,
            survey: &r.record,
        })
        .collect();
    derived::insert(conn, &stored)?;
    Ok(ids)
}

/// Adds the accepted, placed ones of these new surveys (`ids` in the same order) to the
/// rollups, their category counts grouped from the items in memory. Once per batch: the
/// rollup rows are upserted once however the batch was written.
pub fn roll_up(conn: &mut PgConnection, records: &[Prepared<'_, NormalisedSurvey>], ids: &[i64]) -> QueryResult<()> {
    let mut accepted = Vec::new();
    let mut counts = CategoryCounts::new();
    for (r, id) in records.iter().zip(ids) {
        let Some(site_id) = r.site_id.filter(|_| r.status == ReviewStatus::Accepted) else { continue };
        accepted.push((r.city_id, *id));
        let input = &r.record.input;
        let group = RollupGroup::of(r.city_id, site_id, input.date, input.kind, input.protocol);
        let counted = r.record.items.iter().filter(|i| i.counted);
        categories::add(
            &mut counts,
            group,
            counted.map(|i| (i.category.as_str(), i64::from(derived::stored_count(i.count)))),
        );
    }
    rollups::apply_with_categories(conn, &accepted, &counts, 1)
}
