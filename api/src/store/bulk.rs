//! Set-based writes for batches of surveys: a handful of `INSERT … SELECT FROM unnest(…)`
//! statements per batch instead of a dozen round trips per survey, then the rollups of the
//! batch's accepted surveys in two grouped upserts (`rollups::apply_surveys`).

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Bytea, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::NormalisedSurvey;

use super::places::Site;
use super::records::{Author, RecordKind, StoredPayload};

/// A survey ready to be stored.
pub struct Prepared<'a> {
    /// The app's UUID.
    pub client_id: uuid::Uuid,
    /// The raw payload, serialised (borrowed from the batch: never copied).
    pub payload: &'a StoredPayload,
    /// City.
    pub city_id: i64,
    /// Site.
    pub site_id: Option<i64>,
    /// Normalised survey.
    pub survey: NormalisedSurvey,
    /// Accepted or pending, on arrival.
    pub status: ReviewStatus,
}

/// A stored submission found by client id.
#[derive(Debug, Clone, Queryable)]
pub struct Existing {
    /// Client id.
    pub client_id: uuid::Uuid,
    /// Survey or sample.
    pub record_kind: RecordKind,
    /// Payload hash.
    pub payload_sha256: Vec<u8>,
    /// The survey's id (absent for samples).
    pub survey_id: Option<i64>,
    /// The survey's status.
    pub status: Option<ReviewStatus>,
}

/// Submissions the team already stored under any of these client ids, with their surveys.
pub fn existing(conn: &mut PgConnection, team_id: i64, client_ids: &[uuid::Uuid]) -> QueryResult<Vec<Existing>> {
    use crate::schema::{submissions as sub, surveys as s};
    sub::table
        .left_join(s::table.on(s::city_id.eq(sub::city_id).and(s::submission_id.eq(sub::id))))
        .filter(sub::team_id.eq(team_id))
        .filter(sub::client_id.eq_any(client_ids))
        .select((sub::client_id, sub::record_kind, sub::payload_sha256, s::id.nullable(), s::status.nullable()))
        .load(conn)
}

/// The sites with these ids.
pub fn sites(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Site>> {
    Ok(super::places::find_sites(conn, ids)?.into_iter().map(|s| (s.id, s)).collect())
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts the surveys with their submissions, items, totals and rollups; returns the survey
/// ids in input order. A unique violation (a concurrent post of the same client id) fails the
/// whole call, so run it in a savepoint.
pub fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<'_>]) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let n = records.len();
    let col = |f: &dyn Fn(&Prepared<'_>) -> Option<f64>| records.iter().map(f).collect::<Vec<_>>();
    let sub_ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO submissions (city_id, team_id, client_id, record_kind, protocol, mapping_version, payload, payload_sha256) \
         SELECT c, $1, u, 'survey', p, m, j::jsonb, h FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[], \
         $8::bigint[]) AS t(c, u, p, m, j, h, o) ORDER BY o RETURNING id",
    )
    .bind::<BigInt, _>(author.team_id)
    .bind::<Array<BigInt>, _>(records.iter().map(|r| r.city_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(records.iter().map(|r| r.client_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.survey.input.protocol.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.survey.mapping_version.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.payload.json.as_str()).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(records.iter().map(|r| r.payload.sha256.as_slice()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>((0..n as i64).collect::<Vec<_>>())
    .load(conn)?;
    let submission_ids: Vec<i64> = sub_ids.iter().map(|p| p.id).collect();
    let client_ids: Vec<uuid::Uuid> = records.iter().map(|r| r.client_id).collect();
    let city_ids: Vec<i64> = records.iter().map(|r| r.city_id).collect();
    super::records::claim_client_ids(conn, author.team_id, &client_ids, &city_ids, &submission_ids)?;
    let inputs: Vec<_> = records.iter().map(|r| &r.survey.input).collect();
    let stretch = |pick: fn(&(tideline_core::survey::GeoPoint, tideline_core::survey::GeoPoint)) -> f64| {
        inputs.iter().map(|i| i.stretch.as_ref().map(pick)).collect::<Vec<_>>()
    };
    let survey_ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO surveys (city_id, submission_id, team_id, site_id, protocol, mapping_version, survey_kind, survey_type, \
         survey_date, started_at, location, stretch, length_m, length_source, width_m, participants, duration_min, mass_kg, \
         bags, status, flags) \
         SELECT c, sub, $1, site, p, m, k, st, d, sa, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, \
         ST_SetSRID(ST_MakeLine(ST_MakePoint(lon1, lat1), ST_MakePoint(lon2, lat2)), 4326)::geography, \
         len, ls, w, pa, du, ma, ba, status, fl \
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], \
         $10::timestamptz[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], \
         $17::float8[], $18::text[], $19::float8[], $20::int4[], $21::float8[], $22::float8[], $23::int4[], $24::text[], \
         $25::jsonb[], $26::bigint[]) \
         AS t(c, sub, site, p, m, k, st, d, sa, lat, lon, lat1, lon1, lat2, lon2, len, ls, w, pa, du, ma, ba, status, fl, o) \
         ORDER BY o RETURNING id",
    )
    .bind::<BigInt, _>(author.team_id)
    .bind::<Array<BigInt>, _>(records.iter().map(|r| r.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(&submission_ids)
    .bind::<Array<Nullable<BigInt>>, _>(records.iter().map(|r| r.site_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.protocol.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.survey.mapping_version.as_str()).collect::<Vec<_>>())
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
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.length_m))
    .bind::<Array<Text>, _>(records.iter().map(|r| r.survey.length_source).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.input.width_m))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.participants.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.input.effort.duration_min))
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.input.effort.mass_kg))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.bags.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(records.iter().map(|r| serde_json::to_value(&r.survey.flags).unwrap_or_default()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>((0..n as i64).collect::<Vec<_>>())
    .load(conn)?;
    let ids: Vec<i64> = survey_ids.iter().map(|p| p.id).collect();

    let (mut item_city, mut item_survey, mut item_source, mut item_category, mut item_count, mut item_counted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (record, id) in records.iter().zip(&ids) {
        for item in &record.survey.items {
            item_city.push(record.city_id);
            item_survey.push(*id);
            item_source.push(item.source_code.as_str());
            item_category.push(item.category.as_str());
            item_count.push(item.count as i32);
            item_counted.push(item.counted);
        }
    }
    diesel::sql_query(
        "INSERT INTO survey_items (city_id, survey_id, source_code, category_code, count, counted) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int4[], $6::bool[])",
    )
    .bind::<Array<BigInt>, _>(&item_city)
    .bind::<Array<BigInt>, _>(&item_survey)
    .bind::<Array<Text>, _>(&item_source)
    .bind::<Array<Text>, _>(&item_category)
    .bind::<Array<Integer>, _>(&item_count)
    .bind::<Array<Bool>, _>(&item_counted)
    .execute(conn)?;

    let sum = |f: fn(&tideline_core::survey::SurveySummary) -> u64| {
        records.iter().map(|r| f(&r.survey.summary) as i64).collect::<Vec<_>>()
    };
    let opt = |f: fn(&tideline_core::survey::SurveySummary) -> Option<f64>| {
        records.iter().map(|r| f(&r.survey.summary)).collect::<Vec<_>>()
    };
    diesel::sql_query(
        "INSERT INTO survey_totals (city_id, survey_id, site_id, survey_date, survey_kind, protocol, status, length_m, \
         total_items, threshold_items, plastic_items, sup_items, fishing_items, items_per_100m, threshold_items_per_100m, \
         items_per_m2, cci, eu_eligible, materials, participants, mass_kg, bags) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::date[], $5::text[], $6::text[], $7::text[], \
         $8::float8[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::float8[], \
         $15::float8[], $16::float8[], $17::float8[], $18::bool[], $19::jsonb[], $20::int4[], $21::float8[], $22::int4[])",
    )
    .bind::<Array<BigInt>, _>(records.iter().map(|r| r.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(&ids)
    .bind::<Array<Nullable<BigInt>>, _>(records.iter().map(|r| r.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(inputs.iter().map(|i| i.date).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.protocol.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(records.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.length_m))
    .bind::<Array<BigInt>, _>(sum(|s| s.total_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.threshold_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.plastic_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.sup_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.fishing_items))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.items_per_100m))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.threshold_items_per_100m))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.items_per_m2))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.cci))
    .bind::<Array<Bool>, _>(records.iter().map(|r| r.survey.summary.eu_threshold_eligible).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(records.iter().map(|r| serde_json::to_value(&r.survey.summary.materials).unwrap_or_default()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.participants.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(col(&|r| r.survey.input.effort.mass_kg))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.bags.map(|v| v as i32)).collect::<Vec<_>>())
    .execute(conn)?;
    let accepted: Vec<(i64, i64)> = (records.iter().zip(&ids))
        .filter(|(r, _)| r.status == ReviewStatus::Accepted && r.site_id.is_some())
        .map(|(r, id)| (r.city_id, *id))
        .collect();
    super::rollups::apply_surveys(conn, &accepted, 1)?;
    Ok(ids)
}
